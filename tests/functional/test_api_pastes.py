"""REST API pastes (SPEC §7, §8): /api/paste/ and /api/paste/<id>/ — the object's fields
and types, validation errors, permissions (owner, other user, anonymous, staff),
private and burn pastes, listing visibility, search, language filter and sorting."""

import re
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import api, api_create, api_list, api_user, db_rows, unique

FORBIDDEN = {"detail": "You do not have permission to perform this action."}
NOT_FOUND = {"detail": "Not found."}
TS_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
FIELD_TYPES = {
    "id": (int,), "title": (str,), "body": (str,), "timestamp": (str,),
    "expiry": (str, type(None)), "freeze_hits": (bool,), "hits": (int,), "size": (int,),
    "author": (int, type(None)), "language": (int, type(None)), "private": (bool,),
    "burn": (bool,), "url": (str,),
}


def when(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_shape(p: dict):
    assert set(p) == set(FIELD_TYPES), sorted(p)
    for field, types in FIELD_TYPES.items():
        # bool is a subclass of int: compare exact types
        assert type(p[field]) in types, f"{field} = {p[field]!r} is not {types}"
    assert TS_RE.fullmatch(p["timestamp"]), p["timestamp"]
    if p["expiry"] is not None:
        assert when(p["expiry"]).tzinfo is not None, p["expiry"]


def get(srv, pid, token=None):
    return api(srv, "GET", f"/api/paste/{pid}/", token=token)


@pytest.fixture(scope="module")
def srv(module_server):
    return module_server


@pytest.fixture(scope="module")
def alice(srv):
    return api_user(srv, "aa")  # ids and names in the same order: aa < bb


@pytest.fixture(scope="module")
def bob(srv, alice):
    return api_user(srv, "bb")


@pytest.fixture(scope="module")
def staff(srv):
    return api_user(srv, "staff", staff=True)


@pytest.fixture(scope="module")
def langs(srv):
    r = api(srv, "GET", "/api/language/?limit=1000")
    assert r.status_code == 200
    found = {row["name"].lower(): row["id"] for row in r.json()["results"]}
    assert {"python", "c", "rust"} <= set(found)
    return found


# ------------------------------------------------------------------ create


def test_create_anonymous_answers_201_with_every_field(srv):
    before = datetime.now(timezone.utc)
    r = api(srv, "POST", "/api/paste/", json={"title": "hello", "body": "world"})
    assert r.status_code == 201, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    p = r.json()
    check_shape(p)
    assert p["title"] == "hello" and p["body"] == "world"
    assert p["author"] is None and p["language"] is None and p["expiry"] is None
    assert p["private"] is False and p["burn"] is False and p["freeze_hits"] is False
    assert p["hits"] == 0
    assert p["size"] == len("helloworld")
    assert p["url"] == f"{srv.base}/{p['id']}/"
    assert abs((when(p["timestamp"]) - before).total_seconds()) < 5
    assert r.headers.get("Location", "").endswith(f"/api/paste/{p['id']}/")
    assert get(srv, p["id"]).json() == p


def test_created_paste_is_served_on_the_web(srv):
    p = api_create(srv, title="web", body="on the web\n")
    r = requests.get(p["url"], timeout=10)
    assert r.status_code == 200
    assert requests.get(p["url"] + "raw/", timeout=10).text == "on the web\n"


def test_body_is_stored_exactly_except_crlf(srv):
    body = "\n\n  leading blank lines\ttab  \r\nwindows line\r\nunicode: é漢字🙂\n\n  trailing  \n\n"
    p = api_create(srv, title="exact", body=body)
    want = body.replace("\r\n", "\n")
    assert p["body"] == want
    assert get(srv, p["id"]).json()["body"] == want
    assert p["size"] == len(("exact" + want).encode("utf-8"))


def test_title_is_trimmed(srv):
    p = api_create(srv, title="   spaced title \t ", body="x")
    assert p["title"] == "spaced title"


def test_title_of_100_characters_is_accepted(srv):
    p = api_create(srv, title="t" * 100, body="x")
    assert p["title"] == "t" * 100


def test_read_only_fields_are_ignored_on_input(srv, alice, bob):
    r = api(srv, "POST", "/api/paste/", token=alice.token, json={
        "title": "ro", "body": "ro body", "id": 999999, "timestamp": "2001-01-01T00:00:00Z",
        "freeze_hits": True, "hits": 1234, "size": 1, "author": bob.id,
        "url": "http://evil.example/",
    })
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["id"] != 999999
    assert when(p["timestamp"]).year >= 2024
    assert p["freeze_hits"] is False and p["hits"] == 0
    assert p["size"] == len("roro body")
    assert p["author"] == alice.id
    assert p["url"] == f"{srv.base}/{p['id']}/"
    assert get(srv, 999999).status_code == 404


def test_future_expiry_is_kept(srv):
    future = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=3)
    p = api_create(srv, title="exp", body="x", expiry=iso(future))
    assert when(p["expiry"]) == future
    # another time zone means the same instant
    p2 = api_create(srv, title="exp", body="x",
                    expiry=future.astimezone(timezone(timedelta(hours=2))).isoformat())
    assert when(p2["expiry"]) == future


