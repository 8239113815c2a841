"""Reads answered on the network threads (App::answer_quickly): GETs of pastes, static
files and cached listings from visitors without a session, from clients that do not ask
for gzip. They must answer exactly as the worker threads would, and count each view once.
"""
import gzip

import requests

from conftest import create_paste, raw_paste, unique
from test_pages import _poll_hits

PLAIN = {"Accept-Encoding": "identity"}  # not gzip: the quick path


def test_views_answered_quickly_count_once(server):
    p = raw_paste(server, f"quick {unique()}")
    for _ in range(3):
        assert server.get(p.raw, headers=PLAIN).status_code == 200
    for _ in range(2):
        assert server.get(p.path, headers=PLAIN).status_code == 200
    _poll_hits(server, p.path, 5, 0)


def test_quick_and_worker_answers_are_the_same(server):
    body = f"same either way {unique()}\n" * 200  # large enough to be gzipped for gzip clients
    p = raw_paste(server, body)
    quick = server.get(p.raw, headers=PLAIN)
    slow = server.get(p.raw, headers={"Accept-Encoding": "gzip"}, stream=True)
    assert quick.status_code == slow.status_code == 200
    assert slow.headers.get("Content-Encoding") == "gzip"
    assert quick.content == gzip.decompress(slow.raw.read()) == body.encode()
    for name in ("Content-Type", "X-Content-Type-Options", "Content-Security-Policy"):
        assert quick.headers[name] == slow.headers[name], name
    assert quick.headers["ETag"] and slow.headers["ETag"].startswith(quick.headers["ETag"][:-1])


def test_a_visitor_with_a_session_is_served_by_the_workers(server):
    owner = requests.Session()
    p = create_paste(server, owner, title="owned", body="owned")
    assert "sessionid" in owner.cookies
    page = server.get(p.path, session=owner, headers=PLAIN)
    assert page.status_code == 200 and "edit/" in page.text, "the owner lost their edit link"


def test_unknown_pastes_and_pages_answer_404_quickly_or_not(server):
    for path in ("/999999999/", "/999999999/raw/", "/s/nope/", "/no-such-page/"):
        assert server.get(path, headers=PLAIN).status_code == 404, path
