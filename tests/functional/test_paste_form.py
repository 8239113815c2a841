"""The /paste/ form: success paths and every bad input (SPEC §3, §4, §6)."""

import datetime as dt
import re

import pytest
import requests

from conftest import (
    all_errors,
    create_paste,
    csrf_token,
    errors_for,
    find_tags,
    form_data,
    language_id,
    listed_ids,
    location,
    paste_count,
    post_form,
    text_of,
    unique,
)


def assert_form_error(server, jar, r, field, marker, fields=None):
    """The form came back (200, HTML) with an error next to `field` and nothing was saved."""
    assert r.status_code == 200, f"status {r.status_code}, want 200 with the form again"
    assert r.headers.get("Content-Type", "").startswith("text/html")
    fields = fields or [field]
    errs = all_errors(r.text)
    assert any(errors_for(r.text, f) for f in fields), f"no error under {fields}; errors: {errs}"
    for f in fields:
        for msg in errors_for(r.text, f):
            assert msg.strip(), f"empty error message under {f}"
    assert re.search(r"""<form\b[^>]*method=["']?post""", r.text, re.I), "the form is not shown again"
    assert "csrfmiddlewaretoken" in r.text
    assert listed_ids(server, marker, session=jar) == [], "an invalid paste was stored"


# ------------------------------------------------------------------ success


def test_valid_form_redirects_to_the_new_paste(server):
    jar = requests.Session()
    marker = unique()
    r = post_form(server, jar, title=f"ok {marker}", body=f"body {marker}")
    assert r.status_code == 302
    path = location(r)
    assert re.fullmatch(r"/\d+/", path), path
    page = server.get(path, session=jar)
    assert page.status_code == 200
    assert f"ok {marker}" in text_of(page.text)
    assert f"body {marker}" in text_of(page.text)


def test_ids_increase(server):
    a = create_paste(server, title="a", body="a")
    b = create_paste(server, title="b", body="b")
    assert b.id > a.id


def test_title_is_trimmed(server):
    jar, marker = requests.Session(), unique()
    p = create_paste(server, jar, title=f"   {marker}  \t ", body="x")
    m = re.search(r"""<h1\b[^>]*id=["']paste-title["'][^>]*>(.*?)</h1>""", server.get(p.path).text, re.S)
    assert m and text_of(m.group(1)) == marker
    edit = server.get(p.path + "edit/", session=jar)
    assert edit.status_code == 200
    titles = [a for a in find_tags(edit.text, "input") if a.get("name") == "title"]
    assert titles and titles[0].get("value") == marker


def test_body_whitespace_is_kept_and_crlf_becomes_lf(server):
    body = "  leading spaces\r\n\tTab\r\n\r\ntrailing spaces   \r\n\r\n\r\n"
    p = create_paste(server, title="ws", body=body)
    assert server.get(p.raw).content == body.replace("\r\n", "\n").encode()


def test_utf8_title_and_body_round_trip(server):
    title = "Ünïcødé ✓ 日本語 🎉"
    body = "Grüße, 世界! 🎉\nЖ\n"
    p = create_paste(server, title=title, body=body)
    assert server.get(p.raw).content == body.encode()
    assert title in text_of(server.get(p.path).text)


def test_title_of_exactly_100_characters_is_accepted(server):
    p = create_paste(server, title="é" * 100, body="x")  # 100 characters, 200 bytes
    assert "é" * 100 in text_of(server.get(p.path).text)


def test_chosen_language_is_stored(server):
    p = create_paste(server, title="lang", body="x = 1", language=language_id(server, "python"))
    assert "Python" in text_of(server.get(p.path).text)


def test_no_language_is_accepted(server):
    p = create_paste(server, title="no language here", body="just words", language="")
    assert server.get(p.path).status_code == 200


@pytest.mark.parametrize("preset", ["never", "1hour", "1day"])
def test_each_expiry_preset_is_accepted(server, preset):
    p = create_paste(server, title=f"preset {preset}", body="x", expiry_preset=preset)
    assert server.get(p.path).status_code == 200


def test_custom_expiry_in_the_future_is_accepted_and_shown(server):
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=400)
    p = create_paste(server, title="custom", body="x", expiry_preset="custom",
                     custom_expiry_date=when.strftime("%Y-%m-%d"), custom_expiry_time="12:34")
    page = server.get(p.path)
    assert page.status_code == 200
    assert str(when.year) in text_of(page.text)


