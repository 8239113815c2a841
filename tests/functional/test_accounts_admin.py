"""Staff powers, /admin/, the createsuperuser and changepassword commands, and Django
PBKDF2 hashes upgraded to Argon2id (SPEC §3, §6, issue 3).

One server of the module's own; fewer than 10 failed logins in all (see test_accounts.py).
"""

import base64
import hashlib
import time

import pytest
import requests

from conftest import (
    all_errors,
    api,
    api_user,
    create_paste,
    create_superuser,
    csrf_from,
    csrf_token,
    db_rows,
    errors_for,
    form_data,
    location,
    login,
    login_ok,
    new_user,
    new_username,
    paste_ids,
    paste_links,
    post_form,
    redirect_to_login,
    secret_paste_id,
    shown_hits,
    staff_user,
    strong_password,
    text_of,
    unique,
    user_id,
    who,
)


@pytest.fixture(scope="module")
def srv(module_server):
    return module_server


@pytest.fixture(scope="module")
def staff(module_server):
    return staff_user(module_server)


def private_paste(srv, jar, marker):
    r = post_form(srv, jar, title=f"private {marker}", body=f"secret {marker}", private=True)
    assert r.status_code == 302, all_errors(r.text)
    return location(r)


def admin_post(srv, jar, path, action, id, csrf=True):
    data = {"action": action, "id": str(id)}
    if csrf:
        data["csrfmiddlewaretoken"] = csrf_token(srv, jar, path)
    return srv.post(path, session=jar, data=data)


def assert_back_to(r, path):
    assert r.status_code == 302, f"admin action answered {r.status_code}: {r.text[:500]}"
    assert location(r).split("?")[0] == path


# ------------------------------------------------------------------ createsuperuser / changepassword


def test_createsuperuser_from_stdin(srv):
    name, password = new_username("root"), strong_password()
    res = create_superuser(srv, name, password)
    assert res.returncode == 0, res.stderr
    jar = login_ok(srv, name, password)
    assert who(srv, jar) == name
    assert srv.get("/admin/", session=jar).status_code == 200, "the new superuser is not staff"
    rows = db_rows(srv, "SELECT password_hash, is_staff, is_superuser FROM users WHERE username = ?",
                   (name,))
    assert rows[0][0].startswith("$argon2id$") and rows[0][1] and rows[0][2]


@pytest.mark.parametrize("password", ["123", "short", "12345678901", "password123"])
def test_createsuperuser_rejects_bad_password(srv, password):
    name = new_username("weak")
    res = create_superuser(srv, name, password)
    assert res.returncode == 2, (res.returncode, res.stderr)
    assert res.stderr.strip(), "no message on stderr"
    assert not db_rows(srv, "SELECT id FROM users WHERE username = ?", (name,))


def test_createsuperuser_rejects_duplicate_name(srv):
    name = new_username("Twice")
    assert create_superuser(srv, name, strong_password()).returncode == 0
    for variant in (name, name.lower()):
        res = create_superuser(srv, variant, strong_password())
        assert res.returncode == 2, (variant, res.returncode, res.stderr)
        assert res.stderr.strip()


@pytest.mark.parametrize("name", ["bad name", "", "x" * 151, "semi;colon"])
def test_createsuperuser_rejects_bad_username(srv, name):
    res = create_superuser(srv, name, strong_password())
    assert res.returncode == 2, (res.returncode, res.stderr)
    assert res.stderr.strip()


def test_changepassword_from_stdin_ends_old_sessions(srv):  # 1 failed login
    user = new_user(srv, "chg")
    other_jar = login_ok(srv, user.name, user.password)
    new = strong_password()
    res = srv.cli("changepassword", user.name, "--password-stdin", input=new + "\n")
    assert res.returncode == 0, res.stderr
    assert who(srv, user.jar) is None, "a session from before the change is still logged in"
    assert who(srv, other_jar) is None
    login_ok(srv, user.name, new)
    assert login(srv, requests.Session(), user.name, user.password).status_code == 200


