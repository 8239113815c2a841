#!/usr/bin/python3
"""Slow and idle clients must not stop normal ones.

Against a running `sillypaste serve`, a load process opens idle connections of two kinds
(half sent one whole request and were then left idle, half connected and never sent a
byte) and slowloris clients that send a request's header one byte a second. Normal
clients time GET / and GET /<id>/raw/ before the load (unloaded) and during it (loaded).
Then the load stops reconnecting and the driver checks when the server closed each
connection: idle keep-alive ones after the idle timeout, silent and slowloris ones after
the request timeout (slowloris with a 408), none before. A second server with a small
connection cap must answer the connection beyond it with a 503 that says why.

Short run (what tests/functional/test_slow_clients.py does):
    python3 tests/soak/slow_clients.py
Long run (`make soak`):
    python3 tests/soak/slow_clients.py --long
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import http.client
import itertools
import math
import multiprocessing
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT = 60  # seconds for a server to answer /health/ping/
OPEN_CONCURRENCY = 64  # connections opened at once, so the listen backlog never overflows
CLOSE_SLACK = 3.0  # seconds a close may come after its timeout on a busy machine
CLOSE_EARLY = 0.5  # ... and before it (timer granularity, clocks of two processes)
CAP_MESSAGE = b"Too many connections; try again shortly.\n"

# Settings the server must not inherit from the caller (as tests/functional/conftest.py).
SETTING_VARS = ("DATABASE_URL", "PORT", "DJANGO_ALLOWED_HOSTS")


class SlowClientsError(RuntimeError):
    """The run could not be set up (server did not start, too few descriptors)."""


def raise_fd_limit(needed: int) -> None:
    """Lifts this process's soft RLIMIT_NOFILE to its hard limit; every connection is a
    descriptor and the default soft limit is often 1024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    if soft != resource.RLIM_INFINITY and soft < needed:
        raise SlowClientsError(f"open-file limit {soft} is below the {needed} this run needs "
                               "(raise it with ulimit -n)")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise SlowClientsError(f"no VmRSS for process {pid}")