def test_custom_expiry_time_with_seconds_is_accepted(server):
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)
    create_paste(server, title="custom s", body="x", expiry_preset="custom",
                 custom_expiry_date=when.strftime("%Y-%m-%d"), custom_expiry_time="01:02:03")


def test_custom_date_is_ignored_for_other_presets(server):
    create_paste(server, title="ignored", body="x", expiry_preset="never",
                 custom_expiry_date="2000-01-01", custom_expiry_time="00:00")


def test_private_checkbox_redirects_to_a_secret_link(server):
    r = post_form(server, requests.Session(), title="priv", body="x", private=True)
    assert r.status_code == 302
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]{11,}/", location(r)), location(r)


# ------------------------------------------------------------------ bad input


def test_missing_title_field_is_an_error(server):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=None, body=f"body {marker}")
    assert_form_error(server, jar, r, "title", marker)


@pytest.mark.parametrize("title", ["", "    ", "\t\n"])
def test_empty_or_blank_title_is_an_error(server, title):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=title, body=f"body {marker}")
    assert_form_error(server, jar, r, "title", marker)


def test_title_over_100_characters_is_an_error(server):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title="t" * 101, body=f"body {marker}")
    assert_form_error(server, jar, r, "title", marker)


def test_empty_body_is_an_error(server):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=f"title {marker}", body="")
    assert_form_error(server, jar, r, "body", marker)


def test_missing_body_field_is_an_error(server):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=f"title {marker}", body=None)
    assert_form_error(server, jar, r, "body", marker)


def test_missing_title_and_body_show_both_errors(server):
    jar = requests.Session()
    r = post_form(server, jar, title="", body="")
    assert r.status_code == 200
    assert errors_for(r.text, "title") and errors_for(r.text, "body")


@pytest.mark.parametrize("preset", ["forever", "2days", "NEVER", "1 day", "-1"])
def test_bad_expiry_preset_is_an_error(server, preset):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=f"t {marker}", body=f"b {marker}", expiry_preset=preset)
    assert_form_error(server, jar, r, "expiry_preset", marker)


def test_custom_date_in_the_past_is_an_error(server):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=f"t {marker}", body="b", expiry_preset="custom",
                  custom_expiry_date="2001-02-03", custom_expiry_time="04:05")
    assert_form_error(server, jar, r, "custom_expiry_date", marker,
                      fields=["custom_expiry_date", "custom_expiry_time"])


def test_custom_time_a_minute_ago_is_an_error(server):
    jar, marker = requests.Session(), unique()
    when = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=2)
    r = post_form(server, jar, title=f"t {marker}", body="b", expiry_preset="custom",
                  custom_expiry_date=when.strftime("%Y-%m-%d"), custom_expiry_time=when.strftime("%H:%M"))
    assert_form_error(server, jar, r, "custom_expiry_date", marker,
                      fields=["custom_expiry_date", "custom_expiry_time"])


@pytest.mark.parametrize("date", ["2099-13-01", "2099-02-30", "tomorrow", "01/02/2099", "2099-1-1x"])
def test_malformed_custom_date_is_an_error(server, date):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=f"t {marker}", body="b", expiry_preset="custom",
                  custom_expiry_date=date, custom_expiry_time="12:00")
    assert_form_error(server, jar, r, "custom_expiry_date", marker)


@pytest.mark.parametrize("time_", ["25:00", "12:60", "noon", "12"])
def test_malformed_custom_time_is_an_error(server, time_):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=f"t {marker}", body="b", expiry_preset="custom",
                  custom_expiry_date="2099-01-01", custom_expiry_time=time_)
    assert_form_error(server, jar, r, "custom_expiry_time", marker,
                      fields=["custom_expiry_time", "custom_expiry_date"])


def test_custom_preset_without_date_is_an_error(server):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=f"t {marker}", body="b", expiry_preset="custom",
                  custom_expiry_date="", custom_expiry_time="12:00")
    assert_form_error(server, jar, r, "custom_expiry_date", marker)