def test_changepassword_rejects_bad_password_and_unknown_user(srv):
    user = new_user(srv, "chgbad")
    res = srv.cli("changepassword", user.name, "--password-stdin", input="123\n")
    assert res.returncode == 2 and res.stderr.strip()
    assert who(srv, user.jar) == user.name, "a refused change ended the session"
    res = srv.cli("changepassword", new_username("nobody"), "--password-stdin",
                  input=strong_password() + "\n")
    assert res.returncode == 2 and res.stderr.strip()


# ------------------------------------------------------------------ Django hashes


def django_hash(password, iterations=1000, salt="a1B2c3D4e5F6g7H8"):
    dk = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(dk).decode()}"


def stored_hash(srv, name):
    return db_rows(srv, "SELECT password_hash FROM users WHERE username = ?", (name,))[0][0]


def test_django_pbkdf2_hash_logs_in_and_is_upgraded_to_argon2id(srv):  # 1 failed login
    user = new_user(srv, "django")
    legacy = "Legacy-" + strong_password()
    h = django_hash(legacy)
    db_rows(srv, "UPDATE users SET password_hash = ? WHERE username = ?", (h, user.name))
    # a wrong password is refused and leaves the hash as it was
    assert login(srv, requests.Session(), user.name, legacy + "x").status_code == 200
    assert stored_hash(srv, user.name) == h
    jar = login_ok(srv, user.name, legacy)
    assert who(srv, jar) == user.name
    upgraded = stored_hash(srv, user.name)
    assert upgraded.startswith("$argon2id$"), upgraded
    login_ok(srv, user.name, legacy)  # still the same password after the upgrade


def test_django_hash_with_default_iterations_logs_in(srv):
    """Django 3.x/4.x strings: 260000+ iterations, salt of 22 characters."""
    user = new_user(srv, "dj4")
    legacy = "Legacy-" + strong_password()
    db_rows(srv, "UPDATE users SET password_hash = ? WHERE username = ?",
            (django_hash(legacy, 260000, "Zt0gH3pQ9xLm2vB7kR4sNc"), user.name))
    login_ok(srv, user.name, legacy)
    assert stored_hash(srv, user.name).startswith("$argon2id$")


# ------------------------------------------------------------------ staff on pastes


def test_staff_edits_someone_elses_paste(srv, staff):
    owner = new_user(srv, "ed")
    p = create_paste(srv, owner.jar, title="theirs", body="original")
    page = srv.get(p.path, session=staff.jar)
    assert "You have admin access" in text_of(page.text)
    assert "You have admin access" not in text_of(srv.get(p.path, session=owner.jar).text)
    r = srv.get(p.path + "edit/", session=staff.jar)
    assert r.status_code == 200
    data = form_data(title="edited by staff", body="changed", csrfmiddlewaretoken=csrf_from(r.text))
    r = srv.post(p.path + "edit/", session=staff.jar, data=data)
    assert r.status_code == 302, all_errors(r.text)
    assert srv.get(p.raw).content == b"changed"
    # the paste still belongs to its owner
    assert p.id in paste_ids(srv.get(f"/profile/{owner.name}/").text)
    assert p.id not in paste_ids(srv.get(f"/profile/{staff.name}/").text)


def test_staff_deletes_someone_elses_paste(srv, staff):
    owner = new_user(srv, "del")
    p = create_paste(srv, owner.jar, title="doomed", body="x")
    r = srv.get(p.path + "delete/", session=staff.jar)
    assert r.status_code == 200
    r = srv.post(p.path + "delete/", session=staff.jar,
                 data={"csrfmiddlewaretoken": csrf_from(r.text)})
    assert r.status_code == 302
    assert srv.get(p.path).status_code == 404


