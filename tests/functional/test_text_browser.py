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
