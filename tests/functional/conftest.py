"""Black-box tests for the sillypaste binary.

Each test talks HTTP to a real `sillypaste serve` on a free loopback port with a
fresh SQLite file. Most tests share one session-scoped server (`server`); tests
that need special settings start their own with `make_server(...)`.

The binary comes from $SILLYPASTE_BIN (default: build/test/sillypaste).
"""

from __future__ import annotations

import html as htmllib
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("SILLYPASTE_BIN", str(REPO / "build" / "test" / "sillypaste"))
TIMEOUT = 10  # seconds, for every HTTP request
START_TIMEOUT = 20  # seconds for the server to answer /health/ping/

# SILLYPASTE_TEST_POSTGRES (a postgres:// URL of a server whose database may be connected
# to): every Server gets its own PostgreSQL database on it instead of a SQLite file.
POSTGRES = os.environ.get("SILLYPASTE_TEST_POSTGRES", "")

# Settings the server reads from the environment; cleared so that the caller's
# environment cannot change what the tests see.
SETTING_VARS = (
    "DATABASE_URL",
    "PORT",
    "DJANGO_ALLOWED_HOSTS",
)

# Tests create many pastes and accounts from 127.0.0.1: servers they start have no
# per-address limit on either unless the test passes its own value (None: left unset, so
# the built-in default applies).
SERVER_DEFAULTS = {
    "SILLYPASTE_RATE_LIMIT_CREATE": "off",
    "SILLYPASTE_RATE_LIMIT_REGISTER": "off",
}


def pytest_sessionstart(session):
    if not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)):
        pytest.exit(
            f"sillypaste binary not found or not executable: {BIN}\n"
            "Build it first, or point SILLYPASTE_BIN at it.",
            returncode=1,
        )


def pytest_collection_modifyitems(session, config, items):
    """SILLYPASTE_TEST_SHUFFLE=<seed> runs the tests in a random order (they must not
    depend on each other's order)."""
    seed = os.environ.get("SILLYPASTE_TEST_SHUFFLE")
    if seed:
        import random

        random.Random(seed).shuffle(items)


# --------------------------------------------------------------------------- processes


def clean_env(extra: dict | None = None) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTING_VARS and not k.startswith("SILLYPASTE_")
    }
    if extra:
        env.update(extra)
    return env


