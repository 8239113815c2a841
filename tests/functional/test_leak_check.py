"""LeakSanitizer on a whole server life and on the one-shot commands (issue 9, item 1).

The rest of the suite runs with ASAN_OPTIONS=detect_leaks=0 (scripts/run-tests); these
tests turn leak detection on for their own processes, drive every kind of work the server
does (forms, raw POSTs, the API, Markdown, Org through pandoc, highlighted code, accounts,
search, errors), stop it with SIGTERM and require exit 0 and no sanitizer report. No
suppressions: none of our libraries (cmark-gfm, KSyntaxHighlighting, SOCI, libpq, SQLite,
OpenSSL, libsodium) leaves a leak behind. Runs on PostgreSQL too when
SILLYPASTE_TEST_POSTGRES is set."""

import json
import shutil
import signal
import socket
import subprocess
import time

import pytest
import requests

from conftest import (BIN, POSTGRES, REPO, api, api_create, api_login, clean_env, create_paste,
                      csrf_token, free_port, language_id, login_ok, logout, new_user,
                      pg_database, raw_paste, raw_post, run_cli, unique)

METRICS_TOKEN = "leak-check-metrics-token"
SANITIZER_REPORTS = ("LeakSanitizer", "ERROR: AddressSanitizer", "runtime error:")


def leak_env() -> dict:
    return {
        "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:halt_on_error=1",
        "LSAN_OPTIONS": "report_objects=1",
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
        # rate limits would turn the later requests of this busy client into 429s
        "SILLYPASTE_RATE_LIMIT_CREATE": "off",
        "SILLYPASTE_RATE_LIMIT_REGISTER": "off",
        "SILLYPASTE_RATE_LIMIT_LOGIN": "off",
    }


def built_with_leak_sanitizer() -> bool:
    """True when the binary carries AddressSanitizer (whose LeakSanitizer we switch on)."""
    r = subprocess.run([BIN, "--version"], env=clean_env({"ASAN_OPTIONS": "help=1"}),
                       capture_output=True, text=True, timeout=30)
    return "AddressSanitizer" in r.stderr


pytestmark = pytest.mark.skipif(not built_with_leak_sanitizer(),
                                reason=f"{BIN} is not built with -fsanitize=address")


def assert_clean(what: str, returncode: int, stderr: str):
    reports = [r for r in SANITIZER_REPORTS if r in stderr]
    assert not reports, f"{what}: sanitizer report {reports}\n{stderr[-6000:]}"
    assert returncode == 0, f"{what}: exit code {returncode}\n{stderr[-6000:]}"


def leak_cli(*args, database_url: str, input=None, timeout=120):
    r = run_cli(*args, "--database-url", database_url, env=leak_env(), input=input,
                timeout=timeout)
    assert_clean("sillypaste " + " ".join(map(str, args)), r.returncode, r.stderr)
    return r


def fresh_database(directory) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    return pg_database(directory) if POSTGRES else f"sqlite:///{directory / 'test.db'}"


ORG = """#+TITLE: leak check
* Heading
- [[https://example.com][a link]] and [[javascript:alert(1)][a bad one]]
#+BEGIN_SRC python
print(1)
#+END_SRC
"""
MARKDOWN = "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ https://example.com\n\n- [x] done\n"
PYTHON = "#!/usr/bin/env python3\nimport sys\n\ndef main():\n    return sys.argv  # comment\n"


