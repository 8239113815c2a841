"""The processes a benchmark starts: sillypaste serve, nginx, a throw-away PostgreSQL.

Each is a context manager that stops what it started, even on Ctrl-C or an error, and
only ever listens on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


class HarnessError(RuntimeError):
    """The benchmark itself could not run (not a slow server: a broken setup)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The longest settle() waits for the search index to take in a run's pastes.
INDEX_WAIT_S = 60.0

# Lets the harness read /metrics (the search indexer's backlog); loopback only.
METRICS_TOKEN = "benchmark-metrics-token-0123456789"


def http_status(url: str, timeout: float = 2.0) -> int | None:
    """The status of a GET, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
        return None


def wait_until_ok(url: str, process: subprocess.Popen, timeout: float,
                  interval: float = 0.005) -> float:
    """Polls `url` until it answers 200; returns the seconds waited. Fails early when the
    process dies."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            raise HarnessError(f"{url}: the server exited with code {process.returncode}")
        if http_status(url, timeout=1.0) == 200:
            return time.monotonic() - start
        time.sleep(interval)
    raise HarnessError(f"{url} did not answer 200 within {timeout:.0f} s")


def stop_process(process: subprocess.Popen | None, grace: float = 15.0) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds; only the process we started."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def peak_rss_kib(pid: int) -> int | None:
    """VmHWM (the peak resident set) of a running process, in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class Sillypaste:
    """`sillypaste serve` on 127.0.0.1 with the benchmark's settings."""

    def __init__(self, binary: Path, database_url: str, log_dir: Path, name: str = "serve",
                 extra_env: dict | None = None):
        self.binary = binary
        self.database_url = database_url
        self.log_dir = log_dir
        self.name = name
        self.extra_env = extra_env or {}
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.ready_seconds = 0.0
        self.restarts = 0
        self._earlier_peak_kib = 0  # the peak RSS of processes replaced by restart()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stderr_path(self) -> Path:
        return self.log_dir / f"{self.name}.stderr.log"

    def error_lines(self, keep: int = 20) -> dict:
        """The errors serve wrote on stderr (a 500 logs one line there)."""
        try:
            lines = self.stderr_path.read_text(errors="replace").splitlines()
        except OSError:
            lines = []
        errors = [line for line in lines if "error" in line.lower()]
        return {"count": len(errors), "last": errors[-keep:]}

    def environment(self) -> dict:
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": self.database_url,
            "SILLYPASTE_BIND": f"127.0.0.1:{self.port}",
            # The benchmark's creates come from one address, far above the default limit.
            "SILLYPASTE_RATE_LIMIT_CREATE": "off",
            "SILLYPASTE_EXPIRE_INTERVAL": "0",
            "SILLYPASTE_SECRET_KEY": "benchmark-secret-key-not-for-production",
            "SILLYPASTE_METRICS_TOKEN": METRICS_TOKEN,
        })
        env.pop("PORT", None)
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 120.0) -> "Sillypaste":
        self.port = free_port()
        # The access log (one line per request on stdout) goes nowhere: it is not what we
        # measure, and a reader of it would compete for the CPU.
        stderr = open(self.stderr_path, "ab")
        self.process = subprocess.Popen(
            [str(self.binary), "serve"], env=self.environment(), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        stderr.close()
        self.ready_seconds = wait_until_ok(f"{self.base_url}/health/ping/", self.process,
                                           timeout)
        return self

    def peak_rss_kib(self) -> int | None:
        """The highest VmHWM of this process and of those restart() replaced."""
        current = peak_rss_kib(self.process.pid) if self.process else None
        return max(current or 0, self._earlier_peak_kib) or None

    def stop(self, grace: float = 15.0) -> None:
        stop_process(self.process, grace)

    def restart(self) -> None:
        """A new process on the same database, when the old one cannot catch up: serve
        finishes the requests in flight before it exits, so it gets only a short grace."""
        self._earlier_peak_kib = self.peak_rss_kib() or 0
        self.stop(grace=3.0)
        self.restarts += 1
        self.start()

    def settle(self, limit: float) -> dict:
        """After a load run, waits for serve to finish the requests the load generator left
        behind (serve keeps working on requests whose client has gone) and then for its
        search indexer to take in the pastes the run created, so that this work slows
        neither what is measured next nor the reference. Every run thus starts on a quiet
        server, as the first one did. Past `limit` seconds for the requests it restarts;
        the index is only waited for, as a restart would not shorten it, for up to
        INDEX_WAIT_S (a burst of 30,000 creates can take its index 10 s and more)."""
        waited = self.drain(limit)
        if waited is None:
            self.restart()
            return {"backlog_s": None, "restarted": True, "indexing_s": None}
        indexing = self.wait_for_search_index(max(limit, INDEX_WAIT_S))
        return {"backlog_s": waited if waited >= 0.5 else 0.0, "restarted": False,
                "indexing_s": indexing}

    def search_backlog(self) -> int | None:
        """sillypaste_search_backlog from /metrics: pastes waiting for the search index."""
        request = urllib.request.Request(f"{self.base_url}/metrics",
                                         headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                for line in response.read().decode().splitlines():
                    if line.startswith("sillypaste_search_backlog "):
                        return int(float(line.split()[1]))
        except (urllib.error.URLError, ConnectionError, socket.timeout, OSError, ValueError):
            return None
        return None

    def wait_for_search_index(self, limit: float) -> float | None:
        """Seconds until no paste waits for the search index, or None past `limit`."""
        start = time.monotonic()
        while time.monotonic() - start < limit:
            if self.search_backlog() == 0:
                return round(time.monotonic() - start, 2)
            time.sleep(0.1)
        return None

    def drain(self, limit: float) -> float | None:
        """Waits until /health/ping/ (answered by the same worker threads as every page)
        comes back within 50 ms, i.e. until the work queued by clients that have already
        left is done. Returns the seconds waited, or None when `limit` passed first."""
        start = time.monotonic()
        while time.monotonic() - start < limit:
            asked = time.monotonic()
            status = http_status(f"{self.base_url}/health/ping/", timeout=limit)
            if status == 200 and time.monotonic() - asked < 0.05:
                return round(time.monotonic() - start, 2)
            time.sleep(0.1)
        return None

    def __enter__(self) -> "Sillypaste":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Nginx:
    """Debian's nginx, 2 workers, serving static files (bench/nginx.conf.template).

    Its files live in a temporary directory under /tmp: run as root, nginx's workers
    become `nobody`, who must be able to read them. Write the files into `root` first.
    """

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="sillypaste-bench-nginx-"))
        self.directory.chmod(0o755)
        self.root = self.directory / "root"
        self.prefix = self.directory / "prefix"
        self.root.mkdir()
        self.prefix.mkdir()
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Nginx":
        self.port = free_port()
        template = string.Template((BENCH_DIR / "nginx.conf.template").read_text())
        conf = self.prefix / "nginx.conf"
        conf.write_text(template.substitute(port=self.port, root=self.root, prefix=self.prefix))
        (self.root / "health.txt").write_text("ok\n")
        for path in [self.root, *self.root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        self.process = subprocess.Popen(
            ["nginx", "-p", str(self.prefix), "-c", str(conf), "-e", str(self.prefix / "error.log")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)
        try:
            wait_until_ok(f"{self.base_url}/health.txt", self.process, 20.0, interval=0.02)
        except HarnessError as error:
            stop_process(self.process)
            detail = self.process.stderr.read().decode(errors="replace").strip()
            raise HarnessError(f"nginx: {error}: {detail}") from None
        return self

    def stop(self) -> None:
        # nginx's master stops its workers on SIGTERM (fast shutdown).
        stop_process(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class PostgresCluster:
    """A throw-away cluster from scripts/pg-test-cluster, removed on exit."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.url = ""

    def __enter__(self) -> "PostgresCluster":
        result = subprocess.run([str(ROOT / "scripts" / "pg-test-cluster"), "start",
                                 str(self.directory)], capture_output=True, text=True,
                                timeout=120)
        if result.returncode != 0:
            self.__exit__()
            raise HarnessError(f"pg-test-cluster start failed: {result.stderr.strip()}")
        self.url = result.stdout.strip().splitlines()[-1]
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run([str(ROOT / "scripts" / "pg-test-cluster"), "stop", str(self.directory)],
                       capture_output=True, timeout=120)


def database_url_in(server_url: str, database: str) -> str:
    """The URL of another database on the same PostgreSQL server."""
    head, _, tail = server_url.rpartition("/")
    query = ""
    if "?" in tail:
        query = "?" + tail.split("?", 1)[1]
    return f"{head}/{database}{query}"


def psql(server_url: str, sql: str) -> None:
    result = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server_url, "-c", sql],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise HarnessError(f"psql: {sql}: {result.stderr.strip()}")
