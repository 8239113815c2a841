"""REST API authentication and users (SPEC §7): token login/logout, token and session
(CSRF) authentication, /api/user/..., and the token on a raw POST to /.

Failed logins are throttled (10 per username or client address in 5 minutes), so this
module's server sees at most a handful of them."""

import re

import pytest
import requests

from conftest import (
    api,
    api_create,
    api_login,
    api_user,
    csrf_token,
    new_username,
    raw_post,
    strong_password,
)

BAD_TOKEN = "0" * 40
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}


@pytest.fixture(scope="module")
def srv(module_server):
    return module_server


@pytest.fixture(scope="module")
def alice(srv):
    return api_user(srv, "alice")


@pytest.fixture(scope="module")
def staff(srv):
    return api_user(srv, "staff", staff=True)


# ------------------------------------------------------------------ login / logout


def test_login_with_json_answers_a_40_hex_token(srv, alice):
    r = api(srv, "POST", "/api/login/", json={"username": alice.name, "password": alice.password})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert set(r.json()) == {"token"}
    assert re.fullmatch(r"[0-9a-f]{40}", r.json()["token"])


def test_repeated_logins_answer_the_same_token(srv, alice):
    again = api_login(srv, alice.name, alice.password)
    assert again == alice.token


def test_login_with_a_form_works_like_json(srv, alice):
    r = api(srv, "POST", "/api/login/", data={"username": alice.name, "password": alice.password})
    assert r.status_code == 200, r.text
    assert r.json() == {"token": alice.token}


def test_login_with_bad_credentials_is_400(srv, alice):
    r = api(srv, "POST", "/api/login/", json={"username": alice.name, "password": "wrong-Pass-1"})
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_login_of_an_unknown_user_is_400(srv):
    r = api(srv, "POST", "/api/login/", json={"username": new_username("nobody"),
                                               "password": strong_password()})
    assert r.status_code == 400
    assert r.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


@pytest.mark.parametrize("payload,missing", [
    ({}, {"username", "password"}),
    ({"username": "someone"}, {"password"}),
    ({"password": "something"}, {"username"}),
])
def test_login_without_a_field_says_which_is_required(srv, payload, missing):
    r = api(srv, "POST", "/api/login/", json=payload)
    assert r.status_code == 400
    assert r.json() == {f: ["This field is required."] for f in missing}