def run_cli(*args, env: dict | None = None, cwd=None, timeout=30, input=None):
    """Runs `sillypaste ARGS...` to completion; returns the CompletedProcess (text)."""
    return subprocess.run(
        [BIN, *map(str, args)],
        env=clean_env(env),
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_accepting(proc: subprocess.Popen, port: int, timeout: float = 20,
                         interval: float = 0.1) -> None:
    """Returns once 127.0.0.1:`port` accepts a connection, `proc` has exited, or `timeout`
    seconds have passed, whichever comes first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(interval)


class Server:
    """A running `sillypaste serve` with its own database file."""

    def __init__(self, workdir: Path, args=(), env: dict | None = None, bind=True,
                 database_url: str | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.db_path = self.workdir / "test.db"
        self.database_url = f"sqlite:///{self.db_path}"  # absolute path: sqlite:////tmp/...
        if database_url:
            self.database_url = database_url
        elif POSTGRES:  # one database per working directory, as the SQLite file would be
            self.database_url = pg_database(self.workdir)
        self.base = f"http://127.0.0.1:{self.port}"
        self.stdout_path = self.workdir / "stdout.log"
        self.stderr_path = self.workdir / "stderr.log"
        cmd = [BIN, "serve"]
        if bind:
            cmd += ["--bind", f"127.0.0.1:{self.port}"]
        cmd += ["--database-url", self.database_url, *map(str, args)]
        self.cmd = cmd
        self._stdout = open(self.stdout_path, "wb")
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.workdir,
            env=clean_env({k: v for k, v in {**SERVER_DEFAULTS, **(env or {})}.items()
                           if v is not None}),
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=self._stderr,
        )
        self.returncode = None

    # -- output
    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def describe(self) -> str:
        return (
            f"command: {' '.join(self.cmd)}\n"
            f"--- stderr ---\n{self.stderr()[-4000:]}\n--- stdout ---\n{self.stdout()[-4000:]}"
        )

    # -- lifecycle
    def wait_ready(self, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(
                    f"sillypaste serve exited with {self.proc.returncode} before answering\n"
                    + self.describe(),
                    pytrace=False,
                )
            try:
                r = requests.get(self.base + "/health/ping/", timeout=1)
                if r.status_code == 200 and r.text.strip() == "pong":
                    return self
                last = f"{r.status_code} {r.text[:200]!r}"
            except requests.RequestException as e:
                last = repr(e)
            time.sleep(0.05)
        self.kill()
        pytest.fail(
            f"sillypaste serve did not answer pong on /health/ping/ within {timeout}s "
            f"(last: {last})\n" + self.describe(),
            pytrace=False,
        )

    def stop(self, sig=signal.SIGTERM, timeout=15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._close()
                pytest.fail(f"server did not stop within {timeout}s after {sig!r}\n" + self.describe())
        self._close()
        self.returncode = self.proc.returncode
        return self.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close()

    def _close(self):
        for f in (self._stdout, self._stderr):
            if not f.closed:
                f.close()

    # -- HTTP
    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path, session=None, **kw):
        kw.setdefault("timeout", TIMEOUT)
        kw.setdefault("allow_redirects", False)
        return (session or requests).get(self.url(path), **kw)

    def post(self, path, session=None, **kw):
        kw.setdefault("timeout", TIMEOUT)
        kw.setdefault("allow_redirects", False)
        return (session or requests).post(self.url(path), **kw)

    def cli(self, *args, **kw):
        """Runs another command of the binary against this server's database."""
        return run_cli(*args, "--database-url", self.database_url, **kw)


def _start(tmp: Path, args=(), env=None, bind=True) -> Server:
    srv = Server(tmp, args=args, env=env, bind=bind)
    try:
        srv.wait_ready()
    except BaseException:
        srv.kill()
        raise
    return srv


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One server shared by most tests."""
    srv = _start(tmp_path_factory.mktemp("shared-server"))
    yield srv
    rc = srv.stop()
    assert rc == 0, f"shared server exited with {rc} on SIGTERM\n" + srv.describe()


@pytest.fixture
def make_server(tmp_path):
    """Starts a fresh server with extra flags/env; stops it (expecting exit 0) afterwards."""
    started: list[Server] = []

    def make(*args, env=None, bind=True) -> Server:
        srv = _start(tmp_path / f"server{len(started)}", args=args, env=env, bind=bind)
        started.append(srv)
        return srv

    yield make
    for srv in started:
        if srv.proc.poll() is None:
            rc = srv.stop()
            assert rc == 0, f"server exited with {rc} on SIGTERM\n" + srv.describe()
        else:
            srv._close()


# --------------------------------------------------------------------------- HTML helpers


def unique(prefix="m") -> str:
    """A marker no other paste contains (searchable with /all/?q=)."""
    return f"{prefix}{uuid.uuid4().hex[:16]}"


_TAG_RE = re.compile(r"<[^>]+>")


def tag_attrs(tag: str) -> dict:
    """Attributes of one start tag (names lowercased, values unescaped)."""
    m = re.match(r"<\s*[a-zA-Z][a-zA-Z0-9]*", tag)
    inner = tag[m.end() if m else 0:].rstrip(">").rstrip("/")
    attrs = {}
    for m in re.finditer(
        r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", inner
    ):
        name = m.group(1).lower()
        value = next((g for g in m.groups()[1:] if g is not None), "")
        attrs.setdefault(name, htmllib.unescape(value))
    return attrs


def find_tags(page: str, name: str) -> list[dict]:
    """Attributes of every <name ...> start tag in page."""
    return [tag_attrs(m.group(0)) for m in re.finditer(rf"<{name}\b[^>]*>", page, re.I)]


def text_of(page: str) -> str:
    """Visible text of an HTML fragment, tags removed, entities decoded, spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.I | re.S)
    return re.sub(r"\s+", " ", htmllib.unescape(_TAG_RE.sub(" ", page))).strip()


