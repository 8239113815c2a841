"""No acknowledged write is lost when the server dies by SIGKILL (short run; `make soak`
runs the long one). The driver is tests/soak/crash.py: concurrent creates, edits and
deletes through the API, the web form and raw POSTs, at least 50 kills at random moments,
a restart on the same database after each, and every answered write checked afterwards.
On PostgreSQL when SILLYPASTE_TEST_POSTGRES is set, else on SQLite."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from conftest import BIN, POSTGRES, pg_database, pg_sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "soak"))
import crash  # noqa: E402

KILLS = int(os.environ.get("SILLYPASTE_CRASH_KILLS", "50"))


def test_no_acknowledged_write_is_lost_to_sigkill(tmp_path, capsys):
    workdir = tmp_path / "crash"
    url = pg_database(workdir) if POSTGRES else f"sqlite:///{workdir / 'crash.db'}"
    run = crash.CrashRun(BIN, url, workdir, kills=KILLS, log=lambda line: None)
    try:
        result = run.run()
    except crash.CrashTestError as e:
        pytest.fail(f"crash run (seed {run.seed}) stopped: {e}\n"
                    f"--- server log ---\n{run.server.log_tail()}", pytrace=False)
    with capsys.disabled():
        print(f"\n{result.summary()}\n{result.details()}")
    tally = result.tally
    assert not tally.lost, (
        f"seed {run.seed}: {len(tally.lost)} acknowledged writes lost:\n  "
        + "\n  ".join(tally.lost[:20]))
    assert result.kills >= KILLS + 1
    # Enough writes, and enough of them cut short by a kill, for the run to mean something.
    assert tally.acked >= 4 * KILLS, result.details()
    assert tally.acked_creates and tally.acked_edits and tally.acked_deletes, result.details()
    assert tally.unanswered >= KILLS // 5, result.details()
    assert tally.checks >= tally.acked_creates, result.details()


def test_the_check_catches_a_lost_paste_and_a_changed_body(tmp_path):
    """The same run with two writes undone behind the server's back must report both."""
    workdir = tmp_path / "tampered"
    url = pg_database(workdir) if POSTGRES else f"sqlite:///{workdir / 'crash.db'}"

    def sql(statement: str, params: tuple):
        if POSTGRES:
            pg_sql(url, statement, params)
            return
        con = sqlite3.connect(workdir / "crash.db", timeout=10)
        try:
            con.execute(statement, params)
            con.commit()
        finally:
            con.close()

    tampered = {}

    def tamper(live):
        assert len(live) >= 2, "the short run left fewer than two pastes"
        tampered["deleted"], tampered["changed"] = live[0].id, live[1].id
        sql("DELETE FROM pastes WHERE id = ?", (live[0].id,))
        sql("UPDATE pastes SET body = body || ?, size = size + 1 WHERE id = ?", ("!", live[1].id))

    run = crash.CrashRun(BIN, url, workdir, kills=3, before_final_check=tamper,
                         log=lambda line: None)
    lost = run.run().tally.lost
    assert len(lost) == 2, lost
    assert any(f"paste {tampered['deleted']} is gone" in line for line in lost), lost
    assert any(f"paste {tampered['changed']} at the end holds a state" in line
               for line in lost), lost
