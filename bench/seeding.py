"""Fresh databases filled with the seed of bench/seed.py, through `sillypaste import`.

Importing computes the highlighted HTML of every paste, which makes a large seed slow to
load (minutes for 100,000 pastes). So a seeded SQLite file is kept as a template under
build/bench/cache/, keyed by the binary and the generator, and each run works on a fresh
copy of it: the run's writes (hits, creates) never reach the template.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import seed
from processes import HarnessError, ROOT

CACHE_DIR = ROOT / "build" / "bench" / "cache"


def sqlite_url(path: Path) -> str:
    return "sqlite:///" + str(path.resolve())  # sqlite:////absolute/path


def language_rows(binary: Path) -> list:
    """The languages (id, name) a freshly prepared database holds, read back through
    `sillypaste export`, so the dump's ids are the ones the highlighter knows."""
    with tempfile.TemporaryDirectory(prefix="sillypaste-bench-languages-") as scratch:
        db = Path(scratch) / "languages.db"
        env = {"DATABASE_URL": sqlite_url(db), "PATH": "/usr/bin:/bin"}
        run_command([str(binary), "prepare"], env, "prepare (for the language list)")
        dump = run_command([str(binary), "export", "-"], env, "export (for the language list)")
    rows = []
    for line in dump.splitlines():
        row = json.loads(line)
        if row.get("type") == "language":
            rows.append({"id": row["id"], "name": row["name"]})
    if not rows:
        raise HarnessError("a prepared database holds no languages")
    return rows


def run_command(command: list, env: dict, what: str, timeout: float = 7_200) -> str:
    completed = subprocess.run(command, env=dict(os.environ) | env, capture_output=True,
                               text=True, timeout=timeout)
    if completed.returncode != 0:
        raise HarnessError(f"{what} failed ({completed.returncode}): "
                           f"{completed.stderr.strip()[-2000:]}")
    return completed.stdout


def import_dump(binary: Path, database_url: str, dump: Path) -> float:
    """Loads the dump; returns the seconds it took."""
    start = time.monotonic()
    run_command([str(binary), "import", str(dump)], {"DATABASE_URL": database_url},
                f"import of {dump.name}")
    return time.monotonic() - start


def seed_database(binary: Path, database_url: str, work_dir: Path, pastes: int, *,
                  expired: int = 0, log=print) -> tuple:
    """Writes a dump of `pastes` pastes and imports it; returns (plan, timings)."""
    dump = work_dir / f"seed-{pastes}.jsonl"
    start = time.monotonic()
    plan = seed.write_dump(str(dump), language_rows(binary), pastes, expired=expired)
    generated = time.monotonic() - start
    log(f"  generated {pastes:,} pastes ({dump.stat().st_size / 1e6:.0f} MB) in {generated:.1f} s;"
        " importing...")
    imported = import_dump(binary, database_url, dump)
    log(f"  imported in {imported:.1f} s ({pastes / imported:,.0f} pastes/s)")
    size = dump.stat().st_size
    dump.unlink()
    return plan, {"generate_s": round(generated, 1), "import_s": round(imported, 1),
                  "dump_bytes": size}


def _cache_key(binary: Path, pastes: int) -> str:
    digest = hashlib.sha256()
    with open(binary, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    digest.update(f"seed {seed.SEED_VERSION}, {pastes} pastes".encode())
    return digest.hexdigest()[:16]


def fresh_sqlite(binary: Path, target: Path, pastes: int, *, use_cache: bool,
                 reuse_any: bool = False, log=print) -> dict:
    """Puts a freshly seeded SQLite database at `target`; returns what the run needs to know
    (the seed plan and how the database was made)."""
    if not use_cache:
        plan, timings = seed_database(binary, sqlite_url(target), target.parent, pastes, log=log)
        return {"plan": dataclasses.asdict(plan), "source": "imported", **timings}
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    key = _cache_key(binary, pastes)
    template, plan_file = CACHE_DIR / f"sqlite-{key}.db", CACHE_DIR / f"sqlite-{key}.json"
    if reuse_any and not template.exists():
        others = [p for p in CACHE_DIR.glob("sqlite-*.db") if ".partial" not in p.name
                  and json.loads(p.with_suffix(".json").read_text())["plan"]["pastes"] == pastes]
        if others:
            template, plan_file = others[0], others[0].with_suffix(".json")
            log(f"  reusing {template.name}, seeded by another binary (--reuse-seed)")
    if not (template.exists() and plan_file.exists()):
        for old in CACHE_DIR.glob("sqlite-*"):  # one template at a time: they are large
            old.unlink()
        log(f"  no seeded template for this binary yet: seeding {pastes:,} pastes once "
            f"(later runs copy {template.relative_to(ROOT)})")
        partial = CACHE_DIR / f"sqlite-{key}.partial.db"
        for leftover in CACHE_DIR.glob(partial.name + "*"):
            leftover.unlink()
        plan, timings = seed_database(binary, sqlite_url(partial), CACHE_DIR, pastes, log=log)
        for suffix in ("-wal", "-shm"):
            if Path(str(partial) + suffix).exists():
                raise HarnessError(f"{partial}{suffix} left behind after the import")
        partial.rename(template)
        plan_file.write_text(json.dumps({"plan": dataclasses.asdict(plan), **timings}, indent=1))
    cached = json.loads(plan_file.read_text())
    start = time.monotonic()
    shutil.copyfile(template, target)
    # Written to disk now, not by the kernel's writeback during the first measurements (it
    # took most of a core for several seconds and cut the first scenario's rate by a quarter).
    with open(target, "rb") as copy:
        os.fsync(copy.fileno())
    copied = time.monotonic() - start
    log(f"  copied the seeded template ({template.stat().st_size / 1e9:.1f} GB) and flushed "
        f"it to disk in {copied:.1f} s")
    return {"plan": cached["plan"], "source": f"template {template.name}",
            "generate_s": cached.get("generate_s"), "import_s": cached.get("import_s"),
            "dump_bytes": cached.get("dump_bytes"), "copy_s": round(copied, 1)}
