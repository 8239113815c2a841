#!/usr/bin/python3
"""Crash-consistency driver: no acknowledged write may be lost to a SIGKILL.

Client threads create, edit and delete pastes through every write path (API JSON, web
form, raw POST) while the controller kills `sillypaste serve` with SIGKILL at random
moments and starts it again on the same database. Each thread owns the pastes it created,
so the writes to one paste form one sequence, and the driver keeps, per paste, the set of
states it may be in:

- an answered write (2xx, or the form's 302) must have happened: the state is its result;
- a write without an answer may or may not have happened: its result joins the set;
- a GET (or a search, for a create) after the process that might still apply an
  unanswered write has died settles the set to what is there, and must find one of its
  members.

A state outside the set, an answered delete undone or an answered create missing is a lost
write. After the last kill every paste is checked once more. Also usable from the command
line (see --help); the pytest wrapper is tests/functional/test_crash_durability.py.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

REQUEST_TIMEOUT = 20  # seconds; a slower answer counts as no answer
START_TIMEOUT = 60  # seconds for a restarted server to answer /health/ping/
RESTART_WAIT = 120  # seconds a client waits for the next restart before giving up

# Settings the server must not inherit from the caller (as tests/functional/conftest.py).
SETTING_VARS = ("DATABASE_URL", "PORT", "DJANGO_ALLOWED_HOSTS")


class CrashTestError(RuntimeError):
    """The run could not go on (server did not restart, setup failed)."""


def server_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in SETTING_VARS and not k.startswith("SILLYPASTE_")}
    # Thousands of creates from one address: the per-address limits would refuse them.
    env["SILLYPASTE_RATE_LIMIT_CREATE"] = "off"
    env["SILLYPASTE_RATE_LIMIT_REGISTER"] = "off"
    env.update(extra or {})
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`sillypaste serve` on one port and one database, started again after each kill."""

    def __init__(self, binary: str, database_url: str, workdir: Path, env: dict | None = None):
        self.binary = binary
        self.database_url = database_url
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = server_env(env)
        self.log_path = self.workdir / "server.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def launch(self):
        """Starts the process without waiting for it to answer."""
        assert self.proc is None or self.proc.poll() is not None
        self.starts += 1
        with open(self.log_path, "ab") as log:
            log.write(f"\n=== start {self.starts}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [self.binary, "serve", "--bind", f"127.0.0.1:{self.port}",
                 "--database-url", self.database_url],
                cwd=self.workdir, env=self.env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT)

    def start(self):
        """Starts the process and waits until it answers."""
        self.launch()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CrashTestError(f"server exited with {self.proc.returncode} at start "
                                     f"{self.starts}\n{self.log_tail()}")
            try:
                if requests.get(self.base + "/health/ping/", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.02)
        self.kill()
        raise CrashTestError(f"server did not answer within {START_TIMEOUT}s\n{self.log_tail()}")

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def terminate(self, timeout=30) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise CrashTestError(f"server did not stop within {timeout}s of SIGTERM")

    def log_tail(self, size=4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return ""


class Lifeline:
    """How many server processes have died, and whether one is up; clients wait on it."""

    def __init__(self):
        self.cond = threading.Condition()
        self.deaths = 0
        self.up = False
        self.failed: str | None = None

    def snapshot(self) -> int:
        with self.cond:
            return self.deaths

    def died(self):
        with self.cond:
            self.deaths += 1
            self.up = False

    def came_up(self):
        with self.cond:
            self.up = True
            self.cond.notify_all()

    def fail(self, reason: str):
        with self.cond:
            self.failed = reason
            self.cond.notify_all()

    def await_death_after(self, deaths: int):
        """Blocks until the process alive at `deaths` is dead and another one is up, so
        that nothing sent to the old one can still be applied."""
        with self.cond:
            ok = self.cond.wait_for(
                lambda: self.failed or (self.deaths > deaths and self.up), RESTART_WAIT)
            if self.failed:
                raise CrashTestError(self.failed)
            if not ok:
                raise CrashTestError(f"no restart within {RESTART_WAIT}s")

    def await_up(self):
        with self.cond:
            if not self.cond.wait_for(lambda: self.failed or self.up, RESTART_WAIT):
                raise CrashTestError(f"server not up within {RESTART_WAIT}s")
            if self.failed:
                raise CrashTestError(self.failed)


@dataclass
class Tracked:
    """One paste and the states (title, body) it may be in."""
    id: int
    states: set
    gone: bool = False  # an answered delete, or a 404 seen: must stay 404
    may_be_gone: bool = False  # an unanswered delete since the last settled state


@dataclass
class Tally:
    acked_creates: int = 0
    acked_edits: int = 0
    acked_deletes: int = 0
    unanswered: int = 0  # writes without a 2xx/302 answer (in flight at a kill, or refused)
    unanswered_applied: int = 0  # of those, found applied afterwards
    checks: int = 0  # settled reads compared with the model
    lost: list = field(default_factory=list)  # descriptions of every violation

    @property
    def acked(self) -> int:
        return self.acked_creates + self.acked_edits + self.acked_deletes

    def add(self, other: "Tally"):
        for name in ("acked_creates", "acked_edits", "acked_deletes", "unanswered",
                     "unanswered_applied", "checks"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.lost.extend(other.lost)


_WORDS = ("alpha", "beta", "gamma", "délta", "ε", "→", "✓", "tab\there", "  spaced  ", "x" * 40)


def make_body(rng: random.Random, marker: str, version: int) -> str:
    """A body no other write sends, of 0.1-6 kB (sometimes 64 kB), ending in odd
    whitespace so that any trimming or truncation shows."""
    size = 65536 if rng.random() < 0.02 else rng.choice((60, 400, 2000, 6000))
    lines = [f"{marker} v{version} {uuid.uuid4().hex}"]
    length = len(lines[0])
    while length < size:
        line = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 12)))
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines) + rng.choice(("", "\n", "  \n\n", "\t"))


