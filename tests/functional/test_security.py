"""Security basics: Host check, size limit, CSRF, headers, escaping, robustness."""

import re
import socket
import time

import pytest
import requests

from conftest import (
    create_paste,
    csrf_token,
    find_tags,
    form_data,
    listed_ids,
    raw_paste,
    raw_post,
    unique,
)

XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# ------------------------------------------------------------------ Host header


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.2", "localhost.evil.example"])
def test_host_not_allowed_is_400(server, host):
    r = server.get("/", headers={"Host": host})
    assert r.status_code == 400
    r = raw_post(server, "x", headers={"Host": host})
    assert r.status_code == 400


def test_bad_host_post_stores_nothing(server):
    marker = unique()
    r = raw_post(server, marker, headers={"Host": "evil.example"})
    assert r.status_code == 400
    assert listed_ids(server, marker) == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST"])
def test_default_allowed_hosts_with_or_without_port(server, host):
    for h in (host, f"{host}:{server.port}"):
        assert server.get("/", headers={"Host": h}).status_code == 200, h


def test_allowed_hosts_flag(make_server):
    srv = make_server("--allowed-hosts", "paste.example,127.0.0.1")
    assert srv.get("/", headers={"Host": "paste.example"}).status_code == 200
    assert srv.get("/", headers={"Host": "localhost"}).status_code == 400
    assert srv.get("/", headers={"Host": "other.example"}).status_code == 400


def test_allowed_hosts_falls_back_to_django_variable(make_server):
    srv = make_server(env={"DJANGO_ALLOWED_HOSTS": "old.example,127.0.0.1"})
    assert srv.get("/", headers={"Host": "old.example"}).status_code == 200
    assert srv.get("/", headers={"Host": "new.example"}).status_code == 400


def test_allowed_hosts_variable_wins_over_django_variable(make_server):
    srv = make_server(env={"SILLYPASTE_ALLOWED_HOSTS": "new.example,127.0.0.1",
                           "DJANGO_ALLOWED_HOSTS": "old.example,127.0.0.1"})
    assert srv.get("/", headers={"Host": "new.example"}).status_code == 200
    assert srv.get("/", headers={"Host": "old.example"}).status_code == 400


# ------------------------------------------------------------------ size limit


def test_raw_post_over_the_limit_is_413_plain_text(make_server):
    srv = make_server("--max-paste-bytes", "1000")
    marker = unique()
    r = raw_post(srv, marker + "x" * (1001 - len(marker)))
    assert r.status_code == 413
    assert r.headers.get("Content-Type", "").startswith("text/plain")
    assert r.text.strip() and "\n" not in r.text.strip()
    assert listed_ids(srv, marker) == []
    # multi-byte: 334 euro signs are 1002 bytes but 334 characters
    assert raw_post(srv, "€" * 334).status_code == 413
    r = raw_post(srv, marker + "y" * 100000)
    assert r.status_code == 413
    assert listed_ids(srv, marker) == []
    # exactly the limit is fine
    body = "€" * 333 + "x"
    assert len(body.encode()) == 1000
    p = raw_paste(srv, body)
    assert srv.get(p.raw).content == body.encode()
    assert srv.get("/health/ping/").text.strip() == "pong"


def test_default_limit_is_2_mib(server):
    assert raw_post(server, "a" * 2097152).status_code == 201
    assert raw_post(server, "a" * 2097153).status_code == 413


# ------------------------------------------------------------------ CSRF and cookies


def test_session_cookie_is_httponly_and_samesite_lax(server):
    jar = requests.Session()
    data = form_data(title="cookie", body="x", csrfmiddlewaretoken=csrf_token(server, jar))
    r = server.post("/paste/", session=jar, data=data)
    assert r.status_code == 302
    cookies = [c for c in r.raw.headers.getlist("Set-Cookie") if c.startswith("sessionid=")]
    assert cookies, f"no sessionid cookie set: {r.headers.get('Set-Cookie')}"
    attrs = [a.strip().lower() for a in cookies[0].split(";")]
    assert "httponly" in attrs
    assert "samesite=lax" in attrs
    assert "path=/" in attrs


