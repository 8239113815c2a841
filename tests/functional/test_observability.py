"""Metrics, JSON access logs, the startup report and expiry health (issue 6 items 5-6)."""
import json
import re
import signal
import socket
import subprocess
import time

import requests

from conftest import (BIN, SERVER_DEFAULTS, clean_env, free_port, raw_paste, run_cli,
                      wait_until_accepting)

TOKEN = "metrics-token-0123456789"

SAMPLE = re.compile(
    r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>[^}]*)\})? (?P<value>[-+0-9.eE]+|NaN|\+Inf)$'
)


def parse_prometheus(text: str) -> dict:
    """A small parser of the text format: {(name, frozenset(labels)): value}; fails on any
    line that is neither a comment nor a valid sample."""
    samples = {}
    types = {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert kind in {"counter", "gauge", "histogram", "summary", "untyped"}, line
            types[name] = kind
            continue
        m = SAMPLE.match(line)
        assert m, f"not a Prometheus sample: {line!r}"
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m["labels"] or ""))
        samples[(m["name"], labels)] = float(m["value"])
    assert types, "no # TYPE lines"
    return samples


def metric(samples: dict, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def scrape(srv) -> dict:
    r = srv.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain")
    return parse_prometheus(r.text)


def test_metrics_are_off_by_default(server):
    assert server.get("/metrics").status_code == 404


def test_metrics_need_the_bearer_token(make_server):
    srv = make_server("--metrics-token", TOKEN)
    assert srv.get("/metrics").status_code == 401
    assert srv.get("/metrics", headers={"Authorization": "Bearer wrong-token-0123456"}).status_code == 401
    assert srv.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_metrics_counters_move_with_requests(make_server):
    srv = make_server("--metrics-token", TOKEN)
    paste = raw_paste(srv, b"hello metrics")
    before = scrape(srv)
    for _ in range(3):
        assert srv.get(paste.raw).status_code == 200
    assert srv.get("/no/such/page/").status_code == 404
    after = scrape(srv)
    assert metric(after, "sillypaste_http_requests_total", route="paste_raw", status="200") == \
        metric(before, "sillypaste_http_requests_total", route="paste_raw", status="200") + 3
    assert metric(after, "sillypaste_http_requests_total", route="unmatched", status="404") >= 1
    count = metric(after, "sillypaste_http_request_duration_seconds_count")
    assert count >= metric(before, "sillypaste_http_request_duration_seconds_count") + 4
    assert metric(after, "sillypaste_http_request_duration_seconds_bucket", le="+Inf") == count
    assert metric(after, "sillypaste_pastes") >= 1
    assert metric(after, "sillypaste_expiry_last_success_timestamp_seconds") > 1.7e9
    assert ("sillypaste_database_errors_total", frozenset()) in after


def test_metrics_show_the_search_backlog_draining(make_server):
    srv = make_server("--metrics-token", TOKEN)
    assert ("sillypaste_search_backlog", frozenset()) in scrape(srv)
    raw_paste(srv, b"a paste for the search index")
    deadline = time.monotonic() + 10
    while metric(scrape(srv), "sillypaste_search_backlog") != 0:
        assert time.monotonic() < deadline, "the search indexer left pastes waiting"
        time.sleep(0.05)


def test_json_access_log(make_server):
    srv = make_server(env={"SILLYPASTE_LOG_FORMAT": "json"})
    assert srv.get("/all/?q=json%20log").status_code == 200
    deadline = time.time() + 5
    entries = []
    while time.time() < deadline and not entries:
        for line in srv.stdout().splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("target") == "/all/?q=json%20log":
                    entries.append(entry)
        time.sleep(0.1)
    assert entries, srv.stdout()
    entry = entries[0]
    assert entry["method"] == "GET" and entry["status"] == 200
    assert isinstance(entry["bytes"], int) and isinstance(entry["ms"], (int, float))


def test_bad_log_format_is_refused(tmp_path):
    r = run_cli("serve", "--database-url", f"sqlite:///{tmp_path}/x.db",
                env={"SILLYPASTE_LOG_FORMAT": "xml"})
    assert r.returncode == 2
    assert "SILLYPASTE_LOG_FORMAT" in r.stderr


def test_startup_prints_settings_with_secrets_masked(make_server):
    secret = "startup-secret-key-0123456789"
    srv = make_server("--secret-key", secret, "--metrics-token", TOKEN)
    out = srv.stdout()
    assert "SILLYPASTE_DEBUG = false" in out
    assert "database: " in out
    assert secret not in out and TOKEN not in out


def test_health_reports_the_last_expiry_pass(server):
    body = server.get("/health/").json()
    expiry = body["checks"]["expiry"]
    assert expiry["ok"] is True
    assert re.match(r"\d{4}-\d\d-\d\dT", expiry["last_success"])


def test_sigterm_lets_an_in_flight_request_finish(make_server):
    srv = make_server()
    body = b"x" * 4000
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(b"POST /?title=slow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body))
        sock.sendall(body[:1000])
        time.sleep(0.3)
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        sock.sendall(body[1000:])
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 201"), answer[:200]
    assert srv.proc.wait(timeout=15) == 0


def test_serve_outlives_the_reader_of_its_access_log(tmp_path):
    """stdout piped to a reader that went away (a log shipper restarting): the log lines
    are lost, not the server, which keeps answering and still stops cleanly."""
    port = free_port()
    with open(tmp_path / "stderr.log", "wb") as stderr:
        proc = subprocess.Popen(
            [BIN, "serve", "--bind", f"127.0.0.1:{port}",
             "--database-url", f"sqlite:///{tmp_path / 'test.db'}"],
            env=clean_env(SERVER_DEFAULTS), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=stderr)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line or b"serving on" in line:
                break
        wait_until_accepting(proc, port)
        proc.stdout.close()  # from now on, every write to stdout fails (EPIPE)
        for round_ in range(3):
            for _ in range(20):
                r = requests.get(f"http://127.0.0.1:{port}/health/ping/", timeout=10)
                assert r.status_code == 200, r.text
            time.sleep(0.2)  # the access log tries (and fails) to write meanwhile
            assert proc.poll() is None, (round_, (tmp_path / "stderr.log").read_text())
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0, (tmp_path / "stderr.log").read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
