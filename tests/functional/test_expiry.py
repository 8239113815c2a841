"""Expiry (SPEC §4): expired pastes are never served; passes delete them."""

import re
import time

import requests

from conftest import create_paste, listed_ids, raw_paste, unique


def printed_ids(out: str) -> set:
    """Paste ids the expire command reported: the numbers after "ids" when it says so,
    else every number it printed."""
    m = re.search(r"\bids?\b\W*((?:\d+[\s,;]*)+)", out, re.I)
    return {int(x) for x in re.findall(r"\d+", m.group(1) if m else out)}


def test_expired_paste_is_404_before_any_expiry_pass(make_server):
    srv = make_server("--expire-interval", "0")  # no in-process pass at all
    marker = unique()
    p = raw_paste(srv, f"short lived {marker}", expiry="1", title=marker)
    keep = raw_paste(srv, "stays", expiry="never")
    assert srv.get(p.path).status_code == 200
    assert listed_ids(srv, marker) == [p.id]
    time.sleep(1.6)
    for path in (p.path, p.raw, p.render, p.path + "edit/", p.path + "delete/"):
        assert srv.get(path).status_code == 404, path
    assert listed_ids(srv, marker) == []
    assert srv.get(keep.raw).status_code == 200


def test_expire_command_removes_expired_pastes_and_prints_their_ids(make_server):
    srv = make_server("--expire-interval", "0")
    p = raw_paste(srv, "short", expiry="1")
    keep = raw_paste(srv, "stays", expiry="1day")
    keep2 = raw_paste(srv, "stays too")
    time.sleep(1.5)
    r = srv.cli("expire")
    assert r.returncode == 0, r.stderr
    out = r.stdout + r.stderr
    assert p.id in printed_ids(out), f"expire did not report id {p.id}: {out!r}"
    # a second pass has nothing left to remove
    r = srv.cli("expire")
    assert r.returncode == 0, r.stderr
    assert p.id not in printed_ids(r.stdout), f"paste {p.id} still in the database: {r.stdout!r}"
    assert srv.get(keep.raw).status_code == 200
    assert srv.get(keep2.raw).status_code == 200


def test_expire_command_prints_a_summary_then_one_id_per_line(make_server):
    srv = make_server("--expire-interval", "0")
    gone = [raw_paste(srv, f"short {n}", expiry="1") for n in range(3)]
    raw_paste(srv, "stays", expiry="1day")
    time.sleep(1.5)
    r = srv.cli("expire")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"removed 3 pastes, \d+ anonymous users, reclaimed \d+ bytes", lines[0]), (
        r.stdout)
    assert lines[1] == "expired paste ids:", r.stdout
    assert sorted(lines[2:]) == sorted(str(p.id) for p in gone), r.stdout
    # nothing left: the summary alone
    r = srv.cli("expire")
    assert r.stdout.splitlines() == [
        "removed 0 pastes, 0 anonymous users, reclaimed 0 bytes"], r.stdout


def test_expire_command_reads_database_url_from_environment(make_server):
    srv = make_server("--expire-interval", "0")
    p = raw_paste(srv, "short", expiry="1")
    time.sleep(1.5)
    from conftest import run_cli

    r = run_cli("expire", env={"DATABASE_URL": srv.database_url})
    assert r.returncode == 0, r.stderr
    assert p.id in printed_ids(r.stdout + r.stderr)


def test_in_process_timer_removes_expired_pastes(make_server):
    srv = make_server("--expire-interval", "1")
    p = raw_paste(srv, "short", expiry="1")
    keep = raw_paste(srv, "stays")
    time.sleep(3.5)  # expires at +1 s; a pass runs every second
    r = srv.cli("expire")
    assert r.returncode == 0, r.stderr
    assert p.id not in printed_ids(r.stdout), (
        f"paste {p.id} was still in the database after the server's own passes: {r.stdout!r}"
    )
    assert srv.get(keep.raw).status_code == 200


def test_form_paste_with_1hour_expiry_is_not_removed_by_a_pass(make_server):
    srv = make_server("--expire-interval", "0")
    p = create_paste(srv, requests.Session(), title="an hour", body="x", expiry_preset="1hour")
    r = srv.cli("expire")
    assert r.returncode == 0
    assert srv.get(p.raw).content == b"x"
