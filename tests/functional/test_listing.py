"""/all/ and / listings: search, sort, pagination, what is and is not listed."""

import time

import pytest

from conftest import (
    create_paste,
    listed_ids,
    location,
    paste_ids,
    query_of,
    raw_paste,
    unique,
)


@pytest.fixture(scope="module")
def thirty_one(server):
    """31 public pastes sharing one marker, oldest first."""
    marker = unique("page")
    ids = [raw_paste(server, f"{marker} number {i}", title=f"{marker} {i:02d}").id for i in range(31)]
    return marker, ids


def test_all_lists_30_per_page_newest_first(server, thirty_one):
    marker, ids = thirty_one
    first = listed_ids(server, marker)
    assert first == list(reversed(ids))[:30]
    second = listed_ids(server, marker, extra="&page=2")
    assert second == [ids[0]]


def test_all_page_has_a_link_to_the_next_page(server, thirty_one):
    marker, _ = thirty_one
    page = server.get(f"/all/?q={marker}").text
    assert "page=2" in page


def test_all_sort_by_id_ascending_and_descending(server, thirty_one):
    marker, ids = thirty_one
    assert listed_ids(server, marker, extra="&sort=id") == ids[:30]
    assert listed_ids(server, marker, extra="&sort=-id") == list(reversed(ids))[:30]


def test_all_sort_by_title(server):
    marker = unique("sort")
    titles = ["banana", "Apple", "cherry"]
    made = {t: raw_paste(server, marker, title=f"{marker} {t}").id for t in titles}
    asc = listed_ids(server, marker, extra="&sort=title")
    desc = listed_ids(server, marker, extra="&sort=-title")
    assert asc == list(reversed(desc))
    assert asc[1] == made["banana"]


def test_all_sort_by_size(server):
    marker = unique("size")
    small = raw_paste(server, marker, title=marker).id
    big = raw_paste(server, marker + "x" * 500, title=marker).id
    mid = raw_paste(server, marker + "x" * 50, title=marker).id
    assert listed_ids(server, marker, extra="&sort=size") == [small, mid, big]
    assert listed_ids(server, marker, extra="&sort=-size") == [big, mid, small]


@pytest.mark.parametrize("key", ["id", "title", "timestamp", "expiry", "hits", "size", "language", "author"])
def test_every_sort_key_is_accepted(server, key):
    for k in (key, "-" + key):
        r = server.get(f"/all/?sort={k}")
        assert r.status_code == 200, k


@pytest.mark.parametrize("bad", ["bogus", "-bogus", "body", "id;drop", "--id", "password"])
def test_invalid_sort_redirects_without_sort_keeping_other_params(server, bad):
    r = server.get("/all/", params={"q": "hello world", "sort": bad, "page": "1"})
    assert r.status_code == 302
    loc = location(r)
    assert loc.startswith("/all/")
    q = query_of(loc)
    assert "sort" not in q
    assert q.get("q") == ["hello world"] and q.get("page") == ["1"]


def test_search_matches_title_case_insensitively(server):
    marker = unique("Needle")
    p = raw_paste(server, "nothing", title=f"xx{marker}yy")
    assert listed_ids(server, marker.upper()) == [p.id]
    assert listed_ids(server, marker.lower()) == [p.id]


def test_search_matches_body_case_insensitively(server):
    marker = unique("Body")
    p = raw_paste(server, f"some text\nwith {marker} inside")
    assert listed_ids(server, marker.upper()) == [p.id]


def test_search_treats_like_wildcards_literally(server):
    marker = unique("w")
    raw_paste(server, f"{marker}abc")
    assert listed_ids(server, f"{marker}%25") == []  # q = marker%
    assert listed_ids(server, f"{marker}_bc") == []


def test_search_for_nothing_lists_nothing(server):
    assert listed_ids(server, unique("none")) == []


def test_page_beyond_the_end_does_not_crash(server):
    r = server.get(f"/all/?q={unique()}&page=999")
    assert r.status_code in (200, 404)
    for bad in ("abc", "-1", "0"):
        assert server.get(f"/all/?page={bad}").status_code in (200, 302, 404)


def test_all_shows_anonymous_author(server):
    marker = unique()
    create_paste(server, title=marker, body="x")
    assert "Anonymous" in server.get(f"/all/?q={marker}").text


def test_home_lists_20_newest_and_5_most_hit_public_pastes(make_server):
    srv = make_server()
    ids = [raw_paste(srv, f"home {i}", title=f"home {i}").id for i in range(26)]
    # the five oldest get hits, so they are the five most-hit
    for n, pid in enumerate(ids[:5]):
        for _ in range(n + 1):
            assert srv.get(f"/{pid}/raw/").status_code == 200
    private_marker = unique()
    raw_paste(srv, private_marker, private="1")
    deadline = time.monotonic() + 4
    while True:
        shown = set(paste_ids(srv.get("/").text))
        want = set(ids[:5]) | set(ids[6:])
        if want <= shown or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert want <= shown, f"missing from home: {sorted(want - shown)}"
    assert ids[5] not in shown, "the 21st newest paste, with no hits, is on the home page"
    assert private_marker not in srv.get("/").text


def test_search_form_submission_lists_matches(server):
    """The search form also sends an empty sort field; that must still end on the results."""
    marker = unique()
    p = raw_paste(server, marker)
    r = server.get("/all/", params={"q": marker, "sort": ""}, allow_redirects=True)
    assert r.status_code == 200
    assert len(r.history) <= 1
    assert paste_ids(r.text) == [p.id]
