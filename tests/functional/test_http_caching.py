"""Conditional GETs (ETag / 304) and gzip: less work and fewer bytes for repeat visits."""

import gzip
import re
import socket

import requests

from conftest import (
    create_paste,
    csrf_token,
    form_data,
    unique,
)


def raw_exchange(server, path: str, headers: dict) -> tuple[int, dict, bytes]:
    """One GET over a plain socket, so that nothing decodes the body for us."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    fields = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        fields.setdefault(name.strip().lower(), []).append(value.strip())
    return int(status_line.split()[1]), fields, body


def test_raw_answers_304_to_a_matching_etag_and_a_new_tag_after_an_edit(server):
    owner = requests.Session()
    p = create_paste(server, owner, title="cached", body=f"first body {unique()}")
    r = server.get(p.raw)
    assert r.status_code == 200
    tag = r.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{16}(-gzip)?"', tag), tag
    assert "no-cache" in r.headers["Cache-Control"]

    again = server.get(p.raw, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert server.get(p.raw, headers={"If-None-Match": '"0000000000000000"'}).status_code == 200

    token = csrf_token(server, owner, p.path + "edit/")
    r = server.post(p.path + "edit/", session=owner,
                    data=form_data(title="cached", body="second body", csrfmiddlewaretoken=token))
    assert r.status_code == 302
    changed = server.get(p.raw, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.text == "second body"
    assert changed.headers["ETag"] != tag


def test_private_raw_is_cached_only_by_the_browser(server):
    p = create_paste(server, title="secret", body="hidden words", private=True)
    r = server.get(p.raw)
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "private, no-cache"


def test_burn_after_reading_raw_has_no_validator(server):
    p = create_paste(server, title="burn", body="once only", expiry_preset="burn")
    r = server.post(p.raw)
    assert r.status_code == 200 and r.text == "once only"
    assert "ETag" not in r.headers


def test_large_pages_are_gzipped_for_clients_that_ask(server):
    body = "\n".join(f"def function_{i}(x):\n    return x * {i}" for i in range(200))
    p = create_paste(server, title="big python", body=body)
    status, headers, data = raw_exchange(server, p.path, {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["content-encoding"] == ["gzip"]
    assert "Accept-Encoding" in headers["vary"]
    assert int(headers["content-length"][0]) == len(data)
    page = gzip.decompress(data).decode()
    assert "big python" in page and "function_199" in page

    status, headers, data = raw_exchange(server, p.path, {})
    assert status == 200
    assert "content-encoding" not in headers
    assert "Accept-Encoding" in headers["vary"]
    assert b"function_199" in data

    status, headers, data = raw_exchange(server, p.raw, {"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in headers and data.decode() == body


def test_gzipped_raw_has_its_own_etag_that_still_validates(server):
    body = "word " * 2000
    p = create_paste(server, title="gz raw", body=body)
    status, headers, data = raw_exchange(server, p.raw, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == ["gzip"]
    assert gzip.decompress(data).decode() == body
    tag = headers["etag"][0]
    assert tag.endswith('-gzip"'), tag
    status, headers, data = raw_exchange(
        server, p.raw, {"Accept-Encoding": "gzip", "If-None-Match": tag})
    assert status == 304 and data == b""


def test_static_files_are_served_precompressed_with_validators(server):
    home = server.get("/").text
    css = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
    status, headers, data = raw_exchange(server, css, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == ["gzip"]
    plain_status, plain_headers, plain = raw_exchange(server, css, {})
    assert plain_status == 200 and gzip.decompress(data) == plain
    assert headers["etag"][0] != plain_headers["etag"][0]
    for tag in (headers["etag"][0], plain_headers["etag"][0]):
        status, _, data = raw_exchange(server, css, {"If-None-Match": tag})
        assert status == 304 and data == b""


def test_api_lists_are_gzipped_too(server):
    for i in range(30):
        create_paste(server, title=f"api gzip {i}", body="x" * 200)
    status, headers, data = raw_exchange(server, "/api/paste/?limit=25", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == ["gzip"]
    assert b'"results"' in gzip.decompress(data)
