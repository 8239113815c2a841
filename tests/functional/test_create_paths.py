"""Every way of creating a paste answers once the paste is stored, small or large.

Small pastes are answered when their group commit is done, by the network thread; large
ones (over 64 KB) are written and answered by the worker that built them. Both must give
the same answers."""

import pytest
import requests

from conftest import api_create, create_paste, raw_paste

SMALL = "def small(x):\n    return x\n"
LARGE = "".join(f"line {i}: {'x' * 60}\n" for i in range(2_000))  # about 140 KB


@pytest.mark.parametrize("body", [SMALL, LARGE], ids=["small", "large"])
def test_the_web_form_redirects_to_the_stored_paste(server, body):
    p = create_paste(server, title="form.py", body=body)
    assert server.get(p.raw).text == body


@pytest.mark.parametrize("body", [SMALL, LARGE], ids=["small", "large"])
def test_a_raw_post_answers_the_url_of_the_stored_paste(server, body):
    p = raw_paste(server, body)
    assert server.get(p.raw).text == body


@pytest.mark.parametrize("body", [SMALL, LARGE], ids=["small", "large"])
def test_the_api_answers_the_stored_paste(server, body):
    p = api_create(server, title="api.py", body=body)
    assert p["body"] == body
    assert requests.get(p["url"] + "raw/", timeout=10).text == body


def test_creates_at_once_each_get_their_own_paste(server):
    # Many creates in flight share group commits; each answer names its own paste.
    from concurrent.futures import ThreadPoolExecutor

    def create(i):
        return i, api_create(server, title=f"together {i}", body=f"body {i}\n")

    with ThreadPoolExecutor(max_workers=16) as pool:
        made = list(pool.map(create, range(48)))
    assert len({p["id"] for _, p in made}) == 48
    for i, p in made:
        assert p["title"] == f"together {i}"
        assert requests.get(p["url"] + "raw/", timeout=10).text == f"body {i}\n"