def exercise(srv):
    """Every kind of request, with the statuses they must answer."""
    get = lambda path, session=None, **kw: srv.get(path, session=session, **kw)
    marker = unique()

    # web form: plain, highlighted, Markdown, Org, private, burn; the anonymous owner edits
    jar = requests.Session()
    plain = create_paste(srv, jar, title=f"plain {marker}", body="hello\n")
    code = create_paste(srv, jar, title="code.py", body=PYTHON, language=language_id(srv, "Python"))
    md = create_paste(srv, jar, title="notes.md", body=MARKDOWN,
                      language=language_id(srv, "markdown"))
    org = create_paste(srv, jar, title="notes.org", body=ORG, language=language_id(srv, "org-mode"))
    private = create_paste(srv, jar, title="private", body="secret\n", private=True)
    burn = create_paste(srv, jar, title="burn", body="once\n", expiry_preset="burn")
    guessed = create_paste(srv, jar, title="guess.rs", body="fn main() {}\n")
    for paste in (plain, code, md, org, private, guessed):
        assert get(paste.path, jar).status_code == 200, paste.path
        assert get(paste.raw, jar).status_code == 200, paste.raw
    assert get(md.render).status_code == 200 and get(org.render).status_code == 200
    assert get(code.render).status_code == 302
    assert get(burn.path).status_code == 200  # the confirmation page; nothing burns
    assert srv.post(burn.raw).status_code == 200
    assert get(plain.path + "edit/", jar).status_code == 200
    token = csrf_token(srv, jar, plain.path + "edit/")
    r = srv.post(plain.path + "edit/", session=jar,
                 data={"title": "edited", "body": "*edited*\n", "language": "",
                       "expiry_preset": "1hour", "csrfmiddlewaretoken": token})
    assert r.status_code == 302
    assert get(guessed.path + "delete/", jar).status_code == 200
    token = csrf_token(srv, jar, guessed.path + "delete/")
    assert srv.post(guessed.path + "delete/", session=jar,
                    data={"csrfmiddlewaretoken": token}).status_code == 302
    assert get(f"/paste/?from={code.id}").status_code == 200
    assert get(code.raw, params={"download": "1"}).status_code == 200

    # raw POSTs
    raw_paste(srv, PYTHON, title="script")
    raw_paste(srv, MARKDOWN, language="md", expiry="3600")
    raw_paste(srv, ORG, title="x.org")
    raw_paste(srv, "hidden\n", private="1")
    assert raw_post(srv, "x", params={"expiry": "soon"}).status_code == 400

    # accounts: register (anonymous pastes move over), log out and in, password change
    user = new_user(srv, jar=jar)
    assert get(f"/profile/{user.name}/", jar).status_code == 200
    assert get("/my_pastes/", jar).status_code == 302
    token = csrf_token(srv, jar, "/accounts/password_change/")
    new_password = user.password + "-2"
    r = srv.post("/accounts/password_change/", session=jar,
                 data={"old_password": user.password, "new_password1": new_password,
                       "new_password2": new_password, "csrfmiddlewaretoken": token})
    assert r.status_code == 302
    assert logout(srv, jar).status_code == 302
    login_ok(srv, user.name, new_password, jar=jar)

    # the API: token, create (Markdown, Org, code), read, list, search, change, burn, errors
    key = api_login(srv, user.name, new_password)
    created = [api_create(srv, key, title="api.md", body=MARKDOWN),
               api_create(srv, key, title="api.org", body=ORG),
               api_create(srv, key, title="api.py", body=PYTHON, private=True),
               api_create(srv, None, title="anon", body="x", burn=True)]
    for paste in created[:3]:
        assert api(srv, "GET", f"/api/paste/{paste['id']}/", token=key).status_code == 200
    assert api(srv, "PATCH", f"/api/paste/{created[0]['id']}/", token=key,
               json={"title": "renamed"}).status_code == 200
    assert api(srv, "POST", f"/api/paste/{created[3]['id']}/burn/").status_code == 200
    assert api(srv, "DELETE", f"/api/paste/{created[1]['id']}/", token=key).status_code == 204
    for path in ("/api/", "/api/paste/?limit=5&offset=1", f"/api/paste/?q={marker}&sort=-hits",
                 "/api/language/", "/api/expirylog/", "/api/user/me/", "/api/schema/"):
        assert api(srv, "GET", path, token=key).status_code == 200, path
    assert api(srv, "GET", "/api/paste/999999/").status_code == 404
    assert api(srv, "GET", "/api/paste/?limit=x").status_code == 400
    assert api(srv, "POST", "/api/paste/", data="{not json",
               headers={"Content-Type": "application/json"}).status_code == 400
    assert api(srv, "GET", "/api/user/me/", token="0" * 40).status_code == 401
    assert api(srv, "POST", "/api/language/").status_code == 405
    assert api(srv, "POST", "/api/logout/", token=key).status_code == 200

    # listings, search, the other pages, and errors
    for path in ("/", "/all/", f"/all/?q={marker}", "/all/?sort=-hits&page=1", "/stats/",
                 "/privacy_policy/", "/health/", "/health/ping/", "/health/dashboard/",
                 "/accounts/login/", "/accounts/register/"):
        assert get(path, jar).status_code == 200, path
    assert get("/all/?sort=bogus").status_code == 302
    assert get("/no/such/page/").status_code == 404
    assert get("/999999/").status_code == 404
    assert get("/", headers={"Host": "evil.example"}).status_code == 400
    assert get("/all/?q=%ff%fe").status_code in (200, 400)
    assert get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).status_code == 200
    assert raw_post(srv, "x" * 2001).status_code == 413
    assert api(srv, "POST", "/api/paste/", json={"title": "big", "body": "y" * 2001}).status_code == 413


