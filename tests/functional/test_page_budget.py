"""Every page stays small (issue 7): under 50 KB before compression, the paste itself
excluded; no resource from another site; a favicon; titles like the original."""

import re

import pytest

from conftest import create_paste, language_id, unique

BUDGET = 50 * 1024


@pytest.fixture(scope="module")
def paths(server):
    marker = unique()
    p = create_paste(server, title=f"budget {marker}.md", body="# Hi\n\ntext\n",
                     language=language_id(server, "markdown"), expiry_preset="never")
    return ["/", "/paste/", "/all/", "/stats/", "/privacy_policy/", "/accounts/login/",
            "/accounts/register/", "/accounts/logout/", "/health/dashboard/", "/no/such/page/",
            p.path, p.render, f"/paste/?from={p.path.strip('/')}"]


def test_every_page_is_under_the_budget(server, paths):
    for path in paths:
        r = server.get(path)
        body = r.text
        # the paste itself does not count
        body = re.sub(r'<pre class="code" id="code">.*?</pre>', "", body, flags=re.S)
        body = re.sub(r"<textarea\b[^>]*>.*?</textarea>", "", body, flags=re.S)
        size = len(body.encode())
        assert size < BUDGET, f"{path} is {size} bytes"


def test_no_third_party_resources_and_a_favicon(server, paths):
    for path in paths:
        page = server.get(path).text
        for m in re.finditer(r'<(?:script|link|img)\b[^>]*(?:src|href)="([^"]+)"', page):
            assert m.group(1).startswith("/"), f"{path} loads {m.group(1)}"
        assert re.search(r'<link rel="icon" href="/static/[^"]+"', page), path
        icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert server.get(icon).status_code == 200


def test_titles_end_with_silly_paste(server, paths):
    for path in paths:
        m = re.search(r"<title>(.*?)</title>", server.get(path).text, re.S)
        assert m and m.group(1).endswith(" — Silly Paste") and len(m.group(1)) > len(" — Silly Paste"), path
