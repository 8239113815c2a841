"""User accounts (SPEC §3, §5, §6): register, log in, log out, change password,
navigation, profiles, /my_pastes/, anonymous-to-registered transfer, /stats/ counts.

These tests share one server of their own (`module_server`): failed logins are throttled
per client address, and every request here comes from 127.0.0.1, so the module makes
only a handful of failed logins (fewer than 10) in all. Throttling itself is tested in
test_accounts_throttle.py on fresh servers.
"""

import re

import pytest
import requests

from conftest import (
    all_errors,
    create_paste,
    csrf_from,
    csrf_token,
    db_rows,
    errors_for,
    find_tags,
    form_data,
    jar_with_session,
    location,
    logged_in_as,
    login,
    login_ok,
    logout,
    new_user,
    new_username,
    paste_ids,
    paste_links,
    post_form,
    query_of,
    redirect_to_login,
    register,
    secret_paste_id,
    strong_password,
    text_of,
    unique,
    who,
)


@pytest.fixture(scope="module")
def srv(module_server):
    return module_server


def inputs(page):
    return {a.get("name"): a for a in find_tags(page, "input") if a.get("name")}


def hrefs(page):
    return {a.get("href") for a in find_tags(page, "a")}


def password_errors(page):
    """Password-rule errors may sit under password1 or password2 (Django: password2)."""
    return errors_for(page, "password1") + errors_for(page, "password2")


def private_paste(srv, jar, marker):
    r = post_form(srv, jar, title=f"private {marker}", body=f"secret {marker}", private=True)
    assert r.status_code == 302, all_errors(r.text)
    path = location(r)
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]+/", path), path
    return path


# ------------------------------------------------------------------ register


def test_register_page_has_the_form(srv):
    r = srv.get("/accounts/register/")
    assert r.status_code == 200
    fields = inputs(r.text)
    assert "username" in fields
    assert fields.get("password1", {}).get("type") == "password"
    assert fields.get("password2", {}).get("type") == "password"
    assert csrf_from(r.text)
    assert re.search(r"<form\b[^>]*method=[\"']?post", r.text, re.I)


def test_register_logs_in_and_redirects_to_profile(srv):
    jar, name = requests.Session(), new_username("reg")
    r = register(srv, jar, name, strong_password())
    assert r.status_code == 302, all_errors(r.text)
    assert location(r) == f"/profile/{name}/"
    assert jar.cookies.get("sessionid"), "registration did not set a sessionid cookie"
    assert who(srv, jar) == name
    assert srv.get(f"/profile/{name}/", session=jar).status_code == 200


def test_register_accepts_every_allowed_username_character(srv):
    name = f"a.b+c-d_e@f{unique('')[:8]}"
    r = register(srv, requests.Session(), name, strong_password())
    assert r.status_code == 302, all_errors(r.text)
    assert location(r).startswith("/profile/")
    assert srv.get(f"/profile/{name}/").status_code == 200


def test_register_accepts_150_character_username(srv):
    name = new_username("long")
    name += "x" * (150 - len(name))
    r = register(srv, requests.Session(), name, strong_password())
    assert r.status_code == 302, all_errors(r.text)
    assert srv.get(f"/profile/{name}/").status_code == 200


def test_register_gives_a_new_session_id(srv):
    jar = requests.Session()
    create_paste(srv, jar, title="before registering", body="x")
    old = jar.cookies.get("sessionid")
    assert old
    user = new_user(srv, "fix", jar=jar)
    new = jar.cookies.get("sessionid")
    assert new and new != old, "the session id did not change on registration (fixation)"
    assert who(srv, jar_with_session(old)) != user.name, "the old session id is logged in"


@pytest.mark.parametrize("bad", [
    "",
    "x" * 151,
    "with space",
    "semi;colon",
    "slash/name",
    "<script>",
    "quote'name",
])
def test_register_rejects_bad_username(srv, bad):
    jar = requests.Session()
    r = register(srv, jar, bad, strong_password())
    assert r.status_code == 200
    assert errors_for(r.text, "username"), f"no username error for {bad!r}: {all_errors(r.text)}"
    assert who(srv, jar) is None
    if bad and "/" not in bad:
        assert srv.get("/profile/" + requests.utils.quote(bad, safe="") + "/").status_code == 404