def test_language_is_guessed_from_the_title(srv, langs):
    assert api_create(srv, title="script.py", body="x = 1\n")["language"] == langs["python"]
    assert api_create(srv, title="main.rs", body="fn main() {}\n")["language"] == langs["rust"]


def test_a_created_paste_is_stored_highlighted_in_the_language_guessed(srv):
    # The answer is made after the commit; the paste itself was built before it.
    p = api_create(srv, title="guessed.py", body="def f(x):\n    return x  # comment\n")
    page = requests.get(p["url"], timeout=10).text
    assert re.search(r"""<span\b[^>]*class=["'][^"']+["'][^>]*>def</span>""", page), \
        "no highlighting markup around the keyword"


def test_language_null_is_not_guessed(srv):
    assert api_create(srv, title="script.py", body="x = 1\n", language=None)["language"] is None


def test_language_given_is_kept(srv, langs):
    p = api_create(srv, title="script.py", body="x", language=langs["c"])
    assert p["language"] == langs["c"]


def test_create_private_gives_the_secret_url(srv):
    p = api_create(srv, title="priv", body="secret stuff", private=True)
    assert p["private"] is True
    assert re.fullmatch(re.escape(srv.base) + r"/s/[A-Za-z0-9_-]{11,}/", p["url"]), p["url"]
    r = requests.get(p["url"] + "raw/", timeout=10)
    assert r.status_code == 200 and r.text == "secret stuff"


def test_create_with_a_form_body(srv):
    r = api(srv, "POST", "/api/paste/", data={"title": "form", "body": "form body"})
    assert r.status_code == 201, r.text
    assert r.json()["body"] == "form body"


# ------------------------------------------------------------------ create: errors


def past():
    return iso(datetime.now(timezone.utc) - timedelta(hours=1))


@pytest.mark.parametrize("payload,field,message", [
    ({"body": "b"}, "title", "This field is required."),
    ({"title": "t"}, "body", "This field is required."),
    ({"title": "t" * 101, "body": "b"}, "title", None),
    ({"title": "t", "body": ""}, "body", None),
    ({"title": 5, "body": "b"}, "title", "Not a valid string."),
    ({"title": "t", "body": ["b"]}, "body", "Not a valid string."),
    ({"title": "t", "body": "b", "private": "maybe"}, "private", "Must be a valid boolean."),
    ({"title": "t", "body": "b", "burn": "maybe"}, "burn", "Must be a valid boolean."),
    ({"title": "t", "body": "b", "language": "x"}, "language", "Incorrect type."),
    ({"title": "t", "body": "b", "language": 999}, "language",
     'Invalid pk "999" - object does not exist.'),
    ({"title": "t", "body": "b", "expiry": "past"}, "expiry", None),
    ({"title": "t", "body": "b", "expiry": "garbage"}, "expiry", None),
    ({"title": "t", "body": "b", "expiry": "2030-13-45T99:00:00Z"}, "expiry", None),
], ids=["no-title", "no-body", "long-title", "empty-body", "int-title", "list-body",
        "bad-private", "bad-burn", "str-language", "unknown-language", "past-expiry",
        "garbage-expiry", "impossible-expiry"])