def test_csrf_cookie_is_samesite_lax(server):
    r = server.get("/paste/")
    cookies = [c for c in r.raw.headers.getlist("Set-Cookie") if c.startswith("csrftoken=")]
    assert cookies
    assert "samesite=lax" in cookies[0].lower().replace(" ", "")


def test_forged_session_cookie_owns_nothing(server):
    owner = requests.Session()
    p = create_paste(server, owner, title="t", body="x")
    forged = requests.Session()
    value = owner.cookies.get("sessionid")
    forged.cookies.set("sessionid", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"),
                       domain="127.0.0.1", path="/")
    assert server.get(p.path + "edit/", session=forged).status_code == 403


def test_csrf_required_on_every_post_form(server):
    jar = requests.Session()
    p = create_paste(server, jar, title="t", body="x", expiry_preset="never")
    csrf_token(server, jar)
    for path in ("/paste/", p.path + "edit/", p.path + "delete/"):
        r = server.post(path, session=jar, data=form_data(title="y", body="y"))
        assert r.status_code == 403, path
    assert server.get(p.raw).content == b"x"


# ------------------------------------------------------------------ headers


def header_paths(server):
    p = raw_paste(server, "headers")
    page = server.get("/").text
    css = [a["href"] for a in find_tags(page, "link") if a.get("href", "").startswith("/static/")]
    return [
        ("GET", "/"), ("GET", "/paste/"), ("GET", p.path), ("GET", p.raw), ("GET", "/all/"),
        ("GET", "/all/?sort=bogus"), ("GET", "/stats/"), ("GET", "/no/such/"), ("GET", "/all"),
        ("GET", "/health/"), ("GET", "/health/ping/"), ("GET", "/health/dashboard/"),
        ("POST", "/"), ("POST", "/paste/"), *(("GET", c) for c in css[:1]),
    ]


def test_security_headers_on_every_response(server):
    for method, path in header_paths(server):
        r = requests.request(method, server.url(path), data=b"x" if method == "POST" else None,
                             allow_redirects=False, timeout=10)
        h = r.headers
        where = f"{method} {path} ({r.status_code})"
        assert h.get("X-Content-Type-Options", "").lower() == "nosniff", where
        assert h.get("X-Frame-Options", "").upper() == "DENY", where
        assert h.get("Referrer-Policy"), where
        assert h.get("Content-Security-Policy"), where
    r = server.get("/", headers={"Host": "evil.example"})
    assert r.headers.get("X-Content-Type-Options", "").lower() == "nosniff"


def csp_directives(value):
    out = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = [w.lower() for w in words[1:]]
    return out


def test_pages_satisfy_their_content_security_policy(server):
    jar = requests.Session()
    p = create_paste(server, jar, title="csp", body="# x\n", expiry_preset="never")
    for path in ("/", "/paste/", p.path, p.path + "edit/", p.path + "delete/", "/all/", "/stats/",
                 "/privacy_policy/", "/health/dashboard/", "/no/such/page/"):
        r = server.get(path, session=jar)
        csp = csp_directives(r.headers["Content-Security-Policy"])
        script = csp.get("script-src", csp.get("default-src"))
        style = csp.get("style-src", csp.get("default-src"))
        assert script is not None, f"{path}: CSP restricts no scripts: {csp}"
        assert "*" not in script, path
        if "'unsafe-inline'" not in script:
            inline = [m for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", r.text, re.S | re.I)
                      if "src=" not in m.group(1) and m.group(2).strip()]
            assert not inline, f"{path}: inline script blocked by the CSP"
            assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", r.text, re.I), f"{path}: inline handler"
            assert "javascript:" not in r.text.lower(), path
        if style is not None and "'unsafe-inline'" not in style:
            assert not re.search(r"<style\b", r.text, re.I), f"{path}: <style> blocked by the CSP"
            assert not re.search(r"<[a-z][^>]*\sstyle\s*=", r.text, re.I), f"{path}: style= blocked by the CSP"
        assert csp.get("frame-ancestors") == ["'none'"] or r.headers.get("X-Frame-Options") == "DENY"


