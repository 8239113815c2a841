"""The pages of SPEC §6: status codes, redirects, content."""

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from conftest import (
    create_paste,
    find_tags,
    language_id,
    location,
    paste_ids,
    raw_paste,
    shown_hits,
    text_of,
    unique,
)


def is_html(r):
    return r.headers.get("Content-Type", "").startswith("text/html")


# ------------------------------------------------------------------ home, form, static pages


def test_home_page_is_html_and_lists_a_new_public_paste(server):
    marker = unique()
    p = create_paste(server, title=marker, body="hello")
    r = server.get("/")
    assert r.status_code == 200 and is_html(r)
    assert p.id in paste_ids(r.text)
    assert marker in r.text


def test_paste_form_has_every_field(server):
    r = server.get("/paste/")
    assert r.status_code == 200 and is_html(r)
    page = r.text
    forms = find_tags(page, "form")
    assert any(f.get("method", "").lower() == "post" for f in forms), "no POST form"
    names = {a.get("name") for a in find_tags(page, "input")}
    assert {"title", "custom_expiry_date", "custom_expiry_time", "private", "csrfmiddlewaretoken"} <= names
    assert re.search(r"""<textarea\b[^>]*\bname=["']body["']""", page), "no <textarea name=body>"
    assert re.search(r"""<select\b[^>]*\bname=["']language["']""", page), "no <select name=language>"
    private = [a for a in find_tags(page, "input") if a.get("name") == "private"][0]
    assert private.get("type") == "checkbox"


def test_paste_form_offers_every_expiry_preset_with_1day_default(server):
    page = server.get("/paste/").text
    values = {}
    for tag in ("option", "input"):
        for a in find_tags(page, tag):
            if "value" in a and a["value"] in ("never", "1hour", "1day", "burn", "custom"):
                values[a["value"]] = a
    assert set(values) == {"never", "1hour", "1day", "burn", "custom"}, values
    default = [v for v, a in values.items() if "selected" in a or "checked" in a]
    assert default == ["1day"], f"default expiry preset is {default}, want 1day"


def test_language_select_lists_the_highlighter_languages_and_markdown_and_org(server):
    from conftest import language_options

    opts = language_options(server.get("/paste/").text)
    assert "" in opts.values(), "no empty (no language) option"
    assert "python" in opts and "markdown" in opts and "org-mode" in opts
    assert len(opts) > 100, f"only {len(opts)} languages offered"
    assert all(v == "" or v.isdigit() for v in opts.values())


def test_stats_page_counts_pastes(server):
    from conftest import paste_count

    r = server.get("/stats/")
    assert r.status_code == 200 and is_html(r)
    before = paste_count(server)
    raw_paste(server, "x")
    assert paste_count(server) == before + 1
    text = text_of(server.get("/stats/").text).lower()
    for word in ("size", "expir", "users"):
        assert word in text, word


def test_privacy_policy_page(server):
    r = server.get("/privacy_policy/")
    assert r.status_code == 200 and is_html(r)
    assert "privacy" in text_of(r.text).lower()


def test_unknown_path_is_an_html_404(server):
    for path in ("/no/such/page/", "/nosuchpage/", "/999999999/", "/999999999/edit/", "/abc/def/"):
        r = server.get(path)
        assert r.status_code == 404, path
        assert is_html(r), f"{path}: {r.headers.get('Content-Type')}"
    for path in ("/999999999/raw/", "/999999999/render/"):
        assert server.get(path).status_code == 404, path


def test_path_without_trailing_slash_redirects_permanently(server):
    p = raw_paste(server, "x")
    cases = {
        "/all": "/all/",
        "/all?q=abc&page=1": "/all/?q=abc&page=1",
        "/stats": "/stats/",
        "/paste": "/paste/",
        "/privacy_policy": "/privacy_policy/",
        f"/{p.id}": f"/{p.id}/",
        f"/{p.id}/raw": f"/{p.id}/raw/",
    }
    for src, dst in cases.items():
        r = server.get(src)
        assert r.status_code == 301, f"{src}: {r.status_code}"
        assert location(r) == dst, f"{src} -> {location(r)}"


def test_static_stylesheet_is_served_with_long_cache_headers(server):
    page = server.get("/").text
    sheets = [a["href"] for a in find_tags(page, "link")
              if "stylesheet" in a.get("rel", "").lower() and a.get("href", "").startswith("/static/")]
    assert sheets, "home page links no /static/ stylesheet"
    for href in sheets:
        r = server.get(href)
        assert r.status_code == 200, href
        assert r.headers.get("Content-Type", "").startswith("text/css"), r.headers.get("Content-Type")
        m = re.search(r"max-age=(\d+)", r.headers.get("Cache-Control", ""))
        assert m and int(m.group(1)) >= 86400, f"Cache-Control: {r.headers.get('Cache-Control')}"
        assert len(r.content) > 0