def test_register_rejects_duplicate_username_case_insensitively(srv):
    base = new_username("Dup")
    first = register(srv, requests.Session(), base, strong_password())
    assert first.status_code == 302, all_errors(first.text)
    for variant in (base, base.lower(), base.upper()):
        jar = requests.Session()
        r = register(srv, jar, variant, strong_password())
        assert r.status_code == 200, f"{variant!r} registered though {base!r} exists"
        assert errors_for(r.text, "username"), all_errors(r.text)
        assert who(srv, jar) is None


@pytest.mark.parametrize("rule,password", [
    ("too short", "Zq7-x9K"),
    ("all digits", "8302917465"),
    ("common", "password123"),
    ("common", "qwertyuiop"),
])
def test_register_rejects_weak_password(srv, rule, password):
    name, jar = new_username("weak"), requests.Session()
    r = register(srv, jar, name, password)
    assert r.status_code == 200, f"{rule} password {password!r} accepted"
    assert password_errors(r.text), f"no password error for {rule}: {all_errors(r.text)}"
    assert who(srv, jar) is None
    assert srv.get(f"/profile/{name}/").status_code == 404, "user created despite the error"


def test_register_rejects_password_similar_to_username(srv):
    name, jar = new_username("margaret"), requests.Session()
    r = register(srv, jar, name, name + "1")
    assert r.status_code == 200, "password = username + '1' accepted"
    assert password_errors(r.text), all_errors(r.text)
    assert srv.get(f"/profile/{name}/").status_code == 404


def test_register_shows_several_password_problems_at_once(srv):
    r = register(srv, requests.Session(), new_username("multi"), "1234567")
    assert r.status_code == 200
    assert len(password_errors(r.text)) >= 2, (
        f"a 7-digit common password breaks several rules, shown: {all_errors(r.text)}"
    )


def test_register_rejects_mismatched_passwords(srv):
    name = new_username("mis")
    r = register(srv, requests.Session(), name, strong_password(), strong_password())
    assert r.status_code == 200
    assert errors_for(r.text, "password2"), all_errors(r.text)
    assert srv.get(f"/profile/{name}/").status_code == 404


def test_register_form_shown_again_keeps_the_username(srv):
    name = new_username("keep")
    r = register(srv, requests.Session(), name, "short")
    assert r.status_code == 200
    assert inputs(r.text).get("username", {}).get("value") == name
    assert "password1" in inputs(r.text) and "username" in inputs(r.text)


def test_register_without_csrf_is_403_and_creates_nothing(srv):
    jar, name = requests.Session(), new_username("nocsrf")
    csrf_token(srv, jar, "/accounts/register/")
    r = register(srv, jar, name, strong_password(), csrf=False)
    assert r.status_code == 403
    assert srv.get(f"/profile/{name}/").status_code == 404


def test_new_password_is_stored_as_argon2id(srv):
    user = new_user(srv, "hash")
    rows = db_rows(srv, "SELECT password_hash FROM users WHERE username = ?", (user.name,))
    assert rows and rows[0][0].startswith("$argon2id$"), rows
    assert user.password not in rows[0][0]


# ------------------------------------------------------------------ login


def test_login_page_has_the_form_and_carries_next(srv):
    r = srv.get("/accounts/login/?next=/all/")
    assert r.status_code == 200
    fields = inputs(r.text)
    assert "username" in fields
    assert fields.get("password", {}).get("type") == "password"
    assert fields.get("next", {}).get("value") == "/all/", "next is not carried in the form"
    assert csrf_from(r.text)


def test_login_with_right_password_redirects_to_profile(srv):
    user = new_user(srv, "login")
    jar = requests.Session()
    r = login(srv, jar, user.name, user.password)
    assert r.status_code == 302, all_errors(r.text)
    assert location(r) == f"/profile/{user.name}/"
    assert who(srv, jar) == user.name