def test_other_user_cannot_edit_or_delete(srv):
    owner, other = new_user(srv, "own"), new_user(srv, "oth")
    p = create_paste(srv, owner.jar, title="keep", body="keep")
    assert srv.get(p.path + "edit/", session=other.jar).status_code == 403
    assert srv.get(p.path + "delete/", session=other.jar).status_code == 403
    token = csrf_token(srv, other.jar)
    r = srv.post(p.path + "delete/", session=other.jar, data={"csrfmiddlewaretoken": token})
    assert r.status_code == 403
    r = srv.post(p.path + "edit/", session=other.jar,
                 data=form_data(title="x", body="hijacked", csrfmiddlewaretoken=token))
    assert r.status_code == 403
    assert srv.get(p.raw).content == b"keep"
    assert "You have admin access" not in text_of(srv.get(p.path, session=other.jar).text)


def test_private_visibility_for_owner_other_anonymous_and_staff(srv, staff):
    owner, other, marker = new_user(srv, "vis"), new_user(srv, "vio"), unique()
    secret = private_paste(srv, owner.jar, marker)
    pid = secret_paste_id(srv, secret)
    for who_, jar, sees in (("owner", owner.jar, True), ("staff", staff.jar, True),
                            ("other user", other.jar, False), ("anonymous", None, False)):
        listing = srv.get(f"/all/?q={marker}", session=jar).text
        profile = srv.get(f"/profile/{owner.name}/", session=jar).text
        links = {f"/{pid}/", secret}
        if sees:
            assert links & paste_links(listing), f"{who_} does not see it on /all/"
            assert links & paste_links(profile), f"{who_} does not see it on the profile"
            assert srv.get(f"/{pid}/", session=jar).status_code == 200, who_
        else:
            assert not links & paste_links(listing), f"{who_} sees it on /all/"
            assert not links & paste_links(profile), f"{who_} sees it on the profile"
            assert f"private {marker}" not in profile
            assert srv.get(f"/{pid}/", session=jar).status_code == 404, who_
            assert srv.get(secret, session=jar).status_code == 200, "secret link broken"


# ------------------------------------------------------------------ /admin/ access


ADMIN_PAGES = ["/admin/", "/admin/pastes/", "/admin/users/", "/admin/languages/"]


def test_admin_needs_login(srv):
    for jar in (None, requests.Session()):
        redirect_to_login(srv.get("/admin/", session=jar), "/admin/")
    for path in ADMIN_PAGES[1:]:
        redirect_to_login(srv.get(path), path)


def test_admin_is_403_to_non_staff(srv):
    user = new_user(srv, "nonstaff")
    for path in ADMIN_PAGES:
        assert srv.get(path, session=user.jar).status_code == 403, path


def test_admin_pages_for_staff(srv, staff):
    for path in ADMIN_PAGES:
        r = srv.get(path, session=staff.jar)
        assert r.status_code == 200, path
        assert "text/html" in r.headers.get("Content-Type", "")
    langs = text_of(srv.get("/admin/languages/", session=staff.jar).text)
    assert "Python" in langs or "python" in langs
    assert "markdown" in langs.lower() and "org" in langs.lower()


def test_admin_paste_search(srv, staff):
    hit, miss = unique("hit"), unique("miss")
    create_paste(srv, requests.Session(), title=f"title {hit}", body="x")
    create_paste(srv, requests.Session(), title=f"title {miss}", body="x")
    page = text_of(srv.get(f"/admin/pastes/?q={hit}", session=staff.jar).text)
    assert hit in page
    assert miss not in page


def test_admin_user_search(srv, staff):
    a, b = new_user(srv, "findme"), new_user(srv, "notme")
    page = text_of(srv.get(f"/admin/users/?q={a.name}", session=staff.jar).text)
    assert a.name in page
    assert b.name not in page


# ------------------------------------------------------------------ admin actions on pastes