def test_server_start_serve_stop_has_no_leaks(make_server):
    srv = make_server("--max-paste-bytes", "2000", "--metrics-token", METRICS_TOKEN,
                      "--expire-interval", "1", env=leak_env())
    exercise(srv)
    returncode = srv.stop()
    assert_clean("sillypaste serve", returncode, srv.stderr())
    assert "sillypaste: stopped" in srv.stdout()


def test_one_shot_commands_have_no_leaks(tmp_path):
    url = fresh_database(tmp_path / "db")
    leak_cli("migrate", database_url=url)
    leak_cli("prepare", database_url=url)
    leak_cli("expire", database_url=url)
    leak_cli("createsuperuser", "--username", "leakcheck", "--password-stdin",
             database_url=url, input="Kx-leak-check-Rw42\n")
    leak_cli("changepassword", "leakcheck", "--password-stdin", database_url=url,
             input="Kx-leak-check-Rw43\n")
    dump = tmp_path / "dump.jsonl"
    leak_cli("export", dump, database_url=url)
    assert json.loads(dump.read_text().splitlines()[0]), "the dump starts with its header"
    leak_cli("import", dump, database_url=fresh_database(tmp_path / "imported"))
    leak_cli("import", dump, "--force", database_url=url)
    r = run_cli("languages", env=leak_env())
    assert_clean("sillypaste languages", r.returncode, r.stderr)
    # an error path: a setting refused at start, exit 2, still without leaks
    r = run_cli("migrate", "--database-url", "nosuch://x", env=leak_env())
    assert r.returncode == 2, r.stderr
    assert not [x for x in SANITIZER_REPORTS if x in r.stderr], r.stderr


def test_import_django_has_no_leaks(tmp_path):
    fixture = REPO.parent / "shared" / "fixtures" / "django-sillypaste" / "sillypaste.sqlite3"
    if not fixture.is_file():
        pytest.skip(f"Django fixture not found at {fixture}")
    source = tmp_path / "django.sqlite3"
    shutil.copy(fixture, source)
    leak_cli("import-django", source, database_url=fresh_database(tmp_path / "db"))


def test_redirect_command_has_no_leaks(tmp_path):
    port = free_port()
    proc = subprocess.Popen([BIN, "redirect", "--to", "https://new.example", "--bind",
                             f"127.0.0.1:{port}"], env=clean_env(leak_env()),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                r = requests.get(f"http://127.0.0.1:{port}/12/raw/?a=1", allow_redirects=False,
                                 timeout=2)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, "redirect did not start"
                time.sleep(0.05)
        assert r.status_code == 301 and r.headers["Location"] == "https://new.example/12/raw/?a=1"
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GARBAGE\r\n\r\n")  # a refused request on the way out
            sock.recv(4096)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert_clean("sillypaste redirect", proc.returncode, stderr)