class Client(threading.Thread):
    """One user writing to its own pastes until told to stop."""

    def __init__(self, run: "CrashRun", index: int, token: str, web: requests.Session,
                 seed: int):
        super().__init__(name=f"client-{index}", daemon=True)
        self.run_ = run
        self.index = index
        self.token = token
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Token {token}"
        self.web = web
        self.csrf = ""
        self.rng = random.Random(seed)
        self.pastes: list[Tracked] = []
        self.tally = Tally()
        self.error: BaseException | None = None
        self.counter = 0
        self.seen_deaths = 0
        self.pool_deaths = 0

    # ---------------------------------------------------------------- plumbing

    @property
    def base(self) -> str:
        return self.run_.server.base

    def send(self, method: str, path: str, session: requests.Session, **kw):
        """The answer, or None when there was none (then the process that got the request,
        if any, is dead and another one is up when this returns)."""
        deaths = self.run_.lifeline.snapshot()
        if deaths != self.pool_deaths:  # kept-alive connections to a dead process
            self.api.close()
            self.web.close()
            self.pool_deaths = deaths
        try:
            return session.request(method, self.base + path, timeout=REQUEST_TIMEOUT,
                                   allow_redirects=False, **kw)
        except requests.RequestException:
            self.run_.lifeline.await_death_after(deaths)
            return None

    def settled_get(self, path: str, session: requests.Session, **kw) -> requests.Response:
        """A read answered 200 or 404 (retried across restarts)."""
        for _ in range(50):
            r = self.send("GET", path, session, **kw)
            if r is not None and r.status_code in (200, 404):
                return r
            time.sleep(0.05)
        raise CrashTestError(f"GET {path} kept failing")

    def form_token(self) -> str:
        if not self.csrf:
            r = self.settled_get("/paste/", self.web)
            m = re.search(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"', r.text) or \
                re.search(r'value="([^"]+)"\s+name="csrfmiddlewaretoken"', r.text)
            if not m:
                raise CrashTestError("no CSRF token in the paste form")
            self.csrf = m.group(1)
        return self.csrf

    def lose(self, what: str):
        self.tally.lost.append(f"client {self.index}: {what}")

    # ---------------------------------------------------------------- the model

    def observe(self, paste: Tracked, final=False):
        """Reads the paste and checks it against the states it may be in; settles them."""
        r = self.settled_get(f"/api/paste/{paste.id}/", self.api)
        self.tally.checks += 1
        when = "at the end" if final else "after a restart"
        if r.status_code == 404:
            if not (paste.gone or paste.may_be_gone):
                self.lose(f"paste {paste.id} is gone {when}; no delete was sent")
            paste.gone, paste.may_be_gone = True, False
            return
        got = r.json()
        state = (got.get("title"), got.get("body"))
        if paste.gone:
            self.lose(f"paste {paste.id} is back {when} after an answered delete")
            return
        if state not in paste.states:
            self.lose(f"paste {paste.id} {when} holds a state no write left it in: "
                      f"title {state[0]!r}, body of {len(state[1] or '')} characters")
        size = len((state[0] or "").encode()) + len((state[1] or "").encode())
        if got.get("size") != size:
            self.lose(f"paste {paste.id}: size {got.get('size')} is not {size}")
        paste.states, paste.may_be_gone = {state}, False

    def check_after_restart(self):
        """After a restart, compares a few of this client's pastes with the model."""
        deaths = self.run_.lifeline.snapshot()
        if deaths == self.seen_deaths:
            return
        self.seen_deaths = deaths
        live = [p for p in self.pastes if not p.gone]
        for paste in self.rng.sample(live, min(len(live), self.run_.checks_per_restart)):
            self.observe(paste)

    # ---------------------------------------------------------------- writes

    def create(self):
        self.counter += 1
        marker = f"k{uuid.uuid4().hex[:20]}"
        title = f"{marker} c{self.index}-{self.counter}"
        body = make_body(self.rng, marker, 0)
        how = self.rng.choice(("api", "api", "form", "raw"))
        r, paste_id = None, None
        if how == "api":
            r = self.send("POST", "/api/paste/", self.api,
                          json={"title": title, "body": body, "expiry": None, "private": False})
            if r is not None and r.status_code == 201:
                paste_id = r.json()["id"]
        elif how == "form":
            r = self.send("POST", "/paste/", self.web,
                          data={"title": title, "body": body, "language": "",
                                "expiry_preset": "never",
                                "csrfmiddlewaretoken": self.form_token()})
            if r is not None and r.status_code == 302:
                m = re.search(r"/(\d+)/$", r.headers.get("Location", ""))
                paste_id = int(m.group(1)) if m else None
        else:
            r = self.send("POST", "/", self.api, data=body.encode(),
                          params={"title": title, "expiry": "never"})
            if r is not None and r.status_code == 201:
                m = re.search(r"/(\d+)/\n$", r.text)
                paste_id = int(m.group(1)) if m else None
        if paste_id is not None:
            self.tally.acked_creates += 1
            self.pastes.append(Tracked(paste_id, {(title, body)}))
            return
        if r is not None and r.status_code == 403 and how == "form":
            self.csrf = ""
        self.tally.unanswered += 1
        self.find_unanswered_create(marker, title, body)

    def find_unanswered_create(self, marker: str, title: str, body: str):
        """A create without an answer may have been saved: search for its marker."""
        r = self.settled_get(f"/api/paste/?q={marker}&limit=10", self.api)
        found = [p for p in r.json().get("results", []) if marker in (p.get("title") or "")]
        if len(found) > 1:
            self.lose(f"one create saved {len(found)} pastes: {[p['id'] for p in found]}")
        if found:
            self.tally.unanswered_applied += 1
            paste = Tracked(found[0]["id"], {(title, body)})
            self.pastes.append(paste)
            self.observe(paste)

    def edit(self, paste: Tracked):
        self.counter += 1
        marker = next(iter(paste.states))[0].split(" ")[0]
        title = f"{marker} e{self.index}-{self.counter}"
        body = make_body(self.rng, marker, self.counter)
        how = self.rng.choice(("patch", "put", "form"))
        if how == "patch":  # the title stays whatever it was
            results = {(t, body) for t, _ in paste.states}
            r = self.send("PATCH", f"/api/paste/{paste.id}/", self.api, json={"body": body})
            ok = r is not None and r.status_code == 200
        elif how == "put":
            results = {(title, body)}
            r = self.send("PUT", f"/api/paste/{paste.id}/", self.api,
                          json={"title": title, "body": body, "expiry": None, "private": False})
            ok = r is not None and r.status_code == 200
        else:
            results = {(title, body)}
            r = self.send("POST", f"/{paste.id}/edit/", self.web,
                          data={"title": title, "body": body, "language": "",
                                "expiry_preset": "never",
                                "csrfmiddlewaretoken": self.form_token()})
            ok = r is not None and r.status_code == 302
        if ok:
            self.tally.acked_edits += 1
            if how != "form":
                got = r.json()
                if (got.get("title"), got.get("body")) not in results:
                    self.lose(f"paste {paste.id}: the {how} answer is not what was sent")
            paste.states, paste.may_be_gone = results, False
            return
        if r is not None and r.status_code == 403 and how == "form":
            self.csrf = ""
        self.tally.unanswered += 1
        before = set(paste.states)
        paste.states |= results
        self.observe(paste)
        if paste.states <= results and not before <= results:
            self.tally.unanswered_applied += 1

    def delete(self, paste: Tracked):
        if self.rng.random() < 0.5:
            r = self.send("DELETE", f"/api/paste/{paste.id}/", self.api)
            ok = r is not None and r.status_code == 204
        else:
            r = self.send("POST", f"/{paste.id}/delete/", self.web,
                          data={"csrfmiddlewaretoken": self.form_token()})
            ok = r is not None and r.status_code == 302
        if ok:
            self.tally.acked_deletes += 1
            paste.gone = True
            return
        if r is not None and r.status_code == 403:
            self.csrf = ""
        self.tally.unanswered += 1
        paste.may_be_gone = True
        self.observe(paste)
        if paste.gone:
            self.tally.unanswered_applied += 1

    def run(self):
        try:
            while not self.run_.stopping.is_set():
                self.run_.lifeline.await_up()
                self.check_after_restart()
                live = [p for p in self.pastes if not p.gone]
                roll = self.rng.random()
                if len(live) < 3 or (roll < 0.45 and len(live) < self.run_.live_per_client):
                    self.create()
                elif roll < 0.85:
                    self.edit(self.rng.choice(live))
                else:
                    self.delete(self.rng.choice(live))
        except BaseException as e:  # reported by the controller
            self.error = e
            self.run_.stopping.set()


@dataclass
class Result:
    backend: str
    kills: int
    tally: Tally
    seconds: float
    restart_seconds: float
    startup_kills: int

    def summary(self) -> str:
        t = self.tally
        return (f"crash test ({self.backend}): {self.kills} kills, {t.acked:,} acked writes, "
                f"{len(t.lost)} lost")

    def details(self) -> str:
        t = self.tally
        return (f"  {self.startup_kills} of the kills while starting; "
                f"{t.acked_creates:,} creates, {t.acked_edits:,} edits, "
                f"{t.acked_deletes:,} deletes answered; {t.unanswered:,} writes unanswered "
                f"({t.unanswered_applied:,} of them applied); {t.checks:,} checked reads; "
                f"{self.seconds:.0f} s, {self.restart_seconds:.0f} s of it restarting")


class CrashRun:
    def __init__(self, binary: str, database_url: str, workdir: Path, kills: int,
                 clients: int = 4, seed: int | None = None, min_up: float = 0.0,
                 max_up: float = 0.6, live_per_client: int = 12, checks_per_restart: int = 2,
                 startup_kill_rate: float = 0.1, before_final_check=None, log=print):
        self.server = ServerProcess(binary, database_url, workdir)
        self.backend = "postgresql" if database_url.startswith("postgres") else "sqlite"
        self.kills = kills
        self.client_count = clients
        self.seed = seed if seed is not None else random.randrange(1 << 30)
        self.rng = random.Random(self.seed)
        self.min_up, self.max_up = min_up, max_up
        self.live_per_client = live_per_client
        self.checks_per_restart = checks_per_restart
        self.lifeline = Lifeline()
        self.stopping = threading.Event()
        self.log = log
        self.restart_seconds = 0.0  # spent starting the server again after kills
        self.startup_kill_rate = startup_kill_rate
        self.startup_kills = 0  # of the kills, those of a server still starting
        # Called with the pastes that must exist before they are checked (to show that a
        # lost write is caught).
        self.before_final_check = before_final_check

    def make_user(self, index: int) -> tuple[str, requests.Session]:
        """Registers a user through the form; its token and logged-in web session."""
        web = requests.Session()
        base = self.server.base
        page = web.get(base + "/accounts/register/", timeout=REQUEST_TIMEOUT).text
        m = re.search(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"', page) or \
            re.search(r'value="([^"]+)"\s+name="csrfmiddlewaretoken"', page)
        if not m:
            raise CrashTestError("no CSRF token on the registration form")
        name, password = f"crash{index}{uuid.uuid4().hex[:8]}", f"Kx-{uuid.uuid4().hex[:10]}-Rw"
        r = web.post(base + "/accounts/register/", allow_redirects=False, timeout=REQUEST_TIMEOUT,
                     data={"username": name, "password1": password, "password2": password,
                           "csrfmiddlewaretoken": m.group(1)})
        if r.status_code != 302:
            raise CrashTestError(f"registering {name} answered {r.status_code}")
        r = requests.post(base + "/api/login/", json={"username": name, "password": password},
                          timeout=REQUEST_TIMEOUT)
        if r.status_code != 200:
            raise CrashTestError(f"API login of {name} answered {r.status_code}")
        return r.json()["token"], web

    def await_progress(self, clients: list["Client"], timeout=5.0):
        """Waits for a few answered writes since the last restart, so that each kill cuts
        into a running workload however slow the machine is."""
        wanted = sum(c.tally.acked for c in clients) + len(clients)
        deadline = time.monotonic() + timeout
        while (sum(c.tally.acked for c in clients) < wanted and time.monotonic() < deadline
               and not self.stopping.is_set()):
            time.sleep(0.01)

    def kill_and_restart(self, also_during_start=False) -> int:
        """Kills the server and starts it again; with also_during_start, kills the next
        one too while it prepares the database (migrations, expiry pass). The kills made."""
        if self.server.proc.poll() is not None:
            reason = (f"the server died on its own with {self.server.proc.returncode}\n"
                      f"{self.server.log_tail()}")
            self.lifeline.fail(reason)
            raise CrashTestError(reason)
        self.server.kill()
        self.lifeline.died()
        started = time.monotonic()
        try:
            kills = 1
            if also_during_start:
                self.server.launch()
                time.sleep(self.rng.uniform(0.0, 0.4))
                if self.server.proc.poll() is not None:
                    raise CrashTestError(f"server exited with {self.server.proc.returncode} "
                                         f"while starting\n{self.server.log_tail()}")
                self.server.kill()
                self.lifeline.died()
                self.startup_kills += 1
                kills += 1
            self.server.start()
            self.restart_seconds += time.monotonic() - started
        except CrashTestError as e:
            self.lifeline.fail(str(e))
            raise
        self.lifeline.came_up()
        return kills

    def run(self) -> Result:
        started = time.monotonic()
        clients: list[Client] = []
        kills = reported = 0
        try:
            self.server.start()
            self.lifeline.came_up()
            for i in range(self.client_count):
                token, web = self.make_user(i)
                clients.append(Client(self, i, token, web, self.rng.randrange(1 << 30)))
            for c in clients:
                c.start()
            while kills < self.kills and not self.stopping.is_set():
                self.await_progress(clients)
                time.sleep(self.rng.uniform(self.min_up, self.max_up))
                kills += self.kill_and_restart(self.rng.random() < self.startup_kill_rate)
                if kills // 100 > reported:
                    reported = kills // 100
                    self.log(f"  {kills} kills, "
                             f"{sum(c.tally.acked for c in clients):,} acked writes so far")
            self.stopping.set()
            # A client still waiting for an answer gets one from a live server, or waits
            # for the next death: a clean stop answers whatever is in flight.
            for c in clients:
                c.join(REQUEST_TIMEOUT + 5)
            if any(c.is_alive() for c in clients):
                self.server.terminate()
                self.lifeline.died()
                self.server.start()
                self.lifeline.came_up()
                for c in clients:
                    c.join(RESTART_WAIT)
            for c in clients:
                if c.error is not None:
                    raise CrashTestError(f"client {c.index} failed: {c.error!r}") from c.error
                if c.is_alive():
                    raise CrashTestError(f"client {c.index} did not stop")
            # One more kill with nothing in flight, then every paste is read back.
            kills += self.kill_and_restart()
            if self.before_final_check is not None:
                self.before_final_check([p for c in clients for p in c.pastes if not p.gone])
            tally = Tally()
            for c in clients:
                for paste in c.pastes:
                    c.observe(paste, final=True)
                tally.add(c.tally)
            returncode = self.server.terminate()
            if returncode != 0:
                raise CrashTestError(f"the server exited with {returncode} on SIGTERM\n"
                                     f"{self.server.log_tail()}")
            return Result(self.backend, kills, tally, time.monotonic() - started,
                          self.restart_seconds, self.startup_kills)
        finally:
            self.stopping.set()
            self.lifeline.fail("the run is over")
            try:
                self.server.terminate()
            finally:
                self.server.kill()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.environ.get("SILLYPASTE_BIN", "build/test/sillypaste"))
    parser.add_argument("--database-url", help="default: a fresh SQLite file in --workdir")
    parser.add_argument("--workdir", default=None, help="default: a new temporary directory")
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    import tempfile

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="sillypaste-crash-"))
    url = args.database_url or f"sqlite:///{workdir / 'crash.db'}"
    run = CrashRun(args.bin, url, workdir, args.kills, clients=args.clients, seed=args.seed)
    print(f"crash test: seed {run.seed}, database {urlsplit(url)._replace(netloc='').geturl()}, "
          f"log {run.server.log_path}")
    result = run.run()
    print(result.summary())
    print(result.details())
    for line in result.tally.lost[:20]:
        print("  LOST:", line)
    return 0 if not result.tally.lost else 1


if __name__ == "__main__":
    sys.exit(main())
