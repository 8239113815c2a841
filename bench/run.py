#!/usr/bin/python3
"""The benchmark of issue 8: sillypaste against nginx serving the same bytes, on loopback.

    bench/run.py                 the full run (`make bench`), about 5 minutes
    bench/run.py --smoke         a ~15-second check that the harness works (in `make test`)
    bench/run.py --scale         the 1,000,000-paste measurements (`make bench-scale`)

Prints one table (requests/s, p50, p99, ratio to nginx, peak RSS, targets met or missed)
and writes it as JSON to build/bench/latest.json and build/bench/results-<time>.json
(the smoke: build/bench/smoke/). Exits 1 when the harness fails or any scenario answers
something other than 2xx/3xx; a missed speed target is reported, never a failure.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402
import scenarios  # noqa: E402
import seeding  # noqa: E402
import wrk  # noqa: E402
from processes import (ROOT, HarnessError, Nginx, PostgresCluster, Sillypaste,  # noqa: E402
                       database_url_in, psql)

RESULTS_DIR = ROOT / "build" / "bench"


def parse_args(argv: list) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--binary", type=Path, default=ROOT / "build" / "release" / "sillypaste")
    p.add_argument("--smoke", action="store_true", help="tiny seed, 1-second runs, no targets "
                   "asserted: checks that the harness works")
    p.add_argument("--scale", action="store_true", help="the 1,000,000-paste measurements")
    p.add_argument("--pastes", type=int, help="pastes in the SQLite seed (100,000; "
                   "--scale: 1,000,000)")
    p.add_argument("--expired", type=int, default=100_000,
                   help="--scale: expired pastes added for the expire measurement (100,000)")
    p.add_argument("--scale-db", type=Path, metavar="FILE",
                   help="--scale: reuse a database kept by an earlier --scale --keep (no "
                   "import; expire runs on 100,000 live pastes made expired for the run)")
    p.add_argument("--size-factor", type=float, default=1.0,
                   help="--scale: multiply every paste size (0.2: median 320 B instead of 1.6 KB)")
    p.add_argument("--pg-pastes", type=int, help="pastes in the PostgreSQL seed (5,000)")
    p.add_argument("--seconds", type=int, help="length of each wrk run (5)")
    p.add_argument("--warmup", type=int, help="seconds of warm-up per scenario (1)")
    p.add_argument("--connections", help="comma-separated connection counts (32,256)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    p.add_argument("--drain", type=float, default=10.0,
                   help="seconds to wait for serve to finish the requests a run left queued, "
                   "before restarting it (10)")
    p.add_argument("--only", help="comma-separated scenario names (raw,page,home,all-page,"
                   "search,api-list,create,mix)")
    p.add_argument("--postgres", choices=("auto", "yes", "no"), default="auto",
                   help="run the PostgreSQL scenarios: auto = always in a full run, in the "
                   "smoke only when SILLYPASTE_TEST_POSTGRES names a server")
    p.add_argument("--no-cache", action="store_true",
                   help="import the seed afresh instead of copying the cached template")
    p.add_argument("--reuse-seed", action="store_true",
                   help="copy the cached template even if another binary made it (serve "
                   "migrates it at start; highlighted HTML may be that binary's)")
    p.add_argument("--markdown", type=Path, metavar="JSON",
                   help="print a results file as Markdown (for docs/performance.md) and exit")
    p.add_argument("--keep", action="store_true", help="keep the run directory (database, logs)")
    args = p.parse_args(argv)
    smoke = args.smoke
    args.pastes = args.pastes or (300 if smoke else 1_000_000 if args.scale else 100_000)
    args.pg_pastes = args.pg_pastes or (300 if smoke else 5_000)
    args.seconds = args.seconds or (1 if smoke else 10 if args.scale else 5)
    args.warmup = args.warmup if args.warmup is not None else (0 if smoke else 1)
    args.connections = [int(c) for c in (args.connections or ("4" if smoke else "32,256"))
                        .split(",")]
    args.only = set(args.only.split(",")) if args.only else None
    return args


def log(message: str) -> None:
    print(message, flush=True)


def stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so every `finally` stops what it started."""
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, handler)


