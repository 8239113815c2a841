"""Failed-login throttling (issue 3): 10 failures per username or per client address
within 5 minutes, then 429 with "Too many" even for the right password.

Every test starts its own server: the throttle's memory must be empty. Whether the
throttle lifts after its window is not tested here (that would take 5 minutes).
"""

import requests

from conftest import (
    all_errors,
    errors_for,
    login,
    new_user,
    new_username,
    strong_password,
    who,
)


def fail_ten_times(srv, username, addresses=None):
    """Ten failed logins for username (from the given X-Forwarded-For addresses)."""
    for i in range(10):
        headers = {"X-Forwarded-For": addresses[i]} if addresses else None
        r = login(srv, requests.Session(), username, "Wrong-" + strong_password(), headers=headers)
        if i < 9:
            assert r.status_code == 200, f"failure {i + 1} answered {r.status_code}"
            assert errors_for(r.text, "__all__"), all_errors(r.text)
        else:
            assert r.status_code in (200, 429), f"failure 10 answered {r.status_code}"


def assert_throttled(r):
    assert r.status_code == 429, f"expected 429, got {r.status_code}: {all_errors(r.text)}"
    errs = errors_for(r.text, "__all__")
    assert any("Too many" in e for e in errs), f"no 'Too many' message: {all_errors(r.text)}"


def test_login_is_throttled_after_ten_failures_even_with_right_password(make_server):
    srv = make_server()
    user = new_user(srv, "thr")
    fail_ten_times(srv, user.name)
    jar = requests.Session()
    r = login(srv, jar, user.name, user.password)
    assert_throttled(r)
    assert who(srv, jar) is None, "a throttled login still logged in"
    # the session made before the failures is not affected
    assert who(srv, user.jar) == user.name


def test_nine_failures_do_not_throttle(make_server):
    srv = make_server()
    user = new_user(srv, "nine")
    for _ in range(9):
        r = login(srv, requests.Session(), user.name, "Wrong-" + strong_password())
        assert r.status_code == 200
    r = login(srv, requests.Session(), user.name, user.password)
    assert r.status_code == 302, all_errors(r.text)


def test_throttle_is_per_username_and_per_address(make_server):
    srv = make_server(env={"SILLYPASTE_TRUST_PROXY": "true"})
    alice, bob = new_user(srv, "alice"), new_user(srv, "bob")

    # alice's name fails 10 times, each from another address: alice is throttled everywhere
    fail_ten_times(srv, alice.name, [f"10.0.0.{i}" for i in range(1, 11)])
    assert_throttled(login(srv, requests.Session(), alice.name, alice.password,
                           headers={"X-Forwarded-For": "10.0.1.1"}))
    # ...but bob, from a fresh address, is not
    r = login(srv, requests.Session(), bob.name, bob.password,
              headers={"X-Forwarded-For": "10.0.1.2"})
    assert r.status_code == 302, f"per-username throttle hit another user: {r.status_code}"

    # one address fails 10 times for 10 different (unknown) names: that address is throttled
    for i in range(10):
        r = login(srv, requests.Session(), new_username("ghost"), "Wrong-" + strong_password(),
                  headers={"X-Forwarded-For": "10.0.2.1"})
        assert r.status_code in ((200,) if i < 9 else (200, 429)), r.status_code
    assert_throttled(login(srv, requests.Session(), bob.name, bob.password,
                           headers={"X-Forwarded-For": "10.0.2.1"}))
    # ...while bob from another address still logs in
    r = login(srv, requests.Session(), bob.name, bob.password,
              headers={"X-Forwarded-For": "10.0.2.2"})
    assert r.status_code == 302, f"per-address throttle hit another address: {r.status_code}"


def test_forwarded_for_is_ignored_without_trust_proxy(make_server):
    """Without SILLYPASTE_TRUST_PROXY a client cannot dodge the per-address throttle by
    sending a different X-Forwarded-For with every attempt."""
    srv = make_server()
    user = new_user(srv, "spoof")
    for i in range(10):
        r = login(srv, requests.Session(), new_username("ghost"), "Wrong-" + strong_password(),
                  headers={"X-Forwarded-For": f"10.9.0.{i + 1}"})
        assert r.status_code in ((200,) if i < 9 else (200, 429)), r.status_code
    assert_throttled(login(srv, requests.Session(), user.name, user.password,
                           headers={"X-Forwarded-For": "10.9.1.1"}))


def test_session_cookie_is_secure_behind_https_proxy(make_server):
    srv = make_server(env={"SILLYPASTE_TRUST_PROXY": "true"})
    user = new_user(srv, "sec")
    jar = requests.Session()
    r = login(srv, jar, user.name, user.password, headers={"X-Forwarded-Proto": "https"})
    assert r.status_code == 302, all_errors(r.text)
    cookies = [c for c in r.raw.headers.getlist("Set-Cookie") if c.startswith("sessionid=")]
    assert cookies
    attrs = [a.strip().lower() for a in cookies[0].split(";")]
    assert "secure" in attrs and "httponly" in attrs
