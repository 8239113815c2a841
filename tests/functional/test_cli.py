"""The command line (SPEC §1, §2): commands, settings, exit codes, signals, access log."""

import os
import re
import signal
import subprocess
import threading
import time

import pytest
import requests

from conftest import (BIN, Server, clean_env, free_port, raw_paste, run_cli,
                      wait_until_accepting)


def test_help_lists_the_commands(tmp_path):
    r = run_cli("--help", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for cmd in ("serve", "prepare", "migrate", "expire", "languages"):
        assert cmd in r.stdout, cmd


def test_version_prints_a_version(tmp_path):
    r = run_cli("--version", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert re.search(r"\d+\.\d+\.\d+", r.stdout), r.stdout


@pytest.mark.parametrize("cmd", ["serve", "prepare", "migrate", "expire", "languages"])
def test_command_help(tmp_path, cmd):
    r = run_cli(cmd, "--help", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()
    assert not list(tmp_path.iterdir()), "--help touched the database"


def test_serve_help_lists_its_flags(tmp_path):
    out = run_cli("serve", "--help", cwd=tmp_path).stdout
    for flag in ("--bind", "--port", "--database-url", "--allowed-hosts", "--debug",
                 "--expire-interval", "--max-paste-bytes", "--secret-key"):
        assert flag in out, flag


@pytest.mark.parametrize("args", [["no-such-command"], ["--no-such-flag"], ["serve", "--no-such-flag"],
                                  ["expire", "--bogus"]])
def test_unknown_command_or_flag_exits_2(tmp_path, args):
    r = run_cli(*args, cwd=tmp_path, timeout=10)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.strip(), "no message on stderr"


def start_expecting_failure(tmp_path, args=(), env=None):
    """Runs serve with bad settings; it must exit (not serve) within a few seconds."""
    try:
        return subprocess.run([BIN, "serve", "--bind", f"127.0.0.1:{free_port()}",
                               "--database-url", f"sqlite:///{tmp_path}/t.db", *args],
                              env=clean_env(env), cwd=tmp_path, capture_output=True, text=True, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("serve kept running with an invalid setting")


@pytest.mark.parametrize(
    "var,value",
    [
        ("SILLYPASTE_DEBUG", "maybe"),
        ("SILLYPASTE_DEBUG", "2"),
        ("SILLYPASTE_EXPIRE_INTERVAL", "soon"),
        ("SILLYPASTE_EXPIRE_INTERVAL", "-1"),
        ("SILLYPASTE_MAX_PASTE_BYTES", "lots"),
        ("SILLYPASTE_MAX_PASTE_BYTES", "-5"),
        ("SILLYPASTE_MAX_PASTE_BYTES", "0"),
    ],
)
def test_bad_setting_is_a_one_line_error_naming_it_exit_2(tmp_path, var, value):
    r = start_expecting_failure(tmp_path, env={var: value})
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"want one line, got {lines}"
    assert var in lines[0] and value in lines[0], lines[0]


@pytest.mark.parametrize(
    "env",
    [
        {"PORT": "70000"},
        {"PORT": "http"},
        {"SILLYPASTE_BIND": "not an address"},
        {"DATABASE_URL": "mysql://u:p@h/db"},
        {"DATABASE_URL": "nonsense"},
    ],
)
def test_bad_address_or_database_url_exits_2(tmp_path, env):
    r = subprocess.run([BIN, "serve"], env=clean_env(env), cwd=tmp_path, capture_output=True, text=True,
                       timeout=10)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and list(env)[0] in lines[0], lines


@pytest.mark.parametrize("flag,value", [("--debug", "maybe"), ("--expire-interval", "x"),
                                        ("--max-paste-bytes", "-1"), ("--port", "99999")])
def test_bad_flag_value_exits_2(tmp_path, flag, value):
    r = start_expecting_failure(tmp_path, args=[flag, value])
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.strip()


def test_bad_port_flag_exits_2_without_bind(tmp_path):
    try:
        r = subprocess.run([BIN, "serve", "--port", "99999", "--database-url", f"sqlite:///{tmp_path}/t.db"],
                           env=clean_env(), cwd=tmp_path, capture_output=True, text=True, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("serve kept running with --port 99999")
    assert r.returncode == 2 and "--port" in r.stderr, (r.returncode, r.stderr)


@pytest.mark.parametrize("value,shown", [("TRUE", "true"), ("off", "false"), ("Yes", "true"), ("0", "false")])
def test_debug_value_in_effect_is_printed_at_startup(tmp_path, value, shown):
    srv = Server(tmp_path, env={"SILLYPASTE_DEBUG": value})
    try:
        srv.wait_ready()
    finally:
        srv.stop()
    out = srv.stdout() + srv.stderr()
    m = re.search(r"debug\W{0,5}(true|false|on|off|yes|no|1|0)\b", out, re.I)
    assert m, f"debug setting not printed: {out[:1000]!r}"
    normal = {"on": "true", "yes": "true", "1": "true", "off": "false", "no": "false", "0": "false"}
    assert normal.get(m.group(1).lower(), m.group(1).lower()) == shown


def test_sigterm_stops_the_server_with_exit_0(tmp_path):
    srv = Server(tmp_path)
    srv.wait_ready()
    raw_paste(srv, "before stop")
    t = time.monotonic()
    assert srv.stop(signal.SIGTERM) == 0, srv.describe()
    assert time.monotonic() - t < 10


def test_sigint_stops_the_server_with_exit_0(tmp_path):
    srv = Server(tmp_path)
    srv.wait_ready()
    assert srv.stop(signal.SIGINT) == 0, srv.describe()


def test_sigterm_as_soon_as_the_port_accepts_still_exits_0(tmp_path):
    """The signal may come before serve has started its threads (a supervisor stopping
    it right after a health check): it must stop cleanly, not die of the signal."""
    for attempt in range(10):
        port = free_port()
        proc = subprocess.Popen(
            [BIN, "serve", "--bind", f"127.0.0.1:{port}",
             "--database-url", f"sqlite:///{tmp_path / 'quick.db'}"],
            env=clean_env({}), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        wait_until_accepting(proc, port, interval=0.001)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=15)
        assert proc.returncode == 0, f"attempt {attempt}: {proc.returncode} {stderr.decode()}"


def test_data_survives_a_restart(tmp_path):
    srv = Server(tmp_path)
    srv.wait_ready()
    p = raw_paste(srv, "persistent ✓")
    for _ in range(3):
        srv.get(p.raw)
    assert srv.stop() == 0
    srv2 = Server(tmp_path)
    try:
        srv2.wait_ready()
        assert srv2.get(p.raw).content == "persistent ✓".encode()
    finally:
        assert srv2.stop() == 0


def test_port_variable_alone_sets_the_port(tmp_path):
    port = free_port()
    _serve_on(tmp_path, port, env={"PORT": str(port)})


def _serve_on(workdir, port, args=(), env=None):
    srv = Server(workdir, args=args, env=env, bind=False)
    srv.port, srv.base = port, f"http://127.0.0.1:{port}"
    try:
        srv.wait_ready()
        assert srv.get("/health/ping/").text.strip() == "pong"
    finally:
        assert srv.stop() == 0, srv.describe()


def test_bind_variable_sets_the_address(tmp_path):
    port = free_port()
    _serve_on(tmp_path, port, env={"SILLYPASTE_BIND": f"127.0.0.1:{port}"})


def test_port_flag_sets_the_port(tmp_path):
    port = free_port()
    _serve_on(tmp_path, port, args=["--port", str(port)])


def test_access_log_has_one_line_per_request(make_server):
    srv = make_server()
    marker = f"/no-such-{time.time_ns()}/"
    requests.get(srv.url("/stats/"), timeout=10)
    requests.get(srv.url(marker), timeout=10)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        lines = srv.stdout().splitlines()
        stats = [line for line in lines if "GET" in line and "/stats/" in line and "200" in line]
        missing = [line for line in lines if "GET" in line and marker in line and "404" in line]
        if stats and missing:
            break
        time.sleep(0.1)
    assert len(stats) == 1, f"access log lines for /stats/: {stats}\n{srv.stdout()[-2000:]}"
    assert len(missing) == 1, f"access log lines for {marker}: {missing}"


def test_access_log_lines_of_the_last_requests_survive_a_stop(make_server):
    srv = make_server()
    markers = [f"/last-{time.time_ns()}-{n}/" for n in range(20)]
    for marker in markers:
        requests.get(srv.url(marker), timeout=10)
    assert srv.stop() == 0
    lines = srv.stdout().splitlines()
    for marker in markers:
        assert sum(marker in line for line in lines) == 1, f"{marker}\n{lines[-25:]}"


def test_a_stdout_nobody_reads_costs_log_lines_not_answers(tmp_path):
    """stdout a pipe nobody reads (a stuck journal): requests keep being answered; their
    access-log lines wait in memory up to a bound, beyond it they are dropped and counted."""
    port = free_port()
    read_end, write_end = os.pipe()
    with open(tmp_path / "stderr.log", "wb") as stderr:
        proc = subprocess.Popen(
            [BIN, "serve", "--bind", f"127.0.0.1:{port}",
             "--database-url", f"sqlite:///{tmp_path / 'pipe.db'}"],
            env=clean_env({}), stdin=subprocess.DEVNULL, stdout=write_end, stderr=stderr)
    os.close(write_end)
    reader = None
    try:
        wait_until_accepting(proc, port)
        # ~1 KB lines: 3,000 of them are 3 MB, beyond the pipe's 64 KB and the 2 MiB kept.
        target = "/health/ping/?" + "x" * 1000
        session = requests.Session()
        for n in range(3000):
            r = session.get(f"http://127.0.0.1:{port}{target}", timeout=10)
            assert r.status_code == 200, n
        output = []
        reader = threading.Thread(
            target=lambda: output.append(b"".join(iter(lambda: os.read(read_end, 65536), b""))))
        reader.start()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        reader.join(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if reader is None or not reader.is_alive():
            os.close(read_end)
    text = output[0].decode()
    logged = sum(target in line for line in text.splitlines())
    dropped = sum(int(n) for n in re.findall(
        r"^sillypaste: (\d+) log lines dropped: the output was not read fast enough$", text,
        re.M))
    assert dropped > 0, text[-2000:]
    assert logged + dropped == 3000, (logged, dropped)
    assert text.rstrip().endswith("sillypaste: stopped"), text[-500:]


def test_migrate_creates_the_database_and_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path}/m.db"
    for _ in range(2):
        r = run_cli("migrate", "--database-url", url, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "m.db").exists()


def test_prepare_is_idempotent_and_reads_database_url_from_environment(tmp_path):
    url = f"sqlite:///{tmp_path}/p.db"
    for _ in range(2):
        r = run_cli("prepare", env={"DATABASE_URL": url}, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "p.db").exists()


def test_default_database_is_sillypaste_db_in_the_working_directory(tmp_path):
    r = run_cli("migrate", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "sillypaste.db").exists()


def test_relative_sqlite_url_is_relative_to_the_working_directory(tmp_path):
    r = run_cli("migrate", "--database-url", "sqlite:///sub.db", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "sub.db").exists()


def test_expire_on_a_fresh_database_succeeds(tmp_path):
    url = f"sqlite:///{tmp_path}/e.db"
    assert run_cli("migrate", "--database-url", url).returncode == 0
    r = run_cli("expire", "--database-url", url)
    assert r.returncode == 0, r.stderr


def test_languages_lists_the_highlighter_languages(tmp_path):
    r = run_cli("languages", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    names = [line.strip() for line in r.stdout.splitlines() if line.strip()]
    assert len(names) > 100
    assert "Python" in names
    assert len(set(names)) == len(names), "duplicate language names"