# ------------------------------------------------------------------ escaping


def test_script_title_is_escaped_everywhere(server):
    jar = requests.Session()
    marker = unique()
    p = create_paste(server, jar, title=f"{XSS}{marker}", body=f"{XSS}\n{marker}", expiry_preset="never")
    pages = {
        "paste": server.get(p.path, session=jar).text,
        "edit": server.get(p.path + "edit/", session=jar).text,
        "delete": server.get(p.path + "delete/", session=jar).text,
        "all": server.get(f"/all/?q={marker}").text,
        "home": server.get("/").text,
    }
    for name, page in pages.items():
        assert XSS not in page, f"unescaped <script> title on the {name} page"
    assert XSS_ESCAPED in pages["paste"]
    assert re.search(r"""<h1\b[^>]*id=["']paste-title["'][^>]*>\s*""" + re.escape(XSS_ESCAPED), pages["paste"])
    assert XSS_ESCAPED in pages["all"] and XSS_ESCAPED in pages["home"]


def test_raw_posted_script_title_is_escaped(server):
    p = raw_paste(server, XSS, title=XSS)
    page = server.get(p.path).text
    assert XSS not in page and XSS_ESCAPED in page
    r = server.get(p.raw)
    assert r.headers["Content-Type"].startswith("text/plain")  # raw stays text, nosniff
    assert r.text == XSS


def test_attribute_breaking_title_is_escaped_in_the_edit_form(server):
    jar = requests.Session()
    evil = "\"'><img src=x onerror=alert(2)>"
    p = create_paste(server, jar, title=evil, body="x", expiry_preset="never")
    page = server.get(p.path + "edit/", session=jar).text
    assert "<img src=x onerror" not in page
    titles = [a for a in find_tags(page, "input") if a.get("name") == "title"]
    assert titles and titles[0]["value"] == evil


def test_search_query_is_escaped(server):
    page = server.get("/all/", params={"q": XSS + '"><b>'}).text
    assert XSS not in page and '"><b>' not in page


def test_form_errors_echo_input_escaped(server):
    jar = requests.Session()
    data = form_data(title="", body="</textarea>" + XSS, csrfmiddlewaretoken=csrf_token(server, jar))
    page = server.post("/paste/", session=jar, data=data).text
    assert XSS not in page


# ------------------------------------------------------------------ robustness


def test_idle_and_slow_clients_do_not_block_others(server):
    socks = []
    try:
        for _ in range(50):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finishes its headers
            socks.append(s)
        t = time.monotonic()
        r = requests.get(server.url("/health/ping/"), timeout=5)
        assert r.text.strip() == "pong"
        assert time.monotonic() - t < 2
    finally:
        for s in socks:
            s.close()


def raw_request(server, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
                if b"\r\n\r\n" in b"".join(chunks) and b"Connection: close" not in data:
                    break
        except socket.timeout:
            pass
        return b"".join(chunks)


def test_garbage_request_gets_400_and_server_survives(server):
    answer = raw_request(server, b"THIS IS NOT HTTP\r\n\r\n")
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400") or answer.startswith(b"HTTP/1.0 400"), answer[:100]
    assert requests.get(server.url("/health/ping/"), timeout=5).text.strip() == "pong"


@pytest.mark.parametrize("path", ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                  "/static/..%2f..%2f..%2fetc%2fpasswd", "/static//etc/passwd"])
def test_static_path_traversal_is_refused(server, path):
    answer = raw_request(server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert b"root:" not in answer
    assert not answer.startswith(b"HTTP/1.1 200"), answer[:200]