def test_every_static_asset_linked_from_pages_exists(server):
    p = raw_paste(server, "x")
    refs = set()
    for path in ("/", "/paste/", "/all/", p.path, "/stats/"):
        page = server.get(path).text
        for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
            for a in find_tags(page, tag):
                if a.get(attr, "").startswith("/static/"):
                    refs.add(a[attr])
    assert refs
    for ref in refs:
        assert server.get(ref).status_code == 200, ref


def test_unknown_static_file_is_404(server):
    assert server.get("/static/no-such-file.css").status_code == 404


# ------------------------------------------------------------------ health


def test_health_reports_database_ok_as_json(server):
    r = server.get("/health/")
    assert r.status_code == 200
    assert r.headers.get("Content-Type", "").startswith("application/json")
    data = json.loads(r.text)
    assert data["ok"] is True
    assert data["checks"]["database"]["ok"] is True


def test_health_ping_answers_pong_as_plain_text(server):
    r = server.get("/health/ping/")
    assert r.status_code == 200
    assert r.headers.get("Content-Type", "").startswith("text/plain")
    assert r.text.strip() == "pong"


def test_health_dashboard_is_html(server):
    r = server.get("/health/dashboard/")
    assert r.status_code == 200 and is_html(r)
    assert "database" in text_of(r.text).lower()


# ------------------------------------------------------------------ paste page, raw, render


def test_paste_page_shows_title_lines_and_links(server):
    jar = requests.Session()
    marker = unique()
    p = create_paste(server, jar, title=f"Title {marker}", body="first line\nsecond line\nthird",
                     language=language_id(server, "python"))
    r = server.get(p.path, session=jar)
    assert r.status_code == 200 and is_html(r)
    m = re.search(r"""<h1\b[^>]*\bid=["']paste-title["'][^>]*>(.*?)</h1>""", r.text, re.S)
    assert m and text_of(m.group(1)) == f"Title {marker}"
    for n in (1, 2, 3):
        assert re.search(rf"""<span\b[^>]*class=["']line["'][^>]*id=["']L{n}["']|"""
                         rf"""<span\b[^>]*id=["']L{n}["'][^>]*class=["']line["']""", r.text), f"no L{n}"
    assert not re.search(r"""id=["']L4["']""", r.text)
    text = text_of(r.text)
    for line in ("first line", "second line", "third"):
        assert line in text
    assert "Python" in text
    hrefs = {a.get("href") for a in find_tags(r.text, "a")}
    assert {"raw/", f"{p.path}raw/"} & hrefs, hrefs
    assert {"edit/", f"{p.path}edit/"} & hrefs, hrefs
    assert {"delete/", f"{p.path}delete/"} & hrefs, hrefs
    assert not ({"render/", f"{p.path}render/"} & hrefs), "render link on a python paste"


def test_paste_page_highlights_code(server):
    p = create_paste(server, title="hl.py", body="def f(x):\n    return 'str'  # comment\n",
                     language=language_id(server, "python"))
    page = server.get(p.path).text
    # the keyword "def" sits in its own element with a class
    assert re.search(r"""<span\b[^>]*class=["'][^"']+["'][^>]*>def</span>""", page), \
        "no highlighting markup around the keyword"


def test_markdown_paste_has_render_link_and_renders(server):
    p = create_paste(server, title="doc", body="# Big heading\n\nSome **bold** text and ~~gone~~.\n\n"
                                              "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n",
                     language=language_id(server, "markdown"))
    page = server.get(p.path).text
    hrefs = {a.get("href") for a in find_tags(page, "a")}
    assert {"render/", f"{p.path}render/"} & hrefs
    r = server.get(p.render)
    assert r.status_code == 200 and is_html(r)
    assert re.search(r"<h1[^>]*>\s*Big heading\s*</h1>", r.text)
    assert re.search(r"<strong>bold</strong>", r.text)
    assert re.search(r"<del>gone</del>", r.text)
    assert "<table" in r.text
    assert re.search(r"""<input\b[^>]*type=["']checkbox["']""", r.text)


def test_markdown_render_neutralises_html_and_javascript_links(server):
    body = ("<script>alert('xss1')</script>\n\n<img src=x onerror=alert('xss2')>\n\n"
            "[click](javascript:alert('xss3'))\n")
    p = create_paste(server, title="md xss", body=body, language=language_id(server, "markdown"))
    r = server.get(p.render)
    assert r.status_code == 200
    assert "<script>alert" not in r.text
    assert not re.search(r"<img\b[^>]*onerror", r.text, re.I)
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", r.text, re.I)


