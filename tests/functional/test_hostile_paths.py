"""Hostile request targets (issue 9): path traversal on /static/ and odd paste ids answer
404 (400 when the target itself cannot be decoded), never 500 and never a file from outside
the static assets, on GET and POST, for the web pages and the API alike.

The targets go out byte for byte over a socket: an HTTP client library would normalise
`..`, percent-encoding or backslashes before the server ever saw them."""

import json
import re
import socket

import pytest

from conftest import create_paste, raw_paste, find_tags

# A line of /etc/passwd, /etc/hostname or the source tree would mean a file was served from
# outside the embedded static assets.
LEAKED_FILE = re.compile(r"root:.*:0:0:|#include|\[package\]|#!/usr/bin/env")


def send(server, method: str, target: str, body: bytes = b"", headers: dict | None = None):
    """One request with `target` exactly as given; returns (status, headers, body text)."""
    head = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{server.port}",
            "Connection: close", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head_bytes, _, payload = raw.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    response_headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        response_headers[name.strip().lower()] = value.strip()
    return status, response_headers, payload.decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def existing(server):
    """A public paste and a secret one, so that the odd targets sit next to real rows."""
    public = raw_paste(server, "hostile paths: a real paste\n", title="real")
    secret = create_paste(server, title="secret", body="s", private=True)
    assert public.id is not None and secret.id is None
    return public.id, secret.path


def static_asset(server) -> str:
    page = server.get("/").text
    hrefs = [a["href"] for a in find_tags(page, "link") if a.get("href", "").startswith("/static/")]
    assert hrefs, "the home page links no stylesheet under /static/"
    return hrefs[0]


PASTE_ACTIONS = ("", "raw/", "render/", "edit/", "delete/")

# Ids the router must refuse before any row is looked up: zero, negative, too long for a
# 64-bit integer, not decimal, leading zeros, encoded slashes, NUL, dot segments.
ODD_IDS = (
    "0", "-1", "00", "99999999999999999999", "9223372036854775808", "18446744073709551616",
    "1e3", "0x10", "+1", "1.0", "%201", "1%20", "abc", "%2e", "%2e%2e", "..", ".",
    "\u0661".encode().decode("latin-1"),  # ARABIC-INDIC DIGIT ONE, sent as UTF-8 bytes
)


def odd_paste_targets(real_id: int, secret_path: str):
    targets = []
    for odd in ODD_IDS:
        targets += [f"/{odd}/{action}" for action in PASTE_ACTIONS]
    targets += [
        f"/0{real_id}/", f"/00{real_id}/raw/", f"/0{real_id}/edit/", f"/0{real_id}/delete/",
        f"/{real_id}%2F/", f"/{real_id}%2f/raw/", f"/{real_id}%2F%2E%2E/",
        f"/{real_id}/../{real_id}/", f"/{real_id}/./raw/", f"/{real_id}/raw/../edit/",
        f"/{real_id}//", f"//{real_id}/", f"/{real_id}/raw//", f"/{real_id}/burn/",
        f"/{real_id}\\/", f"/{real_id}%5c/", f"/{real_id}/%2e%2e/",
        "/999999999999999999/", "/999999999999999999/raw/", "/999999999999999999/edit/",
        "/999999999999999999/delete/", "/999999999999999999/render/",
        # secret links: bad slugs and traversal out of /s/
        "/s/../", "/s/%2e%2e/", "/s/../etc/passwd/", "/s/" + "a" * 65 + "/", "/s/a.b/",
        "/s/a%2Fb/", "/s/a/edit/", "/s/a/delete/", secret_path + "edit/",
        secret_path + "delete/", secret_path + "../",
    ]
    return targets


# Targets that cannot be decoded: 400 is as good as 404 for these (nothing is routed).
UNDECODABLE = ("/%00/", "/1%00/", "/%zz/", "/1%/", "/%/", "/static/app.css%00",
               "/api/paste/%00/")


def static_targets(asset: str):
    name = asset.rsplit("/", 1)[1]
    return [
        "/static/", "/static/..", "/static/../", "/static/../../etc/passwd",
        "/static/../../../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/static/..%2f..%2fetc/passwd",
        "/static/..%2F..%2F..%2Fetc%2Fpasswd", "/static/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
        "/static/%252e%252e/%252e%252e/etc/passwd", "/static/..\\..\\etc\\passwd",
        "/static/..%5c..%5cetc%5cpasswd", "/static/%5c..%5c..%5cetc%5cpasswd",
        "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/static/%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
        "/static/%e0%80%ae%e0%80%ae/etc/passwd", "/static/.%2e/.%2e/etc/passwd",
        "/static/....//....//etc/passwd", "/static/%2fetc%2fpasswd", "/static//etc/passwd",
        "/static/.htaccess", "/static/.", "/static/%2e", "/static/~root",
        f"/static/{name}/../../../etc/passwd", f"/static/{name}%2f..%2f..%2fetc%2fpasswd",
        f"/static/{name}/", f"/static/../static/{name}", f"/static/./{name}",
        "/static/../src/main.cpp", "/static/..%2f..%2fsrc%2fmain.cpp", "/static/../CMakeLists.txt",
        "/static/../../../../proc/self/environ", "/static/%2e%2e%2f%2e%2e%2fproc%2fself%2fenviron",
        "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
    ]


