"""Disk full: the database lives on a small tmpfs that a filler file fills up. Writes are
refused with 503 and a clear message in the client's format (HTML page, API JSON, raw
text), reads keep being served (also by a server restarted after a SIGKILL while full),
nothing half-written is left, and writes work again once the filler is gone. SQLite: the database file (and its WAL) on the tmpfs; PostgreSQL (with
SILLYPASTE_TEST_POSTGRES): the test database in a tablespace on the tmpfs (its WAL stays
on the cluster's own disk, as a server that must not PANIC keeps it)."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from conftest import (
    POSTGRES,
    Server,
    api,
    api_user,
    csrf_token,
    location,
    paste_from_path,
    pg_sql,
    text_of,
)

MESSAGE = "The server is out of storage space; try again later."
# Room for the schema, the languages and some pastes; PostgreSQL's new database alone is
# a copy of template1 (about 8 MB).
TMPFS_SIZE = "48m" if POSTGRES else "16m"
SERVER_ENV = {"SILLYPASTE_RATE_LIMIT_CREATE": "off", "SILLYPASTE_EXPIRE_INTERVAL": "0"}
MAX_ATTEMPTS = 400  # writes tried while full: the WAL's spare room absorbs the first few
REFUSALS_WANTED = 30


@contextmanager
def tmpfs(size: str, owner_uid: int | None = None):
    """A fresh tmpfs of `size` directly under /tmp (a PostgreSQL server running as another
    user can enter it), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mountpoint = Path(tempfile.mkdtemp(prefix="sillypaste-diskfull."))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                        str(mountpoint)], capture_output=True, text=True)
    if r.returncode != 0:
        mountpoint.rmdir()
        pytest.skip(f"cannot mount a tmpfs (needs CAP_SYS_ADMIN): {r.stderr.strip()}")
    try:
        if owner_uid is not None:
            os.chown(mountpoint, owner_uid, -1)
        yield mountpoint
    finally:
        if subprocess.run(["umount", str(mountpoint)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)
        mountpoint.rmdir()


def fill(directory: Path) -> Path:
    """Writes a file until the filesystem has no byte left; returns it."""
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as f:
        for chunk in (1 << 20, 1 << 12, 1):
            block = b"\0" * chunk
            try:
                while True:
                    f.write(block)
            except OSError as e:
                assert e.errno == errno.ENOSPC, e
    return filler


@contextmanager
def database_on(disk_size: str):
    """(DATABASE_URL, directory that fills up) for a fresh database on a small tmpfs."""
    if not POSTGRES:
        with tmpfs(disk_size) as disk:
            yield f"sqlite:///{disk / 'full.db'}", disk
        return
    if urlsplit(POSTGRES).hostname not in ("127.0.0.1", "localhost", "::1"):
        pytest.skip("the PostgreSQL server is not on this machine: no tablespace on a tmpfs")
    data_dir = pg_sql(POSTGRES, "SELECT current_setting('data_directory')")[0][0]
    with tmpfs(disk_size, owner_uid=os.stat(data_dir).st_uid) as disk:
        name = "sp_full_" + hashlib.sha1(str(disk).encode()).hexdigest()[:16]
        pg_sql(POSTGRES, f"CREATE TABLESPACE {name} LOCATION '{disk}'")
        try:
            pg_sql(POSTGRES, f"CREATE DATABASE {name} TABLESPACE {name}")
            try:
                yield urlsplit(POSTGRES)._replace(path="/" + name).geturl(), disk
            finally:
                pg_sql(POSTGRES, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            pg_sql(POSTGRES, f"DROP TABLESPACE IF EXISTS {name}")


def body_of(marker: str) -> str:
    """About 16 kB, so each write needs fresh pages."""
    return f"{marker}\n" + "\n".join(f"line {i} {uuid.uuid4().hex} é✓" for i in range(300))


class Writer:
    """Creates pastes through the API, the web form and raw POSTs, keeping what was
    answered; refusals must be the 503 this test is about."""

    def __init__(self, srv: Server, user):
        self.srv, self.user = srv, user
        self.saved: dict[int, str] = {}  # id -> body
        self.refused: list[str] = []  # markers of refused creates
        self.n = 0

    def create(self) -> int:
        """One create; its status (201/302 saved, 503 refused)."""
        self.n += 1
        marker = f"full{uuid.uuid4().hex[:16]}"
        body = body_of(marker)
        how = ("api", "form", "raw")[self.n % 3]
        if how == "api":
            r = api(self.srv, "POST", "/api/paste/", token=self.user.token,
                    json={"title": marker, "body": body, "expiry": None})
            if r.status_code == 201:
                self.saved[r.json()["id"]] = body
        elif how == "form":
            token = csrf_token(self.srv, self.user.jar)
            r = self.srv.post("/paste/", session=self.user.jar,
                              data={"title": marker, "body": body, "language": "",
                                    "expiry_preset": "never", "csrfmiddlewaretoken": token})
            if r.status_code == 302:
                self.saved[paste_from_path(location(r)).id] = body
        else:
            r = self.srv.post("/", data=body.encode(), params={"title": marker, "expiry": "never"},
                              headers={"Authorization": f"Token {self.user.token}"})
            if r.status_code == 201:
                self.saved[paste_from_path(urlsplit(r.text.strip()).path).id] = body
        if r.status_code in (201, 302):
            return r.status_code
        assert r.status_code == 503, f"{how} create answered {r.status_code}: {r.text[:500]}"
        assert_refusal(r, how)
        self.refused.append(marker)
        return 503


def assert_refusal(r: requests.Response, how: str):
    retry = r.headers.get("Retry-After", "")
    assert retry.isdigit() and int(retry) > 0, f"{how}: Retry-After {retry!r}"
    kind = r.headers.get("Content-Type", "")
    if how == "api":
        assert kind.startswith("application/json"), kind
        assert r.json() == {"detail": MESSAGE}
    elif how == "form":
        assert kind.startswith("text/html"), kind
        assert MESSAGE in text_of(r.text)
    else:
        assert kind.startswith("text/plain"), kind
        assert r.text == MESSAGE + "\n"


def assert_readable(srv: Server, user, saved: dict[int, str]) -> int:
    """Every saved paste reads back whole, on every read path; returns the reads made."""
    reads = 0
    for paste_id, body in saved.items():
        r = api(srv, "GET", f"/api/paste/{paste_id}/", token=user.token)
        assert r.status_code == 200 and r.json()["body"] == body, f"API read of {paste_id}"
        r = srv.get(f"/{paste_id}/raw/")
        assert r.status_code == 200 and r.content.decode() == body, f"raw read of {paste_id}"
        assert srv.get(f"/{paste_id}/").status_code == 200, f"page of {paste_id}"
        assert srv.get(f"/{paste_id}/", session=user.jar).status_code == 200
        reads += 4
    for path in ("/", "/all/", "/api/paste/", "/stats/"):
        assert srv.get(path).status_code == 200, path
        reads += 1
    return reads


def assert_absent(srv: Server, user, markers: list[str]):
    for marker in markers:
        r = api(srv, "GET", f"/api/paste/?q={marker}", token=user.token)
        assert r.status_code == 200 and r.json()["count"] == 0, f"refused {marker} was saved"


def test_full_disk_refuses_writes_with_503_serves_reads_and_recovers(tmp_path, capsys):
    backend = "postgresql" if POSTGRES else "sqlite"
    with database_on(TMPFS_SIZE) as (url, disk):
        srv = Server(tmp_path / "srv", database_url=url, env=SERVER_ENV)
        try:
            srv.wait_ready()
            user = api_user(srv, "full")
            writer = Writer(srv, user)
            for _ in range(6):
                assert writer.create() in (201, 302)
            before = dict(writer.saved)
            filler = fill(disk)

            statuses = []
            while len(writer.refused) < REFUSALS_WANTED and len(statuses) < MAX_ATTEMPTS:
                statuses.append(writer.create())
            assert len(writer.refused) >= REFUSALS_WANTED, (
                f"{len(statuses)} creates on a full disk, only {len(writer.refused)} refused")
            # An edit is refused the same way and leaves the paste as it was.
            some_id, some_body = next(iter(before.items()))
            r = api(srv, "PATCH", f"/api/paste/{some_id}/", token=user.token,
                    json={"body": "edited while full"})
            assert r.status_code in (200, 503), r.text[:300]
            if r.status_code == 503:
                assert_refusal(r, "api")
            else:
                before[some_id] = writer.saved[some_id] = "edited while full"
            reads = assert_readable(srv, user, writer.saved)

            # A crash while the disk is full: the server comes back (the startup expiry pass
            # cannot write and waits for the timer), serves the same reads and refuses
            # writes the same way.
            srv.kill()
            srv = writer.srv = Server(tmp_path / "srv-restarted", database_url=url,
                                      env=SERVER_ENV)
            srv.wait_ready()
            reads += assert_readable(srv, user, writer.saved)
            assert writer.create() == 503

            filler.unlink()
            recovered = [writer.create() for _ in range(3)]
            assert set(recovered) <= {201, 302}, recovered
            assert_readable(srv, user, writer.saved)
            assert_absent(srv, user, writer.refused)
            assert set(before) <= set(writer.saved)
            assert srv.stop() == 0, srv.describe()
        finally:
            srv.kill()
        # Exactly the answered creates are rows: no refused one left a part behind.
        if POSTGRES:
            assert pg_sql(url, "SELECT COUNT(*) FROM pastes") == [(len(writer.saved),)]
        else:
            con = sqlite3.connect(disk / "full.db")
            try:
                assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                assert con.execute("SELECT COUNT(*) FROM pastes").fetchall() == [
                    (len(writer.saved),)]
            finally:
                con.close()
    with capsys.disabled():
        print(f"\ndisk-full test ({backend}): {len(writer.refused)} creates refused with 503, "
              f"{reads} reads served (also after a SIGKILL and restart while full), recovered")