def measure_backend(backend: str, server: Sillypaste, plan: dict, args, work_dir: Path,
                    broken: list) -> list:
    """Every scenario of one backend against its nginx twin; returns the table rows. A
    scenario whose first request fails is left out and added to `broken`."""
    rows = []
    with contextlib.ExitStack() as stack:
        nginx = Nginx()
        stack.callback(nginx.stop)
        prepared = []
        for scenario in scenarios.scenarios_for(plan, backend):
            if args.only and scenario.name not in args.only:
                continue
            try:
                prepared.append(scenarios.prepare(scenario, server.base_url, nginx.root,
                                                  work_dir / backend, plan["token"]))
            except HarnessError as error:
                log(f"  {backend} {scenario.name}: left out: {error}")
                broken.append(f"{backend} {scenario.name}: {error}")
        nginx.start()
        for item in prepared:
            rows += measure_scenario(backend, item, server, nginx, args)
    return rows


def measure_scenario(backend: str, item, server: Sillypaste, nginx: Nginx, args) -> list:
    """Warm-up, then at each connection count sillypaste and nginx back to back, so the
    noise of a shared machine weighs on both alike."""
    scenario = item.scenario
    if args.warmup:
        wrk.run(scenarios.wrk_job(item, server.base_url, nginx=False,
                                  connections=args.connections[0], seconds=args.warmup,
                                  threads=args.threads))
        server.settle(args.drain)
    rows = []
    for connections in args.connections:
        job = scenarios.wrk_job(item, server.base_url, nginx=False, connections=connections,
                                seconds=args.seconds, threads=args.threads)
        server_result = wrk.run(job)
        settled = server.settle(args.drain)
        nginx_result = wrk.run(scenarios.wrk_job(item, nginx.base_url, nginx=True,
                                                 connections=connections, seconds=args.seconds,
                                                 threads=args.threads))
        server_rps = server_result.requests_per_second
        nginx_rps = nginx_result.requests_per_second
        row = {"backend": backend, "scenario": scenario.name, "label": scenario.label,
               "connections": connections, "server": server_result.as_json(),
               "nginx": nginx_result.as_json(),
               "ratio": round(server_rps / nginx_rps, 3) if nginx_rps else None,
               "probe_ms": item.probe_ms, "probe_errors": item.probe_errors, **settled}
        p99 = server_result.p99_ms
        log(f"  {backend:<10} {scenario.name:<9} {connections:>4} conns: "
            f"{server_rps:>9,.0f} req/s p99 {'-' if p99 is None else f'{p99:.2f}'} ms | nginx "
            f"{nginx_rps:>9,.0f} req/s | ratio {row['ratio']}"
            + (f" | backlog {settled['backlog_s']} s" if settled["backlog_s"] else "")
            + (" | server restarted: still busy" if settled["restarted"] else ""))
        rows.append(row)
    return rows


def run_sqlite(args, work_dir: Path) -> tuple:
    log(f"== SQLite: {args.pastes:,} pastes")
    db = work_dir / "sqlite" / "bench.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    # The smoke's seed is tiny: importing it afresh is as quick as copying a template.
    seeded = seeding.fresh_sqlite(args.binary, db, args.pastes,
                                  use_cache=not (args.no_cache or args.smoke),
                                  reuse_any=args.reuse_seed, log=log)
    broken = []
    with Sillypaste(args.binary, seeding.sqlite_url(db), work_dir, "serve-sqlite") as server:
        log(f"  serve ready in {server.ready_seconds:.2f} s on {server.base_url}")
        rows = measure_backend("sqlite", server, seeded["plan"], args, work_dir, broken)
        rss = server.peak_rss_kib()
    return rows, rss, seeded | {"broken": broken, "server_stderr": server.error_lines()}


def postgres_server(args, stack: contextlib.ExitStack) -> str | None:
    """The URL of a PostgreSQL server for the run, or None to skip PostgreSQL."""
    given = os.environ.get("SILLYPASTE_TEST_POSTGRES", "")
    if args.postgres == "no" or (args.postgres == "auto" and args.smoke and not given):
        return None
    if args.smoke and given:
        return given
    cluster_dir = Path(tempfile.mkdtemp(prefix="sillypaste-bench-pg-"))
    cluster = stack.enter_context(PostgresCluster(cluster_dir))
    return cluster.url