def test_admin_deletes_paste(srv, staff):
    p = create_paste(srv, requests.Session(), title="admin delete", body="x")
    r = admin_post(srv, staff.jar, "/admin/pastes/", "delete", p.id)
    assert_back_to(r, "/admin/pastes/")
    assert srv.get(p.path).status_code == 404


def test_admin_toggles_private(srv, staff):
    owner = new_user(srv, "tp")
    p = create_paste(srv, owner.jar, title="toggle private", body="x")
    assert_back_to(admin_post(srv, staff.jar, "/admin/pastes/", "toggle_private", p.id),
                   "/admin/pastes/")
    assert srv.get(p.path).status_code == 404, "paste made private is still public by id"
    assert srv.get(p.path, session=owner.jar).status_code == 200
    assert_back_to(admin_post(srv, staff.jar, "/admin/pastes/", "toggle_private", p.id),
                   "/admin/pastes/")
    assert srv.get(p.path).status_code == 200


def test_admin_toggles_freeze_hits(srv, staff):
    p = create_paste(srv, requests.Session(), title="freeze", body="x")
    assert_back_to(admin_post(srv, staff.jar, "/admin/pastes/", "toggle_freeze", p.id),
                   "/admin/pastes/")
    for _ in range(3):
        srv.get(p.raw)
    time.sleep(1.3)
    frozen = shown_hits(srv.get(p.path).text)
    time.sleep(1.3)
    assert shown_hits(srv.get(p.path).text) == frozen == 0, "hits counted while frozen"
    assert_back_to(admin_post(srv, staff.jar, "/admin/pastes/", "toggle_freeze", p.id),
                   "/admin/pastes/")
    for _ in range(3):
        srv.get(p.raw)
    time.sleep(1.3)
    assert shown_hits(srv.get(p.path).text) >= 3, "hits not counted after unfreezing"


def test_admin_paste_action_without_csrf_is_403(srv, staff):
    p = create_paste(srv, requests.Session(), title="keep", body="x")
    csrf_token(srv, staff.jar, "/admin/pastes/")
    for action in ("delete", "toggle_private"):
        r = admin_post(srv, staff.jar, "/admin/pastes/", action, p.id, csrf=False)
        assert r.status_code == 403, action
    assert srv.get(p.path).status_code == 200


def test_admin_paste_action_by_non_staff_is_403(srv):
    user = new_user(srv, "sneak")
    p = create_paste(srv, requests.Session(), title="keep", body="x")
    token = csrf_token(srv, user.jar)  # a valid token of the user's own
    for action in ("delete", "toggle_private"):
        r = srv.post("/admin/pastes/", session=user.jar,
                     data={"csrfmiddlewaretoken": token, "action": action, "id": str(p.id)})
        assert r.status_code == 403, action
    assert srv.get(p.path).status_code == 200
    r = srv.post("/admin/pastes/", data={"action": "delete", "id": str(p.id)})
    assert r.status_code in (302, 403)
    assert srv.get(p.path).status_code == 200


# ------------------------------------------------------------------ admin actions on users


def test_admin_deactivates_and_reactivates_user(srv, staff):  # 1 failed login
    user = new_user(srv, "inact")
    uid = user_id(srv, user.name)
    assert_back_to(admin_post(srv, staff.jar, "/admin/users/", "toggle_active", uid), "/admin/users/")
    jar = requests.Session()
    r = login(srv, jar, user.name, user.password)
    assert r.status_code == 200, "an inactive user logged in"
    assert errors_for(r.text, "__all__"), all_errors(r.text)
    assert who(srv, jar) is None
    assert who(srv, user.jar) is None, "an inactive user's session still works"
    assert_back_to(admin_post(srv, staff.jar, "/admin/users/", "toggle_active", uid), "/admin/users/")
    login_ok(srv, user.name, user.password)


