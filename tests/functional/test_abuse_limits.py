"""Abuse controls (issue 9): per-address rate limits on creating pastes, registering and
failed logins (429 with Retry-After, nothing written), and limits on what one request may
carry (form fields, JSON depth, title length, body size), each answered with a 4xx.

Every rate-limit test starts its own server: the limiters' memory must be empty.
"""

import re

import pytest
import requests

from conftest import (
    all_errors,
    api,
    api_user,
    csrf_token,
    db_rows,
    errors_for,
    form_data,
    login,
    new_user,
    new_username,
    post_form,
    raw_post,
    register,
    strong_password,
    text_of,
)

CREATE_MESSAGE = re.compile(
    r"Too many pastes created from your address; try again in (\d+) seconds?\.")


def paste_rows(srv) -> int:
    return db_rows(srv, "SELECT COUNT(*) FROM pastes")[0][0]


def user_rows(srv) -> int:
    return db_rows(srv, "SELECT COUNT(*) FROM users")[0][0]


def retry_after(r, window: int) -> int:
    """The Retry-After header of a 429: whole seconds, 1 to the window's length."""
    assert r.status_code == 429, f"expected 429, got {r.status_code}: {r.text[:300]}"
    value = r.headers.get("Retry-After", "")
    assert re.fullmatch(r"\d+", value), f"Retry-After {value!r} is not whole seconds"
    assert 1 <= int(value) <= window, f"Retry-After {value} outside 1..{window}"
    return int(value)


def api_create(srv, headers=None, **fields):
    fields.setdefault("title", "limited")
    fields.setdefault("body", "some text")
    return api(srv, "POST", "/api/paste/", json=fields, headers=headers)


def from_address(address: str) -> dict:
    return {"X-Forwarded-For": address}


# --------------------------------------------------------------------------- creating pastes


def test_sixth_form_create_in_a_minute_gets_429_and_writes_nothing(make_server):
    srv = make_server(env={"SILLYPASTE_RATE_LIMIT_CREATE": "5/m"})
    jar = requests.Session()
    for i in range(5):
        r = post_form(srv, jar, title=f"form {i}")
        assert r.status_code == 302, f"create {i + 1}: {r.status_code} {all_errors(r.text)}"
    pastes, users = paste_rows(srv), user_rows(srv)
    assert pastes == 5

    fresh = requests.Session()  # a new visitor would get an anonymous user on a save
    r = post_form(srv, fresh, title="one too many")
    seconds = retry_after(r, 60)
    assert r.headers["Content-Type"].startswith("text/html")
    m = CREATE_MESSAGE.search(text_of(r.text))
    assert m, f"no clear message on the 429 page: {text_of(r.text)[:500]}"
    assert int(m.group(1)) == seconds
    assert (paste_rows(srv), user_rows(srv)) == (pastes, users), "a refused create wrote rows"


def test_sixth_api_create_gets_429_json_and_the_limit_is_shared_with_raw_posts(make_server):
    srv = make_server(env={"SILLYPASTE_RATE_LIMIT_CREATE": "5/m"})
    for i in range(3):
        r = api_create(srv, title=f"api {i}")
        assert r.status_code == 201, r.text[:300]
    for i in range(2):
        r = raw_post(srv, f"raw {i}\n")
        assert r.status_code == 201, r.text[:300]

    r = api_create(srv, title="one too many")
    seconds = retry_after(r, 60)
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"detail"}, body
    m = CREATE_MESSAGE.fullmatch(body["detail"])
    assert m and int(m.group(1)) == seconds, body

    r = raw_post(srv, "raw too many\n")
    retry_after(r, 60)
    assert r.headers["Content-Type"].startswith("text/plain")
    assert CREATE_MESSAGE.fullmatch(r.text.strip()), r.text
    assert paste_rows(srv) == 5
    assert api(srv, "GET", "/api/paste/").json()["count"] == 5


def test_a_form_with_errors_is_not_counted(make_server):
    srv = make_server(env={"SILLYPASTE_RATE_LIMIT_CREATE": "2/m"})
    jar = requests.Session()
    for _ in range(5):
        r = post_form(srv, jar, title="")
        assert r.status_code == 200 and errors_for(r.text, "title"), r.status_code
        assert api_create(srv, title="").status_code == 400
    assert post_form(srv, jar).status_code == 302
    assert api_create(srv).status_code == 201
    assert api_create(srv).status_code == 429


