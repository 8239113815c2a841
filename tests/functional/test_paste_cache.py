"""Public pastes (page and raw text) served to visitors without a session from the
response cache (cached_paste_answer): built once, then every view still counts, any write
shows on the next request, conditional requests still get their 304, and nothing meant
for one visitor (the owner's links, a private paste, a burn paste) reaches another.
"""
import time

import requests

from conftest import (Server, create_paste, csrf_from, csrf_token, form_data, raw_paste,
                      unique)
from test_pages import _poll_hits

PLAIN = {"Accept-Encoding": "identity"}  # answered on the network threads when kept


def test_every_view_of_a_kept_paste_counts(server):
    p = raw_paste(server, f"counted {unique()}")
    for _ in range(6):
        assert server.get(p.raw, headers=PLAIN).status_code == 200
    for _ in range(4):
        assert server.get(p.path, headers=PLAIN).status_code == 200
    _poll_hits(server, p.path, 10, 0)


def test_an_edit_or_a_delete_shows_on_the_next_request(server):
    owner = requests.Session()
    before, after = f"before {unique()}", f"after {unique()}"
    p = create_paste(server, owner, title="cached then edited", body=before)
    for _ in range(2):  # the second is served from the cache
        assert server.get(p.raw, headers=PLAIN).text == before
        assert before in server.get(p.path, headers=PLAIN).text
    token = csrf_token(server, owner, f"{p.path}edit/")
    r = server.post(f"{p.path}edit/", session=owner,
                    data=form_data(title="cached then edited", body=after,
                                   csrfmiddlewaretoken=token))
    assert r.status_code == 302, r.text[:500]
    assert server.get(p.raw, headers=PLAIN).text == after
    page = server.get(p.path, headers=PLAIN).text
    assert after in page and before not in page

    token = csrf_from(server.get(f"{p.path}delete/", session=owner).text)
    r = server.post(f"{p.path}delete/", session=owner, data={"csrfmiddlewaretoken": token})
    assert r.status_code == 302, r.text[:500]
    assert server.get(p.raw, headers=PLAIN).status_code == 404
    assert server.get(p.path, headers=PLAIN).status_code == 404


def test_a_kept_raw_text_still_answers_304_to_its_etag(server):
    p = raw_paste(server, f"validated {unique()}")
    first = server.get(p.raw, headers=PLAIN)
    tag = first.headers["ETag"]
    for _ in range(2):
        r = server.get(p.raw, headers={**PLAIN, "If-None-Match": tag})
        assert r.status_code == 304 and r.content == b""
    other = server.get(p.raw, headers={**PLAIN, "If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.text == first.text


def test_the_owner_never_gets_the_anonymous_copy_and_others_never_the_owners(server):
    owner = requests.Session()
    p = create_paste(server, owner, title="owned and cached", body="x")
    edit_link = f"{p.path}edit/"
    assert edit_link not in server.get(p.path, headers=PLAIN).text  # now kept
    assert edit_link in server.get(p.path, session=owner).text
    assert edit_link not in server.get(p.path, headers=PLAIN).text


def test_private_and_burn_pastes_are_served_as_before(server):
    body = f"private {unique()}"
    secret = raw_paste(server, body, private="1")
    assert secret.path.startswith("/s/")
    for _ in range(2):
        assert server.get(secret.raw, headers=PLAIN).text == body
        assert body in server.get(secret.path, headers=PLAIN).text

    burn_body = f"read once {unique()}"
    burn = raw_paste(server, burn_body, expiry="burn")
    for _ in range(2):  # a confirmation page, never the body
        page = server.get(burn.path, headers=PLAIN)
        assert page.status_code == 200 and burn_body not in page.text
        assert burn_body not in server.get(burn.raw, headers=PLAIN).text
    assert requests.post(server.url(burn.raw), timeout=10).text == burn_body
    assert server.get(burn.raw, headers=PLAIN).status_code == 404
    assert server.get(burn.path, headers=PLAIN).status_code == 404


def test_an_edit_through_another_process_shows_within_seconds(server, tmp_path):
    other = Server(tmp_path / "other", database_url=server.database_url)
    try:
        other.wait_ready()
        owner = requests.Session()
        p = create_paste(other, owner, title="edited elsewhere", body="first")
        assert server.get(p.raw, headers=PLAIN).text == "first"  # kept by the first server
        token = csrf_token(other, owner, f"{p.path}edit/")
        r = other.post(f"{p.path}edit/", session=owner,
                       data=form_data(title="edited elsewhere", body="second",
                                      csrfmiddlewaretoken=token))
        assert r.status_code == 302, r.text[:500]
        deadline = time.monotonic() + 10
        while server.get(p.raw, headers=PLAIN).text != "second":
            assert time.monotonic() < deadline, "another process's edit never showed"
            time.sleep(0.1)
    finally:
        assert other.stop() == 0, other.describe()
