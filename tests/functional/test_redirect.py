"""`sillypaste redirect --to URL` (SPEC §1) and SILLYPASTE_CANONICAL_HOST on serve (SPEC §2).

Redirect mode answers every request, whatever its method, with a 301 to URL + the
request's path and query exactly as received. Requests go out through http.client so the
target reaches the server byte for byte (requests would normalise some of them).
"""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from conftest import BIN, TIMEOUT, clean_env, free_port, run_cli


class Redirector:
    """A running `sillypaste redirect` on a free loopback port."""

    def __init__(self, workdir: Path, to: str, args=(), env=None, bind=True):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log_path = self.workdir / "stdout.log"
        cmd = [BIN, "redirect", "--to", to]
        if bind:
            cmd += ["--bind", f"127.0.0.1:{self.port}"]
        cmd += list(args)
        self.cmd = cmd
        self._out = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=self.workdir, env=clean_env(env),
                                     stdin=subprocess.DEVNULL, stdout=self._out,
                                     stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"redirect exited with {self.proc.returncode}: {self.output()}",
                            pytrace=False)
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"redirect did not listen within {timeout}s: {self.output()}", pytrace=False)

    def request(self, method: str, target: str, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            conn.request(method, target, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.getheader("Location"), r.read()
        finally:
            conn.close()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        return self.proc.returncode


@pytest.fixture
def make_redirector(tmp_path):
    started: list[Redirector] = []

    def make(to="http://new.example", *args, env=None, bind=True) -> Redirector:
        r = Redirector(tmp_path / f"redirect{len(started)}", to, args, env=env, bind=bind)
        started.append(r)
        return r.wait_ready()

    yield make
    for r in started:
        r.stop()


@pytest.fixture(scope="module")
def redirector(tmp_path_factory):
    r = Redirector(tmp_path_factory.mktemp("redirect"), "http://new.example").wait_ready()
    yield r
    assert r.stop() == 0, r.output()


# --------------------------------------------------------------------------- methods and paths


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_every_method_gets_a_301(redirector, method):
    body = b"title=x&body=y" if method in ("POST", "PUT", "PATCH") else None
    status, location, _ = redirector.request(method, "/12/edit/?a=1", body=body)
    assert status == 301
    assert location == "http://new.example/12/edit/?a=1"


@pytest.mark.parametrize("target", [
    "/",
    "/12/",
    "/12/raw/?download=1",
    "/all/?q=a%20b&sort=-hits&page=2",
    "/caf%C3%A9/%2F%2e%2E/?x=%00%ff",
    "/a+b/?q=a+b&q=c",
    "/?",
    "/path;param=1/",
    "/api/paste/?limit=5&offset=10",
    "/static/app.3f2a.css",
    "/bad%zzescape/",
    "/%00/",
])
def test_path_and_query_are_kept_exactly(redirector, target):
    status, location, _ = redirector.request("GET", target)
    assert status == 301
    assert location == "http://new.example" + target


@pytest.mark.parametrize("target", ["//double", "//evil.example/x?y=1", "///triple/"])
def test_double_slash_paths_stay_on_the_new_host(redirector, target):
    status, location, _ = redirector.request("GET", target)
    assert status == 301
    assert location == "http://new.example" + target
    # Resolved the way a browser resolves it, the redirect stays on new.example.
    resolved = urlsplit(urljoin("http://old.example/", location))
    assert resolved.netloc == "new.example"
    assert resolved.path == target.split("?")[0]


def test_very_long_path(redirector):
    target = "/" + "a%20b" * 1400 + "/?q=" + "z" * 500  # ~7.5 KB, under the 8 KB target limit
    status, location, _ = redirector.request("GET", target)
    assert status == 301
    assert location == "http://new.example" + target
    status, _, _ = redirector.request("GET", "/" + "a" * 9000)
    assert status == 414


def test_absolute_form_and_asterisk_targets(redirector):
    status, location, _ = redirector.request("GET", "http://old.example/5/raw/?x=1")
    assert (status, location) == (301, "http://new.example/5/raw/?x=1")
    status, location, _ = redirector.request("OPTIONS", "*")
    assert (status, location) == (301, "http://new.example/")


def test_large_body_still_redirects(redirector):
    status, location, _ = redirector.request("POST", "/?title=big", body=b"x" * 300_000)
    assert (status, location) == (301, "http://new.example/?title=big")


def test_body_is_tiny_and_plain(redirector):
    r = requests.get(f"http://127.0.0.1:{redirector.port}/x/", allow_redirects=False,
                     timeout=TIMEOUT)
    assert r.status_code == 301
    assert r.headers["Content-Type"].startswith("text/plain")
    assert len(r.content) < 100
    assert r.headers["Location"] == "http://new.example/x/"


def test_keep_alive_connection_serves_many_redirects(redirector):
    conn = http.client.HTTPConnection("127.0.0.1", redirector.port, timeout=TIMEOUT)
    try:
        for i in range(20):
            conn.request("GET", f"/{i}/?n={i}")
            r = conn.getresponse()
            r.read()
            assert r.status == 301
            assert r.getheader("Location") == f"http://new.example/{i}/?n={i}"
    finally:
        conn.close()


def test_any_host_header_is_redirected(redirector):
    status, location, _ = redirector.request("GET", "/7/", headers={"Host": "old.herokuapp.com"})
    assert (status, location) == (301, "http://new.example/7/")


def test_access_log_prints_each_request(redirector):
    redirector.request("DELETE", "/logged/?marker=q1w2e3")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "/logged/?marker=q1w2e3" not in redirector.output():
        time.sleep(0.05)
    line = next(l for l in redirector.output().splitlines() if "marker=q1w2e3" in l)
    assert '"DELETE /logged/?marker=q1w2e3 HTTP/1.1" 301' in line


# --------------------------------------------------------------------------- the base URL


@pytest.mark.parametrize("to,target,expected", [
    ("https://new.example/", "/3/", "https://new.example/3/"),
    ("https://new.example/paste", "/3/?a=b", "https://new.example/paste/3/?a=b"),
    ("https://new.example/paste///", "/", "https://new.example/paste/"),
    ("HTTPS://New.Example:8443", "/x", "HTTPS://New.Example:8443/x"),
    ("http://[::1]:9000/", "//y", "http://[::1]:9000//y"),
])
def test_base_url_forms(make_redirector, to, target, expected):
    r = make_redirector(to)
    status, location, _ = r.request("GET", target)
    assert (status, location) == (301, expected)


@pytest.mark.parametrize("to", [
    "", "new.example", "//new.example", "ftp://new.example/", "http://", "http:///path",
    "https://new.example/?q=1", "https://new.example/#top", "https://user:pw@new.example/",
    "https://new example/", "javascript:alert(1)",
])
def test_bad_target_url_exits_2_with_one_line(tmp_path, to):
    r = run_cli("redirect", "--to", to, "--bind", f"127.0.0.1:{free_port()}", cwd=tmp_path,
                timeout=10)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--to" in lines[0], r.stderr
    assert not list(tmp_path.iterdir())


def test_missing_to_exits_2(tmp_path):
    r = run_cli("redirect", cwd=tmp_path, timeout=10)
    assert r.returncode == 2
    assert "--to" in r.stderr


@pytest.mark.parametrize("args,env", [
    (["--bind", "nonsense"], {}),
    (["--port", "70000"], {}),
    ([], {"SILLYPASTE_BIND": "1.2.3.4"}),
    ([], {"PORT": "http"}),
])
def test_bad_listen_address_exits_2(tmp_path, args, env):
    r = run_cli("redirect", "--to", "http://new.example", *args, env=env, cwd=tmp_path, timeout=10)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_help_describes_redirect(tmp_path):
    r = run_cli("redirect", "--help", cwd=tmp_path)
    assert r.returncode == 0
    for flag in ("--to", "--bind", "--port"):
        assert flag in r.stdout
    assert "redirect" in run_cli("--help", cwd=tmp_path).stdout


# --------------------------------------------------------------------------- environment, lifecycle


def test_bind_from_environment(tmp_path):
    port = free_port()
    red = Redirector(tmp_path, "http://new.example",
                     env={"SILLYPASTE_BIND": f"127.0.0.1:{port}", "PORT": "1"}, bind=False)
    red.port = port
    try:
        red.wait_ready()
        assert red.request("GET", "/e/")[:2] == (301, "http://new.example/e/")
    finally:
        assert red.stop() == 0


def test_port_from_environment_and_no_database(tmp_path):
    port = free_port()
    red = Redirector(tmp_path, "http://new.example", env={"PORT": str(port),
                                                         "DATABASE_URL": "bogus://ignored"},
                     bind=False)
    red.port = port
    try:
        red.wait_ready()
        assert red.request("PUT", "/p/?q")[:2] == (301, "http://new.example/p/?q")
        assert "redirecting" in red.output() and "http://new.example/" in red.output()
    finally:
        assert red.stop() == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stdout.log"], "it created files"


def test_sigterm_exits_0(make_redirector):
    r = make_redirector()
    assert r.request("GET", "/")[0] == 301
    assert r.stop() == 0


def test_small_thread_count(redirector):
    status = Path(f"/proc/{redirector.proc.pid}/status").read_text()
    threads = int(next(l for l in status.splitlines() if l.startswith("Threads:")).split()[1])
    assert threads <= 6, status


# --------------------------------------------------------------------------- canonical host on serve


def test_canonical_host_redirects_other_allowed_hosts(make_server):
    srv = make_server(env={"SILLYPASTE_ALLOWED_HOSTS": "127.0.0.1,old.example,.old.example",
                           "SILLYPASTE_CANONICAL_HOST": "127.0.0.1"})
    for host in ("old.example", "www.old.example", f"old.example:{srv.port}"):
        r = srv.get("/all/?q=a%20b&sort=-hits", headers={"Host": host})
        assert r.status_code == 301, (host, r.status_code)
        assert r.headers["Location"] == "http://127.0.0.1/all/?q=a%20b&sort=-hits"
    # A POST too, with an odd path.
    r = srv.post("//double/?x=1", headers={"Host": "old.example"}, data=b"body")
    assert r.status_code == 301
    assert r.headers["Location"] == "http://127.0.0.1//double/?x=1"
    # The canonical host itself is served.
    r = srv.get("/health/ping/")
    assert r.status_code == 200 and r.text.strip() == "pong"
    assert srv.get("/").status_code == 200
    # A Host that is not allowed at all is still refused.
    assert srv.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_canonical_host_flag(make_server):
    srv = make_server("--allowed-hosts", "127.0.0.1,old.example", "--canonical-host", "127.0.0.1")
    r = srv.get("/5/raw/?download=1", headers={"Host": "OLD.example"})
    assert r.status_code == 301
    assert r.headers["Location"] == "http://127.0.0.1/5/raw/?download=1"


def test_canonical_host_behind_https_proxy(make_server):
    srv = make_server(env={"SILLYPASTE_ALLOWED_HOSTS": "127.0.0.1,old.example",
                           "SILLYPASTE_CANONICAL_HOST": "127.0.0.1",
                           "SILLYPASTE_TRUST_PROXY": "true"})
    r = srv.get("/x/", headers={"Host": "old.example", "X-Forwarded-Proto": "https"})
    assert r.status_code == 301
    assert r.headers["Location"] == "https://127.0.0.1/x/"


@pytest.mark.parametrize("value", ["a.example,b.example", "*", ".example.com", "bad host"])
def test_bad_canonical_host_exits_2(tmp_path, value):
    r = subprocess.run([BIN, "serve", "--bind", f"127.0.0.1:{free_port()}",
                        "--database-url", f"sqlite:///{tmp_path}/t.db"],
                       env=clean_env({"SILLYPASTE_CANONICAL_HOST": value}), cwd=tmp_path,
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "SILLYPASTE_CANONICAL_HOST" in r.stderr