def csrf_from(page: str) -> str:
    for attrs in find_tags(page, "input"):
        if attrs.get("name") == "csrfmiddlewaretoken":
            assert attrs.get("value"), "csrfmiddlewaretoken input has no value"
            return attrs["value"]
    raise AssertionError("no <input name=csrfmiddlewaretoken> in page:\n" + page[:3000])


def csrf_token(server: Server, session: requests.Session, path="/paste/") -> str:
    """GETs a page with a form in this cookie jar and returns its CSRF token."""
    r = server.get(path, session=session)
    assert r.status_code == 200, f"GET {path}: {r.status_code}"
    token = csrf_from(r.text)
    assert session.cookies.get("csrftoken"), "GET of a form page did not set the csrftoken cookie"
    return token


def errors_for(page: str, field: str) -> list[str]:
    """Messages in <ul class="errorlist" id="errors-FIELD">, or [] when there is none."""
    m = re.search(
        rf"""<ul\b[^>]*\bid\s*=\s*["']errors-{re.escape(field)}["'][^>]*>(.*?)</ul>""",
        page,
        re.S | re.I,
    )
    if not m:
        return []
    assert re.search(r"""class\s*=\s*["'][^"']*\berrorlist\b""", m.group(0)), (
        f"errors-{field} list lacks class errorlist"
    )
    return [text_of(li) for li in re.findall(r"<li\b[^>]*>(.*?)</li>", m.group(1), re.S | re.I)]


def all_errors(page: str) -> dict:
    fields = re.findall(r"""\bid\s*=\s*["']errors-([a-z_]+)["']""", page)
    return {f: errors_for(page, f) for f in fields if errors_for(page, f)}


def paste_ids(page: str) -> list[int]:
    """Ids of pastes linked from a page (href="/<id>/"), in page order, without repeats."""
    seen = []
    for m in re.finditer(r"""href\s*=\s*["'](?:https?://[^/"']+)?/(\d+)/["']""", page):
        i = int(m.group(1))
        if i not in seen:
            seen.append(i)
    return seen


def language_options(page: str) -> dict:
    """{lowercased name: id} from <select name="language">."""
    m = re.search(r"""<select\b[^>]*\bname\s*=\s*["']language["'][^>]*>(.*?)</select>""", page, re.S | re.I)
    assert m, "no <select name=language> in the form"
    opts = {}
    for om in re.finditer(r"<option\b([^>]*)>(.*?)</option>", m.group(1), re.S | re.I):
        attrs = tag_attrs("<option " + om.group(1) + ">")
        opts[text_of(om.group(2)).lower()] = attrs.get("value", "")
    return opts


_lang_cache: dict = {}


def language_id(server: Server, name: str) -> str:
    key = (server.base, name.lower())
    if key not in _lang_cache:
        opts = language_options(server.get("/paste/").text)
        assert name.lower() in opts, f"language {name!r} not among the form's options"
        _lang_cache[key] = opts[name.lower()]
    return _lang_cache[key]


def location(r: requests.Response) -> str:
    """The Location header as a path (+query), whether the server sent it absolute or not."""
    loc = r.headers.get("Location")
    assert loc, f"no Location header (status {r.status_code})"
    parts = urlsplit(urljoin(r.url, loc))
    return parts.path + (("?" + parts.query) if parts.query else "")


def query_of(path: str) -> dict:
    return parse_qs(urlsplit(path).query, keep_blank_values=True)


# --------------------------------------------------------------------------- pastes


@dataclass
class Paste:
    path: str  # "/12/" or "/s/<slug>/"
    id: int | None  # None for a secret link

    @property
    def raw(self):
        return self.path + "raw/"

    @property
    def render(self):
        return self.path + "render/"


def paste_from_path(path: str) -> Paste:
    m = re.fullmatch(r"/(\d+)/", path)
    if m:
        return Paste(path, int(m.group(1)))
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]+/", path), f"unexpected paste path {path!r}"
    return Paste(path, None)