def test_login_gives_a_new_session_id_and_old_one_logs_in_nobody(srv):
    user = new_user(srv, "rot")
    jar = requests.Session()
    create_paste(srv, jar, title="anon first", body="x")
    old = jar.cookies.get("sessionid")
    assert old
    login_ok(srv, user.name, user.password, jar=jar)
    assert jar.cookies.get("sessionid") not in (None, old), "session id kept across login"
    assert who(srv, jar_with_session(old)) is None


def test_login_session_cookie_is_httponly_and_samesite_lax(srv):
    user = new_user(srv, "cook")
    jar = requests.Session()
    r = login(srv, jar, user.name, user.password)
    assert r.status_code == 302
    cookies = [c for c in r.raw.headers.getlist("Set-Cookie") if c.startswith("sessionid=")]
    assert cookies, "login set no sessionid cookie"
    attrs = [a.strip().lower() for a in cookies[0].split(";")]
    assert "httponly" in attrs and "samesite=lax" in attrs
    assert "secure" not in attrs, "Secure cookie over plain http would never come back"
    value = cookies[0].split(";")[0].split("=", 1)[1]
    assert len(value) >= 20, f"session id {value!r} is too short to be unguessable"


@pytest.fixture(scope="module")
def someone(module_server):
    return new_user(module_server, "next")


@pytest.mark.parametrize("next_path", ["/all/?q=x&page=1", "/paste/", "/stats/"])
def test_login_follows_local_next(srv, someone, next_path):
    user = someone
    r = login(srv, requests.Session(), user.name, user.password, next=next_path)
    assert r.status_code == 302
    assert location(r) == next_path


@pytest.mark.parametrize("bad_next", [
    "https://evil.example/",
    "//evil.example/",
    "http:/evil.example/",
    "javascript:alert(1)",
    "evil.example/x",
])
def test_login_ignores_non_local_next(srv, someone, bad_next):
    user = someone
    r = login(srv, requests.Session(), user.name, user.password, next=bad_next)
    assert r.status_code == 302
    assert r.headers["Location"] in (f"/profile/{user.name}/", f"{srv.base}/profile/{user.name}/")


def test_login_ignores_backslash_next(srv, someone):
    """Browsers read "/\\evil.example" as "//evil.example": an open redirect."""
    user = someone
    r = login(srv, requests.Session(), user.name, user.password, next="/\\evil.example/")
    assert r.status_code == 302
    assert "evil" not in r.headers["Location"]


def test_login_with_wrong_password_fails(srv):  # 1 failed login
    user = new_user(srv, "wrong")
    jar = requests.Session()
    r = login(srv, jar, user.name, user.password + "x")
    assert r.status_code == 200
    assert errors_for(r.text, "__all__"), all_errors(r.text)
    assert who(srv, jar) is None
    assert inputs(r.text).get("username", {}).get("value") == user.name


def test_login_unknown_user_fails_with_the_same_message(srv):  # 2 failed logins
    user = new_user(srv, "same")
    wrong = login(srv, requests.Session(), user.name, "Nope-" + strong_password())
    unknown = login(srv, requests.Session(), new_username("ghost"), "Nope-" + strong_password())
    assert unknown.status_code == 200
    assert errors_for(unknown.text, "__all__")
    assert errors_for(unknown.text, "__all__") == errors_for(wrong.text, "__all__"), \
        "the message tells whether the user exists"


def test_login_without_csrf_is_403(srv):
    user = new_user(srv, "lcsrf")
    jar = requests.Session()
    csrf_token(srv, jar, "/accounts/login/")
    r = login(srv, jar, user.name, user.password, csrf=False)
    assert r.status_code == 403
    assert who(srv, jar) is None


# ------------------------------------------------------------------ logout


