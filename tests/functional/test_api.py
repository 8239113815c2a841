"""REST API basics (SPEC §7): the root, pagination arithmetic, languages, expiry logs,
JSON-only errors under /api/, and the OpenAPI document at /api/schema/."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from conftest import api, api_create, api_list, api_user, db_rows, unique

METHOD_NOT_ALLOWED = 'Method "{}" not allowed.'


@pytest.fixture(scope="module")
def srv(module_server):
    return module_server


def split(url: str):
    """(scheme://host, path, query dict) of an absolute URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}", parts.path, parse_qs(parts.query,
                                                                     keep_blank_values=True)


def is_json(r: requests.Response) -> bool:
    return r.headers.get("Content-Type", "").startswith("application/json")


# ------------------------------------------------------------------ root


def test_root_links_the_four_collections(srv):
    r = api(srv, "GET", "/api/")
    assert r.status_code == 200
    assert is_json(r)
    assert r.json() == {name: f"{srv.base}/api/{name}/"
                        for name in ("user", "paste", "expirylog", "language")}


def test_root_links_answer(srv):
    links = api(srv, "GET", "/api/").json()
    for name, url in links.items():
        r = requests.get(url, timeout=10, allow_redirects=False)
        assert r.status_code == (401 if name == "user" else 200), (name, r.status_code)
        assert is_json(r)


def test_root_uses_the_request_host(srv):
    host = f"localhost:{srv.port}"
    r = api(srv, "GET", "/api/", headers={"Host": host})
    assert r.status_code == 200
    assert r.json()["paste"] == f"http://{host}/api/paste/"


# ------------------------------------------------------------------ pagination


@pytest.fixture(scope="module")
def many(srv):
    """27 public pastes sharing a marker, in id order."""
    marker = unique("page")
    return marker, [api_create(srv, title=f"{marker} {i}", body="x")["id"] for i in range(27)]


def page_of(srv, marker, extra=""):
    return api_list(srv, f"q={marker}{extra}")


def test_default_limit_is_25(srv, many):
    marker, ids = many
    page = page_of(srv, marker)
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 27
    assert len(page["results"]) == 25
    assert page["previous"] is None
    origin, path, query = split(page["next"])
    assert (origin, path) == (srv.base, "/api/paste/")
    assert query == {"q": [marker], "limit": ["25"], "offset": ["25"]}


def test_limit_0_means_the_default(srv, many):
    marker, ids = many
    page = page_of(srv, marker, "&limit=0")
    assert page["count"] == 27 and len(page["results"]) == 25
    assert page["next"] is not None


def test_pages_walk_every_paste_once(srv, many):
    marker, ids = many
    seen, url, pages = [], f"{srv.base}/api/paste/?q={marker}&limit=10&sort=id", 0
    while url:
        r = requests.get(url, timeout=10)
        assert r.status_code == 200
        page = r.json()
        assert page["count"] == 27
        seen += [p["id"] for p in page["results"]]
        url = page["next"]
        pages += 1
        assert pages <= 3
    assert seen == sorted(ids)
    assert pages == 3


@pytest.mark.parametrize("limit,offset,n,next_offset,prev_offset", [
    (10, 0, 10, 10, None),
    (10, 10, 10, 20, 0),
    (10, 20, 7, None, 10),
    (10, 5, 10, 15, 0),          # previous omits offset: it would be 0
    (10, 17, 10, None, 7),
    (10, 26, 1, None, 16),
    (27, 0, 27, None, None),
    (26, 0, 26, 26, None),
    (1, 1, 1, 2, 0),
])
def test_next_and_previous_arithmetic(srv, many, limit, offset, n, next_offset, prev_offset):
    marker, ids = many
    page = page_of(srv, marker, f"&sort=id&limit={limit}&offset={offset}")
    assert page["count"] == 27
    assert [p["id"] for p in page["results"]] == sorted(ids)[offset:offset + limit]
    assert len(page["results"]) == n
    if next_offset is None:
        assert page["next"] is None
    else:
        origin, path, query = split(page["next"])
        assert (origin, path) == (srv.base, "/api/paste/")
        assert query == {"q": [marker], "sort": ["id"], "limit": [str(limit)],
                         "offset": [str(next_offset)]}
    if prev_offset is None:
        assert page["previous"] is None
    else:
        origin, path, query = split(page["previous"])
        assert (origin, path) == (srv.base, "/api/paste/")
        want = {"q": [marker], "sort": ["id"], "limit": [str(limit)]}
        if prev_offset:
            want["offset"] = [str(prev_offset)]
        assert query == want


@pytest.mark.parametrize("offset", [27, 28, 1000])
def test_offset_past_the_end_is_an_empty_page(srv, many, offset):
    marker, ids = many
    page = page_of(srv, marker, f"&limit=10&offset={offset}")
    assert page["count"] == 27
    assert page["results"] == []
    assert page["next"] is None


