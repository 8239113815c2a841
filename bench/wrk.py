"""Runs wrk (Debian's) with one of the bench/wrk_*.lua scripts and reads its figures."""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from processes import BENCH_DIR, HarnessError


@dataclass
class WrkResult:
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    non_2xx_3xx: int
    socket_errors: dict

    @property
    def socket_error_count(self) -> int:
        return sum(self.socket_errors.values())

    def as_json(self) -> dict:
        return asdict(self) | {"socket_error_count": self.socket_error_count}


@dataclass
class WrkJob:
    """One wrk run: a base URL, a script and its environment."""

    base_url: str
    script: str  # file name in bench/
    env: dict
    connections: int
    seconds: int
    threads: int = 2

    def command(self) -> list:
        return ["wrk", "-t", str(min(self.threads, self.connections)), "-c", str(self.connections),
                "-d", f"{self.seconds}s", "--timeout", "10s", "-s", str(BENCH_DIR / self.script),
                self.base_url + "/"]


RESULT_LINE = re.compile(r"^BENCH_RESULT (\{.*\})$", re.MULTILINE)
NON_2XX_LINE = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")
SOCKET_ERRORS_LINE = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def run(job: WrkJob) -> WrkResult:
    env = dict(os.environ) | {"BENCH_LUA_DIR": str(BENCH_DIR)} | job.env
    try:
        completed = subprocess.run(job.command(), env=env, capture_output=True, text=True,
                                   timeout=job.seconds + 60)
    except subprocess.TimeoutExpired:
        raise HarnessError(f"wrk did not finish: {' '.join(job.command())}") from None
    if completed.returncode != 0:
        raise HarnessError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}"
                           f" {completed.stdout.strip()}")
    return parse(completed.stdout)


def parse(output: str) -> WrkResult:
    """Reads the line wrk_report.lua prints, and checks it against wrk's own text lines
    ("Non-2xx or 3xx responses", "Socket errors") so neither can be missed."""
    match = RESULT_LINE.search(output)
    if not match:
        raise HarnessError(f"wrk printed no BENCH_RESULT line:\n{output}")
    data = json.loads(match.group(1))
    errors = data["errors"]
    non_2xx = errors["status"]
    text_non_2xx = NON_2XX_LINE.search(output)
    if text_non_2xx:
        non_2xx = max(non_2xx, int(text_non_2xx.group(1)))
    socket_errors = {kind: errors[kind] for kind in ("connect", "read", "write", "timeout")}
    text_socket = SOCKET_ERRORS_LINE.search(output)
    if text_socket:
        for kind, value in zip(("connect", "read", "write", "timeout"), text_socket.groups()):
            socket_errors[kind] = max(socket_errors[kind], int(value))
    seconds = data["duration_us"] / 1e6
    latency = data["latency_us"]
    answered = data["requests"] > 0

    def ms(key):  # no latency at all when no request completed within the run
        return latency[key] / 1000 if answered else None
    return WrkResult(
        requests=data["requests"], seconds=round(seconds, 3),
        requests_per_second=round(data["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=ms("p50"), p90_ms=ms("p90"), p99_ms=ms("p99"), max_ms=ms("max"),
        non_2xx_3xx=non_2xx, socket_errors=socket_errors)


def write_paths(path: Path, paths: list) -> Path:
    path.write_text("".join(p + "\n" for p in paths))
    return path