def test_logout_get_shows_a_post_form(srv):
    user = new_user(srv, "out")
    r = srv.get("/accounts/logout/", session=user.jar)
    assert r.status_code == 200
    assert re.search(r"<form\b[^>]*method=[\"']?post", r.text, re.I)
    assert csrf_from(r.text)
    assert re.search(r"<button\b|<input\b[^>]*type=[\"']?submit", r.text, re.I)
    assert who(srv, user.jar) == user.name, "a GET logged the user out"


def test_logout_ends_the_session(srv):
    user = new_user(srv, "end")
    old = user.jar.cookies.get("sessionid")
    r = logout(srv, user.jar)
    assert r.status_code == 302
    assert location(r) == "/"
    assert who(srv, user.jar) is None
    stale = jar_with_session(old)
    assert who(srv, stale) is None, "the old session id still logs the user in"
    r = srv.get("/my_pastes/", session=stale)
    assert r.status_code == 302 and location(r).startswith("/accounts/login/")


def test_logout_without_csrf_is_403_and_stays_logged_in(srv):
    user = new_user(srv, "stay")
    csrf_token(srv, user.jar, "/accounts/logout/")
    r = srv.post("/accounts/logout/", session=user.jar, data={})
    assert r.status_code == 403
    assert who(srv, user.jar) == user.name


# ------------------------------------------------------------------ navigation


NAV_PAGES = ["/", "/paste/", "/all/", "/stats/", "/privacy_policy/", "/accounts/login/",
             "/health/dashboard/"]


def test_navigation_when_not_logged_in(srv):
    for path in NAV_PAGES + ["/no/such/page/"]:
        page = srv.get(path).text
        links = hrefs(page)
        assert "/accounts/login/" in links or any(
            h.startswith("/accounts/login/?") for h in links if h), f"no Log in link on {path}"
        assert "/accounts/register/" in links, f"no Register link on {path}"
        text = text_of(page)
        assert "Log in" in text and "Register" in text, path
        assert logged_in_as(page) is None
        assert "/accounts/logout/" not in links


def test_navigation_when_logged_in(srv):
    user = new_user(srv, "nav")
    p = create_paste(srv, user.jar, title="nav", body="x")
    for path in [p for p in NAV_PAGES if p != "/accounts/login/"] + [
            p.path, f"/profile/{user.name}/", "/accounts/password_change/"]:
        page = srv.get(path, session=user.jar).text
        assert logged_in_as(page) == user.name, f"{path}: {text_of(page)[:300]}"
        links = hrefs(page)
        assert "/accounts/logout/" in links, f"no Log out link on {path}"
        assert "Log out" in text_of(page)
        assert "/accounts/register/" not in links, f"Register link shown to a user on {path}"


def test_navigation_on_error_pages_when_logged_in(srv):
    user, other = new_user(srv, "nav4"), new_user(srv, "nav3")
    theirs = create_paste(srv, other.jar, title="not yours", body="x")
    for path, status in ((theirs.path + "edit/", 403), ("/no/such/page/", 404)):
        r = srv.get(path, session=user.jar)
        assert r.status_code == status, path
        assert logged_in_as(r.text) == user.name, f"{path} ({status}): {text_of(r.text)[:300]}"
        assert "/accounts/logout/" in hrefs(r.text), path


# ------------------------------------------------------------------ password change


def test_password_change_needs_login(srv):
    r = srv.get("/accounts/password_change/")
    redirect_to_login(r, "/accounts/password_change/")


def test_password_change_page_has_the_form(srv):
    user = new_user(srv, "pcform")
    r = srv.get("/accounts/password_change/", session=user.jar)
    assert r.status_code == 200
    fields = inputs(r.text)
    for name in ("old_password", "new_password1", "new_password2"):
        assert fields.get(name, {}).get("type") == "password", name
    assert csrf_from(r.text)


def change_password(srv, jar, old, new1, new2=None, csrf=True):
    data = {"old_password": old, "new_password1": new1,
            "new_password2": new1 if new2 is None else new2}
    if csrf:
        data["csrfmiddlewaretoken"] = csrf_token(srv, jar, "/accounts/password_change/")
    return srv.post("/accounts/password_change/", session=jar, data=data)