API_ODD_IDS = ("-1", "0", "00", "99999999999999999999", "9223372036854775808", "abc", "1e3",
               "0x10", "%2e%2e", "..", "1%2F", " 1".replace(" ", "%20"))


def api_targets(real_id: int):
    targets = []
    for odd in API_ODD_IDS:
        targets += [f"/api/paste/{odd}/", f"/api/paste/{odd}/burn/", f"/api/language/{odd}/",
                    f"/api/user/{odd}/"]
    targets += [f"/api/paste/0{real_id}/", f"/api/paste/{real_id}/../1/",
                f"/api/paste/{real_id}/raw/", f"/api/paste/{real_id}/edit/",
                f"/api/paste/{real_id}//", "/api/../static/../../etc/passwd",
                "/api/%2e%2e/%2e%2e/etc/passwd", "/api/paste/..%2f..%2fetc%2fpasswd/"]
    return targets


def check(server, method: str, target: str, allowed=(404,), headers=None):
    status, response_headers, body = send(server, method, target, headers=headers)
    where = f"{method} {target!r}"
    assert status in allowed, f"{where}: {status} (wanted {allowed})\n{body[:500]}"
    assert not LEAKED_FILE.search(body), f"{where}: a file from outside /static/ was served"
    return status, response_headers, body


def test_odd_paste_ids_are_404_on_get_and_post(server, existing):
    real_id, secret_path = existing
    for target in odd_paste_targets(real_id, secret_path):
        for method in ("GET", "POST", "HEAD"):
            check(server, method, target)
    # the real paste is still whole
    assert server.get(f"/{real_id}/raw/").text == "hostile paths: a real paste\n"


def test_odd_id_pages_are_html_404_pages(server, existing):
    for target in ("/0/", "/-1/", "/99999999999999999999/", "/1%2F/", "/0/edit/"):
        _, headers, body = check(server, "GET", target)
        assert headers["content-type"].startswith("text/html"), target
        assert "<html" in body.lower(), target


def test_undecodable_targets_are_400_or_404(server):
    for target in UNDECODABLE:
        for method in ("GET", "POST"):
            check(server, method, target, allowed=(400, 404))


def test_static_traversal_is_404_and_serves_no_file(server):
    asset = static_asset(server)
    status, _, body = check(server, "GET", asset, allowed=(200,))
    assert body, "the real asset is served"
    for target in static_targets(asset):
        for method in ("GET", "POST", "HEAD"):
            check(server, method, target, allowed=(404,))


def test_static_traversal_with_absolute_form_targets(server):
    for target in ("/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd"):
        check(server, "GET", f"http://127.0.0.1:{server.port}{target}")


def test_api_odd_ids_are_json_404(server, existing):
    real_id, _ = existing
    for target in api_targets(real_id):
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            _, headers, body = check(server, method, target,
                                     headers={"Content-Type": "application/json"})
            assert headers.get("content-type", "").startswith("application/json"), (
                f"{method} {target}: {headers.get('content-type')}")
            assert json.loads(body) == {"detail": "Not found."}, f"{method} {target}: {body}"


def test_api_missing_ids_are_404_or_405_with_allow(server):
    """A well-formed id of no paste: 404 for the methods the resource has, 405 (with Allow)
    for the others, as DRF answers."""
    for target in ("/api/paste/999999999999999999/", "/api/paste/999999999999999999/burn/",
                   "/api/language/999999999999999999/"):
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            status, headers, body = check(server, method, target, allowed=(404, 405),
                                          headers={"Content-Type": "application/json"})
            assert headers.get("content-type", "").startswith("application/json"), target
            if status == 405:
                assert method in body and "allow" in headers, f"{method} {target}: {headers}"
            else:
                assert json.loads(body) == {"detail": "Not found."}, f"{method} {target}: {body}"


def test_server_still_answers_after_the_hostile_targets(server, existing):
    real_id, _ = existing
    for target in ("/static/../../etc/passwd", "/-1/", "/%00/", "/api/paste/-1/"):
        send(server, "GET", target)
    assert server.get("/health/ping/").text.strip() == "pong"
    assert server.get(f"/{real_id}/").status_code == 200
