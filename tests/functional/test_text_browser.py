"""Pages work in a text-mode browser: `w3m -dump` shows what matters (SPEC §6)."""

import re
import shutil
import subprocess

import pytest

from conftest import create_paste, find_tags, language_id, unique

pytestmark = pytest.mark.skipif(shutil.which("w3m") is None, reason="w3m is not installed")


def w3m_dump(url: str) -> str:
    r = subprocess.run(["w3m", "-dump", "-cols", "200", "-O", "UTF-8", url],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 0, r.stderr
    return r.stdout


def submit_text(page: str) -> str:
    m = re.search(r"<button\b[^>]*>(.*?)</button>", page, re.S | re.I)
    if m and re.sub(r"<[^>]+>", "", m.group(1)).strip():
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(1))).strip()
    for a in find_tags(page, "input"):
        if a.get("type", "").lower() == "submit" and a.get("value"):
            return a["value"]
    raise AssertionError("no submit button with text")


def test_w3m_shows_paste_title_and_body(server):
    marker = unique()
    body = f"def hello_{marker}():\n    return 42\n"
    p = create_paste(server, title=f"W3m title {marker}", body=body, language=language_id(server, "python"),
                     expiry_preset="never")
    out = w3m_dump(server.url(p.path))
    assert f"W3m title {marker}" in out
    # each body line reads as itself: the line number, if shown, is set apart by whitespace
    for n, line in enumerate(body.splitlines(), 1):
        assert re.search(rf"^\s*(?:{n}\s+)?{re.escape(line.strip())}\s*$", out, re.M), (
            f"body line {n} {line!r} not shown as a line of its own:\n{out}"
        )
    assert "Raw" in out or "raw" in out


def test_w3m_shows_the_paste_form(server):
    page = server.get("/paste/").text
    button = submit_text(page)
    out = w3m_dump(server.url("/paste/"))
    assert re.search(r"\bTitle\b", out), out
    assert re.search(r"\bBody\b", out), out
    assert re.search(r"\bLanguage\b", out, re.I), out
    assert re.search(r"\bExpir", out, re.I), out
    assert re.search(r"\bPrivate\b", out, re.I), out
    assert "[" in out and "]" in out  # inputs drawn as boxes
    assert f"[{button}]" in out or button in out, f"submit button {button!r} not shown"


def test_w3m_shows_rendered_markdown(server):
    marker = unique()
    p = create_paste(server, title="md", body=f"# Heading {marker}\n\n* item one\n* item two\n",
                     language=language_id(server, "markdown"), expiry_preset="never")
    out = w3m_dump(server.url(p.render))
    assert f"Heading {marker}" in out
    assert "item one" in out and "# Heading" not in out


def test_w3m_shows_listing_and_burn_confirmation(server):
    marker = unique()
    create_paste(server, title=f"listed {marker}", body="x", expiry_preset="never")
    out = w3m_dump(server.url(f"/all/?q={marker}"))
    assert f"listed {marker}" in out
    burn = create_paste(server, title=f"burn {marker}", body=f"hidden {marker}", expiry_preset="burn")
    page = server.get(burn.path).text
    out = w3m_dump(server.url(burn.path))
    assert f"hidden {marker}" not in out
    assert submit_text(page) in out
    assert server.post(burn.raw).text == f"hidden {marker}"


# --------------------------------------------------------------------------- every page type (issue 7)


def test_w3m_home_and_nav(server):
    marker = unique()
    create_paste(server, title=f"home {marker}", body="x", expiry_preset="never")
    out = w3m_dump(server.url("/"))
    for text in ("New paste", "All pastes", "Stats", "Log in", "Register", f"home {marker}"):
        assert text in out, f"{text!r} missing:\n{out}"


def test_w3m_all_shows_count_and_pages(server):
    marker = unique()
    create_paste(server, title=f"counted {marker}", body="x", expiry_preset="never")
    out = w3m_dump(server.url(f"/all/?q={marker}"))
    assert re.search(r"Showing 1.1 of 1 paste\b", out), out
    assert "Page 1 of 1" in out
    assert re.search(r"\btitle\b.*\bauthor\b", out), out  # the sortable headers


def test_w3m_form_labels_and_error_summary(server):
    out = w3m_dump(server.url("/paste/"))
    for label in ("Title", "Body", "Language", "Expires", "Date", "Time", "Private"):
        assert re.search(rf"\b{label}\b", out), f"{label!r} missing:\n{out}"
    assert "Find a language" not in out  # the filter box is made by JavaScript only


def test_w3m_stats_charts_read_as_text(server):
    create_paste(server, title="stats.py", body="print(1)\n", expiry_preset="never")
    out = w3m_dump(server.url("/stats/"))
    assert "Pastes created per day, last 90 days" in out, out
    assert "Storage used" in out and "Languages most used" in out
    assert re.search(r"Python: \d+ paste", out), out
    assert re.search(r"\d{4}-\d\d-\d\d\s+\d+", out), "the table fallback lists days"


def test_w3m_login_and_register_pages(server):
    out = w3m_dump(server.url("/accounts/login/"))
    assert "Username" in out and "Password" in out and "Log in" in out
    out = w3m_dump(server.url("/accounts/register/"))
    assert "Username" in out and "Password (again)" in out


def lynx_keys(text: str) -> list[str]:
    return ["key " + ("<space>" if c == " " else c) for c in text]


@pytest.mark.skipif(shutil.which("lynx") is None, reason="lynx is not installed")
def test_lynx_submits_the_paste_form(server, tmp_path):
    """A scripted lynx session: move to Title, type, move to Body, type, move to the
    submit button, press Enter; the paste exists afterwards."""
    import os

    page = server.get("/paste/").text
    # links before the title field (the nav), then fields after the first body line up to
    # the submit button: counted from the page itself so that a new nav link keeps this working
    head = page.split('id="id_title"')[0]
    links_before = len(re.findall(r"<a\s", head))
    form = page.split('id="id_body"')[1].split("</form>")[0]
    rows = int(re.search(r'rows="(\d+)"', page.split('id="id_body"')[1]).group(1))
    fields_after = (rows - 1) + len(re.findall(r"<(?:select|input|button)\b(?![^>]*type=\"hidden\")", form))
    marker = unique()
    script = (["key Down Arrow"] * links_before + lynx_keys(f"lynx {marker}") + ["key Down Arrow"]
              + lynx_keys(f"typed in lynx {marker}") + ["key Down Arrow"] * fields_after
              + ["key ^J", "key q", "key y"])
    script_path = tmp_path / "lynx.cmd"
    script_path.write_text("\n".join(script) + "\n")
    env = dict(os.environ, TERM="vt100")
    r = subprocess.run(["lynx", f"-cmd_script={script_path}", "-accept_all_cookies", server.url("/paste/")],
                       capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    listing = server.get(f"/all/?q={marker}").text
    m = re.search(r'href="(/\d+/)">lynx ' + marker, listing)
    assert m, "lynx did not create the paste:\n" + r.stdout[-2000:]
    assert f"typed in lynx {marker}" in server.get(m.group(1) + "raw/").text