def test_next_uses_the_request_host(srv, many):
    marker, ids = many
    host = f"localhost:{srv.port}"
    r = api(srv, "GET", f"/api/paste/?q={marker}&limit=5", headers={"Host": host})
    assert r.status_code == 200
    assert r.json()["next"].startswith(f"http://{host}/api/paste/?")


def test_forwarded_proto_is_ignored_without_trust_proxy(srv, many):
    marker, ids = many
    r = api(srv, "GET", f"/api/paste/?q={marker}&limit=5", headers={"X-Forwarded-Proto": "https"})
    assert r.json()["next"].startswith(f"http://127.0.0.1:{srv.port}/")


def test_forwarded_proto_is_used_with_trust_proxy(make_server):
    proxied = make_server("--trust-proxy", "true")
    for i in range(3):
        api_create(proxied, title=f"p{i}", body="x")
    r = api(proxied, "GET", "/api/paste/?limit=1", headers={"X-Forwarded-Proto": "https"})
    assert r.status_code == 200
    assert r.json()["next"].startswith(f"https://127.0.0.1:{proxied.port}/api/paste/?")
    assert api(proxied, "GET", "/api/", headers={"X-Forwarded-Proto": "https"}).json()["paste"] \
        == f"https://127.0.0.1:{proxied.port}/api/paste/"


def test_limit_is_capped_at_1000(srv):
    marker = unique("cap")
    first = api_create(srv, title=marker, body="x")["id"]
    # 1000 more copies, written straight into the database to keep the test fast
    db_rows(srv, """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
        INSERT INTO pastes (title, body, timestamp, expiry, is_private, burn, hits,
                            freeze_hits, size, author_id, language_id, body_html)
        SELECT p.title, p.body, p.timestamp, p.expiry, p.is_private, p.burn, p.hits,
               p.freeze_hits, p.size, p.author_id, p.language_id, p.body_html
        FROM pastes p, n WHERE p.id = ?""", (first,))
    page = page_of(srv, marker, "&limit=5000")
    assert page["count"] == 1001
    assert len(page["results"]) == 1000
    origin, path, query = split(page["next"])
    assert query["offset"] == ["1000"] and query["limit"] == ["1000"]


@pytest.mark.parametrize("param", ["limit", "offset"])
@pytest.mark.parametrize("bad", ["x", "-1", "1.5", "1e3"])
def test_bad_limit_or_offset_is_400(srv, param, bad):
    r = api(srv, "GET", f"/api/paste/?{param}={bad}")
    assert r.status_code == 400
    assert is_json(r)
    assert list(r.json()) == [param] and r.json()[param]


@pytest.mark.parametrize("path", ["/api/language/", "/api/expirylog/"])
def test_other_lists_paginate_too(srv, path):
    r = api(srv, "GET", path + "?limit=1")
    assert r.status_code == 200
    page = r.json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert len(page["results"]) == 1
    assert page["previous"] is None
    if page["count"] > 1:
        origin, p, query = split(page["next"])
        assert (origin, p, query) == (srv.base, path, {"limit": ["1"], "offset": ["1"]})
    assert api(srv, "GET", path + "?limit=-1").status_code == 400


# ------------------------------------------------------------------ languages


@pytest.fixture(scope="module")
def languages(srv):
    page = api(srv, "GET", "/api/language/?limit=1000").json()
    assert page["count"] == len(page["results"]) > 100
    return page["results"]


def test_language_list_items(srv, languages):
    for lang in languages:
        assert set(lang) == {"id", "name"}
        assert type(lang["id"]) is int and isinstance(lang["name"], str) and lang["name"]
    names = {lang["name"].lower() for lang in languages}
    assert {"python", "c", "rust", "markdown"} <= names
    assert len({lang["id"] for lang in languages}) == len(languages)


def test_language_detail(srv, languages):
    for lang in (languages[0], languages[len(languages) // 2], languages[-1]):
        r = api(srv, "GET", f"/api/language/{lang['id']}/")
        assert r.status_code == 200
        assert r.json() == lang


def test_unknown_language_is_404(srv):
    r = api(srv, "GET", "/api/language/987654/")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not found."}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/api/language/", "/api/language/1/", "/api/expirylog/"])
def test_read_only_collections_are_405(srv, path, method):
    r = api(srv, method, path, json={"name": "Evil"})
    assert r.status_code == 405
    assert r.json() == {"detail": METHOD_NOT_ALLOWED.format(method)}
    allow = {m.strip() for m in r.headers.get("Allow", "").split(",")}
    assert "GET" in allow and method not in allow


def test_read_only_collections_are_405_for_staff_too(srv):
    staff = api_user(srv, "staff", staff=True)
    r = api(srv, "POST", "/api/language/", token=staff.token, json={"name": "Evil"})
    assert r.status_code == 405
    r = api(srv, "DELETE", "/api/language/1/", token=staff.token)
    assert r.status_code == 405
    assert api(srv, "GET", "/api/language/1/").status_code == 200