def form_data(title="A title", body="some body", language="", expiry_preset="never",
              private=False, **extra) -> dict:
    data = {"title": title, "body": body, "language": language, "expiry_preset": expiry_preset}
    if private:
        data["private"] = "on"
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def post_form(server: Server, session: requests.Session, path="/paste/", csrf=True, **fields):
    """POSTs the paste form (fields as form_data) with this jar's CSRF token."""
    data = form_data(**fields)
    if csrf:
        data["csrfmiddlewaretoken"] = csrf_token(server, session, path if path != "/" else "/paste/")
    return server.post(path, session=session, data=data)


def create_paste(server: Server, session: requests.Session | None = None, **fields) -> Paste:
    """Creates a paste through the web form; asserts the 302 and returns where it lives."""
    session = session if session is not None else requests.Session()
    r = post_form(server, session, **fields)
    assert r.status_code == 302, (
        f"form POST answered {r.status_code}, errors: {all_errors(r.text)}\n{r.text[:2000]}"
    )
    return paste_from_path(location(r))


def raw_post(server: Server, body, params=None, headers=None, session=None):
    if isinstance(body, str):
        body = body.encode("utf-8")
    return server.post("/", session=session, data=body, params=params, headers=headers)


def raw_paste(server: Server, body, **params) -> Paste:
    """Creates a paste with a raw POST to /; asserts 201 and the URL answer."""
    r = raw_post(server, body, params=params or None)
    assert r.status_code == 201, f"raw POST answered {r.status_code}: {r.text[:500]!r}"
    url = r.text
    assert url.endswith("\n") and url.count("\n") == 1, f"answer is not one URL line: {url!r}"
    url = url.strip()
    assert url.startswith(server.base + "/"), f"answer {url!r} is not an absolute URL on {server.base}"
    return paste_from_path(url[len(server.base):])


def listed_ids(server: Server, q: str, session=None, extra="") -> list[int]:
    r = server.get(f"/all/?q={q}{extra}", session=session)
    assert r.status_code == 200, f"/all/?q={q}: {r.status_code}"
    return paste_ids(r.text)


def shown_hits(page: str) -> int:
    """The hit count shown on a paste page."""
    text = text_of(page)
    m = re.search(r"\bhits\b\s*:?\s*(\d[\d,]*)", text, re.I) or re.search(
        r"(\d[\d,]*)\s*hits?\b", text, re.I
    )
    assert m, "no hit count found on the paste page: " + text[:1500]
    return int(m.group(1).replace(",", ""))


def paste_count(server: Server) -> int:
    """The number of pastes /stats/ reports."""
    m = re.search(r"\bPastes\s*:?\s*(\d+)", text_of(server.get("/stats/").text))
    assert m, "no paste count on /stats/"
    return int(m.group(1))


# --------------------------------------------------------------------------- accounts


@pytest.fixture(scope="module")
def module_server(tmp_path_factory):
    """A server of the test module's own: account tests count failed logins (which are
    throttled per client address), so they must not share one with the whole suite."""
    srv = _start(tmp_path_factory.mktemp("module-server"))
    yield srv
    rc = srv.stop()
    assert rc == 0, f"module server exited with {rc} on SIGTERM\n" + srv.describe()


@dataclass
class User:
    name: str
    password: str
    jar: requests.Session  # logged in as this user (unless a test logged it out)


def new_username(prefix="u") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def strong_password() -> str:
    """A password every rule accepts, unlike any username new_username() makes."""
    return f"Kx-{uuid.uuid4().hex[:6]}-Rw{uuid.uuid4().hex[:4]}"


def register(server: Server, jar: requests.Session, username: str, password1: str,
             password2: str | None = None, csrf=True) -> requests.Response:
    """POSTs the registration form from this jar (password2 defaults to password1)."""
    data = {"username": username, "password1": password1,
            "password2": password1 if password2 is None else password2}
    if csrf:
        data["csrfmiddlewaretoken"] = csrf_token(server, jar, "/accounts/register/")
    return server.post("/accounts/register/", session=jar, data=data)