def run_postgres(args, work_dir: Path) -> tuple | None:
    with contextlib.ExitStack() as stack:
        server_url = postgres_server(args, stack)
        if server_url is None:
            log("== PostgreSQL skipped (--postgres no, or a smoke without SILLYPASTE_TEST_POSTGRES)")
            return None
        log(f"== PostgreSQL: {args.pg_pastes:,} pastes")
        database = f"sillypaste_bench_{os.getpid()}"
        psql(server_url, f"CREATE DATABASE {database}")
        stack.callback(psql, server_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        database_url = database_url_in(server_url, database)
        (work_dir / "postgresql").mkdir(parents=True, exist_ok=True)
        plan, timings = seeding.seed_database(args.binary, database_url, work_dir / "postgresql",
                                              args.pg_pastes, log=log)
        plan = dataclasses.asdict(plan)
        broken = []
        with Sillypaste(args.binary, database_url, work_dir, "serve-postgresql") as server:
            log(f"  serve ready in {server.ready_seconds:.2f} s on {server.base_url}")
            rows = measure_backend("postgresql", server, plan, args, work_dir, broken)
            rss = server.peak_rss_kib()
        return rows, rss, {"plan": plan, "source": "imported", **timings, "broken": broken,
                           "server_stderr": server.error_lines()}


def failures_of(rows: list) -> list:
    """What makes the run fail: a non-2xx/3xx answer, or an nginx that answered nothing
    (a broken reference). A sillypaste too slow to finish a request within the run is a
    missed target, not a failure: its one unloaded probe answered 2xx/3xx."""
    failures = []
    for row in rows:
        for side in ("server", "nginx"):
            result = row[side]
            where = f"{row['backend']} {row['scenario']} {row['connections']} conns ({side})"
            if result["non_2xx_3xx"]:
                failures.append(f"{where}: {result['non_2xx_3xx']} answers not 2xx/3xx")
        if row["probe_errors"] and row["connections"] == rows[0]["connections"]:
            failures.append(f"{row['backend']} {row['scenario']}: first request: "
                            + "; ".join(row["probe_errors"]))
        if row["nginx"]["requests"] == 0:
            failures.append(f"{row['backend']} {row['scenario']}: nginx answered nothing")
    return failures


def benchmark(args) -> int:
    if not args.binary.exists():
        raise HarnessError(f"{args.binary} does not exist (make build)")
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise HarnessError(f"{tool} is not installed (scripts/install-deps --test)")
    started = datetime.now(timezone.utc)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    results_dir = RESULTS_DIR / "smoke" if args.smoke else RESULTS_DIR
    results_dir.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=f"run-{stamp}-", dir=results_dir))
    clock = time.monotonic()
    try:
        rows, rss_kib, seeds = [], {}, {}
        sqlite_rows, rss, seeded = run_sqlite(args, work_dir)
        rows += sqlite_rows
        rss_kib["sqlite"], seeds["sqlite"] = rss, seeded
        pg = run_postgres(args, work_dir)
        if pg:
            rows += pg[0]
            rss_kib["postgresql"], seeds["postgresql"] = pg[1], pg[2]
    finally:
        if not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
    rss_mib = {k: round(v / 1024, 1) for k, v in rss_kib.items() if v}
    targets = report.evaluate(rows, rss_mib, args.connections[0], args.connections[-1])
    failures = [f"left out: {b}" for seeded in seeds.values() for b in seeded["broken"]]
    failures += failures_of(rows)
    result = {
        "mode": "smoke" if args.smoke else "full", "started": started.isoformat(),
        "seconds": round(time.monotonic() - clock, 1), "binary": str(args.binary),
        "machine": report.machine(),
        "settings": {"pastes": args.pastes, "pg_pastes": args.pg_pastes,
                     "seconds_per_run": args.seconds, "warmup": args.warmup,
                     "connections": args.connections, "wrk_threads": args.threads,
                     "nginx": "Debian nginx, 2 worker processes, static files"},
        "seeds": seeds, "rows": rows, "peak_rss_mib": rss_mib, "targets": targets,
        "failures": failures,
    }
    note = ("informational only: a tiny seed, 1-second runs, maybe a sanitizer build"
            if args.smoke else "")
    table = report.format_table(rows, rss_mib, targets, note)
    dated, latest = report.write_json(result, results_dir, stamp)
    log("")
    log(table)
    for backend, seeded in seeds.items():
        errors = seeded["server_stderr"]
        if errors["count"]:
            log(f"\nserve ({backend}) logged {errors['count']} errors on stderr; the last ones:\n  "
                + "\n  ".join(line[:300] for line in errors["last"][-5:]))
    log(f"\nwritten to {dated.relative_to(ROOT)} and {latest.relative_to(ROOT)} "
        f"({result['seconds']:.0f} s in all)")
    if failures:
        log("\nFAILED: " + "\n        ".join(failures))
        return 1
    return 0


def main(argv: list) -> int:
    args = parse_args(argv)
    if args.markdown:
        print(report.markdown(json.loads(args.markdown.read_text())))
        return 0
    stop_on_sigterm()
    try:
        if args.scale:
            import scale
            return scale.run(args)
        return benchmark(args)
    except HarnessError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
