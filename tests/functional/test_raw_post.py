"""curl posting: POST / with a raw body (SPEC §9)."""

import re

import pytest
import requests

from conftest import (
    create_paste,
    csrf_token,
    listed_ids,
    location,
    raw_paste,
    raw_post,
    text_of,
    unique,
)


def assert_bad_param(r):
    assert r.status_code == 400, f"status {r.status_code}: {r.text[:300]!r}"
    assert r.headers.get("Content-Type", "").startswith("text/plain"), r.headers.get("Content-Type")
    reason = r.text.strip()
    assert reason and "\n" not in reason, f"not a one-line reason: {r.text!r}"


def test_raw_post_answers_201_with_the_absolute_url(server):
    r = raw_post(server, "hello from curl\n")
    assert r.status_code == 201
    assert r.headers["Content-Type"].startswith("text/plain")
    assert re.fullmatch(re.escape(server.base) + r"/\d+/\n", r.text), repr(r.text)
    path = r.text.strip()[len(server.base):]
    assert server.get(path).status_code == 200


def test_raw_body_round_trips_exactly_with_crlf_as_lf(server):
    body = "héllo wörld ✓ 🎉\r\nline 2\r\n\r\n  indented\ttab  \r\nlone\rcarriage\n\n\n".encode()
    p = raw_paste(server, body)
    r = server.get(p.raw)
    assert r.status_code == 200
    assert r.content == body.replace(b"\r\n", b"\n")


def test_raw_body_is_taken_as_is_whatever_the_content_type(server):
    body = b"a=1&b=2+3%20&c"  # what curl -d sends as x-www-form-urlencoded
    for ctype in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
                  "application/json", None):
        headers = {"Content-Type": ctype} if ctype else None
        r = raw_post(server, body, headers=headers)
        assert r.status_code == 201, ctype
        path = r.text.strip()[len(server.base):]
        assert server.get(path + "raw/").content == body, ctype


def test_default_title_is_untitled(server):
    p = raw_paste(server, "x")
    assert "Untitled" in text_of(server.get(p.path).text)


def test_title_param_sets_the_title(server):
    marker = unique()
    p = raw_paste(server, "x", title=f"My {marker} ✓")
    page = server.get(p.path).text
    m = re.search(r"""<h1\b[^>]*id=["']paste-title["'][^>]*>(.*?)</h1>""", page, re.S)
    assert m and text_of(m.group(1)) == f"My {marker} ✓"


@pytest.mark.parametrize("lang", ["python", "Python", "PYTHON", "py"])
def test_language_param_by_name_or_extension(server, lang):
    p = raw_paste(server, "import os\n", language=lang)
    assert "Python" in text_of(server.get(p.path).text)


@pytest.mark.parametrize("lang", ["markdown", "Markdown", "md"])
def test_markdown_language_param_makes_it_renderable(server, lang):
    p = raw_paste(server, "# Heading\n", language=lang)
    r = server.get(p.render)
    assert r.status_code == 200
    assert re.search(r"<h1[^>]*>\s*Heading\s*</h1>", r.text)


@pytest.mark.parametrize("expiry", ["never", "1hour", "1day", "60", "86400"])
def test_expiry_params_are_accepted(server, expiry):
    p = raw_paste(server, "x", expiry=expiry)
    assert server.get(p.raw).content == b"x"


def test_private_param_answers_the_secret_link(server):
    marker = unique()
    p = raw_paste(server, f"secret {marker}", private="1")
    assert p.id is None and p.path.startswith("/s/"), p.path
    assert server.get(p.raw).content == f"secret {marker}".encode()
    assert listed_ids(server, marker) == []


def test_private_0_is_public(server):
    marker = unique()
    p = raw_paste(server, f"public {marker}", private="0")
    assert p.id is not None
    assert listed_ids(server, marker) == [p.id]


@pytest.mark.parametrize(
    "params",
    [
        {"expiry": "forever"},
        {"expiry": "0"},
        {"expiry": "-5"},
        {"expiry": "1.5"},
        {"expiry": "abc"},
        {"expiry": ""},
        {"private": "yes"},
        {"private": "true"},
        {"private": "2"},
        {"language": "no-such-language-xyz"},
        {"title": "t" * 101},
    ],
)
def test_bad_params_are_400_with_a_one_line_reason_and_store_nothing(server, params):
    marker = unique()
    r = raw_post(server, f"bad {marker}", params=params)
    assert_bad_param(r)
    assert listed_ids(server, marker) == []


def test_empty_body_is_400(server):
    assert_bad_param(raw_post(server, b""))


def test_invalid_utf8_body_is_400(server):
    assert_bad_param(raw_post(server, b"abc \xff\xfe def"))


def test_raw_post_ignores_cookies_and_needs_no_csrf(server):
    jar = requests.Session()
    own = create_paste(server, jar, title="mine", body="mine")  # jar now has a session
    csrf_token(server, jar)
    r = raw_post(server, "posted with cookies", session=jar)
    assert r.status_code == 201
    p = r.text.strip()[len(server.base):]
    # the session owns what it made with the form, not what it sent raw
    assert server.get(own.path + "edit/", session=jar).status_code == 200
    assert server.get(p + "edit/", session=jar).status_code == 403


def test_raw_post_is_anonymous_and_not_editable_by_anyone(server):
    p = raw_paste(server, "nobody's")
    assert server.get(p.path + "edit/", session=requests.Session()).status_code == 403
    assert server.get(p.path + "delete/", session=requests.Session()).status_code == 403


def test_get_of_root_is_still_the_home_page(server):
    r = server.get("/")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")


def test_form_post_to_paste_is_not_a_raw_post(server):
    """The web form posts to /paste/; a form-encoded POST to / is stored raw, as sent."""
    r = raw_post(server, "title=x&body=y", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 201
    path = r.text.strip()[len(server.base):]
    assert server.get(path + "raw/").content == b"title=x&body=y"
    assert location(requests.get(server.base + path + "render/", allow_redirects=False)) == path
