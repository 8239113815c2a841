"""export / import / import-django (SPEC §1, issue 5 items 4 and 5)."""

import hashlib
import json
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
import requests

import subprocess

from conftest import (POSTGRES, REPO, api, api_login, create_paste, login_ok, new_user,
                      pg_database, pg_sql, raw_paste, run_cli, who)

FIXTURE = REPO.parent / "shared" / "fixtures" / "django-sillypaste"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}  # fixed header time: exports compare byte for byte


def db_url(path) -> str:
    return f"sqlite:///{path}"


def fresh_url(directory) -> str:
    """A new empty database of the backend under test (PostgreSQL when
    SILLYPASTE_TEST_POSTGRES is set, else a SQLite file in `directory`)."""
    directory.mkdir(parents=True, exist_ok=True)
    return pg_database(directory) if POSTGRES else db_url(directory / "test.db")


def export(url, dump):
    r = run_cli("export", dump, "--database-url", url, env=EPOCH)
    assert r.returncode == 0, r.stderr
    assert "exported" in r.stderr, r.stderr  # one summary line (stderr is not a terminal)
    return dump.read_bytes()


def row_count(url, table) -> int:
    if url.startswith("postgres"):
        return pg_sql(url, f"SELECT COUNT(*) FROM {table}")[0][0]
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def fixture():
    if not (FIXTURE / "manifest.json").is_file():
        pytest.skip(f"Django fixture not found at {FIXTURE} (shared/ beside the repository)")
    return json.loads((FIXTURE / "manifest.json").read_text())


def django_copy(tmp_path):
    fixture()
    copy = tmp_path / "django.sqlite3"
    shutil.copy(FIXTURE / "sillypaste.sqlite3", copy)
    return copy


@pytest.fixture
def populated(make_server, tmp_path):
    """A database with users, a token, public, private and markdown pastes."""
    srv = make_server()
    u = new_user(srv)
    api_login(srv, u.name, u.password)
    create_paste(srv, u.jar, title="mine", body="print(1)\n")
    create_paste(srv, u.jar, title="hidden", body="secret\n", private=True)
    raw_paste(srv, "# Title\n\n* item ünïcode ☕\r\n", title="notes.md", language="markdown")
    raw_paste(srv, "tab\there  \n", expiry="3600")
    srv.stop()
    return srv.database_url


def test_export_import_export_is_byte_identical(populated, tmp_path):
    first = export(populated, tmp_path / "first.jsonl")
    target = fresh_url(tmp_path / "copy")
    r = run_cli("import", tmp_path / "first.jsonl", "--database-url", target)
    assert r.returncode == 0, r.stderr
    assert "imported" in r.stdout
    assert export(target, tmp_path / "second.jsonl") == first
    lines = first.decode().splitlines()
    header, end = json.loads(lines[0]), json.loads(lines[-1])
    assert header["format"] == "sillypaste-dump" and header["version"] == 1
    assert end["type"] == "end" and end["counts"]["paste"] == 4
    assert "body_html" not in first.decode()


def test_export_to_stdout_and_import_from_stdin(populated, tmp_path):
    r = run_cli("export", "--database-url", populated, env=EPOCH)
    assert r.returncode == 0, r.stderr
    target = fresh_url(tmp_path / "piped")
    r2 = run_cli("import", "-", "--database-url", target, input=r.stdout)
    assert r2.returncode == 0, r2.stderr
    assert row_count(target, "pastes") == 4


def test_imported_database_serves_the_pastes(populated, tmp_path, make_server):
    dump = tmp_path / "d.jsonl"
    export(populated, dump)
    workdir = tmp_path / "server1"  # `populated` used server0; the next one lives here
    r = run_cli("import", dump, "--database-url", fresh_url(workdir))
    assert r.returncode == 0, r.stderr
    srv = make_server()
    assert srv.workdir == workdir
    page = srv.get("/all/?q=mine")
    assert page.status_code == 200 and "mine" in page.text


@pytest.mark.parametrize("damage", ["drop-end", "cut-mid-line", "bad-json", "wrong-version",
                                    "bad-count"])
