"""Item 4 of issue 8: sillypaste with 1,000,000 pastes in SQLite (`make bench-scale`).

Measured, in this order, on one fresh database (or on one kept by an earlier run, with
--scale-db: its expired pastes are gone, so live ones are copied as expired ones first):
  1. expire: 100,000 pastes whose expiry has passed are removed by `sillypaste expire`
     while a reader keeps fetching pages from a running `serve`; the longest read is
     the longest time reads were blocked.
  2. ready: `serve` from exec to the first 200 on /health/ping/ (three starts).
  3. search: wrk on /all/?q=<word>, 32 connections, p99.
  4. export: `sillypaste export -` read through a pipe: MB/s, and its resident memory
     sampled along the way (flat, or growing with the data).

`serve` runs one expiry pass when it starts, so the expired pastes cannot be imported and
then served: the database is prepared, a `serve` (expiry timer off) is started on it
while it is still empty, and only then is the dump imported.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import report
import seed
import seeding
import wrk
from processes import ROOT, HarnessError, Sillypaste, http_status, stop_process

RESULTS_DIR = ROOT / "build" / "bench"
# Measured with the default sizes: ~34 KB per paste in SQLite (the body, its highlighted
# HTML, about 6.5 times larger, and the trigram index). The import is one transaction, so
# in WAL mode every page is written to the WAL first: the disk briefly holds it twice.
BYTES_PER_PASTE_ON_DISK = 34_000


def log(message: str) -> None:
    print(message, flush=True)


class Reader(threading.Thread):
    """Fetches the given paths one after another on one keep-alive connection and records
    how long each took, until stopped (or `limit` seconds pass)."""

    def __init__(self, port: int, paths: list, limit: float):
        super().__init__(daemon=True)
        self.port, self.paths, self.limit = port, paths, limit
        self.samples = []  # (start monotonic, seconds, status)
        self.stop_event = threading.Event()

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        deadline = time.monotonic() + self.limit
        index = 0
        while not self.stop_event.is_set() and time.monotonic() < deadline:
            path = self.paths[index % len(self.paths)]
            index += 1
            start = time.monotonic()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                status = 0
            self.samples.append((start, time.monotonic() - start, status))
        connection.close()

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=60)

    def summary(self, since: float = 0.0, until: float = float("inf")) -> dict:
        chosen = [s for s in self.samples if since <= s[0] <= until]
        durations = sorted(s[1] for s in chosen)
        if not durations:
            return {"reads": 0}
        return {"reads": len(durations),
                "p50_ms": round(durations[len(durations) // 2] * 1000, 2),
                "p99_ms": round(durations[min(len(durations) - 1,
                                              int(len(durations) * 0.99))] * 1000, 2),
                "max_ms": round(durations[-1] * 1000, 2),
                "not_2xx_3xx": sum(1 for s in chosen if not 200 <= s[2] < 400)}


class MemoryWatcher(threading.Thread):
    """Samples VmRSS and VmHWM of a child every 0.05 s, once it runs `binary`, until stopped.

    Not wait4's ru_maxrss: Python may start the child with vfork, and Linux carries the
    high-water mark across exec, so ru_maxrss can report the benchmark's own memory. The
    last 0.05 s of a process are not seen, which matters only for very short ones."""

    def __init__(self, pid: int, binary: Path):
        super().__init__(daemon=True)
        self.pid = pid
        self.binary = Path(binary).resolve()
        self.status = Path(f"/proc/{pid}/status")
        self.samples = []  # (seconds since start, VmRSS KiB)
        self.peak_kib = 0
        self.finished = threading.Event()

    def run(self) -> None:
        start = time.monotonic()
        while not self.finished.is_set():
            try:
                if Path(os.readlink(f"/proc/{self.pid}/exe")) != self.binary:
                    self.finished.wait(0.005)  # not exec'd yet: still Python's memory
                    continue
                fields = dict(line.split(":", 1) for line in
                              self.status.read_text().splitlines() if ":" in line)
                rss, hwm = int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
            except (OSError, KeyError, ValueError):
                break  # exited (a zombie has no VmRSS)
            self.samples.append((round(time.monotonic() - start, 1), rss))
            self.peak_kib = max(self.peak_kib, hwm)
            self.finished.wait(0.05)

    def stop(self) -> None:
        self.finished.set()
        self.join(timeout=5)


def run_measured(command: list, env: dict, timeout: float) -> tuple:
    """Runs a command; returns (seconds, stdout bytes, its peak RSS in KiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        process = subprocess.Popen(command, env=dict(os.environ) | env,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        watcher = MemoryWatcher(process.pid, Path(command[0]))
        watcher.start()
        try:
            process.wait(timeout=timeout)
        except BaseException:
            stop_process(process)
            raise
        finally:
            watcher.stop()
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        output, stderr = out.read(), err.read().decode(errors="replace")
    if process.returncode != 0:
        raise HarnessError(f"{' '.join(command[1:])} failed ({process.returncode}): "
                           f"{stderr[-2000:]}")
    return seconds, output, watcher.peak_kib


def measure_expire(args, server: Sillypaste, database_url: str, plan: dict) -> dict:
    """`sillypaste expire` of the expired pastes while a reader fetches pages."""
    fixed = plan["fixed_paste_id"]
    # Cheap reads only (a paste, its raw text, its API object): a listing takes seconds
    # at this size, which would hide a stall of 100 ms.
    reader = Reader(server.port, [f"/{fixed}/", f"/{fixed}/raw/", f"/api/paste/{fixed}/"],
                    limit=3_600)
    reader.start()
    try:
        time.sleep(3)  # reads before the pass, for comparison
        before_end = time.monotonic()
        seconds, output, rss_kib = run_measured(
            [str(args.binary), "expire"], {"DATABASE_URL": database_url}, timeout=3_600)
        after_start = time.monotonic()
        time.sleep(1)
    finally:
        reader.stop()
    text = output.decode(errors="replace")
    removed = re.search(r"removed (\d+) pastes", text)
    return {
        "seconds": round(seconds, 2), "output": shorten(text.strip()),
        "removed": int(removed.group(1)) if removed else None,
        "peak_rss_mib": round(rss_kib / 1024, 1),
        "reads_before": reader.summary(until=before_end),
        "reads_during": reader.summary(since=before_end, until=after_start),
    }


def shorten(text: str, keep: int = 300) -> str:
    """expire prints every removed id, one per line: 100,000 of them make 600 KB."""
    return text if len(text) <= keep else f"{text[:keep]}... ({len(text):,} characters)"


def measure_ready(args, database_url: str, work_dir: Path, starts: int = 3) -> list:
    times = []
    for number in range(starts):
        server = Sillypaste(args.binary, database_url, work_dir, f"serve-ready-{number}")
        try:
            server.start(timeout=600)
            times.append(round(server.ready_seconds, 3))
        finally:
            server.stop()
    return times


def measure_wrk(args, server: Sillypaste, plan: dict, work_dir: Path) -> dict:
    """wrk at 32 connections on the search, two listings and a paste page; between runs
    serve finishes (or is restarted out of) the backlog the last one left."""
    results = {}
    for name, path in (("search", f"/all/?q={plan['search_word']}"), ("home", "/"),
                       ("all-page", "/all/?page=100"),
                       ("page", f"/{plan['fixed_paste_id']}/")):
        start = time.monotonic()
        status = http_status(server.base_url + path, timeout=120)
        probe_ms = round((time.monotonic() - start) * 1000, 1)
        paths = wrk.write_paths(work_dir / f"scale-{name}.paths", [path])
        job = wrk.WrkJob(server.base_url, "wrk_get.lua", {"BENCH_PATHS": str(paths)},
                         connections=32, seconds=args.seconds, threads=args.threads)
        results[name] = {"path": path, "probe_ms": probe_ms, "probe_status": status} \
            | wrk.run(job).as_json() | server.settle(args.drain)
        log(f"  {path}: {format_wrk(results[name])}")
    return results


def format_wrk(r: dict) -> str:
    p50 = "-" if r["p50_ms"] is None else f"{r['p50_ms']:.1f}"
    p99 = "-" if r["p99_ms"] is None else f"{r['p99_ms']:.1f}"
    return (f"{r['requests_per_second']:>8,.1f} req/s  p50 {p50} ms  p99 {p99} ms  "
            f"(one alone: {r['probe_ms']:,.0f} ms{', then restarted' if r['restarted'] else ''})")


def measure_export(args, database_url: str) -> dict:
    """Export to a pipe read here; resident memory sampled along the way, to see whether
    it stays flat."""
    counted = 0
    start = time.monotonic()
    process = subprocess.Popen([str(args.binary), "export", "-"],
                               env=dict(os.environ) | {"DATABASE_URL": database_url},
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    watcher = MemoryWatcher(process.pid, args.binary)
    watcher.start()
    try:
        while chunk := process.stdout.read(1 << 20):
            counted += len(chunk)
            if time.monotonic() - start > 3_600:
                raise HarnessError("export took longer than an hour")
        process.wait(timeout=60)
    except BaseException:
        stop_process(process)
        raise
    finally:
        watcher.stop()
    seconds = time.monotonic() - start
    if process.returncode != 0:
        raise HarnessError(f"export failed: {process.stderr.read().decode(errors='replace')}")
    rss = [kib for _, kib in watcher.samples]
    tenth = rss[len(rss) // 10] if rss else 0
    return {"seconds": round(seconds, 1), "bytes": counted,
            "mb_per_s": round(counted / 1e6 / seconds, 1),
            "peak_rss_mib": round(watcher.peak_kib / 1024, 1),
            "rss_at_10pct_mib": round(tenth / 1024, 1),
            "rss_growth_after_10pct_mib": round((max(rss, default=0) - tenth) / 1024, 1),
            "rss_samples_mib": [(t, round(kib / 1024, 1)) for t, kib in watcher.samples[::40]]}


def targets_of(result: dict) -> list:
    def target(text, value, threshold, met):
        return {"text": text, "value": value, "threshold": threshold, "met": met,
                "status": "not measured" if met is None else ("met" if met else "missed")}
    ready = max(result["ready_s"]) if result.get("ready_s") else None
    search_run = result.get("wrk", {}).get("search")
    search = search_run["p99_ms"] if search_run else None
    expire = result.get("expire", {})
    stall = expire.get("reads_during", {}).get("max_ms")
    export = result.get("export", {})
    return [
        target("serve ready < 1 s (slowest of 3 starts)", ready, 1.0,
               None if ready is None else ready < 1.0),
        target("/all/?q= p99 <= 50 ms (32 conns)", search, 50.0,
               None if search_run is None else (search is not None and search <= 50.0)),
        target(f"expire of {expire.get('removed') or 0:,} pastes < 10 s",
               expire.get("seconds"), 10.0,
               None if expire.get("seconds") is None else expire["seconds"] < 10.0),
        target("longest read during expire <= 100 ms", stall, 100.0,
               None if stall is None else stall <= 100.0),
        target("export >= 50 MB/s", export.get("mb_per_s"), 50.0,
               None if export.get("mb_per_s") is None else export["mb_per_s"] >= 50.0),
        target("export memory flat (RSS grows <= 32 MiB after the first 10%)",
               export.get("rss_growth_after_10pct_mib"), 32.0,
               None if export.get("rss_growth_after_10pct_mib") is None
               else export["rss_growth_after_10pct_mib"] <= 32.0),
    ]


def check_disk(directory: Path, pastes: int, size_factor: float) -> None:
    database = pastes * BYTES_PER_PASTE_ON_DISK * max(size_factor, 0.1)
    needed = database * 2.2  # the WAL holds the whole import before the checkpoint
    free = shutil.disk_usage(directory).free
    if free < needed:
        raise HarnessError(f"{pastes:,} pastes need about {needed / 1e9:.0f} GB of disk at the "
                           f"peak of the import ({database / 1e9:.0f} GB database), "
                           f"{free / 1e9:.0f} GB are free (use --pastes or --size-factor)")


def run(args) -> int:
    """The scale measurements; the JSON is written even when a step fails midway."""
    started = datetime.now(timezone.utc)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    result = {"mode": "scale", "started": started.isoformat(), "binary": str(args.binary),
              "machine": report.machine(),
              "settings": {"pastes": args.pastes, "expired": args.expired,
                           "wrk_seconds": args.seconds, "size_factor": args.size_factor}}
    clock = time.monotonic()
    work_dir = None
    try:
        if args.scale_db:
            db = args.scale_db.resolve()
            plan = json.loads(Path(str(db) + ".plan.json").read_text())
            result["settings"]["database"] = str(db)
            log(f"== scale: reusing {db}")
            expire_copies(args, db, result, plan)
        else:
            check_disk(RESULTS_DIR, args.pastes + args.expired, args.size_factor)
            work_dir = Path(tempfile.mkdtemp(prefix=f"scale-{stamp}-", dir=RESULTS_DIR))
            db = work_dir / "scale.db"
            plan = seed_and_expire(args, db, work_dir, result)
        measure_served(args, db, plan, db.parent, result)
    except BaseException as error:
        result["error"] = f"{type(error).__name__}: {error}"
        raise
    finally:
        if work_dir and not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
        elif work_dir:
            log(f"kept {work_dir} (reuse it: --scale --scale-db {work_dir / 'scale.db'})")
        result["seconds"] = round(time.monotonic() - clock, 1)
        result["targets"] = targets_of(result)
        dated = RESULTS_DIR / f"scale-results-{stamp}.json"
        dated.write_text(json.dumps(result, indent=1) + "\n")
        (RESULTS_DIR / "scale-latest.json").write_text(dated.read_text())
        log("\n" + format_scale(result))
        log(f"\nwritten to {dated.relative_to(ROOT)} and build/bench/scale-latest.json")
    failed = result.get("expire", {}).get("reads_during", {}).get("not_2xx_3xx") or any(
        r["non_2xx_3xx"] for r in result.get("wrk", {}).values())
    return 1 if failed else 0


def seed_and_expire(args, db: Path, work_dir: Path, result: dict) -> dict:
    """Generates and imports the seed, then times `expire` of its expired pastes."""
    url = seeding.sqlite_url(db)
    total = args.pastes + args.expired
    log(f"== scale: {args.pastes:,} pastes + {args.expired:,} expired ones, in {work_dir}")
    dump = work_dir / "seed.jsonl"
    start = time.monotonic()
    plan = seed.write_dump(str(dump), seeding.language_rows(args.binary), total,
                           expired=args.expired, size_factor=args.size_factor).__dict__
    Path(str(db) + ".plan.json").write_text(json.dumps(plan))
    result["generate_s"] = round(time.monotonic() - start, 1)
    result["dump_bytes"] = dump.stat().st_size
    log(f"  generated in {result['generate_s']} s ({result['dump_bytes'] / 1e9:.2f} GB)")
    seeding.run_command([str(args.binary), "prepare"], {"DATABASE_URL": url}, "prepare")
    with Sillypaste(args.binary, url, work_dir, "serve-expire") as server:
        result["import_s"] = round(seeding.import_dump(args.binary, url, dump), 1)
        log(f"  imported in {result['import_s']} s ({total / result['import_s']:,.0f} pastes/s)")
        dump.unlink()
        result["database_bytes"] = db.stat().st_size
        log(f"  database: {result['database_bytes'] / 1e9:.1f} GB; expire, with reads...")
        result["expire"] = measure_expire(args, server, url, plan)
        log(f"  expire: {result['expire']['seconds']} s; reads during it: "
            f"{result['expire']['reads_during']}")
    return plan


def expire_copies(args, db: Path, result: dict, plan: dict) -> None:
    """On a kept database (its expired pastes are gone): copies `args.expired` live pastes
    as new ones whose expiry has passed, through SQL while a `serve` (expiry timer off)
    runs, then times `expire` of them as the first run did. The copies keep their bodies,
    so the search index has to drop as much text as for the imported ones."""
    url = seeding.sqlite_url(db)
    with Sillypaste(args.binary, url, db.parent, "serve-expire") as server:
        start = time.monotonic()
        now = int(time.time() * 1_000_000)
        connection = sqlite3.connect(db, timeout=60)
        try:
            with connection:
                connection.execute(
                    "INSERT INTO pastes (title, body, timestamp, expiry, is_private, secret, "
                    "legacy_id_access, burn, hits, freeze_hits, size, author_id, language_id, "
                    "body_html, rendered_html) SELECT title, body, timestamp, ? - 60000000 * "
                    "(1 + id % 600), 0, NULL, 0, 0, hits, 0, size, author_id, language_id, "
                    "body_html, rendered_html FROM pastes WHERE id <= ? AND id <> ? ORDER BY id",
                    (now, args.expired, plan["fixed_paste_id"]))
        finally:
            connection.close()
        result["copy_expired_s"] = round(time.monotonic() - start, 1)
        # As after an import, the pass starts on indexed pastes: otherwise it would race
        # serve's indexer taking in the 100,000 copies, and measure both.
        result["copy_indexed_s"] = server.wait_for_search_index(600)
        log(f"  copied {args.expired:,} pastes as expired ones in {result['copy_expired_s']} s, "
            f"indexed in {result['copy_indexed_s']} s; expire, with reads...")
        result["expire"] = measure_expire(args, server, url, plan)
        log(f"  expire: {result['expire']['seconds']} s; reads during it: "
            f"{result['expire']['reads_during']}")


def measure_served(args, db: Path, plan: dict, work_dir: Path, result: dict) -> None:
    """Startup time, the wrk runs, then the export."""
    url = seeding.sqlite_url(db)
    result["ready_s"] = measure_ready(args, url, work_dir)
    log(f"  serve ready in {result['ready_s']} s")
    with Sillypaste(args.binary, url, work_dir, "serve-wrk") as server:
        result["wrk"] = measure_wrk(args, server, plan, work_dir)
        result["serve_peak_rss_mib"] = round((server.peak_rss_kib() or 0) / 1024, 1)
    result["export"] = measure_export(args, url)
    log(f"  export: {result['export']['mb_per_s']} MB/s, peak RSS "
        f"{result['export']['peak_rss_mib']} MiB")


def format_scale(result: dict) -> str:
    s = result["settings"]
    size = result.get("database_bytes")
    # A reused database keeps the sizes it was generated with, whatever --size-factor says.
    sizes = "sizes as generated" if "database" in s else f"sizes x {s['size_factor']:g}"
    lines = [
        f"scale: {s['pastes']:,} pastes (+{s['expired']:,} expired) in SQLite, {sizes}"
        + (f", database {size / 1e9:.1f} GB" if size else ""),
    ]
    if "import_s" in result:
        lines.append(f"  seed: generated in {result['generate_s']} s, imported in "
                     f"{result['import_s']} s")
    if "ready_s" in result:
        lines.append(f"  serve ready: {result['ready_s']} s")
    for r in result.get("wrk", {}).values():
        lines.append(f"  {r['path']:<22} {format_wrk(r)}  (32 conns)")
    expire = result.get("expire")
    if expire:
        lines += [f"  expire: removed {expire['removed']} pastes in {expire['seconds']} s, "
                  f"peak RSS {expire['peak_rss_mib']} MiB",
                  f"    reads before: {expire['reads_before']}",
                  f"    reads during: {expire['reads_during']}"]
    export = result.get("export")
    if export:
        lines.append(f"  export: {export['bytes'] / 1e9:.2f} GB in {export['seconds']} s = "
                     f"{export['mb_per_s']} MB/s, peak RSS {export['peak_rss_mib']} MiB "
                     f"(grew {export['rss_growth_after_10pct_mib']} MiB after the first 10%)")
    if "error" in result:
        lines.append(f"  stopped by: {result['error']}")
    lines.append("targets:")
    for t in result["targets"]:
        lines.append(f"  [{t['status']:^12}] {t['text']}: {t['value']}")
    return "\n".join(lines)
