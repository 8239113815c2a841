"""Anonymous ownership (SPEC §5): the cookie jar that pasted may edit and delete."""

import re

import requests

from conftest import (
    all_errors,
    create_paste,
    csrf_from,
    csrf_token,
    find_tags,
    form_data,
    language_id,
    listed_ids,
    location,
    text_of,
    unique,
)


def links(page):
    return {a.get("href") for a in find_tags(page, "a")}


def test_creating_a_paste_sets_a_session_cookie(server):
    jar = requests.Session()
    create_paste(server, jar, title="c", body="c")
    assert jar.cookies.get("sessionid"), "no sessionid cookie after pasting through the form"


def test_owner_sees_edit_and_delete_links_and_others_do_not(server):
    owner, other = requests.Session(), requests.Session()
    p = create_paste(server, owner, title="links", body="x")
    mine = links(server.get(p.path, session=owner).text)
    assert {"edit/", p.path + "edit/"} & mine and {"delete/", p.path + "delete/"} & mine
    theirs = links(server.get(p.path, session=other).text)
    assert not ({"edit/", p.path + "edit/"} & theirs), theirs
    assert not ({"delete/", p.path + "delete/"} & theirs), theirs


def test_anonymous_owner_can_edit_own_paste(server):
    owner, marker = requests.Session(), unique()
    p = create_paste(server, owner, title="before", body="old body")
    r = server.get(p.path + "edit/", session=owner)
    assert r.status_code == 200
    titles = [a for a in find_tags(r.text, "input") if a.get("name") == "title"]
    assert titles and titles[0].get("value") == "before", "edit form is not prefilled"
    assert re.search(r"<textarea\b[^>]*name=[\"']body[\"'][^>]*>\s*old body", r.text)
    token = csrf_from(r.text)
    data = form_data(title=f"after {marker}", body="new\r\nbody", language=language_id(server, "python"),
                     csrfmiddlewaretoken=token)
    r = server.post(p.path + "edit/", session=owner, data=data)
    assert r.status_code == 302, all_errors(r.text)
    assert location(r) == p.path
    assert server.get(p.raw).content == b"new\nbody"
    page = text_of(server.get(p.path).text)
    assert f"after {marker}" in page and "Python" in page
    assert listed_ids(server, marker) == [p.id]


def test_edit_with_invalid_input_shows_errors_and_changes_nothing(server):
    owner = requests.Session()
    p = create_paste(server, owner, title="stays", body="stays")
    token = csrf_token(server, owner, p.path + "edit/")
    r = server.post(p.path + "edit/", session=owner,
                    data=form_data(title="", body="changed?", csrfmiddlewaretoken=token))
    assert r.status_code == 200
    assert "title" in all_errors(r.text)
    assert server.get(p.raw).content == b"stays"


def test_edit_without_csrf_token_is_403_and_changes_nothing(server):
    owner = requests.Session()
    p = create_paste(server, owner, title="stays", body="stays")
    csrf_token(server, owner, p.path + "edit/")
    r = server.post(p.path + "edit/", session=owner, data=form_data(title="x", body="changed"))
    assert r.status_code == 403
    assert server.get(p.raw).content == b"stays"


def test_anonymous_owner_can_delete_own_paste(server):
    owner, marker = requests.Session(), unique()
    p = create_paste(server, owner, title=marker, body="bye")
    r = server.get(p.path + "delete/", session=owner)
    assert r.status_code == 200
    assert re.search(r"""<form\b[^>]*method=["']?post""", r.text, re.I), "no confirmation form"
    assert server.get(p.raw).status_code == 200, "GET of delete/ must not delete"
    r = server.post(p.path + "delete/", session=owner, data={"csrfmiddlewaretoken": csrf_from(r.text)})
    assert r.status_code == 302
    assert location(r) == "/"
    for jar in (owner, requests.Session()):
        assert server.get(p.path, session=jar).status_code == 404
        assert server.get(p.raw, session=jar).status_code == 404
    assert listed_ids(server, marker) == []


def test_delete_without_csrf_token_is_403_and_keeps_the_paste(server):
    owner = requests.Session()
    p = create_paste(server, owner, title="keep", body="keep")
    csrf_token(server, owner)
    r = server.post(p.path + "delete/", session=owner, data={})
    assert r.status_code == 403
    assert server.get(p.raw).status_code == 200


def test_other_session_gets_403_on_edit_and_delete(server):
    owner, other = requests.Session(), requests.Session()
    p = create_paste(server, owner, title="owned", body="owned")
    token = csrf_token(server, other)  # a valid token of the other browser
    assert server.get(p.path + "edit/", session=other).status_code == 403
    assert server.get(p.path + "delete/", session=other).status_code == 403
    r = server.post(p.path + "edit/", session=other,
                    data=form_data(title="hijacked", body="hijacked", csrfmiddlewaretoken=token))
    assert r.status_code == 403
    r = server.post(p.path + "delete/", session=other, data={"csrfmiddlewaretoken": token})
    assert r.status_code == 403
    assert server.get(p.raw).content == b"owned"
    assert "hijacked" not in server.get(p.path).text


def test_visitor_without_cookies_gets_403_on_edit_and_delete(server):
    p = create_paste(server, requests.Session(), title="owned", body="owned")
    assert server.get(p.path + "edit/").status_code == 403
    assert server.get(p.path + "delete/").status_code == 403
    assert server.post(p.path + "delete/").status_code == 403
    assert server.get(p.raw).status_code == 200


def test_same_jar_owns_several_pastes(server):
    owner, other = requests.Session(), requests.Session()
    a = create_paste(server, owner, title="a", body="a")
    create_paste(server, other, title="x", body="x")
    b = create_paste(server, owner, title="b", body="b")
    for p in (a, b):
        assert server.get(p.path + "edit/", session=owner).status_code == 200
        assert server.get(p.path + "edit/", session=other).status_code == 403


def test_edit_and_delete_of_unknown_paste_are_404(server):
    jar = requests.Session()
    assert server.get("/999999999/edit/", session=jar).status_code == 404
    assert server.get("/999999999/delete/", session=jar).status_code == 404
