"""Private pastes (SPEC §3): only the secret /s/<slug>/ link for others."""

import re

import requests

from conftest import (
    find_tags,
    language_id,
    listed_ids,
    location,
    paste_ids,
    post_form,
    raw_paste,
    text_of,
    unique,
)


def make_private(server, owner, marker, **fields):
    """Creates a private paste from `owner`'s jar; returns (secret path, id).

    The id is learnt from the public pastes made just before and after it (the suite
    runs sequentially, and ids increase)."""
    fields.setdefault("title", f"private {marker}")
    fields.setdefault("body", f"secret body {marker}")
    before = raw_paste(server, "before")
    r = post_form(server, owner, private=True, **fields)
    after = raw_paste(server, "after")
    assert r.status_code == 302
    secret = location(r)
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]+/", secret), secret
    assert after.id == before.id + 2, "ids are not consecutive: cannot tell the private paste's id"
    # the owner's listing shows the paste (by id or by its secret link)
    page = server.get(f"/all/?q={marker}", session=owner).text
    assert secret in page or f'href="/{before.id + 1}/"' in page, \
        "owner does not see its private paste in /all/"
    return secret, before.id + 1


def test_secret_link_is_long_and_random(server):
    owner = requests.Session()
    slugs = set()
    for _ in range(3):
        r = post_form(server, owner, title="p", body="p", private=True)
        slug = location(r).split("/")[2]
        # at least 64 bits: 11+ base64url characters or 16+ hex digits
        assert len(slug) >= 16 or (len(slug) >= 11 and not re.fullmatch(r"[0-9a-f]+", slug)), slug
        assert not slug.isdigit()
        slugs.add(slug)
    assert len(slugs) == 3


def test_private_paste_by_id_is_404_to_others(server):
    owner, other, marker = requests.Session(), requests.Session(), unique()
    secret, pid = make_private(server, owner, marker, language=language_id(server, "markdown"))
    for sub in ("", "raw/", "render/", "edit/", "delete/"):
        for jar in (other, None):
            r = server.get(f"/{pid}/{sub}", session=jar)
            assert r.status_code == 404, f"/{pid}/{sub}: {r.status_code}"
    assert server.post(f"/{pid}/delete/", session=other).status_code in (403, 404)
    assert server.get(secret + "raw/").status_code == 200, "paste was changed"


def test_private_paste_by_secret_link_is_200_to_others(server):
    owner, other, marker = requests.Session(), requests.Session(), unique()
    secret, pid = make_private(server, owner, marker, language=language_id(server, "markdown"),
                               body=f"# Heading {marker}\n")
    r = server.get(secret, session=other)
    assert r.status_code == 200
    assert f"private {marker}" in text_of(r.text)
    r = server.get(secret + "raw/", session=other)
    assert r.status_code == 200 and r.content == f"# Heading {marker}\n".encode()
    assert r.headers["Content-Type"].startswith("text/plain")
    r = server.get(secret + "render/", session=other)
    assert r.status_code == 200 and re.search(rf"<h1[^>]*>\s*Heading {marker}\s*</h1>", r.text)


def test_secret_page_does_not_reveal_the_id_link_to_others(server):
    owner, other, marker = requests.Session(), requests.Session(), unique()
    secret, pid = make_private(server, owner, marker)
    assert pid not in paste_ids(server.get(secret, session=other).text)


def test_owner_sees_private_paste_by_id_and_its_secret_link(server):
    owner, marker = requests.Session(), unique()
    secret, pid = make_private(server, owner, marker)
    r = server.get(f"/{pid}/", session=owner)
    assert r.status_code == 200
    assert secret in r.text, "owner's page does not show the secret link"
    assert server.get(f"/{pid}/raw/", session=owner).content == f"secret body {marker}".encode()
    assert server.get(f"/{pid}/edit/", session=owner).status_code == 200


def test_private_paste_is_never_listed_to_others(server):
    owner, other, marker = requests.Session(), requests.Session(), unique()
    secret, pid = make_private(server, owner, marker)
    assert listed_ids(server, marker, session=other) == []
    assert listed_ids(server, marker) == []
    assert secret not in server.get(f"/all/?q={marker}", session=other).text
    for path in ("/", "/all/", "/all/?sort=-id", "/all/?sort=-timestamp"):
        page = server.get(path, session=other).text
        assert pid not in paste_ids(page), path
        assert marker not in page, path


def test_unknown_secret_slug_is_404(server):
    for slug in ("AAAAAAAAAAAAAAAAAAAA", "x", "1"):
        assert server.get(f"/s/{slug}/").status_code == 404
        assert server.get(f"/s/{slug}/raw/").status_code == 404


def test_secret_link_of_public_paste_does_not_exist(server):
    p = raw_paste(server, "public")
    assert server.get(f"/s/{p.id}/").status_code == 404


def test_raw_private_paste_id_is_not_reachable(server):
    """A raw POST with private=1 answers only its secret link; ids around it stay 404."""
    before = raw_paste(server, "before")
    marker = unique()
    secret = raw_paste(server, f"raw secret {marker}", private="1")
    after = raw_paste(server, "after")
    assert after.id > before.id
    assert server.get(secret.raw).content == f"raw secret {marker}".encode()
    for i in range(before.id + 1, after.id):
        assert server.get(f"/{i}/").status_code == 404, i
        assert server.get(f"/{i}/raw/").status_code == 404, i


def test_owner_can_make_a_paste_public_by_editing(server):
    owner, marker = requests.Session(), unique()
    secret, pid = make_private(server, owner, marker)
    from conftest import csrf_token, form_data

    token = csrf_token(server, owner, f"/{pid}/edit/")
    r = server.post(f"/{pid}/edit/", session=owner,
                    data=form_data(title=f"now public {marker}", body="b", csrfmiddlewaretoken=token))
    assert r.status_code == 302
    assert server.get(f"/{pid}/").status_code == 200
    assert listed_ids(server, marker) == [pid]


def test_new_paste_from_private_paste_does_not_leak_it(server):
    owner, other, marker = requests.Session(), requests.Session(), unique()
    secret, pid = make_private(server, owner, marker)
    r = server.get(f"/paste/?from={pid}", session=other)
    assert f"secret body {marker}" not in r.text
    assert f"private {marker}" not in r.text


def test_others_get_no_edit_links_on_the_secret_page(server):
    owner, other, marker = requests.Session(), requests.Session(), unique()
    secret, pid = make_private(server, owner, marker)
    page = server.get(secret, session=other).text
    hrefs = {a.get("href") for a in find_tags(page, "a")}
    assert not {f"/{pid}/edit/", f"/{pid}/delete/", "edit/", "delete/"} & hrefs, hrefs