# ------------------------------------------------------------------ expiry logs


def test_expirylog_lists_the_startup_pass(srv):
    page = api(srv, "GET", "/api/expirylog/").json()
    assert page["count"] >= 1
    types = {"id": (int,), "expired_ids": (str, list), "timestamp": (str,),
             "user_cutoff": (str,), "paste_count": (int,), "reclaimed_space": (int,),
             "user_count": (int,), "completed": (bool,)}
    for log in page["results"]:
        assert set(log) == set(types)
        for field, allowed in types.items():
            assert type(log[field]) in allowed, (field, log[field])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", log["timestamp"])
    assert any(log["completed"] is True for log in page["results"])


# ------------------------------------------------------------------ never HTML


@pytest.mark.parametrize("path", ["/api/x/", "/api/paste/abc/", "/api/paste/1/x/",
                                  "/api/language/abc/", "/api/user/abc/x/"])
def test_unknown_api_path_is_404_json(srv, path):
    r = api(srv, "GET", path)
    assert r.status_code == 404
    assert is_json(r)
    assert r.json() == {"detail": "Not found."}


def test_bad_host_is_400_json(srv):
    r = api(srv, "GET", "/api/", headers={"Host": "evil.example"})
    assert r.status_code == 400
    assert is_json(r)
    assert list(r.json()) == ["detail"]


def test_missing_slash_redirects(srv):
    for path in ("/api/paste", "/api/language"):
        r = api(srv, "GET", path)
        assert r.status_code == 301
        assert urlsplit(r.headers["Location"]).path == path + "/"


def test_api_errors_are_never_html(srv):
    for method, path, kw in (
        ("GET", "/api/paste/987654/", {}),
        ("POST", "/api/paste/", {"data": b"{", "headers": {"Content-Type": "application/json"}}),
        ("DELETE", "/api/", {}),
        ("GET", "/api/user/", {}),
        ("GET", "/api/paste/?limit=x", {}),
    ):
        r = api(srv, method, path, **kw)
        assert r.status_code >= 400, (method, path)
        assert is_json(r), (method, path, r.headers.get("Content-Type"))
        assert "<html" not in r.text.lower()


# ------------------------------------------------------------------ OpenAPI document


ROUTES = {
    "/api/": {"get"},
    "/api/login/": {"post"},
    "/api/logout/": {"post"},
    "/api/paste/": {"get", "post"},
    "/api/paste/{id}/": {"get", "put", "patch", "delete"},
    "/api/paste/{id}/burn/": {"post"},
    "/api/language/": {"get"},
    "/api/language/{id}/": {"get"},
    "/api/expirylog/": {"get"},
    "/api/user/": {"get"},
    "/api/user/{id}/": {"get"},
    "/api/user/me/": {"get", "put"},
    "/api/schema/": {"get"},
}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def schema(srv):
    r = api(srv, "GET", "/api/schema/")
    assert r.status_code == 200
    assert is_json(r)
    return r.json()


def test_schema_is_openapi_3(schema):
    assert str(schema.get("openapi", "")).startswith("3.")
    assert isinstance(schema.get("info", {}).get("title"), str)
    assert isinstance(schema.get("paths"), dict)


def test_schema_documents_every_route_and_method(schema):
    paths = schema["paths"]
    missing = set(ROUTES) - set(paths)
    assert not missing, f"routes missing from the schema: {sorted(missing)}"
    for path, methods in ROUTES.items():
        documented = set(paths[path]) & HTTP_METHODS
        assert methods <= documented, (path, sorted(documented))


def test_every_documented_operation_is_routed(srv, schema):
    user = api_user(srv, "schema")
    ids = {
        "paste": api_create(srv, token=user.token, title="schema", body="x")["id"],
        "burn": api_create(srv, token=user.token, title="schema burn", body="x", burn=True)["id"],
        "language": api(srv, "GET", "/api/language/?limit=1").json()["results"][0]["id"],
        "user": user.id,
    }
    for path, item in schema["paths"].items():
        for method in set(item) & HTTP_METHODS:
            kind = "burn" if path.endswith("/burn/") else path.split("/")[2]
            concrete = path.replace("{id}", str(ids.get(kind, 1)))
            assert "{" not in concrete, concrete
            if method == "delete" or (path == "/api/user/me/" and method == "put"):
                token = None  # anonymous: refused, but routed (no deleting, no renaming)
            elif path == "/api/logout/":
                token = None
            else:
                token = user.token
            r = api(srv, method.upper(), concrete, token=token, json={})
            assert r.status_code not in (404, 405), f"{method.upper()} {concrete}: {r.status_code}"
            assert is_json(r) or r.status_code == 204, (method, concrete)
