"""Slow, idle and oversized clients at the edge (short run; `make soak` runs the long one
with tests/soak/slow_clients.py --long).

2,000 idle connections and 200 slowloris clients must not slow normal clients much; the
server closes idle ones after the idle timeout and slow ones after the request timeout;
beyond the connection cap it answers 503 and says why; too long a target gets 414 and too
large a header block 431, through the application's error pages.

The server here is the sanitizer build: slower, and its memory figures (ASan keeps freed
memory in quarantine and pads every allocation) are several times a release build's.
"""

from __future__ import annotations

import json
import resource
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BIN, clean_env, free_port, wait_until_accepting

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "soak"))
import slow_clients  # noqa: E402


def test_idle_and_slowloris_clients_do_not_stop_normal_ones(make_server, capsys):
    plan = slow_clients.Plan()  # 2,000 idle + 200 slowloris, 3 s timed before and during
    srv = make_server(env=plan.server_env())
    try:
        result = slow_clients.run_slow_clients(srv.port, srv.proc.pid, plan)
    except slow_clients.SlowClientsError as e:
        pytest.fail(f"slow clients run stopped: {e}\n{srv.describe()}", pytrace=False)
    with capsys.disabled():
        print(f"\n{result.summary()}\n{result.details()}")
    assert len(result.unloaded_ms) >= 200 and len(result.loaded_ms) >= 200, result.details()
    assert not result.problems, "\n".join(result.problems) + "\n" + result.details()
    assert srv.proc.poll() is None, "the server died under the load\n" + srv.describe()


def test_connection_beyond_the_cap_gets_503_with_a_clear_message(make_server, capsys):
    srv = make_server(env={"SILLYPASTE_MAX_CONNECTIONS": "50"})
    result = slow_clients.check_cap(srv.port, 50)
    with capsys.disabled():
        print(f"\n{result.summary()}")
    assert not result.problems, "\n".join(result.problems)
    assert result.admitted == 50
    assert "50 connections open" in srv.stderr(), srv.describe()


# --------------------------------------------------------------------------- limits


def raw_exchange(srv, request: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(request)
        return slow_clients.read_response(s, 10)


def get_bytes(target: str, extra_headers: str = "") -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra_headers}\r\n".encode()


@pytest.mark.parametrize("target_length", [9000, 20000])  # under / over the header limit
def test_too_long_target_gets_414_page(server, target_length):
    status, headers, body = raw_exchange(server, get_bytes("/all/?q=" + "a" * target_length))
    assert status == 414
    assert headers["content-type"].startswith("text/html")
    assert headers["connection"] == "close"
    assert b"414" in body


@pytest.mark.parametrize("target_length", [9000, 20000])
def test_too_long_api_target_gets_414_json(server, target_length):
    status, headers, body = raw_exchange(server, get_bytes("/api/paste/?q=" + "a" * target_length))
    assert status == 414
    assert headers["content-type"].startswith("application/json")
    assert "detail" in json.loads(body)


def test_target_just_under_the_limit_is_served(server):
    target = "/?pad=" + "a" * (8 * 1024 - len("/?pad="))
    status, _, _ = raw_exchange(server, get_bytes(target))
    assert status == 200


def test_too_large_header_block_gets_431(server):
    headers = "".join(f"X-Filler-{i}: {'v' * 100}\r\n" for i in range(200))  # ~22 KB
    status, response_headers, _ = raw_exchange(server, get_bytes("/", headers))
    assert status == 431
    assert response_headers["connection"] == "close"
    status, _, _ = raw_exchange(server, get_bytes("/api/", headers))
    assert status == 431


# --------------------------------------------------------------------------- descriptors


def serve_with_file_limit(tmp_path: Path, limit: int, env: dict) -> str:
    """Starts serve under RLIMIT_NOFILE `limit` (soft and hard), waits until it serves,
    stops it; returns its stderr."""
    port = free_port()
    stderr_path = tmp_path / f"stderr-{limit}.log"
    with open(stderr_path, "wb") as stderr:
        proc = subprocess.Popen(
            [BIN, "serve", "--bind", f"127.0.0.1:{port}",
             "--database-url", f"sqlite:///{tmp_path / 'limit.db'}"],
            env=clean_env(env), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=stderr,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit)))
        try:
            wait_until_accepting(proc, port)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    assert proc.returncode == 0, stderr_path.read_text()
    return stderr_path.read_text()


def test_too_low_file_limit_is_named_at_start(tmp_path):
    assert "SILLYPASTE_MAX_CONNECTIONS=4096" in serve_with_file_limit(tmp_path, 1024, {})
    assert "open-file limit" not in serve_with_file_limit(
        tmp_path, 1024, {"SILLYPASTE_MAX_CONNECTIONS": "500"})