def test_admin_changes_reach_an_api_token_at_once(srv, staff):
    # The server keeps a token's user for a moment; changes made here must not wait for it.
    user = api_user(srv, "tokened")
    for _ in range(3):
        me = api(srv, "GET", "/api/user/me/", token=user.token)
        assert me.json() == {"id": user.id, "username": user.name, "is_staff": False}
    assert_back_to(admin_post(srv, staff.jar, "/admin/users/", "toggle_staff", user.id),
                   "/admin/users/")
    me = api(srv, "GET", "/api/user/me/", token=user.token)
    assert me.json() == {"id": user.id, "username": user.name, "is_staff": True}
    assert_back_to(admin_post(srv, staff.jar, "/admin/users/", "toggle_active", user.id),
                   "/admin/users/")
    r = api(srv, "GET", "/api/user/me/", token=user.token)
    assert r.status_code == 401, "a deactivated user's token still works"
    assert r.json() == {"detail": "Invalid token."}
    r = api(srv, "POST", "/api/paste/", token=user.token, json={"title": "t", "body": "b"})
    assert r.status_code == 401


def test_admin_toggles_staff(srv, staff):
    user = new_user(srv, "promo")
    uid = user_id(srv, user.name)
    assert srv.get("/admin/", session=user.jar).status_code == 403
    assert_back_to(admin_post(srv, staff.jar, "/admin/users/", "toggle_staff", uid), "/admin/users/")
    assert srv.get("/admin/", session=user.jar).status_code == 200
    assert_back_to(admin_post(srv, staff.jar, "/admin/users/", "toggle_staff", uid), "/admin/users/")
    assert srv.get("/admin/", session=user.jar).status_code == 403


def test_admin_deletes_user_with_pastes(srv, staff):
    user = new_user(srv, "gone")
    p = create_paste(srv, user.jar, title="goes too", body="x")
    uid = user_id(srv, user.name)
    assert_back_to(admin_post(srv, staff.jar, "/admin/users/", "delete", uid), "/admin/users/")
    assert srv.get(f"/profile/{user.name}/").status_code == 404
    assert srv.get(p.path).status_code == 404, "the deleted user's paste is still there"
    assert who(srv, user.jar) is None


def test_admin_user_action_without_csrf_or_by_non_staff_is_403(srv, staff):
    victim, sneak = new_user(srv, "victim"), new_user(srv, "sneaky")
    uid = user_id(srv, victim.name)
    csrf_token(srv, staff.jar, "/admin/users/")
    for action in ("toggle_active", "delete", "toggle_staff"):
        assert admin_post(srv, staff.jar, "/admin/users/", action, uid, csrf=False).status_code == 403
    token = csrf_token(srv, sneak.jar)
    for action in ("toggle_active", "delete", "toggle_staff"):
        r = srv.post("/admin/users/", session=sneak.jar,
                     data={"csrfmiddlewaretoken": token, "action": action, "id": str(uid)})
        assert r.status_code == 403, action
    r = srv.post("/admin/users/", session=sneak.jar, data={
        "csrfmiddlewaretoken": token, "action": "toggle_staff", "id": str(user_id(srv, sneak.name))})
    assert r.status_code == 403
    assert srv.get("/admin/", session=sneak.jar).status_code == 403, "non-staff made itself staff"
    assert who(srv, victim.jar) == victim.name
    assert srv.get(f"/profile/{victim.name}/").status_code == 200


def test_admin_actions_are_logged(srv, staff):
    p = create_paste(srv, requests.Session(), title="logged action", body="x")
    assert_back_to(admin_post(srv, staff.jar, "/admin/pastes/", "toggle_freeze", p.id),
                   "/admin/pastes/")
    time.sleep(0.3)
    out = srv.stdout() + srv.stderr()
    lines = [l for l in out.splitlines() if "toggle_freeze" in l or "freeze" in l.lower()]
    assert any(staff.name in l for l in lines), f"no log line names the staff user: {lines[-5:]}"