def test_damaged_dump_is_refused_with_its_line_and_nothing_written(populated, tmp_path, damage):
    lines = export(populated, tmp_path / "good.jsonl").decode().splitlines(keepends=True)
    expected_line = None
    if damage == "drop-end":
        lines = lines[:-1]
        expected_line = len(lines) + 1
    elif damage == "cut-mid-line":
        cut = len(lines) - 3
        lines = lines[:cut] + [lines[cut][: len(lines[cut]) // 2]]
        expected_line = cut + 1
    elif damage == "bad-json":
        lines[2] = '{"type": "user", oops\n'
        expected_line = 3
    elif damage == "wrong-version":
        header = json.loads(lines[0])
        header["version"] = 99
        lines[0] = json.dumps(header) + "\n"
        expected_line = 1
    else:
        end = json.loads(lines[-1])
        end["counts"]["paste"] += 1
        lines[-1] = json.dumps(end) + "\n"
        expected_line = len(lines)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(lines))
    target = fresh_url(tmp_path / "target")
    r = run_cli("import", bad, "--database-url", target)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert f"line {expected_line}:" in r.stderr, r.stderr
    if POSTGRES or (tmp_path / "target" / "test.db").exists():
        for table in ("users", "pastes", "tokens", "languages", "expiry_logs"):
            assert row_count(target, table) == 0, table


def test_non_empty_target_is_refused_without_force(populated, tmp_path):
    dump = tmp_path / "d.jsonl"
    first = export(populated, dump)
    r = run_cli("import", dump, "--database-url", populated)
    assert r.returncode == 2
    assert "--force" in r.stderr
    r = run_cli("import", dump, "--force", "--database-url", populated)
    assert r.returncode == 0, r.stderr
    assert export(populated, tmp_path / "again.jsonl") == first


def test_import_into_a_prepared_database(populated, tmp_path):
    """prepare/serve fill the language table and write an expiry log: still "empty"."""
    target = fresh_url(tmp_path / "prepared")
    assert run_cli("prepare", "--database-url", target).returncode == 0
    dump = tmp_path / "d.jsonl"
    first = export(populated, dump)
    r = run_cli("import", dump, "--database-url", target)
    assert r.returncode == 0, r.stderr
    assert export(target, tmp_path / "again.jsonl") == first


# --------------------------------------------------------------------------- import-django


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def gone_ids(manifest) -> set:
    """Pastes the first expiry pass deletes: expired, or by an anonymous user idle over
    180 days."""
    now = datetime.now(timezone.utc)
    stale = {u["id"] for u in manifest["users"]
             if u["is_lazy"] and parse_time(u["last_login"] or u["date_joined"])
             < now - timedelta(days=180)}
    return {p["id"] for p in manifest["pastes"]
            if (p["expiry"] and parse_time(p["expiry"]) <= now) or p["author_id"] in stale}


def test_import_django_from_sqlite(tmp_path, make_server):
    manifest = fixture()
    source = django_copy(tmp_path)
    target = fresh_url(tmp_path / "server0")  # where make_server's first server looks
    r = run_cli("import-django", source, "--database-url", target, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "imported" in r.stdout

    srv = make_server()
    jar = login_ok(srv, "alice", "Al1ce-Fixture!pass")
    assert who(srv, jar) == "alice"
    token = manifest["tokens"]["alice"]
    me = api(srv, "GET", "/api/user/me/", token=token)
    assert me.status_code == 200 and me.json()["username"] == "alice"

    gone = gone_ids(manifest)
    assert 20 in gone  # the fixture's paste that expired in 2025
    anonymous = requests.Session()
    for paste in manifest["pastes"]:
        r = srv.get(f"/{paste['id']}/raw/", session=anonymous)
        if paste["id"] in gone:
            assert r.status_code == 404, paste["id"]
            continue
        assert r.status_code == 200, (paste["id"], r.status_code)
        assert hashlib.sha256(r.content).hexdigest() == paste["body_sha256"], paste["id"]
        page = srv.get(f"/{paste['id']}/", session=anonymous)
        assert page.status_code == 200, (paste["id"], "private" if paste["private"] else "")
    for missing in manifest["missing_paste_ids"]:
        assert srv.get(f"/{missing}/raw/").status_code == 404

    new = raw_paste(srv, "after the import\n")
    assert new.id == manifest["id_sequences"]["core_paste"] + 1
    srv.stop()

    before = export(target, tmp_path / "before.jsonl")
    again = run_cli("import-django", f"sqlite:///{source}", "--database-url", target,
                    timeout=120)
    assert again.returncode == 0, again.stderr
    assert "already imported" in again.stdout and "nothing changed" in again.stdout
    assert export(target, tmp_path / "after.jsonl") == before


def test_import_django_keeps_rows_and_languages(tmp_path):
    manifest = fixture()
    source = django_copy(tmp_path)
    target = tmp_path / "t.db"
    r = run_cli("import-django", source, "--database-url", db_url(target), timeout=120)
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(target)
    try:
        users = {row[0]: row[1:] for row in con.execute(
            "SELECT username, password_hash, is_staff, is_superuser, is_active, is_anonymous "
            "FROM users")}
        pastes = {row[0]: row[1:] for row in con.execute(
            "SELECT p.id, p.title, p.hits, p.freeze_hits, p.size, p.is_private, "
            "p.legacy_id_access, p.secret, l.name FROM pastes p "
            "LEFT JOIN languages l ON l.id = p.language_id")}
        tokens = dict(con.execute("SELECT key, user_id FROM tokens").fetchall())
    finally:
        con.close()
    gone = gone_ids(manifest)
    for u in manifest["users"]:
        if u["username"] not in users:
            continue  # an idle anonymous user the expiry pass would delete
        hash_, staff, superuser, active, anonymous = users[u["username"]]
        assert hash_ == u["password_hash"]
        assert (bool(staff), bool(superuser), bool(active), bool(anonymous)) == (
            u["is_staff"], u["is_superuser"], u["is_active"], u["is_lazy"])
    for p in manifest["pastes"]:
        if p["id"] in gone:
            assert p["id"] not in pastes
            continue
        title, hits, freeze, size, private, legacy, secret, language = pastes[p["id"]]
        assert (title, hits, bool(freeze), size, bool(private)) == (
            p["title"], p["hits"], p["freeze_hits"], p["size"], p["private"])
        if p["private"]:
            assert legacy and secret
        if p["language"] is None:
            assert language is None
        else:
            assert language.lower() == p["language"].lower(), (p["language"], language)
    for d in manifest["token_details"]:
        assert tokens.get(d["key"]) == d["user_id"]


def test_import_django_refuses_a_conflicting_database(tmp_path, populated):
    fixture()
    source = django_copy(tmp_path)
    r = run_cli("import-django", source, "--database-url", populated, timeout=120)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "nothing was imported" in r.stderr


# --------------------------------------------------------------------------- PostgreSQL


needs_postgres = pytest.mark.skipif(
    not POSTGRES, reason="needs SILLYPASTE_TEST_POSTGRES (scripts/run-tests sets it)")


@needs_postgres
def test_round_trip_postgres_sqlite_postgres_is_byte_identical(populated, tmp_path):
    assert populated.startswith("postgres")
    first = export(populated, tmp_path / "pg.jsonl")
    sqlite_url = db_url(tmp_path / "copy.db")
    assert run_cli("import", tmp_path / "pg.jsonl", "--database-url", sqlite_url).returncode == 0
    assert export(sqlite_url, tmp_path / "sqlite.jsonl") == first
    pg_again = fresh_url(tmp_path / "pg-again")
    r = run_cli("import", tmp_path / "sqlite.jsonl", "--database-url", pg_again)
    assert r.returncode == 0, r.stderr
    assert export(pg_again, tmp_path / "pg-again.jsonl") == first


def without_secrets(dump: bytes) -> list:
    """Dump rows minus the header and the random slugs import-django gives private pastes."""
    rows = [json.loads(line) for line in dump.decode().splitlines()[1:]]
    for row in rows:
        row.pop("secret", None)
    return rows


@needs_postgres
def test_import_django_from_postgres_equals_import_from_sqlite(tmp_path):
    fixture()
    django_pg = pg_database(tmp_path / "django")
    load = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", django_pg, "-f",
                           str(FIXTURE / "sillypaste-postgres.sql")],
                          capture_output=True, text=True, timeout=120)
    assert load.returncode == 0, load.stderr
    from_pg, from_sqlite = db_url(tmp_path / "a.db"), db_url(tmp_path / "b.db")
    r = run_cli("import-django", django_pg, "--database-url", from_pg, timeout=120)
    assert r.returncode == 0, r.stderr
    r = run_cli("import-django", django_copy(tmp_path), "--database-url", from_sqlite,
                timeout=120)
    assert r.returncode == 0, r.stderr
    assert without_secrets(export(from_pg, tmp_path / "a.jsonl")) == without_secrets(
        export(from_sqlite, tmp_path / "b.jsonl"))
    again = run_cli("import-django", django_pg, "--database-url", from_pg, timeout=120)
    assert again.returncode == 0 and "nothing changed" in again.stdout, again.stderr