def test_invalid_field_is_400_naming_it(srv, payload, field, message):
    if payload.get("expiry") == "past":
        payload = dict(payload, expiry=past())
    count = api_list(srv)["count"]
    r = api(srv, "POST", "/api/paste/", json=payload)
    assert r.status_code == 400, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    errors = r.json()
    assert list(errors) == [field], errors
    assert isinstance(errors[field], list) and errors[field]
    assert all(isinstance(m, str) and m for m in errors[field])
    if message:
        assert errors[field][0].startswith(message), errors[field]
    assert api_list(srv)["count"] == count, "an invalid paste was saved"


def test_every_invalid_field_is_reported_at_once(srv):
    r = api(srv, "POST", "/api/paste/", json={"title": 5, "private": "maybe", "language": 999})
    assert r.status_code == 400
    assert set(r.json()) == {"title", "body", "private", "language"}


def test_malformed_json_is_400_parse_error(srv):
    r = api(srv, "POST", "/api/paste/", data=b'{"title": "t", "body": ',
            headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("application/json")
    assert list(r.json()) == ["detail"]
    assert r.json()["detail"].startswith("JSON parse error - ")


def test_json_array_is_400_non_field_errors(srv):
    r = api(srv, "POST", "/api/paste/", json=[{"title": "t", "body": "b"}])
    assert r.status_code == 400
    assert list(r.json()) == ["non_field_errors"] and r.json()["non_field_errors"]


def test_oversized_body_is_413_json(make_server):
    small = make_server("--max-paste-bytes", "1000")
    ok = api(small, "POST", "/api/paste/", json={"title": "t", "body": "a" * 1000})
    assert ok.status_code == 201, ok.text
    r = api(small, "POST", "/api/paste/", json={"title": "t", "body": "a" * 1001})
    assert r.status_code == 413
    assert r.headers["Content-Type"].startswith("application/json")
    assert list(r.json()) == ["detail"] and r.json()["detail"]
    # multi-byte characters count as bytes
    r = api(small, "POST", "/api/paste/", json={"title": "t", "body": "é" * 501})
    assert r.status_code == 413
    r = api(small, "PATCH", f"/api/paste/{ok.json()['id']}/", json={"body": "b" * 2000})
    assert r.status_code in (403, 413)  # anonymous paste: nobody may edit; never saved
    assert len(api(small, "GET", f"/api/paste/{ok.json()['id']}/").json()["body"]) == 1000
    assert api(small, "GET", "/api/paste/").json()["count"] == 1


# ------------------------------------------------------------------ detail


def test_unknown_paste_is_404_json(srv):
    r = get(srv, 987654)
    assert r.status_code == 404
    assert r.json() == NOT_FOUND


def test_api_reads_count_no_hits(srv):
    p = api_create(srv, title="hits", body="count")
    for _ in range(3):
        assert get(srv, p["id"]).status_code == 200
    assert requests.get(p["url"] + "raw/", timeout=10).status_code == 200  # one web view
    deadline = time.monotonic() + 5
    time.sleep(1.1)
    while True:
        hits = get(srv, p["id"]).json()["hits"]
        if hits >= 1 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert hits == 1, f"hits {hits} after 3+ API reads and one web view"


def test_post_on_detail_is_405_with_allow(srv):
    p = api_create(srv)
    r = api(srv, "POST", f"/api/paste/{p['id']}/", json={"title": "x", "body": "y"})
    assert r.status_code == 405
    assert r.json() == {"detail": 'Method "POST" not allowed.'}
    allow = {m.strip() for m in r.headers.get("Allow", "").split(",")}
    assert {"GET", "PUT", "PATCH", "DELETE"} <= allow
    assert "POST" not in allow


def test_owner_put_replaces_title_and_body(srv, alice, langs):
    p = api_create(srv, token=alice.token, title="old", body="old body")
    r = api(srv, "PUT", f"/api/paste/{p['id']}/", token=alice.token,
            json={"title": " new ", "body": "new\r\nbody", "language": langs["c"]})
    assert r.status_code == 200, r.text
    q = r.json()
    check_shape(q)
    assert (q["title"], q["body"], q["language"]) == ("new", "new\nbody", langs["c"])
    assert q["size"] == len("newnew\nbody")
    assert (q["id"], q["author"], q["timestamp"]) == (p["id"], alice.id, p["timestamp"])
    assert get(srv, p["id"]).json() == q


@pytest.mark.parametrize("missing", ["title", "body"])
def test_put_needs_title_and_body(srv, alice, missing):
    p = api_create(srv, token=alice.token, title="keep", body="keep body")
    payload = {"title": "changed", "body": "changed"}
    del payload[missing]
    r = api(srv, "PUT", f"/api/paste/{p['id']}/", token=alice.token, json=payload)
    assert r.status_code == 400
    assert r.json() == {missing: ["This field is required."]}
    assert get(srv, p["id"]).json() == p


def test_owner_patch_changes_only_what_is_sent(srv, alice):
    p = api_create(srv, token=alice.token, title="patch me", body="the body")
    r = api(srv, "PATCH", f"/api/paste/{p['id']}/", token=alice.token, json={"title": "patched"})
    assert r.status_code == 200, r.text
    assert r.json() == dict(p, title="patched", size=len("patchedthe body"))


def test_patch_validates_like_create(srv, alice):
    p = api_create(srv, token=alice.token, title="valid", body="valid")
    for payload, field in (({"title": "t" * 101}, "title"), ({"body": ""}, "body"),
                           ({"expiry": past()}, "expiry"), ({"language": 999}, "language")):
        r = api(srv, "PATCH", f"/api/paste/{p['id']}/", token=alice.token, json=payload)
        assert r.status_code == 400, payload
        assert list(r.json()) == [field], r.json()
    assert get(srv, p["id"]).json() == p


def test_patch_cannot_change_read_only_fields(srv, alice, bob):
    p = api_create(srv, token=alice.token, title="ro", body="ro")
    r = api(srv, "PATCH", f"/api/paste/{p['id']}/", token=alice.token, json={
        "author": bob.id, "hits": 777, "id": p["id"] + 1000, "timestamp": "2001-01-01T00:00:00Z",
        "size": 5, "freeze_hits": True, "url": "http://evil.example/"})
    assert r.status_code == 200, r.text
    assert r.json() == p
    assert get(srv, p["id"]).json() == p
    assert get(srv, p["id"] + 1000).status_code == 404


def test_patch_to_private_moves_the_url_to_a_secret_link(srv, alice, bob):
    p = api_create(srv, token=alice.token, title="going private", body="x")
    r = api(srv, "PATCH", f"/api/paste/{p['id']}/", token=alice.token, json={"private": True})
    assert r.status_code == 200
    assert r.json()["private"] is True
    assert re.fullmatch(re.escape(srv.base) + r"/s/[A-Za-z0-9_-]+/", r.json()["url"])
    assert get(srv, p["id"], token=bob.token).status_code == 404
    assert get(srv, p["id"]).status_code == 404


def test_owner_delete_is_204_and_the_paste_is_gone(srv, alice):
    p = api_create(srv, token=alice.token)
    r = api(srv, "DELETE", f"/api/paste/{p['id']}/", token=alice.token)
    assert r.status_code == 204
    assert r.content == b""
    assert get(srv, p["id"]).status_code == 404
    assert api(srv, "DELETE", f"/api/paste/{p['id']}/", token=alice.token).status_code == 404


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("who", ["other", "anonymous"])
def test_others_cannot_modify_a_paste(srv, alice, bob, method, who):
    p = api_create(srv, token=alice.token, title="alice's", body="alice's body")
    token = bob.token if who == "other" else None
    r = api(srv, method, f"/api/paste/{p['id']}/", token=token,
            json={"title": "hacked", "body": "hacked"})
    assert r.status_code == 403
    assert r.json() == FORBIDDEN
    assert get(srv, p["id"]).json() == p


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_nobody_but_staff_modifies_an_anonymous_paste(srv, bob, method):
    p = api_create(srv, title="anon's", body="anon's body")
    for token in (None, bob.token):
        r = api(srv, method, f"/api/paste/{p['id']}/", token=token, json={"title": "hacked"})
        assert r.status_code == 403
        assert r.json() == FORBIDDEN
    assert get(srv, p["id"]).json() == p


def test_staff_may_modify_and_delete_any_paste(srv, alice, staff):
    p = api_create(srv, token=alice.token, title="by alice", body="x")
    r = api(srv, "PATCH", f"/api/paste/{p['id']}/", token=staff.token, json={"title": "by staff"})
    assert r.status_code == 200
    assert r.json()["title"] == "by staff"
    assert r.json()["author"] == alice.id, "editing by staff changed the author"
    r = api(srv, "PUT", f"/api/paste/{p['id']}/", token=staff.token,
            json={"title": "put by staff", "body": "y"})
    assert r.status_code == 200 and r.json()["author"] == alice.id
    assert api(srv, "DELETE", f"/api/paste/{p['id']}/", token=staff.token).status_code == 204
    assert get(srv, p["id"]).status_code == 404


# ------------------------------------------------------------------ private


def test_private_paste_detail_only_for_owner_and_staff(srv, alice, bob, staff):
    p = api_create(srv, token=alice.token, title="alice private", body="hidden", private=True)
    for token in (bob.token, None):
        r = get(srv, p["id"], token=token)
        assert r.status_code == 404
        assert r.json() == NOT_FOUND
        for method in ("PATCH", "DELETE"):
            r = api(srv, method, f"/api/paste/{p['id']}/", token=token, json={"title": "x"})
            assert r.status_code in (403, 404)
    for token in (alice.token, staff.token):
        r = get(srv, p["id"], token=token)
        assert r.status_code == 200
        assert r.json() == p
    assert get(srv, p["id"], token=alice.token).json()["title"] == "alice private"


# ------------------------------------------------------------------ burn


def test_burn_paste_hides_its_body_from_others_until_burnt(srv, alice, bob, staff):
    marker = unique("burn")
    p = api_create(srv, token=alice.token, title=marker, body="burn " + marker, burn=True)
    check_shape(p)
    assert p["burn"] is True and p["body"] == "burn " + marker
    for token in (bob.token, None):
        r = get(srv, p["id"], token=token)
        assert r.status_code == 200
        assert r.json()["body"] is None
        assert r.json() == dict(p, body=None)
    for token in (alice.token, staff.token):
        assert get(srv, p["id"], token=token).json()["body"] == "burn " + marker
    # GETs burnt nothing
    assert get(srv, p["id"]).status_code == 200
    # never listed, not even to its creator or staff
    for token in (alice.token, bob.token, staff.token, None):
        assert api_list(srv, f"q={marker}", token=token)["count"] == 0
    r = api(srv, "POST", f"/api/paste/{p['id']}/burn/")
    assert r.status_code == 200, r.text
    assert r.json()["body"] == "burn " + marker
    assert r.json()["id"] == p["id"] and r.json()["title"] == marker
    check_shape(r.json())
    for token in (alice.token, staff.token, None):
        r = get(srv, p["id"], token=token)
        assert r.status_code == 404 and r.json() == NOT_FOUND
    r = api(srv, "POST", f"/api/paste/{p['id']}/burn/")
    assert r.status_code == 404
    assert r.json() == NOT_FOUND


def test_burn_of_unknown_paste_is_404(srv):
    r = api(srv, "POST", "/api/paste/987654/burn/")
    assert r.status_code == 404
    assert r.json() == NOT_FOUND


# ------------------------------------------------------------------ listing visibility


@pytest.fixture(scope="module")
def visibility(srv, alice, bob):
    marker = unique("vis")
    made = {
        "public": api_create(srv, title=f"public {marker}", body="x"),
        "alice_private": api_create(srv, token=alice.token, title=f"ap {marker}", body="x",
                                    private=True),
        "bob_private": api_create(srv, token=bob.token, title=f"bp {marker}", body="x",
                                  private=True),
        "anon_private": api_create(srv, title=f"np {marker}", body="x", private=True),
        "alice_burn": api_create(srv, token=alice.token, title=f"ab {marker}", body="x",
                                 burn=True),
    }
    return marker, {k: v["id"] for k, v in made.items()}


@pytest.mark.parametrize("who,visible", [
    ("anonymous", {"public"}),
    ("alice", {"public", "alice_private"}),
    ("bob", {"public", "bob_private"}),
    ("staff", {"public", "alice_private", "bob_private", "anon_private"}),
])
def test_list_shows_public_and_own_private_never_burn(srv, alice, bob, staff, visibility,
                                                      who, visible):
    marker, ids = visibility
    token = {"anonymous": None, "alice": alice.token, "bob": bob.token, "staff": staff.token}[who]
    page = api_list(srv, f"q={marker}", token=token)
    assert page["count"] == len(visible)
    assert sorted(p["id"] for p in page["results"]) == sorted(ids[k] for k in visible)
    for p in page["results"]:
        check_shape(p)


def test_expired_paste_is_neither_listed_nor_served(srv):
    marker = unique("exp")
    soon = datetime.now(timezone.utc) + timedelta(seconds=2)
    p = api_create(srv, title=marker, body="x", expiry=soon.isoformat())
    assert api_list(srv, f"q={marker}")["count"] == 1
    time.sleep(max(0.0, (soon - datetime.now(timezone.utc)).total_seconds()) + 0.3)
    assert api_list(srv, f"q={marker}")["count"] == 0
    assert get(srv, p["id"]).status_code == 404


# ------------------------------------------------------------------ search and language filter


def test_search_matches_title_body_and_author_case_insensitively(srv, alice):
    marker = unique("Srch")
    in_title = api_create(srv, title=f"x{marker}y", body="nothing")["id"]
    in_body = api_create(srv, title="nothing", body=f"a\nb {marker.upper()} c")["id"]
    api_create(srv, title="unrelated", body="unrelated")
    for q in (marker, marker.lower(), marker.upper()):
        page = api_list(srv, f"q={q}")
        assert sorted(p["id"] for p in page["results"]) == sorted([in_title, in_body]), q
    by_alice = api_create(srv, token=alice.token, title="no marker", body="none")["id"]
    ids = [p["id"] for p in api_list(srv, f"q={alice.name.upper()}&limit=1000")["results"]]
    assert by_alice in ids


def test_search_for_nothing_lists_nothing(srv):
    page = api_list(srv, f"q={unique('none')}")
    assert page == {"count": 0, "next": None, "previous": None, "results": []}


def test_language_filter(srv, langs):
    marker = unique("lang")
    py = api_create(srv, title=marker, body="x", language=langs["python"])["id"]
    c = api_create(srv, title=marker, body="x", language=langs["c"])["id"]
    api_create(srv, title=marker, body="x", language=None)
    assert [p["id"] for p in api_list(srv, f"q={marker}&language={langs['python']}")["results"]] \
        == [py]
    assert [p["id"] for p in api_list(srv, f"q={marker}&language={langs['c']}")["results"]] == [c]
    assert api_list(srv, f"q={marker}&language={langs['rust']}")["count"] == 0
    assert api_list(srv, f"q={marker}")["count"] == 3


@pytest.mark.parametrize("bad", ["x", "1.5", "py"])
def test_non_numeric_language_filter_is_400(srv, bad):
    r = api(srv, "GET", f"/api/paste/?language={bad}")
    assert r.status_code == 400
    assert list(r.json()) == ["language"] and r.json()["language"]


# ------------------------------------------------------------------ sorting

SORT_FIELDS = ["id", "title", "timestamp", "expiry", "hits", "size", "language", "author"]


@pytest.fixture(scope="module")
def sortable(srv, alice, bob, langs):
    """Pastes with ties and nulls in every sortable field; hits set in the database."""
    marker = unique("srt")
    soon = datetime.now(timezone.utc).replace(microsecond=0)
    e1, e2 = iso(soon + timedelta(days=1)), iso(soon + timedelta(days=2))
    rows = [  # title, body padding, expiry, language, author, hits
        ("b", 5, e2, "python", alice, 3),
        ("a", 0, None, "c", bob, 0),
        ("c", 20, e1, None, None, 5),
        ("a", 5, e1, "rust", alice, 3),
        ("d", 1, None, "python", bob, 1),
        ("b", 20, e2, None, None, 0),
        ("e", 3, None, "c", alice, 2),
    ]
    ids = []
    for title, pad, expiry, lang, author, hits in rows:
        p = api_create(srv, token=author.token if author else None, title=title,
                       body=marker + "x" * pad, expiry=expiry,
                       language=langs[lang] if lang else None)
        ids.append(p["id"])
        db_rows(srv, "UPDATE pastes SET hits = ? WHERE id = ?", (hits, p["id"]))
    objs = {p["id"]: p for p in api_list(srv, f"q={marker}&limit=100")["results"]}
    assert sorted(objs) == sorted(ids)
    assert sorted(p["hits"] for p in objs.values()) == [0, 0, 1, 2, 3, 3, 5]
    return marker, list(objs.values())


def expected_orders(objs, field, descending):
    """The orders allowed: by (value, id), all reversed for '-'; nulls first or last."""
    def value(p):
        v = p[field]
        return when(v) if field in ("timestamp", "expiry") and v is not None else v

    orders = []
    for nulls_first in (True, False):
        nulls = sorted((p for p in objs if value(p) is None), key=lambda p: p["id"])
        rest = sorted((p for p in objs if value(p) is not None), key=lambda p: (value(p), p["id"]))
        order = [p["id"] for p in (nulls + rest if nulls_first else rest + nulls)]
        orders.append(order[::-1] if descending else order)
    return orders


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("field", SORT_FIELDS)
def test_sort_by_every_field_both_ways(srv, sortable, field, descending):
    marker, objs = sortable
    key = ("-" if descending else "") + field
    got = [p["id"] for p in api_list(srv, f"q={marker}&sort={key}")["results"]]
    assert got in expected_orders(objs, field, descending), \
        f"sort={key}: {[(i, next(p[field] for p in objs if p['id'] == i)) for i in got]}"


@pytest.mark.parametrize("bad", ["bogus", "-bogus", "body", "--id", "id;drop", "password"])
def test_unknown_sort_is_400(srv, bad):
    r = api(srv, "GET", "/api/paste/", params={"sort": bad})
    assert r.status_code == 400
    assert list(r.json()) == ["sort"] and r.json()["sort"]