def test_password_change_with_wrong_old_password(srv):
    user = new_user(srv, "pcold")
    r = change_password(srv, user.jar, "Not-" + user.password, strong_password())
    assert r.status_code == 200
    assert errors_for(r.text, "old_password"), all_errors(r.text)
    login_ok(srv, user.name, user.password)


@pytest.mark.parametrize("new1,new2,field", [
    ("short", None, None),
    ("12345678901", None, None),
    ("password123", None, None),
    ("Kq-28fjw-Zu2", "Kq-28fjw-Zu3", "new_password2"),
])
def test_password_change_applies_the_password_rules(srv, new1, new2, field):
    user = new_user(srv, "pcrule")
    r = change_password(srv, user.jar, user.password, new1, new2)
    assert r.status_code == 200, f"{new1!r}/{new2!r} accepted"
    errs = all_errors(r.text)
    if field:
        assert errors_for(r.text, field), errs
    else:
        assert errors_for(r.text, "new_password1") or errors_for(r.text, "new_password2"), errs


def test_password_change_success(srv):  # 1 failed login
    user = new_user(srv, "pcok")
    new = strong_password()
    r = change_password(srv, user.jar, user.password, new)
    assert r.status_code == 302, all_errors(r.text)
    assert location(r) == "/accounts/password_change/done/"
    done = srv.get("/accounts/password_change/done/", session=user.jar)
    assert done.status_code == 200
    assert who(srv, user.jar) == user.name, "changing the password logged this session out"
    rows = db_rows(srv, "SELECT password_hash FROM users WHERE username = ?", (user.name,))
    assert rows[0][0].startswith("$argon2id$")
    login_ok(srv, user.name, new)
    r = login(srv, requests.Session(), user.name, user.password)
    assert r.status_code == 200, "the old password still works"


def test_password_change_without_csrf_is_403(srv):
    user = new_user(srv, "pccsrf")
    csrf_token(srv, user.jar, "/accounts/password_change/")
    r = change_password(srv, user.jar, user.password, strong_password(), csrf=False)
    assert r.status_code == 403
    login_ok(srv, user.name, user.password)


# ------------------------------------------------------------------ profiles and /my_pastes/


def test_my_pastes_redirects_to_own_profile(srv):
    user = new_user(srv, "mine")
    r = srv.get("/my_pastes/", session=user.jar)
    assert r.status_code == 302
    assert location(r) == f"/profile/{user.name}/"


def test_my_pastes_needs_login(srv):
    for jar in (None, requests.Session()):
        redirect_to_login(srv.get("/my_pastes/", session=jar), "/my_pastes/")


def test_anonymous_paster_is_not_shown_as_logged_in(srv):
    jar = requests.Session()
    p = create_paste(srv, jar, title="anon", body="x")
    for path in ("/", p.path):
        page = srv.get(path, session=jar).text
        assert logged_in_as(page) is None
        assert "/accounts/register/" in hrefs(page)
    redirect_to_login(srv.get("/my_pastes/", session=jar), "/my_pastes/")


def test_unknown_profile_is_404(srv):
    assert srv.get(f"/profile/{new_username('nobody')}/").status_code == 404


def test_profile_lists_only_that_users_pastes(srv):
    alice, bob = new_user(srv, "alice"), new_user(srv, "bob")
    a1 = create_paste(srv, alice.jar, title="a1", body="x")
    a2 = create_paste(srv, alice.jar, title="a2", body="x")
    b1 = create_paste(srv, bob.jar, title="b1", body="x")
    for jar in (None, alice.jar, bob.jar):
        r = srv.get(f"/profile/{alice.name}/", session=jar)
        assert r.status_code == 200
        ids = paste_ids(r.text)
        assert a1.id in ids and a2.id in ids
        assert b1.id not in ids
    assert alice.name in text_of(srv.get(f"/profile/{alice.name}/").text)


def test_paste_page_names_its_registered_author(srv):
    user = new_user(srv, "author")
    p = create_paste(srv, user.jar, title="by author", body="x")
    page = srv.get(p.path).text
    assert user.name in text_of(page)


