"""Deployment files (issue 6): the Dockerfile's runtime tree, docker-compose.yml, fly.toml
and the systemd unit, checked without a Docker engine or a running systemd."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from conftest import BIN, REPO

DEPLOY = REPO / "deploy"
CHECK = REPO / "scripts" / "check-runtime-tree"


def check_env() -> dict:
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    return env


# --------------------------------------------------------------------------- Dockerfile


def test_runtime_tree_serves_health_ping():
    """Same packages, same ldd closure as the image; serve from the tree answers pong."""
    r = subprocess.run([str(CHECK), BIN], capture_output=True, text=True, timeout=300,
                       env=check_env())
    assert r.returncode == 0, r.stdout + r.stderr
    assert "answers /health/ping/ with pong" in r.stdout
    assert "HEALTHCHECK command passes" in r.stdout


def test_runtime_check_catches_a_missing_package(tmp_path):
    text = (DEPLOY / "Dockerfile").read_text()
    assert " libsodium23" in text
    bad = tmp_path / "Dockerfile"
    bad.write_text(text.replace(" libsodium23", " libsodium-nope"))
    r = subprocess.run([str(CHECK), BIN, "--no-run", "--dockerfile", str(bad)],
                       capture_output=True, text=True, timeout=300, env=check_env())
    assert r.returncode == 1, r.stdout
    assert "libsodium-nope does not exist" in r.stdout
    assert "libsodium.so.23 comes from libsodium23" in r.stdout


def test_dockerfile_shape():
    text = (DEPLOY / "Dockerfile").read_text()
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert froms == ["debian:12", "debian:12-slim"], froms
    runtime = text.split("FROM debian:12-slim", 1)[1]
    assert re.search(r"^USER\s+(?!root|0\b)\S+", runtime, re.M), "runs as root"
    assert re.search(r"^EXPOSE\s+8000\b", runtime, re.M)
    assert "SILLYPASTE_BIND=0.0.0.0:8000" in runtime
    assert "DATABASE_URL=sqlite:////data/sillypaste.db" in runtime
    assert re.search(r"^VOLUME\s+/data\b", runtime, re.M)
    assert re.search(r"^HEALTHCHECK\b.*?/health/ping/", runtime, re.M | re.S)
    assert re.search(r"^STOPSIGNAL\s+SIGTERM\b", runtime, re.M)
    assert "--no-install-recommends" in runtime
    assert "-DCMAKE_BUILD_TYPE=Release" in text and "-G Ninja" in text


# --------------------------------------------------------------------------- compose


def load_yaml(path: Path):
    yaml = pytest.importorskip("yaml", reason="python3-yaml is not installed")
    return yaml.safe_load(path.read_text())


def test_docker_compose_parses_and_names_its_parts():
    doc = load_yaml(DEPLOY / "docker-compose.yml")
    services = doc["services"]
    assert set(services) == {"postgres", "sillypaste"}
    pg = services["postgres"]
    assert pg["image"] == "postgres:15"
    assert any(str(v).startswith("pgdata:") for v in pg["volumes"])
    assert "pgdata" in doc["volumes"]
    app = services["sillypaste"]
    assert app["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (DEPLOY / app["build"]["context"] / app["build"]["dockerfile"]).is_file()
    url = app["environment"]["DATABASE_URL"]
    assert re.match(r"postgres(ql)?://[^@]+@postgres:5432/sillypaste$", url), url
    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert app["stop_signal"] == "SIGTERM"
    assert any("8000" in str(p) for p in app["ports"])


def compose_command() -> list[str] | None:
    """`docker compose` (plugin) or `docker-compose`, when one works here."""
    candidates = []
    if shutil.which("docker"):
        candidates.append(["docker", "compose"])
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for cmd in candidates:
        r = subprocess.run([*cmd, "version"], capture_output=True, text=True, timeout=30)
        if r.returncode == 0:
            return cmd
    return None


def test_docker_compose_config():
    cmd = compose_command()
    if cmd is None:
        pytest.skip("no working `docker compose` or `docker-compose` here (YAML checked above)")
    r = subprocess.run([*cmd, "-f", str(DEPLOY / "docker-compose.yml"), "config", "--quiet"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


# --------------------------------------------------------------------------- fly.toml


def test_fly_toml():
    doc = tomllib.loads((DEPLOY / "fly.toml").read_text())
    assert doc["kill_signal"] == "SIGTERM"
    assert doc["kill_timeout"]
    assert doc["env"]["DATABASE_URL"] == "sqlite:////data/sillypaste.db"
    assert doc["env"]["SILLYPASTE_BIND"] == "0.0.0.0:8000"
    mounts = doc["mounts"] if isinstance(doc["mounts"], list) else [doc["mounts"]]
    assert mounts[0]["destination"] == "/data" and mounts[0]["source"]
    service = doc["http_service"]
    assert service["internal_port"] == 8000
    checks = service["checks"]
    assert any(c["path"] == "/health/ping/" and c["method"].upper() == "GET" for c in checks)
    assert "localhost" in doc["env"]["SILLYPASTE_ALLOWED_HOSTS"].split(",")
    assert (DEPLOY / doc["build"]["dockerfile"]).is_file()


# --------------------------------------------------------------------------- systemd


def unit_settings(text: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_systemd_unit_sandboxing():
    s = unit_settings((DEPLOY / "sillypaste.service").read_text())
    expected = {
        "Type": "simple", "DynamicUser": "yes", "StateDirectory": "sillypaste",
        "WorkingDirectory": "/var/lib/sillypaste", "ProtectSystem": "strict",
        "ProtectHome": "yes", "PrivateTmp": "yes", "NoNewPrivileges": "yes",
        "PrivateDevices": "yes", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
        "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX", "Restart": "on-failure",
        "KillSignal": "SIGTERM", "TimeoutStopSec": "30",
        "EnvironmentFile": "-/etc/sillypaste.env",
    }
    for key, value in expected.items():
        assert value in s.get(key, []), (key, s.get(key))
    assert "DATABASE_URL=sqlite:////var/lib/sillypaste/sillypaste.db" in s["Environment"]
    assert "@system-service" in s["SystemCallFilter"]
    assert s["ExecStart"][0].split()[1] == "serve"


def test_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    text = (DEPLOY / "sillypaste.service").read_text()
    binary = os.path.realpath(BIN)
    unit = tmp_path / "sillypaste.service"
    unit.write_text(re.sub(r"^ExecStart=\S+", f"ExecStart={binary}", text, flags=re.M))
    r = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True,
                       timeout=60)
    output = (r.stdout + r.stderr).strip()
    assert r.returncode == 0 and not output, output
    # And it notices a broken unit, so a pass means something.
    broken = tmp_path / "broken.service"
    broken.write_text(text.replace("ExecStart=", "ExecStrat=").replace(
        "/usr/local/bin/sillypaste", binary))
    r = subprocess.run([analyze, "verify", str(broken)], capture_output=True, text=True,
                       timeout=60)
    assert "ExecStrat" in r.stdout + r.stderr