def test_org_paste_renders_safely(server):
    body = ("* Org heading\n\nSome *bold* words.\n\n"
            "#+BEGIN_EXPORT html\n<script>alert('xss4')</script>\n#+END_EXPORT\n\n"
            "[[javascript:alert('xss5')][click]]\n\n#+INCLUDE: \"/etc/passwd\"\n")
    p = create_paste(server, title="org", body=body, language=language_id(server, "org-mode"))
    r = server.get(p.render)
    assert r.status_code == 200 and is_html(r)
    assert re.search(r"<h\d[^>]*>\s*Org heading\s*</h\d>", r.text), r.text[:3000]
    assert "<strong>bold</strong>" in r.text
    assert "<script>alert" not in r.text
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", r.text, re.I)
    assert "root:x:0:0" not in r.text


def test_render_of_non_renderable_paste_redirects_to_paste(server):
    p = raw_paste(server, "print(1)", language="python")
    r = server.get(p.render)
    assert r.status_code == 302
    assert location(r) == p.path
    p2 = raw_paste(server, "no language")
    r = server.get(p2.render)
    assert r.status_code == 302 and location(r) == p2.path


def test_raw_is_plain_utf8_text_exactly_as_stored(server):
    body = "tab\there\n  indented\nünïcødé ✓\n\n\n"
    p = create_paste(server, title="raw", body=body)
    r = server.get(p.raw)
    assert r.status_code == 200
    assert r.headers["Content-Type"].replace(" ", "").lower() == "text/plain;charset=utf-8"
    assert r.content == body.encode()


def test_author_of_anonymous_paste_is_shown_as_anonymous(server):
    p = create_paste(server, title="anon", body="x")
    assert "Anonymous" in text_of(server.get(p.path).text)


# ------------------------------------------------------------------ hits


def _poll_hits(server, path, at_least, extra_views_allowed):
    """Polls the page (each poll is itself a view) until its count reaches `at_least`."""
    time.sleep(1.1)
    seen = []
    for k in range(4):
        h = shown_hits(server.get(path).text)
        seen.append(h)
        if h >= at_least:
            assert h <= at_least + k + 1 + extra_views_allowed, f"too many hits counted: {seen}"
            return h
        time.sleep(0.7)
    raise AssertionError(f"hits never reached {at_least}: saw {seen}")


def test_page_and_raw_views_count_hits(server):
    p = raw_paste(server, "count me")
    for _ in range(2):
        assert server.get(p.path).status_code == 200
    for _ in range(3):
        assert server.get(p.raw).status_code == 200
    _poll_hits(server, p.path, 5, 0)


def test_concurrent_views_lose_no_hits(server):
    p = raw_paste(server, "concurrent")

    def view(_):
        with requests.Session() as s:
            for _ in range(5):
                assert server.get(p.raw, session=s).status_code == 200

    with ThreadPoolExecutor(16) as ex:
        list(ex.map(view, range(16)))
    _poll_hits(server, p.path, 80, 0)


# ------------------------------------------------------------------ beyond the original (SPEC §8)


def test_raw_download_has_a_content_disposition_file_name(server):
    p = raw_paste(server, "print('hi')\n", title="hello.py")
    r = server.get(p.raw + "?download=1")
    assert r.status_code == 200
    cd = r.headers.get("Content-Disposition", "")
    assert cd.lower().startswith("attachment") and "filename" in cd.lower(), cd
    assert r.content == b"print('hi')\n"
    assert "Content-Disposition" not in server.get(p.raw).headers or \
        not server.get(p.raw).headers["Content-Disposition"].lower().startswith("attachment")


def test_new_paste_from_this_prefills_the_form(server):
    marker = unique()
    p = create_paste(server, title=f"orig {marker}", body=f"original body {marker}\n",
                     language=language_id(server, "python"))
    r = server.get(f"/paste/?from={p.id}")
    assert r.status_code == 200
    m = re.search(r"""<textarea\b[^>]*name=["']body["'][^>]*>(.*?)</textarea>""", r.text, re.S)
    assert m and f"original body {marker}" in m.group(1)
    sel = re.search(r"""<select\b[^>]*name=["']language["'][^>]*>(.*?)</select>""", r.text, re.S).group(1)
    chosen = [a.get("value") for a in find_tags(sel, "option") if "selected" in a]
    assert chosen == [language_id(server, "python")]


def test_language_is_guessed_from_title_extension_or_shebang(server):
    p = raw_paste(server, "x = 1\n", title="main.py")
    assert "Python" in text_of(server.get(p.path).text)
    p = raw_paste(server, "#!/usr/bin/env python3\nprint(1)\n")
    assert "Python" in text_of(server.get(p.path).text)
    p = create_paste(server, title="notes.md", body="# Notes\n", language="")
    assert server.get(p.render).status_code == 200
