"""/health/ follows the database: 503 while PostgreSQL is down, 200 once it is back."""
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import POSTGRES, Server

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = ROOT / "scripts" / "pg-test-cluster"

pytestmark = pytest.mark.skipif(
    not POSTGRES, reason="needs PostgreSQL binaries; scripts/run-tests sets SILLYPASTE_TEST_POSTGRES")


def cluster(*args) -> str:
    return subprocess.run([str(CLUSTER), *map(str, args)], check=True, capture_output=True,
                          text=True, timeout=60).stdout.strip()


def health_status(srv: Server) -> int:
    return srv.get("/health/", timeout=20).status_code


def wait_for(srv: Server, status: int, seconds=30) -> int:
    deadline = time.time() + seconds
    seen = None
    while time.time() < deadline:
        seen = health_status(srv)
        if seen == status:
            return seen
        time.sleep(0.5)
    return seen


def test_health_turns_503_when_the_database_goes_away_and_recovers(tmp_path):
    # Directly under /tmp: the cluster runs as another user, who cannot enter pytest's
    # private tmp_path.
    data = Path(tempfile.mkdtemp(prefix="sillypaste-outage."))
    url = cluster("start", data)
    srv = None
    try:
        srv = Server(tmp_path / "srv", database_url=url)
        srv.wait_ready()
        assert health_status(srv) == 200
        cluster("pause", data)
        assert wait_for(srv, 503) == 503
        body = srv.get("/health/", timeout=20).json()
        assert body["ok"] is False and body["checks"]["database"]["ok"] is False
        assert srv.get("/health/ping/").text == "pong"  # the process itself is alive
        cluster("resume", data)
        assert wait_for(srv, 200) == 200
        assert srv.get("/all/").status_code == 200
    finally:
        if srv is not None:
            assert srv.stop() == 0, srv.describe()
        cluster("stop", data)
