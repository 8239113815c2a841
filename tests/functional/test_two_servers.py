"""Two `sillypaste serve` processes on one PostgreSQL database (issue 5): they serve the
same data, concurrent writes through both are all kept, hits from both add up, and
concurrent expiry passes delete each paste exactly once."""
import concurrent.futures
import subprocess
import time

import pytest
import requests

from conftest import BIN, POSTGRES, Server, clean_env, pg_database, pg_sql, raw_post

pytestmark = pytest.mark.skipif(
    not POSTGRES, reason="PostgreSQL only: scripts/run-tests sets SILLYPASTE_TEST_POSTGRES")

WRITES_PER_SERVER = 40


@pytest.fixture
def pair(tmp_path):
    url = pg_database(tmp_path / "shared-db")
    first = Server(tmp_path / "a", database_url=url)
    first.wait_ready()
    second = Server(tmp_path / "b", database_url=url)
    second.wait_ready()
    yield first, second, url
    for srv in (first, second):
        assert srv.stop() == 0, srv.describe()


def test_both_servers_keep_every_concurrent_write(pair):
    first, second, url = pair

    def write(args):
        srv, n = args
        r = raw_post(srv, f"body {n} from {srv.port}".encode(), params={"title": f"w{n}"})
        assert r.status_code == 201, r.text
        return int(r.text.rstrip("/\n").rsplit("/", 1)[1]), f"body {n} from {srv.port}"

    jobs = [(srv, n) for n in range(WRITES_PER_SERVER) for srv in (first, second)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        written = list(pool.map(write, jobs))
    ids = [pid for pid, _ in written]
    assert len(set(ids)) == len(ids), "two writes got the same id"
    for pid, body in written:
        for srv in (first, second):  # each server serves what the other wrote
            r = srv.get(f"/{pid}/raw/")
            assert r.status_code == 200 and r.text == body


def test_hits_from_both_servers_add_up(pair):
    first, second, url = pair
    r = raw_post(first, b"counted twice over", params={"title": "hits"})
    pid = int(r.text.rstrip("/\n").rsplit("/", 1)[1])
    for _ in range(5):
        assert first.get(f"/{pid}/raw/").status_code == 200
        assert second.get(f"/{pid}/raw/").status_code == 200
    deadline = time.time() + 10
    hits = None
    while time.time() < deadline:
        hits = pg_sql(url, "SELECT hits FROM pastes WHERE id = ?", (pid,))[0][0]
        if hits == 10:
            break
        time.sleep(0.3)
    assert hits == 10


def test_concurrent_expiry_passes_delete_each_paste_once(pair):
    first, second, url = pair
    ids = []
    for n in range(30):
        r = raw_post(first if n % 2 else second, f"short-lived {n}".encode(),
                     params={"title": f"e{n}", "expiry": "1"})
        assert r.status_code == 201
        ids.append(int(r.text.rstrip("/\n").rsplit("/", 1)[1]))
    time.sleep(1.5)
    before = pg_sql(url, "SELECT COUNT(*) FROM expiry_logs")[0][0]

    def expire(_):
        return subprocess.run([BIN, "expire", "--database-url", url], capture_output=True,
                              text=True, timeout=60, env=clean_env())

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(expire, range(4)))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert pg_sql(url, "SELECT COUNT(*) FROM pastes WHERE id IN (%s)" %
                  ",".join(map(str, ids)))[0][0] == 0
    logs = pg_sql(url, "SELECT expired_ids, paste_count FROM expiry_logs ORDER BY id")[before:]
    expired = [int(x) for ids_text, _ in logs for x in str(ids_text or "").split(",") if x]
    assert sorted(i for i in expired if i in ids) == sorted(ids), "a paste was deleted twice or never"
    assert sum(count for _, count in logs) >= len(ids)
    for srv in (first, second):
        assert srv.get(f"/{ids[0]}/").status_code == 404