def test_profile_private_pastes_only_to_owner(srv):
    owner, other, marker = new_user(srv, "priv"), new_user(srv, "peek"), unique()
    public = create_paste(srv, owner.jar, title=f"public {marker}", body="x")
    secret = private_paste(srv, owner.jar, marker)
    mine = srv.get(f"/profile/{owner.name}/", session=owner.jar)
    assert secret in paste_links(mine.text), "owner does not see its private paste (secret link)"
    assert public.path in paste_links(mine.text)
    for jar in (None, other.jar, requests.Session()):
        page = srv.get(f"/profile/{owner.name}/", session=jar).text
        assert public.path in paste_links(page)
        assert secret not in page
        assert f"private {marker}" not in page, "private title leaked on someone else's view"


def test_all_private_pastes_only_to_owner(srv):
    owner, other, marker = new_user(srv, "allp"), new_user(srv, "allo"), unique()
    secret = private_paste(srv, owner.jar, marker)
    page = srv.get(f"/all/?q={marker}", session=owner.jar).text
    assert secret in paste_links(page) or len(paste_ids(page)) == 1
    for jar in (None, other.jar):
        page = srv.get(f"/all/?q={marker}", session=jar).text
        assert not paste_links(page), f"private paste listed to others: {paste_links(page)}"


@pytest.fixture(scope="module")
def prolific(module_server):
    """A user with 35 pastes, titled so that title order differs from id order."""
    user = new_user(module_server, "many")
    token = csrf_token(module_server, user.jar)
    ids = []
    for i in range(35):
        data = form_data(title=f"t{(i * 8) % 35:02d}", body=f"b{i}", csrfmiddlewaretoken=token)
        r = module_server.post("/paste/", session=user.jar, data=data)
        assert r.status_code == 302, all_errors(r.text)
        ids.append(int(location(r).strip("/")))
    return user, ids


def test_profile_paginates_30_per_page(srv, prolific):
    user, ids = prolific
    first = paste_ids(srv.get(f"/profile/{user.name}/").text)
    second = paste_ids(srv.get(f"/profile/{user.name}/?page=2").text)
    assert len(first) == 30, len(first)
    assert len(second) == 5, len(second)
    assert set(first) | set(second) == set(ids)
    assert first == sorted(first, reverse=True), "default order is not newest first"
    assert first[0] == ids[-1]


def test_profile_sorts(srv, prolific):
    user, ids = prolific
    by_id = paste_ids(srv.get(f"/profile/{user.name}/?sort=id").text)
    assert by_id == ids[:30]
    titles = {pid: f"t{(i * 8) % 35:02d}" for i, pid in enumerate(ids)}
    by_title = paste_ids(srv.get(f"/profile/{user.name}/?sort=title").text)
    assert by_title == sorted(ids, key=titles.get)[:30]
    desc = paste_ids(srv.get(f"/profile/{user.name}/?sort=-title").text)
    # ties are broken by id in the same direction as the sort
    assert desc == sorted(ids, key=lambda pid: (titles[pid], pid), reverse=True)[:30]


def test_profile_invalid_sort_redirects_without_sort(srv, prolific):
    user, _ = prolific
    r = srv.get(f"/profile/{user.name}/", params={"sort": "bogus", "page": "2"})
    assert r.status_code == 302
    loc = location(r)
    assert loc.startswith(f"/profile/{user.name}/")
    assert "sort" not in query_of(loc)
    assert query_of(loc).get("page") == ["2"]


def test_anonymous_users_profile_is_404_to_others(srv):
    anon = requests.Session()
    p = create_paste(srv, anon, title="anon profile", body="x")
    rows = db_rows(srv, "SELECT u.username FROM pastes p JOIN users u ON u.id = p.author_id "
                        "WHERE p.id = ?", (p.id,))
    assert rows, "an anonymous web paste has no author row"
    name = rows[0][0]
    user = new_user(srv, "see")
    for jar in (None, requests.Session(), user.jar):
        r = srv.get(f"/profile/{name}/", session=jar)
        assert r.status_code == 404, r.status_code
    assert name not in text_of(srv.get(p.path).text), "anonymous user's name shown as author"


