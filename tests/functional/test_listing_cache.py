"""The listings anonymous visitors see (home, /all/, the API list) are built once and
served from memory (src/web/response_cache.*). What must not change: each visitor's forms
carry their own CSRF token, a write is visible on the very next request, logged-in
visitors get their own listing, and another process's writes show within a second or so.
"""
import time

import requests

from conftest import (Server, create_paste, csrf_from, csrf_token, find_tags, form_data,
                      listed_ids, paste_ids, raw_paste, unique)


def visitor_page(server, path="/"):
    jar = requests.Session()
    r = server.get(path, session=jar)
    assert r.status_code == 200, r.status_code
    return jar, r


def test_cached_pages_carry_no_other_visitors_csrf_token(server):
    raw_paste(server, f"warm {unique()}")
    for path in ("/", "/all/", f"/all/?q={unique()}"):
        for _ in range(2):
            jar, r = visitor_page(server, path)
            tokens = [a.get("value") for a in find_tags(r.text, "input")
                      if a.get("name") == "csrfmiddlewaretoken"]
            assert set(tokens) <= {jar.cookies.get("csrftoken")}, (path, tokens)


def test_a_page_with_a_form_still_gives_each_visitor_their_own_token(server):
    tokens = set()
    for _ in range(3):
        jar = requests.Session()
        server.get("/", session=jar)  # the cached home page first
        r = server.get("/paste/", session=jar)
        token = csrf_from(r.text)
        assert token == jar.cookies.get("csrftoken"), "the form's token is not the cookie's"
        tokens.add(token)
        marker = unique()
        posted = server.post("/paste/", session=jar,
                             data=form_data(title=marker, body="b", csrfmiddlewaretoken=token))
        assert posted.status_code == 302, posted.text[:500]
    assert len(tokens) == 3, "two visitors were given the same CSRF token"


def test_pages_without_a_form_set_no_csrf_cookie(server):
    paste = raw_paste(server, f"plain {unique()}")
    for path in ("/", "/all/", paste.path):
        r = server.get(path)
        assert r.status_code == 200
        assert "csrftoken" not in r.headers.get("Set-Cookie", ""), path
    assert "csrftoken" in server.get("/paste/").headers.get("Set-Cookie", "")


def test_a_new_paste_shows_on_the_next_request(server):
    for path in ("/", "/all/", "/api/paste/?limit=25"):
        server.get(path)  # built and kept
    paste = raw_paste(server, f"fresh {unique()}")
    assert paste.id in paste_ids(server.get("/").text)
    assert paste.id in paste_ids(server.get("/all/").text)
    listed = [item["id"] for item in server.get("/api/paste/?limit=25").json()["results"]]
    assert paste.id in listed


def test_a_paste_made_private_or_deleted_leaves_the_listings_at_once(server):
    owner, marker = requests.Session(), unique()
    paste = create_paste(server, owner, title=f"soon private {marker}", body="b")
    assert listed_ids(server, marker) == [paste.id]
    token = csrf_token(server, owner, f"{paste.path}edit/")
    r = server.post(f"{paste.path}edit/", session=owner,
                    data=form_data(title=f"soon private {marker}", body="b", private=True,
                                   csrfmiddlewaretoken=token))
    assert r.status_code == 302, r.text[:500]
    assert listed_ids(server, marker) == [], "a private paste stayed in a cached listing"

    other = create_paste(server, owner, title=f"soon gone {marker}", body="b")
    assert listed_ids(server, marker) == [other.id]
    token = csrf_from(server.get(f"{other.path}delete/", session=owner).text)
    r = server.post(f"{other.path}delete/", session=owner, data={"csrfmiddlewaretoken": token})
    assert r.status_code == 302, r.text[:500]
    assert listed_ids(server, marker) == [], "a deleted paste stayed in a cached listing"


def test_the_owner_sees_their_private_paste_though_others_get_the_cached_listing(server):
    owner, marker = requests.Session(), unique()
    paste = create_paste(server, owner, title=f"mine {marker}", body="b", private=True)
    assert paste.path not in server.get(f"/all/?q={marker}").text  # anonymous, now cached
    assert paste.path in server.get(f"/all/?q={marker}", session=owner).text
    assert paste.path not in server.get(f"/all/?q={marker}").text


def test_head_answers_like_get(server):
    server.get("/")
    r = requests.head(server.url("/"), timeout=10)
    assert r.status_code == 200 and r.text == ""
    assert r.headers["Content-Type"].startswith("text/html")


def test_a_write_by_another_process_shows_within_seconds(server, tmp_path):
    other = Server(tmp_path / "other", database_url=server.database_url)
    try:
        other.wait_ready()
        marker = unique()
        assert listed_ids(server, marker) == []  # kept by the first server
        paste = raw_paste(other, f"written elsewhere {marker}")
        deadline = time.monotonic() + 10
        while listed_ids(server, marker) != [paste.id]:
            assert time.monotonic() < deadline, "another process's paste never showed"
            time.sleep(0.1)
    finally:
        assert other.stop() == 0, other.describe()