def new_user(server: Server, prefix="u", jar: requests.Session | None = None,
             password: str | None = None) -> User:
    """Registers a fresh user (asserting success); its jar is logged in."""
    jar = jar if jar is not None else requests.Session()
    name, password = new_username(prefix), password or strong_password()
    r = register(server, jar, name, password)
    assert r.status_code == 302, (
        f"registering {name!r} answered {r.status_code}, errors: {all_errors(r.text)}"
    )
    return User(name, password, jar)


def login(server: Server, jar: requests.Session, username: str, password: str,
          next: str | None = None, csrf=True, headers=None) -> requests.Response:
    data = {"username": username, "password": password}
    if next is not None:
        data["next"] = next
    if csrf:
        data["csrfmiddlewaretoken"] = csrf_token(server, jar, "/accounts/login/")
    return server.post("/accounts/login/", session=jar, data=data, headers=headers)


def login_ok(server: Server, username: str, password: str, jar=None) -> requests.Session:
    jar = jar if jar is not None else requests.Session()
    r = login(server, jar, username, password)
    assert r.status_code == 302, (
        f"login as {username!r} answered {r.status_code}, errors: {all_errors(r.text)}"
    )
    return jar


def logout(server: Server, jar: requests.Session) -> requests.Response:
    token = csrf_token(server, jar, "/accounts/logout/")
    return server.post("/accounts/logout/", session=jar, data={"csrfmiddlewaretoken": token})


def logged_in_as(page: str) -> str | None:
    """The user name after "Logged in as" in a page's navigation, or None."""
    m = re.search(r"Logged in as\s*:?\s*([\w@.+\-]+)", text_of(page))
    return m.group(1) if m else None


def who(server: Server, jar: requests.Session | None) -> str | None:
    """Whom this jar is logged in as, judging by the navigation of /."""
    r = server.get("/", session=jar)
    assert r.status_code == 200
    return logged_in_as(r.text)


def jar_with_session(value: str) -> requests.Session:
    jar = requests.Session()
    jar.cookies.set("sessionid", value, domain="127.0.0.1", path="/")
    return jar


def paste_links(page: str) -> set:
    """Every href of a page that points at a paste, by id or by secret link."""
    return {
        a["href"] for a in find_tags(page, "a")
        if re.fullmatch(r"/(\d+|s/[A-Za-z0-9_-]+)/", a.get("href", ""))
    }


def pg_sql(url: str, sql: str, params=()) -> list:
    """Runs one statement with psql; ? placeholders are filled with quoted literals.
    Returns rows of values: int for integer-looking text, None for NULL, else str."""
    parts = sql.split("?")
    assert len(parts) == len(params) + 1, "one parameter per ?"
    literal = lambda v: "NULL" if v is None else str(int(v)) if isinstance(v, (bool, int)) \
        else "'" + str(v).replace("'", "''") + "'"
    text = parts[0] + "".join(literal(v) + part for v, part in zip(params, parts[1:]))
    r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\x1f",
                        "-R", "\x1e", "-P", "null=\x02", "-d", url, "-c", text],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"psql failed: {r.stderr}\n{text}"
    value = lambda f: None if f == "\x02" else int(f) if re.fullmatch(r"-?\d+", f) else f
    out = r.stdout[:-1] if r.stdout.endswith("\n") else r.stdout
    return [tuple(value(f) for f in row.split("\x1f")) for row in out.split("\x1e") if row]


def pg_database(workdir: Path) -> str:
    """The URL of the PostgreSQL database belonging to workdir, created when missing."""
    import hashlib

    name = "sp_" + hashlib.sha1(str(Path(workdir).resolve()).encode()).hexdigest()[:24]
    base = urlsplit(POSTGRES)
    url = base._replace(path="/" + name).geturl()
    if not pg_sql(POSTGRES, "SELECT 1 FROM pg_database WHERE datname = ?", (name,)):
        pg_sql(POSTGRES, f"CREATE DATABASE {name}")
    return url