# ------------------------------------------------------------------ anonymous ownership transfer


def test_anonymous_pastes_move_to_account_on_register(srv):
    jar, marker = requests.Session(), unique()
    public = create_paste(srv, jar, title=f"pub {marker}", body="x")
    secret = private_paste(srv, jar, marker)
    user = new_user(srv, "conv", jar=jar)
    page = srv.get(f"/profile/{user.name}/", session=jar).text
    assert public.path in paste_links(page), "anonymous public paste not on the new profile"
    assert secret in paste_links(page), "anonymous private paste not on the new profile"
    assert public.id in paste_ids(srv.get(f"/profile/{user.name}/").text)
    # still editable from the same browser, now as the account
    r = srv.get(public.path + "edit/", session=jar)
    assert r.status_code == 200
    data = form_data(title=f"edited {marker}", body="y", csrfmiddlewaretoken=csrf_from(r.text))
    r = srv.post(public.path + "edit/", session=jar, data=data)
    assert r.status_code == 302, all_errors(r.text)
    assert srv.get(public.raw).content == b"y"
    pid = secret_paste_id(srv, secret)
    assert srv.get(f"/{pid}/edit/", session=jar).status_code == 200
    assert srv.get(f"/{pid}/", session=jar).status_code == 200
    # and from another browser logged in as the account
    other = login_ok(srv, user.name, user.password)
    assert srv.get(public.path + "edit/", session=other).status_code == 200
    assert user.name in text_of(srv.get(public.path).text)


def test_anonymous_pastes_move_to_account_on_login(srv):
    user = new_user(srv, "back")
    jar = requests.Session()
    p = create_paste(srv, jar, title="made before login", body="x")
    login_ok(srv, user.name, user.password, jar=jar)
    assert p.id in paste_ids(srv.get(f"/profile/{user.name}/").text)
    assert srv.get(p.path + "edit/", session=user.jar).status_code == 200


def test_pastes_made_while_logged_in_belong_to_the_user(srv):
    user = new_user(srv, "own")
    p = create_paste(srv, user.jar, title="logged in paste", body="x")
    assert p.id in paste_ids(srv.get(f"/profile/{user.name}/").text)
    other = login_ok(srv, user.name, user.password)
    assert srv.get(p.path + "edit/", session=other).status_code == 200
    stranger = new_user(srv, "str")
    assert srv.get(p.path + "edit/", session=stranger.jar).status_code == 403
    assert srv.get(p.path + "delete/", session=stranger.jar).status_code == 403


def test_logged_out_browser_no_longer_owns_the_pastes(srv):
    user = new_user(srv, "gone")
    p = create_paste(srv, user.jar, title="mine", body="x")
    assert logout(srv, user.jar).status_code == 302
    assert srv.get(p.path + "edit/", session=user.jar).status_code == 403


# ------------------------------------------------------------------ stats


def user_counts(srv):
    page = srv.get("/stats/").text
    pairs = {
        text_of(dt): text_of(dd)
        for dt, dd in re.findall(r"<dt\b[^>]*>(.*?)</dt>\s*<dd\b[^>]*>(.*?)</dd>", page, re.S | re.I)
    }
    out = {}
    for key in ("Anonymous users", "Registered users", "Total users"):
        assert key in pairs, f"/stats/ has no <dt>{key}</dt>: {sorted(pairs)}"
        out[key] = int(pairs[key].replace(",", ""))
    return out


def test_stats_counts_users(srv):
    before = user_counts(srv)
    assert before["Total users"] == before["Anonymous users"] + before["Registered users"]
    new_user(srv, "stat")
    create_paste(srv, requests.Session(), title="anon stat", body="x")
    after = user_counts(srv)
    assert after["Registered users"] == before["Registered users"] + 1
    assert after["Anonymous users"] == before["Anonymous users"] + 1
    assert after["Total users"] == before["Total users"] + 2
