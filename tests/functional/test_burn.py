"""Burn after reading (SPEC §8): GETs change nothing, the first POST reads and deletes."""

import re

import requests

from conftest import (
    create_paste,
    csrf_from,
    listed_ids,
    paste_ids,
    raw_paste,
    text_of,
    unique,
)


def has_post_form_with_button(page):
    return re.search(r"""<form\b[^>]*method=["']?post""", page, re.I) and re.search(
        r"""<button\b|<input\b[^>]*type=["']?submit""", page, re.I
    )


def test_burn_paste_survives_any_number_of_gets(server):
    creator, reader, marker = requests.Session(), requests.Session(), unique()
    body = f"burn body {marker}"
    p = create_paste(server, creator, title=f"burn {marker}", body=body, expiry_preset="burn")
    assert p.id is not None
    for _ in range(3):
        r = server.get(p.path, session=reader)
        assert r.status_code == 200
        assert has_post_form_with_button(r.text), "no confirmation form on a burn paste"
        assert body not in r.text, "the GET confirmation page shows the body"
        r = server.get(p.raw, session=reader)
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("text/plain")
        note = r.text.strip()
        assert "\n" not in note and "POST" in note, f"raw GET note: {r.text!r}"
        assert body not in r.text
        assert server.get(p.path).status_code == 200  # no cookies at all
        assert server.get(p.raw).status_code == 200
    # still there: the first POST reads it
    r = server.post(p.raw)
    assert r.status_code == 200 and r.content == body.encode()


def test_raw_post_burns_without_csrf_and_second_reader_gets_404(server):
    marker = unique()
    body = f"read once {marker}\r\nline 2"
    p = create_paste(server, title="b", body=body, expiry_preset="burn")
    r = server.post(p.raw)  # like curl -X POST, no cookies, no token
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.content == body.replace("\r\n", "\n").encode()
    assert server.post(p.raw).status_code == 404
    assert server.get(p.path).status_code == 404
    assert server.get(p.raw).status_code == 404


def test_confirmation_form_post_shows_the_paste_once(server):
    reader, marker = requests.Session(), unique()
    body = f"page once {marker}"
    p = create_paste(server, title=f"t {marker}", body=body, expiry_preset="burn")
    r = server.get(p.path, session=reader)
    token = csrf_from(r.text)
    r = server.post(p.path, session=reader, data={"csrfmiddlewaretoken": token})
    assert r.status_code == 200
    assert body in text_of(r.text)
    assert f"t {marker}" in text_of(r.text)
    assert server.post(p.path, session=reader, data={"csrfmiddlewaretoken": token}).status_code == 404
    assert server.get(p.path, session=requests.Session()).status_code == 404
    assert server.post(p.raw).status_code == 404


def test_confirmation_post_without_csrf_is_403_and_does_not_burn(server):
    reader, marker = requests.Session(), unique()
    p = create_paste(server, title="t", body=f"keep {marker}", expiry_preset="burn")
    server.get(p.path, session=reader)
    r = server.post(p.path, session=reader, data={})
    assert r.status_code == 403
    assert f"keep {marker}" not in r.text
    assert server.post(p.raw).content == f"keep {marker}".encode()


def test_creator_sees_burn_paste_without_burning_it(server):
    creator, marker = requests.Session(), unique()
    body = f"mine {marker}"
    p = create_paste(server, creator, title="mine", body=body, expiry_preset="burn")
    for _ in range(2):
        r = server.get(p.path, session=creator)
        assert r.status_code == 200 and body in text_of(r.text)
    assert server.get(p.path).status_code == 200, "creator's view burned it"
    assert server.post(p.raw).content == body.encode()


def test_burn_paste_is_never_listed(server):
    creator, marker = requests.Session(), unique()
    p = create_paste(server, creator, title=f"burn {marker}", body=f"b {marker}", expiry_preset="burn")
    for jar in (creator, requests.Session(), None):
        assert listed_ids(server, marker, session=jar) == []
        assert p.id not in paste_ids(server.get("/", session=jar).text)
        assert p.id not in paste_ids(server.get("/all/?sort=-id", session=jar).text)


def test_raw_post_with_expiry_burn(server):
    marker = unique()
    p = raw_paste(server, f"curl burn {marker}", expiry="burn")
    assert p.id is not None
    assert "POST" in server.get(p.raw).text
    assert server.get(p.raw).content != f"curl burn {marker}".encode()
    assert listed_ids(server, marker) == []
    r = server.post(p.raw)
    assert r.status_code == 200 and r.content == f"curl burn {marker}".encode()
    assert server.post(p.raw).status_code == 404


def test_private_burn_paste_burns_through_its_secret_link(server):
    marker = unique()
    p = raw_paste(server, f"private burn {marker}", expiry="burn", private="1")
    assert p.path.startswith("/s/")
    assert server.get(p.raw).content != f"private burn {marker}".encode()
    assert server.get(p.path).status_code == 200
    r = server.post(p.raw)
    assert r.status_code == 200 and r.content == f"private burn {marker}".encode()
    assert server.get(p.path).status_code == 404
    assert server.post(p.raw).status_code == 404


def test_concurrent_burn_posts_answer_the_body_only_once(server):
    from concurrent.futures import ThreadPoolExecutor

    p = raw_paste(server, "race", expiry="burn")
    with ThreadPoolExecutor(8) as ex:
        codes = list(ex.map(lambda _: server.post(p.raw).status_code, range(8)))
    assert sorted(codes) == [200] + [404] * 7, codes


def test_new_paste_from_burn_paste_does_not_reveal_it(server):
    marker = unique()
    p = create_paste(server, title="b", body=f"burn secret {marker}", expiry_preset="burn")
    r = server.get(f"/paste/?from={p.id}", session=requests.Session())
    assert f"burn secret {marker}" not in r.text
    assert server.post(p.raw).content == f"burn secret {marker}".encode()