def db_rows(server: Server, sql: str, params=()) -> list:
    """Runs one statement on the server's database (committing it) and returns rows."""
    if POSTGRES:
        return pg_sql(server.database_url, sql, params)
    import sqlite3

    con = sqlite3.connect(server.db_path, timeout=10)
    try:
        rows = con.execute(sql, params).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def user_id(server: Server, username: str) -> int:
    rows = db_rows(server, "SELECT id FROM users WHERE username = ?", (username,))
    assert rows, f"no user {username!r} in the database"
    return rows[0][0]


def secret_paste_id(server: Server, secret_path: str) -> int:
    slug = secret_path.strip("/").split("/")[1]
    rows = db_rows(server, "SELECT id FROM pastes WHERE secret = ?", (slug,))
    assert rows, f"no paste with secret {slug!r} in the database"
    return rows[0][0]


def create_superuser(server: Server, name: str, password: str):
    return server.cli("createsuperuser", "--username", name, "--password-stdin",
                      input=password + "\n")


def staff_user(server: Server, prefix="staff") -> User:
    name, password = new_username(prefix), strong_password()
    res = create_superuser(server, name, password)
    assert res.returncode == 0, f"createsuperuser exited {res.returncode}: {res.stderr}"
    return User(name, password, login_ok(server, name, password))


def redirect_to_login(r: requests.Response, next_path: str):
    """Asserts a 302 to /accounts/login/?next=<next_path> (the query decoded: "/" and "%2F"
    in it mean the same)."""
    assert r.status_code == 302, f"expected a redirect to the login page, got {r.status_code}"
    loc = location(r)
    assert urlsplit(loc).path == "/accounts/login/", loc
    assert query_of(loc) == {"next": [next_path]}, loc


# --------------------------------------------------------------------------- REST API


def api(server: Server, method: str, path: str, token: str | None = None, session=None,
        headers: dict | None = None, **kw) -> requests.Response:
    """One request to the API; `token` adds `Authorization: Token <token>`."""
    kw.setdefault("timeout", TIMEOUT)
    kw.setdefault("allow_redirects", False)
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = f"Token {token}"
    return (session or requests).request(method, server.url(path), headers=headers, **kw)


def api_login(server: Server, username: str, password: str) -> str:
    """POST /api/login/ (JSON); asserts 200 and returns the token."""
    r = api(server, "POST", "/api/login/", json={"username": username, "password": password})
    assert r.status_code == 200, f"API login of {username!r}: {r.status_code} {r.text[:300]}"
    token = r.json()["token"]
    assert re.fullmatch(r"[0-9a-f]{40}", token), token
    return token


@dataclass
class ApiUser:
    name: str
    password: str
    jar: requests.Session  # web session of this user
    token: str
    id: int


def api_user(server: Server, prefix="u", staff=False) -> ApiUser:
    """A fresh user (staff: a superuser) with an API token and its id."""
    u = staff_user(server, prefix) if staff else new_user(server, prefix)
    token = api_login(server, u.name, u.password)
    r = api(server, "GET", "/api/user/me/", token=token)
    assert r.status_code == 200, f"/api/user/me/: {r.status_code} {r.text[:300]}"
    return ApiUser(u.name, u.password, u.jar, token, r.json()["id"])


def api_create(server: Server, token: str | None = None, **fields) -> dict:
    """POST /api/paste/ (JSON); asserts 201 and returns the paste object."""
    fields.setdefault("title", "api paste")
    fields.setdefault("body", "api body")
    r = api(server, "POST", "/api/paste/", token=token, json=fields)
    assert r.status_code == 201, f"API create answered {r.status_code}: {r.text[:500]}"
    return r.json()


def api_list(server: Server, query: str = "", token: str | None = None, session=None) -> dict:
    """GET /api/paste/?<query>; asserts 200 and returns the page."""
    r = api(server, "GET", "/api/paste/" + (f"?{query}" if query else ""), token=token,
            session=session)
    assert r.status_code == 200, f"/api/paste/?{query}: {r.status_code} {r.text[:300]}"
    return r.json()