def test_another_address_is_not_affected_and_ipv6_counts_by_64(make_server):
    srv = make_server(env={"SILLYPASTE_RATE_LIMIT_CREATE": "2/m",
                           "SILLYPASTE_TRUST_PROXY": "true"})
    for address in ("10.1.0.1", "2001:db8:0:1::1"):
        assert api_create(srv, headers=from_address(address)).status_code == 201
        assert api_create(srv, headers=from_address(address)).status_code == 201
    assert api_create(srv, headers=from_address("10.1.0.1")).status_code == 429
    assert api_create(srv, headers=from_address("10.1.0.2")).status_code == 201
    # another address of the same IPv6 /64 is the same subscriber...
    assert api_create(srv, headers=from_address("2001:db8:0:1::beef")).status_code == 429
    # ...the next /64 is not
    assert api_create(srv, headers=from_address("2001:db8:0:2::1")).status_code == 201
    jar = requests.Session()
    token = csrf_token(srv, jar)
    r = srv.post("/paste/", session=jar, headers=from_address("10.1.0.3"),
                 data=form_data(csrfmiddlewaretoken=token))
    assert r.status_code == 302, all_errors(r.text)
    assert paste_rows(srv) == 7


def test_staff_are_not_limited(make_server):
    srv = make_server(env={"SILLYPASTE_RATE_LIMIT_CREATE": "1/m"})
    staff = api_user(srv, "boss", staff=True)
    for i in range(4):
        r = api(srv, "POST", "/api/paste/", token=staff.token,
                json={"title": f"staff {i}", "body": "b"})
        assert r.status_code == 201, r.text[:300]
        r = raw_post(srv, "staff raw\n", headers={"Authorization": f"Token {staff.token}"})
        assert r.status_code == 201, r.text[:300]
    assert post_form(srv, staff.jar).status_code == 302
    # staff creates did not use up the address's allowance; others are still limited
    assert api_create(srv).status_code == 201
    assert api_create(srv).status_code == 429
    plain_user = api_user(srv, "plain")
    r = api(srv, "POST", "/api/paste/", token=plain_user.token, json={"title": "t", "body": "b"})
    assert r.status_code == 429


# --------------------------------------------------------------------------- accounts


def test_register_limit_refuses_the_fourth_account_and_creates_nothing(make_server):
    srv = make_server(env={"SILLYPASTE_RATE_LIMIT_REGISTER": "3/h"})
    # a form with errors does not count
    for _ in range(3):
        r = register(srv, requests.Session(), new_username("bad"), "Aa-1234567", "different")
        assert r.status_code == 200 and errors_for(r.text, "password2"), all_errors(r.text)
    for _ in range(3):
        new_user(srv, "reg")
    users = user_rows(srv)
    name = new_username("late")
    r = register(srv, requests.Session(), name, strong_password())
    seconds = retry_after(r, 3600)
    assert r.headers["Content-Type"].startswith("text/html")
    errs = errors_for(r.text, "__all__")
    assert any(re.fullmatch(rf"Too many accounts registered from your address; "
                            rf"try again in {seconds} seconds?\.", e) for e in errs), errs
    assert user_rows(srv) == users
    assert not db_rows(srv, "SELECT id FROM users WHERE username = ?", (name,))


def test_login_limit_follows_the_setting_on_the_web_and_the_api(make_server):
    srv = make_server(env={"SILLYPASTE_RATE_LIMIT_LOGIN": "3/m"})
    user = new_user(srv, "lim")
    for i in range(3):
        r = login(srv, requests.Session(), user.name, "Wrong-" + strong_password())
        assert r.status_code == 200, f"failure {i + 1}: {r.status_code}"
    r = login(srv, requests.Session(), user.name, user.password)
    seconds = retry_after(r, 60)
    errs = errors_for(r.text, "__all__")
    assert any(f"try again in {seconds} second" in e for e in errs), errs

    r = api(srv, "POST", "/api/login/", json={"username": user.name, "password": user.password})
    retry_after(r, 60)
    assert set(r.json()) == {"detail"} and r.json()["detail"].startswith("Too many"), r.text


def test_login_limit_off_never_throttles(make_server):
    srv = make_server(env={"SILLYPASTE_RATE_LIMIT_LOGIN": "off"})
    user = new_user(srv, "free")
    for _ in range(15):
        r = login(srv, requests.Session(), user.name, "Wrong-" + strong_password())
        assert r.status_code == 200
    assert login(srv, requests.Session(), user.name, user.password).status_code == 302


def test_defaults_apply_when_the_settings_are_unset(make_server):
    srv = make_server(env={"SILLYPASTE_RATE_LIMIT_CREATE": None,
                           "SILLYPASTE_RATE_LIMIT_REGISTER": None})
    with requests.Session() as s:  # one connection: 61 creates well inside a minute
        for i in range(60):
            r = api(srv, "POST", "/api/paste/", session=s, json={"title": f"d{i}", "body": "b"})
            assert r.status_code == 201, f"create {i + 1}: {r.status_code} {r.text[:200]}"
        retry_after(api(srv, "POST", "/api/paste/", session=s, json={"title": "x", "body": "b"}),
                    60)
    assert paste_rows(srv) == 60
    for _ in range(10):
        new_user(srv, "dflt")
    retry_after(register(srv, requests.Session(), new_username("eleven"), strong_password()),
                3600)