def test_login_answers_json_for_malformed_json(srv):
    r = api(srv, "POST", "/api/login/", data=b"{nope",
            headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["detail"].startswith("JSON parse error - ")


def test_logout_ends_the_token_and_a_new_login_gives_another(srv):
    u = api_user(srv, "leaver")
    assert api(srv, "GET", "/api/user/me/", token=u.token).status_code == 200
    r = api(srv, "POST", "/api/logout/", token=u.token)
    assert r.status_code == 200
    assert r.json() == {"logged_out": True}
    r = api(srv, "GET", "/api/user/me/", token=u.token)
    assert r.status_code == 401
    assert r.json() == {"detail": "Invalid token."}
    # the old token cannot create pastes either
    r = api(srv, "POST", "/api/paste/", token=u.token, json={"title": "t", "body": "b"})
    assert r.status_code == 401
    fresh = api_login(srv, u.name, u.password)
    assert fresh != u.token
    assert api(srv, "GET", "/api/user/me/", token=fresh).json()["username"] == u.name


def test_logout_without_credentials_is_401(srv):
    r = api(srv, "POST", "/api/logout/")
    assert r.status_code == 401
    assert r.json() == NO_CREDENTIALS


# ------------------------------------------------------------------ token authentication


@pytest.mark.parametrize("path", ["/api/", "/api/paste/", "/api/user/me/", "/api/language/"])
def test_invalid_token_is_401_with_www_authenticate(srv, path):
    r = api(srv, "GET", path, token=BAD_TOKEN)
    assert r.status_code == 401
    assert r.json() == {"detail": "Invalid token."}
    www = r.headers.get("WWW-Authenticate")
    assert www is not None and www.startswith("Token"), f"WWW-Authenticate: {www!r}"


def test_missing_credentials_401_has_www_authenticate(srv):
    r = api(srv, "GET", "/api/user/me/")
    assert r.status_code == 401
    assert r.json() == NO_CREDENTIALS
    www = r.headers.get("WWW-Authenticate")
    assert www is not None and www.startswith("Token"), f"WWW-Authenticate: {www!r}"


def test_token_makes_the_caller_the_author(srv, alice):
    p = api_create(srv, token=alice.token, title="mine", body="by token")
    assert p["author"] == alice.id
    assert api(srv, "GET", f"/api/paste/{p['id']}/").json()["author"] == alice.id


def test_token_needs_no_csrf_for_unsafe_methods(srv, alice):
    p = api_create(srv, token=alice.token)
    r = api(srv, "PATCH", f"/api/paste/{p['id']}/", token=alice.token, json={"title": "renamed"})
    assert r.status_code == 200 and r.json()["title"] == "renamed"
    r = api(srv, "DELETE", f"/api/paste/{p['id']}/", token=alice.token)
    assert r.status_code == 204


def test_anonymous_can_read_and_create(srv):
    r = api(srv, "GET", "/api/paste/")
    assert r.status_code == 200
    p = api_create(srv, title="anon", body="anon body")
    assert p["author"] is None


# ------------------------------------------------------------------ session authentication


def test_session_cookie_authenticates_reads(srv, alice):
    r = api(srv, "GET", "/api/user/me/", session=alice.jar)
    assert r.status_code == 200
    assert r.json() == {"id": alice.id, "username": alice.name, "is_staff": False}


def test_session_unsafe_method_without_csrf_header_is_403(srv, alice):
    csrf_token(srv, alice.jar)  # make sure the jar has the csrftoken cookie
    r = api(srv, "POST", "/api/paste/", session=alice.jar, json={"title": "t", "body": "b"})
    assert r.status_code == 403
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["detail"].startswith("CSRF Failed:"), r.json()


def test_session_unsafe_method_with_wrong_csrf_header_is_403(srv, alice):
    csrf_token(srv, alice.jar)
    r = api(srv, "POST", "/api/paste/", session=alice.jar, json={"title": "t", "body": "b"},
            headers={"X-CSRFToken": "x" * 32})
    assert r.status_code == 403
    assert r.json()["detail"].startswith("CSRF Failed:"), r.json()


def test_session_unsafe_method_with_csrf_header_works(srv, alice):
    csrf_token(srv, alice.jar)
    cookie = alice.jar.cookies.get("csrftoken")
    r = api(srv, "POST", "/api/paste/", session=alice.jar, json={"title": "t", "body": "b"},
            headers={"X-CSRFToken": cookie})
    assert r.status_code == 201, r.text
    assert r.json()["author"] == alice.id
    pid = r.json()["id"]
    # and a DELETE through the session without the header is refused
    r = api(srv, "DELETE", f"/api/paste/{pid}/", session=alice.jar)
    assert r.status_code == 403
    assert api(srv, "GET", f"/api/paste/{pid}/").status_code == 200
    r = api(srv, "DELETE", f"/api/paste/{pid}/", session=alice.jar,
            headers={"X-CSRFToken": cookie})
    assert r.status_code == 204


# ------------------------------------------------------------------ users


def test_user_list_is_401_anonymous_and_403_authenticated(srv, alice, staff):
    r = api(srv, "GET", "/api/user/")
    assert r.status_code == 401
    assert r.json() == NO_CREDENTIALS
    for token in (alice.token, staff.token):
        r = api(srv, "GET", "/api/user/", token=token)
        assert r.status_code == 403
        assert r.json() == {"detail": "You do not have permission to perform this action."}


def test_user_detail_needs_credentials(srv, alice):
    r = api(srv, "GET", f"/api/user/{alice.id}/")
    assert r.status_code == 401
    assert r.json() == NO_CREDENTIALS


def test_user_detail_shape(srv, alice, staff):
    r = api(srv, "GET", f"/api/user/{alice.id}/", token=staff.token)
    assert r.status_code == 200
    assert r.json() == {"id": alice.id, "username": alice.name, "is_staff": False}
    r = api(srv, "GET", f"/api/user/{staff.id}/", token=alice.token)
    assert r.status_code == 200
    body = r.json()
    assert body == {"id": staff.id, "username": staff.name, "is_staff": True}
    assert type(body["id"]) is int and type(body["is_staff"]) is bool


def test_unknown_user_is_404(srv, alice):
    r = api(srv, "GET", "/api/user/987654/", token=alice.token)
    assert r.status_code == 404
    assert r.json() == {"detail": "Not found."}


def test_user_me_needs_credentials(srv):
    r = api(srv, "GET", "/api/user/me/")
    assert r.status_code == 401


def test_user_me_shows_the_caller(srv, alice, staff):
    assert api(srv, "GET", "/api/user/me/", token=alice.token).json() == \
        {"id": alice.id, "username": alice.name, "is_staff": False}
    assert api(srv, "GET", "/api/user/me/", token=staff.token).json() == \
        {"id": staff.id, "username": staff.name, "is_staff": True}


def test_user_me_put_renames(srv):
    u = api_user(srv, "renamer")
    new = new_username("renamed")
    r = api(srv, "PUT", "/api/user/me/", token=u.token, json={"username": new})
    assert r.status_code == 200, r.text
    assert r.json() == {"id": u.id, "username": new, "is_staff": False}
    assert api(srv, "GET", f"/api/user/{u.id}/", token=u.token).json()["username"] == new
    assert api(srv, "GET", "/api/user/me/", token=u.token).json()["username"] == new
    # the new name logs in
    assert api_login(srv, new, u.password) == u.token


def test_user_me_put_cannot_make_itself_staff(srv):
    u = api_user(srv, "climber")
    r = api(srv, "PUT", "/api/user/me/", token=u.token,
            json={"username": u.name, "is_staff": True, "id": 1})
    assert r.status_code in (200, 400)
    assert api(srv, "GET", "/api/user/me/", token=u.token).json() == \
        {"id": u.id, "username": u.name, "is_staff": False}


def test_user_me_put_rejects_a_taken_name(srv, alice):
    u = api_user(srv, "taker")
    r = api(srv, "PUT", "/api/user/me/", token=u.token, json={"username": alice.name})
    assert r.status_code == 400
    assert list(r.json()) == ["username"] and r.json()["username"]
    assert api(srv, "GET", "/api/user/me/", token=u.token).json()["username"] == u.name


@pytest.mark.parametrize("bad", ["", "has space", "x" * 151, None, 5])
def test_user_me_put_rejects_an_invalid_name(srv, alice, bad):
    r = api(srv, "PUT", "/api/user/me/", token=alice.token, json={"username": bad})
    assert r.status_code == 400, r.text
    assert list(r.json()) == ["username"] and r.json()["username"]
    assert api(srv, "GET", "/api/user/me/", token=alice.token).json()["username"] == alice.name


def test_user_me_put_without_credentials_is_401(srv):
    r = api(srv, "PUT", "/api/user/me/", json={"username": new_username()})
    assert r.status_code == 401


# ------------------------------------------------------------------ raw POST with a token


def test_raw_post_with_token_sets_the_author(srv, alice):
    r = raw_post(srv, "raw with token", headers={"Authorization": f"Token {alice.token}"})
    assert r.status_code == 201, r.text
    url = r.text.strip()
    m = re.fullmatch(re.escape(srv.base) + r"/(\d+)/", url)
    assert m, url
    p = api(srv, "GET", f"/api/paste/{m.group(1)}/").json()
    assert p["author"] == alice.id
    assert p["body"] == "raw with token"


def test_raw_post_without_token_is_anonymous(srv):
    r = raw_post(srv, "raw anon")
    assert r.status_code == 201
    pid = re.fullmatch(re.escape(srv.base) + r"/(\d+)/", r.text.strip()).group(1)
    assert api(srv, "GET", f"/api/paste/{pid}/").json()["author"] is None


def test_raw_post_with_invalid_token_is_401_text(srv):
    marker = new_username("rawbad")
    r = raw_post(srv, marker, headers={"Authorization": f"Token {BAD_TOKEN}"})
    assert r.status_code == 401
    assert r.headers["Content-Type"].startswith("text/plain")
    assert api(srv, "GET", f"/api/paste/?q={marker}").json()["count"] == 0
