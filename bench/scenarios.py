"""The scenarios of issue 8, and how each one is sent to sillypaste and to nginx.

For each scenario the reference nginx serves static files holding the bytes sillypaste
answered to the same request, fetched once just before the measurement.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import seed
from processes import HarnessError
from wrk import WrkJob, write_paths

CREATE_PATH = "/api/paste/"
NGINX_CREATE_PATH = "/create/paste.json"


@dataclass
class Scenario:
    name: str
    label: str
    kind: str  # "get", "create" or "mix"
    paths: list = field(default_factory=list)  # sillypaste paths of the GETs


def scenarios_for(plan: dict, backend: str) -> list:
    """Every scenario of the issue for SQLite; raw, page and create for PostgreSQL."""
    fixed = plan["fixed_paste_id"]
    visible_pages = max(1, int(plan["pastes"] * 0.9) // 30)
    page = min(100, visible_pages)
    all_scenarios = [
        Scenario("raw", f"GET /<id>/raw/ (3 KB)", "get", [f"/{fixed}/raw/"]),
        Scenario("page", f"GET /<id>/ (3 KB Python)", "get", [f"/{fixed}/"]),
        Scenario("home", "GET /", "get", ["/"]),
        Scenario("all-page", f"GET /all/?page={page}", "get", [f"/all/?page={page}"]),
        Scenario("search", f"GET /all/?q={plan['search_word']}", "get",
                 [f"/all/?q={plan['search_word']}"]),
        Scenario("api-list", "GET /api/paste/?limit=25", "get", ["/api/paste/?limit=25"]),
        Scenario("create", "POST /api/paste/ (1 KB, token)", "create"),
        Scenario("mix", "90% GET /<id>/, 10% POST", "mix",
                 [f"/{paste_id}/" for paste_id in plan["view_ids"]]),
    ]
    if backend == "postgresql":
        return [s for s in all_scenarios if s.name in ("raw", "page", "create")]
    return all_scenarios


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None,
          errors: list | None = None, attempts: int = 3) -> bytes:
    """The body of a 2xx/3xx answer. A 5xx is tried again (up to `attempts` in all), each
    one noted in `errors` so the run still fails; a 4xx, or 5xx every time, is a
    HarnessError: the scenario is broken and measuring it would be meaningless."""
    for attempt in range(attempts):
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            message = f"{url} answered {error.code}: {error.read()[:300]!r}"
            if error.code < 500 or attempt + 1 == attempts:
                raise HarnessError(message) from None
            if errors is not None:
                errors.append(message)
            time.sleep(0.5)
    raise AssertionError("unreachable")


def nginx_file_name(path: str, index: int) -> str:
    """A static file name per sillypaste path; its extension sets nginx's Content-Type."""
    if "/raw/" in path:
        return f"/get/{index}.txt"
    if path.startswith("/api/"):
        return f"/get/{index}.json"
    return f"/get/{index}.html"


@dataclass
class PreparedScenario:
    """A scenario with its paths files and bodies written for both servers."""

    scenario: Scenario
    server_env: dict
    nginx_env: dict
    probe_ms: float  # how long the first fetch from sillypaste took, unloaded
    probe_errors: list  # 5xx answers to fetches that succeeded when tried again


def prepare(scenario: Scenario, server_url: str, nginx_root: Path, work_dir: Path,
            token: str) -> PreparedScenario:
    """Fetches sillypaste's answers, writes them for nginx, and the wrk inputs for both."""
    work_dir.mkdir(parents=True, exist_ok=True)
    server_env, nginx_env = {}, {}
    probe_ms = None
    errors = []
    if scenario.kind in ("get", "mix"):
        nginx_paths = []
        for path in scenario.paths:
            name = f"/{scenario.name}" + nginx_file_name(path, len(nginx_paths))
            target = nginx_root / name.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            start = time.monotonic()
            target.write_bytes(fetch(server_url + path, errors=errors))
            if probe_ms is None:
                probe_ms = (time.monotonic() - start) * 1000
            nginx_paths.append(name)
        server_env["BENCH_PATHS"] = str(write_paths(work_dir / f"{scenario.name}.server.paths",
                                                    scenario.paths))
        nginx_env["BENCH_PATHS"] = str(write_paths(work_dir / f"{scenario.name}.nginx.paths",
                                                   nginx_paths))
    if scenario.kind in ("create", "mix"):
        body_file = work_dir / "create-body.json"
        body_file.write_text(json.dumps(seed.fixed_create_body()))
        start = time.monotonic()
        created = fetch(server_url + CREATE_PATH, data=json.dumps(
            {"title": "bench-probe.py", "body": seed.fixed_create_body()}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
            errors=errors)
        if probe_ms is None:
            probe_ms = (time.monotonic() - start) * 1000
        target = nginx_root / NGINX_CREATE_PATH.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(created)
        common = {"BENCH_TOKEN": token, "BENCH_BODY": str(body_file)}
        server_env |= common | {"BENCH_CREATE_PATH": CREATE_PATH}
        nginx_env |= common | {"BENCH_CREATE_PATH": NGINX_CREATE_PATH}
    return PreparedScenario(scenario, server_env, nginx_env, round(probe_ms, 1), errors)


def script_for(scenario: Scenario) -> str:
    return {"get": "wrk_get.lua", "create": "wrk_create.lua", "mix": "wrk_mix.lua"}[scenario.kind]


def wrk_job(prepared: PreparedScenario, base_url: str, *, nginx: bool, connections: int,
            seconds: int, threads: int) -> WrkJob:
    env = prepared.nginx_env if nginx else prepared.server_env
    return WrkJob(base_url, script_for(prepared.scenario), env, connections, seconds, threads)