# --------------------------------------------------------------------------- request size


@pytest.fixture(scope="module")
def limits_server(tmp_path_factory):
    from conftest import _start

    srv = _start(tmp_path_factory.mktemp("limits-server"),
                 env={"SILLYPASTE_MAX_PASTE_BYTES": "1000"})
    yield srv
    assert srv.stop() == 0, srv.describe()


def alive(srv):
    r = srv.get("/health/ping/")
    assert r.status_code == 200 and r.text.strip() == "pong", "the server did not survive"


def test_a_form_with_ten_thousand_fields_is_400(server):
    jar = requests.Session()
    token = csrf_token(server, jar)
    before = paste_rows(server)
    body = f"csrfmiddlewaretoken={token}&title=t&body=b&" + "&".join(
        f"f{i}=v" for i in range(10_000))
    r = server.post("/paste/", session=jar, data=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400, r.status_code
    assert "more than 64 fields" in text_of(r.text), text_of(r.text)[:500]

    r = api(server, "POST", "/api/paste/", data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400
    assert "more than 64 fields" in r.json()["detail"], r.text[:300]

    r = server.get("/all/?" + "&".join(f"q{i}=1" for i in range(100)))
    assert r.status_code == 400
    assert "more than 64 fields" in text_of(r.text)
    assert paste_rows(server) == before
    alive(server)


def test_sixty_four_form_fields_are_fine(server):
    jar = requests.Session()
    data = form_data(csrfmiddlewaretoken=csrf_token(server, jar))
    data.update({f"extra{i}": "x" for i in range(64 - len(data))})
    assert len(data) == 64
    r = server.post("/paste/", session=jar, data=data)
    assert r.status_code == 302, all_errors(r.text)


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_json_nested_ten_thousand_deep_is_400(server, opening, closing):
    before = paste_rows(server)
    body = '{"title": "deep", "body": "b", "x": ' + opening * 10_000 + "1" + closing * 10_000 + "}"
    r = api(server, "POST", "/api/paste/", data=body,
            headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.status_code
    assert r.json()["detail"].startswith("JSON nested too deeply"), r.text[:300]
    assert paste_rows(server) == before
    alive(server)


def test_json_depth_limit_is_thirty_two_levels(server):
    def nested(levels):  # the outer object is the first level
        inner = "[" * (levels - 1) + "1" + "]" * (levels - 1)
        return '{"title": "depth", "body": "b", "x": ' + inner + "}"

    headers = {"Content-Type": "application/json"}
    assert api(server, "POST", "/api/paste/", data=nested(32), headers=headers).status_code == 201
    r = api(server, "POST", "/api/paste/", data=nested(33), headers=headers)
    assert r.status_code == 400 and "nested too deeply" in r.text, r.text[:300]


def test_a_megabyte_title_is_an_error_not_a_crash(server):
    title = "t" * (1 << 20)
    before = paste_rows(server)
    r = post_form(server, requests.Session(), title=title)
    assert r.status_code == 200
    assert any("at most 100 characters" in e for e in errors_for(r.text, "title")), \
        all_errors(r.text)

    r = api_create(server, title=title)
    assert r.status_code == 400
    assert "at most 100 characters" in r.json()["title"][0], r.text[:300]

    r = raw_post(server, "body", params={"title": title})
    assert 400 <= r.status_code < 500, r.status_code
    assert paste_rows(server) == before
    alive(server)


def test_hundred_and_one_character_title_is_refused_everywhere(server):
    title = "é" * 101  # characters, not bytes
    assert errors_for(post_form(server, requests.Session(), title=title).text, "title")
    assert api_create(server, title=title).status_code == 400
    r = raw_post(server, "body", params={"title": title})
    assert r.status_code == 400 and "title" in r.text, r.text
    assert api_create(server, title="é" * 100).status_code == 201


def test_a_body_over_the_limit_is_413_everywhere_and_at_the_limit_is_fine(limits_server):
    srv = limits_server
    before = paste_rows(srv)
    r = post_form(srv, requests.Session(), body="x" * 1001)
    assert r.status_code == 413 and r.headers["Content-Type"].startswith("text/html")
    r = api_create(srv, body="x" * 1001)
    assert r.status_code == 413 and "detail" in r.json(), r.text[:300]
    r = raw_post(srv, "x" * 1001)
    assert r.status_code == 413 and r.headers["Content-Type"].startswith("text/plain")
    assert paste_rows(srv) == before

    assert post_form(srv, requests.Session(), body="x" * 1000).status_code == 302
    assert api_create(srv, body="x" * 1000).status_code == 201
    assert raw_post(srv, "x" * 1000).status_code == 201
    assert paste_rows(srv) == before + 3