@pytest.mark.parametrize("lang", ["999999", "python", "-1", "1.5", "0x1"])
def test_unknown_language_id_is_an_error(server, lang):
    jar, marker = requests.Session(), unique()
    r = post_form(server, jar, title=f"t {marker}", body="b", language=lang)
    assert_form_error(server, jar, r, "language", marker)


def test_invalid_form_keeps_the_entered_values(server):
    jar = requests.Session()
    marker = unique()
    r = post_form(server, jar, title="", body=f"keep this {marker}", expiry_preset="never")
    assert r.status_code == 200
    m = re.search(r"""<textarea\b[^>]*name=["']body["'][^>]*>(.*?)</textarea>""", r.text, re.S)
    assert m and f"keep this {marker}" in m.group(1)
    r = post_form(server, jar, title=f"kept {marker}", body="")
    titles = [a for a in find_tags(r.text, "input") if a.get("name") == "title"]
    assert titles and titles[0].get("value") == f"kept {marker}"


def test_post_without_csrf_token_is_403_and_stores_nothing(server):
    jar, marker = requests.Session(), unique()
    csrf_token(server, jar)  # has the cookie, but does not send the field
    before = paste_count(server)
    r = server.post("/paste/", session=jar, data=form_data(title=f"t {marker}", body=f"b {marker}"))
    assert r.status_code == 403
    assert listed_ids(server, marker, session=jar) == []
    assert paste_count(server) == before


def test_post_without_csrf_cookie_is_403_and_stores_nothing(server):
    jar, marker = requests.Session(), unique()
    token = csrf_token(server, jar)
    data = form_data(title=f"t {marker}", body=f"b {marker}", csrfmiddlewaretoken=token)
    r = server.post("/paste/", data=data)  # no cookie jar at all
    assert r.status_code == 403
    assert listed_ids(server, marker) == []


def test_csrf_token_of_another_browser_is_403(server):
    mine, theirs, marker = requests.Session(), requests.Session(), unique()
    csrf_token(server, mine)
    their_token = csrf_token(server, theirs)
    data = form_data(title=f"t {marker}", body=f"b {marker}", csrfmiddlewaretoken=their_token)
    r = server.post("/paste/", session=mine, data=data)
    assert r.status_code == 403
    assert listed_ids(server, marker) == []


def test_forged_csrf_cookie_and_field_pair_is_403(server):
    marker = unique()
    forged = "a" * 64
    jar = requests.Session()
    jar.cookies.set("csrftoken", forged, domain="127.0.0.1", path="/")
    data = form_data(title=f"t {marker}", body=f"b {marker}", csrfmiddlewaretoken=forged)
    r = server.post("/paste/", session=jar, data=data)
    assert r.status_code == 403
    assert listed_ids(server, marker) == []


def test_csrf_token_can_be_reused_for_a_second_paste(server):
    jar = requests.Session()
    token = csrf_token(server, jar)
    for i in range(2):
        r = server.post("/paste/", session=jar, data=form_data(title=f"reuse {i}", body="x",
                                                               csrfmiddlewaretoken=token))
        assert r.status_code == 302, i


def test_body_over_the_limit_is_refused_and_not_stored(make_server):
    srv = make_server("--max-paste-bytes", "1000")
    jar, marker = requests.Session(), unique()
    assert paste_count(srv) == 0
    # slightly over: a form error next to the body, or a 413 page
    r = post_form(srv, jar, title=f"t {marker}", body=marker + "x" * (1001 - len(marker)))
    if r.status_code == 413:
        assert r.headers.get("Content-Type", "").startswith("text/html")
    else:
        assert_form_error(srv, jar, r, "body", marker)
    assert listed_ids(srv, marker, session=jar) == []
    # far over: 413 HTML page
    r = post_form(srv, jar, title=f"t {marker}", body=marker + "y" * 50000)
    assert r.status_code == 413
    assert r.headers.get("Content-Type", "").startswith("text/html")
    assert listed_ids(srv, marker, session=jar) == []
    assert paste_count(srv) == 0
    # exactly at the limit (bytes, not characters): accepted
    body = marker + "é" * ((1000 - len(marker)) // 2)
    body += "x" * (1000 - len(body.encode()))
    assert len(body.encode()) == 1000
    create_paste(srv, jar, title=f"t {marker}", body=body)
    assert paste_count(srv) == 1