def read_response(sock: socket.socket, timeout: float) -> tuple[int, dict, bytes]:
    """One HTTP/1.1 response with a Content-Length body from a blocking socket."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a whole response head: {data[:200]!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the whole body")
        body += chunk
    return int(lines[0].split()[1]), headers, body


def request_bytes(path: str, close: bool = False) -> bytes:
    connection = "Connection: close\r\n" if close else ""
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n{connection}\r\n".encode()


# --------------------------------------------------------------------------- the server


def server_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in SETTING_VARS and not k.startswith("SILLYPASTE_")}
    env["SILLYPASTE_RATE_LIMIT_CREATE"] = "off"
    env.update(extra or {})
    return env


class ServerProcess:
    """`sillypaste serve` on a free loopback port with a fresh SQLite file (standalone runs;
    the pytest wrapper uses conftest's servers)."""

    def __init__(self, binary: str, workdir: Path, env: dict):
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        with socket.socket() as s:
            s.bind((HOST, 0))
            self.port = s.getsockname()[1]
        self.log_path = workdir / "server.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(Path(binary).resolve()), "serve", "--bind", f"{HOST}:{self.port}",
             "--database-url", f"sqlite:///{workdir / 'slow.db'}"],
            cwd=workdir, env=server_env(env), stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SlowClientsError(f"server exited with {self.proc.returncode}:\n"
                                       + self.log_tail())
            try:
                with socket.create_connection((HOST, self.port), timeout=1) as s:
                    s.sendall(request_bytes("/health/ping/", close=True))
                    if read_response(s, 2)[0] == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise SlowClientsError("server did not answer /health/ping/ in time:\n" + self.log_tail())

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def create_paste(port: int) -> str:
    """A raw POST to /; returns the new paste's raw path."""
    body = b"slow clients\n" * 20
    with socket.create_connection((HOST, port), timeout=10) as s:
        s.sendall(f"POST /?title=slow.txt&expiry=never HTTP/1.1\r\nHost: {HOST}\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        status, _, answer = read_response(s, 10)
    if status != 201:
        raise SlowClientsError(f"creating a paste answered {status}: {answer[:200]!r}")
    path = "/" + answer.decode().strip().split("/", 3)[3]
    return path + "raw/"


# --------------------------------------------------------------------------- normal clients


class NormalClients:
    """Threads that each ask for GET / and GET <raw> in turn over a keep-alive connection
    (every tenth request on a new one, so accepting is timed too) and time each answer."""

    def __init__(self, port: int, paths: list[str], clients: int = 2):
        self.port = port
        self.paths = paths
        self.clients = clients

    def measure(self, seconds: float) -> tuple[list[float], list[str]]:
        """Latencies in ms and errors over `seconds`."""
        samples: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def run() -> None:
            conn = None
            mine, bad = [], []
            count = 0
            while time.monotonic() < stop_at:
                path = self.paths[count % len(self.paths)]
                if conn is None or count % 10 == 9:
                    if conn is not None:
                        conn.close()
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
                count += 1
                started = time.perf_counter()
                try:
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as e:
                    bad.append(f"GET {path}: {e!r}")
                    conn.close()
                    conn = None
                    continue
                mine.append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    bad.append(f"GET {path}: {response.status}")
            if conn is not None:
                conn.close()
            with lock:
                samples.extend(mine)
                errors.extend(bad)

        threads = [threading.Thread(target=run) for _ in range(self.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return samples, errors


# --------------------------------------------------------------------------- the load


class Load:
    """Runs in its own process (so its event loop does not disturb the timing of the
    normal clients) and obeys commands from the driver over a pipe."""

    def __init__(self, pipe, port: int):
        self.pipe = pipe
        self.port = port
        self.reconnect = True
        self.stopping = False
        self.tasks: set[asyncio.Task] = set()
        self.gate = asyncio.Semaphore(OPEN_CONCURRENCY)
        self.open_now = {"keepalive": 0, "silent": 0, "slowloris": 0}
        self.lifetimes: dict[str, list[float]] = {k: [] for k in self.open_now}
        self.got_408 = 0
        self.connect_failures = 0
        self.unexpected: list[str] = []

    def stats(self) -> dict:
        return {"open_now": dict(self.open_now), "lifetimes": self.lifetimes,
                "got_408": self.got_408,
                "connect_failures": self.connect_failures, "unexpected": self.unexpected[:20]}

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        commands: asyncio.Queue = asyncio.Queue()
        loop.add_reader(self.pipe.fileno(), lambda: commands.put_nowait(self.pipe.recv()))
        while True:
            command, *args = await commands.get()
            if command == "open":
                kind, count = args
                await self.open(kind, count)
                self.pipe.send(self.stats())
            elif command == "calm":  # stop replacing connections the server closes
                self.reconnect = False
                self.pipe.send(self.stats())
            elif command == "stats":
                self.pipe.send(self.stats())
            elif command == "stop":
                self.stopping = True
                for task in self.tasks:
                    task.cancel()
                await asyncio.gather(*self.tasks, return_exceptions=True)
                self.pipe.send(self.stats())
                return

    async def open(self, kind: str, count: int) -> None:
        """Starts `count` clients of a kind; returns once each has connected (and, for
        keep-alive ones, had its answer) or failed to."""
        ready = [asyncio.get_running_loop().create_future() for _ in range(count)]
        client = {"keepalive": self.idle_client, "silent": self.idle_client,
                  "slowloris": self.slowloris}[kind]
        for future in ready:
            task = asyncio.create_task(client(kind, future))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        await asyncio.gather(*ready)

    async def connect(self):
        async with self.gate:
            try:
                return await asyncio.wait_for(asyncio.open_connection(HOST, self.port), 10)
            except (OSError, asyncio.TimeoutError):
                self.connect_failures += 1
                return None

    def closed(self, kind: str, since: float) -> None:
        self.open_now[kind] -= 1
        self.lifetimes[kind].append(time.monotonic() - since)

    async def idle_client(self, kind: str, ready: asyncio.Future) -> None:
        """Connects, asks one question (keep-alive kind only) and waits for the server to
        close the connection; connects again while reconnecting is on."""
        while not self.stopping:
            streams = await self.connect()
            if streams is None:
                settle(ready, False)
                await asyncio.sleep(1)
                continue
            reader, writer = streams
            try:
                if kind == "keepalive":
                    writer.write(request_bytes("/health/ping/"))
                    status = await asyncio.wait_for(read_response_async(reader), 10)
                    if status != 200:
                        self.unexpected.append(f"keep-alive ping answered {status}")
                since = time.monotonic()
                self.open_now[kind] += 1
                settle(ready, True)
                try:
                    leftover = await reader.read(4096)
                except ConnectionError:
                    leftover = b""
                if leftover:
                    self.unexpected.append(f"{kind}: server sent {leftover[:80]!r} unasked")
                self.closed(kind, since)
            except (OSError, ValueError, asyncio.IncompleteReadError,
                    asyncio.TimeoutError) as e:
                self.unexpected.append(f"{kind}: {e!r}")
                settle(ready, False)
            finally:
                writer.close()
            if not self.reconnect:
                return

    async def slowloris(self, kind: str, ready: asyncio.Future) -> None:
        """Sends a request head one byte a second, never finishing it."""
        while not self.stopping:
            streams = await self.connect()
            if streams is None:
                settle(ready, False)
                await asyncio.sleep(1)
                continue
            reader, writer = streams
            since = time.monotonic()
            self.open_now[kind] += 1
            settle(ready, True)
            answer = asyncio.create_task(reader.read(4096))
            head = itertools.chain(f"GET / HTTP/1.1\r\nHost: {HOST}\r\n".encode(),
                                   itertools.cycle(b"X-Slow: a\r\n"))
            try:
                # Spread the clients' bytes over the second.
                await asyncio.wait({answer}, timeout=random.random())
                while not answer.done():
                    writer.write(bytes([next(head)]))
                    await asyncio.wait({answer}, timeout=1)
                data = answer.result()
            except OSError:
                data = b""
            except asyncio.CancelledError:
                answer.cancel()
                writer.close()
                raise
            if data.startswith(b"HTTP/1.1 408"):
                self.got_408 += 1
            self.closed(kind, since)
            writer.close()
            if not self.reconnect:
                return


def settle(future: asyncio.Future, value: bool) -> None:
    if not future.done():
        future.set_result(value)


async def read_response_async(reader: asyncio.StreamReader) -> int:
    """Reads one response with a Content-Length body; returns its status."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(head.split()[1])


def load_process(pipe, port: int) -> None:
    try:
        asyncio.run(Load(pipe, port).run())
    except KeyboardInterrupt:
        pass


class LoadHandle:
    def __init__(self, port: int):
        context = multiprocessing.get_context("fork")
        self.pipe, child_end = context.Pipe()
        self.process = context.Process(target=load_process, args=(child_end, port), daemon=True)
        self.process.start()

    def ask(self, *command, timeout: float = 120) -> dict:
        self.pipe.send(command)
        if not self.pipe.poll(timeout):
            raise SlowClientsError(f"load process did not answer {command[0]!r} in {timeout}s")
        return self.pipe.recv()

    def close(self) -> dict | None:
        stats = None
        if self.process.is_alive():
            try:
                stats = self.ask("stop", timeout=30)
            except (SlowClientsError, OSError, EOFError):
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        return stats


# --------------------------------------------------------------------------- the runs


@dataclass
class Plan:
    idle: int = 2000  # half keep-alive after one request, half silent
    slowloris: int = 200
    baseline_seconds: float = 3.0  # unloaded, before the load
    loaded_seconds: float = 3.0
    after_seconds: float = 2.0  # unloaded, after the server closed every load connection
    # The server's SILLYPASTE_IDLE_TIMEOUT and SILLYPASTE_REQUEST_TIMEOUT: long enough that
    # nothing is closed while the loaded timing runs, short enough to wait for.
    idle_timeout: int = 7
    request_timeout: int = 10
    normal_clients: int = 2

    def server_env(self) -> dict:
        return {"SILLYPASTE_IDLE_TIMEOUT": str(self.idle_timeout),
                "SILLYPASTE_REQUEST_TIMEOUT": str(self.request_timeout)}


LONG_PLAN = Plan(baseline_seconds=20, loaded_seconds=60, after_seconds=20, idle_timeout=75,
                 request_timeout=30)


@dataclass
class SlowResult:
    plan: Plan
    unloaded_before_ms: list[float]
    loaded_ms: list[float]
    unloaded_after_ms: list[float]
    errors: list[str]
    rss_before_kib: int
    rss_idle_kib: int  # with the idle connections open, before the slowloris ones
    open_while_loaded: dict  # the fewest of each kind open during the loaded timing
    final: dict  # the load's last stats
    problems: list[str] = field(default_factory=list)

    @property
    def unloaded_ms(self) -> list[float]:
        return self.unloaded_before_ms + self.unloaded_after_ms

    @property
    def unloaded_p99(self) -> float:
        return percentile(self.unloaded_ms, 0.99)

    @property
    def loaded_p99(self) -> float:
        return percentile(self.loaded_ms, 0.99)

    @property
    def allowed_p99(self) -> float:
        # 3x the unloaded figure, as the issue asks. On a shared 2-core machine an
        # unloaded p99 of 2 ms would leave 6 ms, and one scheduling hiccup of another
        # process (a compiler, the sanitizer's own work) is worth several ms: so never
        # less than the unloaded p99 plus 5 ms.
        return max(3 * self.unloaded_p99, self.unloaded_p99 + 5.0)

    def median_lifetime(self, kind: str) -> float:
        lifetimes = self.final["lifetimes"][kind]
        return percentile(lifetimes, 0.5) if lifetimes else float("nan")

    def summary(self) -> str:
        p = self.plan
        return (f"slow clients: {p.idle} idle + {p.slowloris} slowloris, p99 unloaded "
                f"{self.unloaded_p99:.1f} ms, loaded {self.loaded_p99:.1f} ms "
                f"({self.loaded_p99 / self.unloaded_p99:.1f}x, allowed "
                f"{self.allowed_p99:.1f} ms), idle closed after "
                f"{self.median_lifetime('keepalive'):.1f} s (timeout {p.idle_timeout} s), "
                f"silent and slowloris after {self.median_lifetime('silent'):.1f} / "
                f"{self.median_lifetime('slowloris'):.1f} s (timeout {p.request_timeout} s)")

    def details(self) -> str:
        per_connection = (self.rss_idle_kib - self.rss_before_kib) * 1024 / max(1, self.plan.idle)
        return (f"  samples {len(self.unloaded_ms)} unloaded, {len(self.loaded_ms)} loaded; "
                f"p50 {percentile(self.unloaded_ms, 0.5):.1f} / "
                f"{percentile(self.loaded_ms, 0.5):.1f} ms; max "
                f"{max(self.unloaded_ms):.1f} / {max(self.loaded_ms):.1f} ms; unloaded p99 "
                f"{percentile(self.unloaded_before_ms, 0.99):.1f} before, "
                f"{percentile(self.unloaded_after_ms, 0.99):.1f} after\n"
                f"  server RSS {self.rss_before_kib / 1024:.1f} MiB before, "
                f"{self.rss_idle_kib / 1024:.1f} MiB with {self.plan.idle} idle connections "
                f"(~{per_connection / 1024:.1f} KiB each)\n"
                f"  fewest open while timing: {self.open_while_loaded}; slowloris answered "
                f"408: {self.final['got_408']} of {len(self.final['lifetimes']['slowloris'])}; "
                f"connect failures {self.final['connect_failures']}")


def check_lifetimes(kind: str, lifetimes: list[float], timeout: int, expected: int) -> list[str]:
    problems = []
    if len(lifetimes) < expected:
        problems.append(f"only {len(lifetimes)} of {expected} {kind} connections were closed "
                        f"by the server within {timeout + CLOSE_SLACK:.0f} s")
    early = [t for t in lifetimes if t < timeout - CLOSE_EARLY]
    late = [t for t in lifetimes if t > timeout + CLOSE_SLACK]
    if early:
        problems.append(f"{len(early)} {kind} connections closed before the {timeout} s "
                        f"timeout (first after {min(early):.2f} s)")
    if late:
        problems.append(f"{len(late)} {kind} connections closed late (last after "
                        f"{max(late):.2f} s, timeout {timeout} s)")
    return problems


def run_slow_clients(port: int, server_pid: int, plan: Plan,
                     log=lambda line: None) -> SlowResult:
    """Times normal clients without and with the load, then checks the closes. The server
    must run with plan.server_env()."""
    raise_fd_limit(plan.idle + plan.slowloris + 256)
    paths = ["/", create_paste(port)]
    normal = NormalClients(port, paths, plan.normal_clients)
    normal.measure(0.5)  # warm up: templates, database pages, allocator
    log(f"timing normal clients for {plan.baseline_seconds} s without load")
    unloaded, errors = normal.measure(plan.baseline_seconds)

    rss_before = rss_kib(server_pid)
    load = LoadHandle(port)
    stats = None
    try:
        keepalive = plan.idle // 2
        log(f"opening {plan.idle - keepalive} silent and {keepalive} keep-alive connections")
        # Silent ones first: the server closes keep-alive ones sooner.
        load.ask("open", "silent", plan.idle - keepalive)
        stats = load.ask("open", "keepalive", keepalive)
        time.sleep(0.5)  # let the server settle before reading its memory
        rss_idle = rss_kib(server_pid)
        log(f"opening {plan.slowloris} slowloris clients")
        load.ask("open", "slowloris", plan.slowloris)
        time.sleep(0.5)
        log(f"timing normal clients for {plan.loaded_seconds} s with the load")
        before = load.ask("stats")
        loaded, loaded_errors = normal.measure(plan.loaded_seconds)
        after = load.ask("calm")
        errors += loaded_errors
        open_while_loaded = {k: min(before["open_now"][k], after["open_now"][k])
                             for k in before["open_now"]}
        log("waiting for the server to close the idle and slow connections")
        deadline = time.monotonic() + max(plan.idle_timeout, plan.request_timeout) + CLOSE_SLACK
        while time.monotonic() < deadline:
            stats = load.ask("stats")
            if not any(stats["open_now"].values()):
                break
            time.sleep(0.5)
    finally:
        final = load.close() or stats
    if final is None:
        raise SlowClientsError("the load process gave no figures")
    # Unloaded again, so that the baseline spans the loaded timing: on a shared machine
    # the noise of other processes drifts over a run.
    log(f"timing normal clients for {plan.after_seconds} s without load")
    unloaded_after, after_errors = normal.measure(plan.after_seconds)
    errors += after_errors

    result = SlowResult(plan, unloaded, loaded, unloaded_after, errors, rss_before, rss_idle,
                        open_while_loaded, final)
    problems = result.problems
    if errors:
        problems.append(f"{len(errors)} normal requests failed: {errors[:5]}")
    if result.loaded_p99 > result.allowed_p99:
        problems.append(f"loaded p99 {result.loaded_p99:.1f} ms is over the allowed "
                        f"{result.allowed_p99:.1f} ms (unloaded {result.unloaded_p99:.1f} ms)")
    wanted = {"keepalive": plan.idle // 2, "silent": plan.idle - plan.idle // 2,
              "slowloris": plan.slowloris}
    for kind, count in wanted.items():
        # Long runs replace connections the server closes, so a few may be reconnecting.
        if open_while_loaded[kind] < count * 0.95:
            problems.append(f"only {open_while_loaded[kind]} of {count} {kind} connections "
                            "were open while normal clients were timed")
    if final["connect_failures"]:
        problems.append(f"{final['connect_failures']} load connections could not connect")
    if final["unexpected"]:
        problems.append(f"load clients saw unexpected answers: {final['unexpected'][:5]}")
    lifetimes = final["lifetimes"]
    problems += check_lifetimes("idle keep-alive", lifetimes["keepalive"], plan.idle_timeout,
                                wanted["keepalive"])
    problems += check_lifetimes("silent", lifetimes["silent"], plan.request_timeout,
                                wanted["silent"])
    problems += check_lifetimes("slowloris", lifetimes["slowloris"], plan.request_timeout,
                                wanted["slowloris"])
    if final["got_408"] < len(lifetimes["slowloris"]) * 0.9:
        problems.append(f"only {final['got_408']} of {len(lifetimes['slowloris'])} slowloris "
                        "clients were answered 408")
    return result


@dataclass
class CapResult:
    cap: int
    admitted: int
    problems: list[str]

    def summary(self) -> str:
        verdict = "ok" if not self.problems else "FAILED"
        return f"connection cap {self.cap}: {self.admitted} admitted, the next got 503 {verdict}"


def expect_503(sock: socket.socket, what: str) -> list[str]:
    try:
        status, headers, body = read_response(sock, 5)
    except (OSError, ValueError) as e:
        return [f"{what}: no answer ({e!r})"]
    problems = []
    if status != 503:
        problems.append(f"{what}: status {status}, not 503")
    if headers.get("retry-after") != "5":
        problems.append(f"{what}: Retry-After {headers.get('retry-after')!r}")
    if headers.get("connection", "").lower() != "close":
        problems.append(f"{what}: Connection {headers.get('connection')!r}")
    if body != CAP_MESSAGE:
        problems.append(f"{what}: body {body!r}")
    sock.settimeout(3)
    try:
        if sock.recv(1) != b"":
            problems.append(f"{what}: more bytes after the 503")
    except ConnectionResetError:
        pass  # closed all the same
    except OSError:
        problems.append(f"{what}: not closed after the 503")
    return problems


def check_cap(port: int, cap: int) -> CapResult:
    """The server must run with SILLYPASTE_MAX_CONNECTIONS=cap."""
    raise_fd_limit(cap + 64)
    time.sleep(0.3)  # the readiness probe's connection may not have been noticed closed yet
    admitted: list[socket.socket] = []
    problems: list[str] = []
    try:
        for i in range(cap):
            for attempt in range(10):
                s = socket.create_connection((HOST, port), timeout=5)
                s.sendall(request_bytes("/health/ping/"))
                status = read_response(s, 5)[0]
                if status == 200:
                    admitted.append(s)
                    break
                s.close()
                time.sleep(0.2)  # a close not yet noticed by the server
            else:
                problems.append(f"connection {i + 1} of {cap} was refused")
                return CapResult(cap, len(admitted), problems)
        with socket.create_connection((HOST, port), timeout=5) as silent:
            problems += expect_503(silent, f"connection {cap + 1} (silent)")
        with socket.create_connection((HOST, port), timeout=5) as asking:
            asking.sendall(request_bytes("/"))
            problems += expect_503(asking, f"connection {cap + 2} (asking)")
        for s in admitted:  # the admitted ones are still served
            s.sendall(request_bytes("/health/ping/"))
            if read_response(s, 5)[0] != 200:
                problems.append("an admitted connection was not served after the cap was hit")
                break
        admitted_count = len(admitted)
        admitted.pop().close()
        deadline = time.monotonic() + 3
        while True:
            with socket.create_connection((HOST, port), timeout=5) as s:
                s.sendall(request_bytes("/health/ping/"))
                if read_response(s, 5)[0] == 200:
                    break
            if time.monotonic() > deadline:
                problems.append("a closed connection did not free its place within 3 s")
                break
            time.sleep(0.1)
    finally:
        for s in admitted:
            s.close()
    return CapResult(cap, admitted_count, problems)


# --------------------------------------------------------------------------- command line


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.environ.get("SILLYPASTE_BIN", "build/test/sillypaste"))
    parser.add_argument("--long", action="store_true",
                        help="60 s under load with the default timeouts (make soak)")
    parser.add_argument("--idle", type=int, help="idle connections (default 2000)")
    parser.add_argument("--slowloris", type=int, help="slowloris clients (default 200)")
    parser.add_argument("--cap", type=int, default=50, help="connection cap to check")
    parser.add_argument("--workdir", default=None, help="default: a new temporary directory")
    args = parser.parse_args(argv)

    plan = dataclasses.replace(LONG_PLAN if args.long else Plan())
    if args.idle is not None:
        plan.idle = args.idle
    if args.slowloris is not None:
        plan.slowloris = args.slowloris
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="sillypaste-slow-"))
    log = lambda line: print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)  # noqa: E731

    try:
        raise_fd_limit(plan.idle + plan.slowloris + 256)
        server = ServerProcess(args.bin, workdir / "load", plan.server_env())
        try:
            result = run_slow_clients(server.port, server.pid, plan, log)
        finally:
            server.stop()
        capped = ServerProcess(args.bin, workdir / "cap",
                               {"SILLYPASTE_MAX_CONNECTIONS": str(args.cap)})
        try:
            cap = check_cap(capped.port, args.cap)
        finally:
            capped.stop()
    except SlowClientsError as e:
        print(f"slow clients: {e}", file=sys.stderr)
        return 2

    print(result.summary() + (", cap 503 ok" if not cap.problems else ", cap 503 FAILED"))
    print(result.details())
    print(cap.summary())
    problems = result.problems + cap.problems
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"server logs in {workdir}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
