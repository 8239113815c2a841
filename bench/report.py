"""The targets of issue 8, checked against a run's rows; the table; the JSON file.

A missed target is reported, never a failure: speed is judged by people reading the
table, on a quiet machine. Only a broken harness or a non-2xx/3xx answer fails a run.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

GET_P99_LIMIT_MS = 5.0
SEARCH_P99_LIMIT_MS = 20.0
RSS_LIMIT_MIB = 64.0
SCALING_SHARE = 0.8

# (backend, scenario, least requests/s as a share of nginx's) at the lower connection count
RATIO_TARGETS = (
    ("sqlite", "raw", 0.6),
    ("sqlite", "page", 0.4),
    ("sqlite", "home", 0.3),
    ("sqlite", "api-list", 0.25),
    ("postgresql", "page", 0.2),
)
GET_SCENARIOS = ("raw", "page", "home", "all-page", "api-list")


def find_row(rows: list, backend: str, scenario: str, connections: int) -> dict | None:
    for row in rows:
        if (row["backend"], row["scenario"], row["connections"]) == (backend, scenario,
                                                                      connections):
            return row
    return None


def _target(name: str, text: str, value, threshold, met) -> dict:
    return {"target": name, "text": text, "value": value, "threshold": threshold,
            "met": met, "status": "not measured" if met is None else ("met" if met else "missed")}


def _answered(row: dict | None) -> bool:
    return bool(row) and row["server"]["requests"] > 0


def _at_most(row: dict | None, value, limit: float):
    """met for a measured value; missed when the row exists but nothing completed in time."""
    if row is None:
        return None
    return _answered(row) and value is not None and value <= limit


def _at_least(row: dict | None, value, limit: float):
    if row is None:
        return None
    return _answered(row) and value is not None and value >= limit


def evaluate(rows: list, rss_mib: dict, low: int, high: int) -> list:
    """Each target with its value; `low` and `high` are the connection counts (32, 256).
    A scenario where no request completed within the run misses its targets."""
    targets = []
    for backend, scenario, threshold in RATIO_TARGETS:
        row = find_row(rows, backend, scenario, low)
        value = row["ratio"] if row else None
        targets.append(_target(f"{backend}/{scenario}/ratio",
                               f"{backend} {scenario}: >= {threshold} x nginx ({low} conns)",
                               value, threshold, _at_least(row, value, threshold)))
    row = find_row(rows, "sqlite", "search", low)
    value = row["server"]["p99_ms"] if row else None
    targets.append(_target("sqlite/search/p99", f"sqlite search: p99 <= {SEARCH_P99_LIMIT_MS:g} ms"
                           f" ({low} conns)", value, SEARCH_P99_LIMIT_MS,
                           _at_most(row, value, SEARCH_P99_LIMIT_MS)))
    row = find_row(rows, "sqlite", "create", low)
    value = row["server"]["requests_per_second"] if row else None
    targets.append(_target("sqlite/create/rps", f"sqlite creates: >= 5000/s ({low} conns)",
                           value, 5000, _at_least(row, value, 5000)))
    for scenario in GET_SCENARIOS:
        row = find_row(rows, "sqlite", scenario, low)
        value = row["server"]["p99_ms"] if row else None
        targets.append(_target(f"sqlite/{scenario}/p99",
                               f"sqlite {scenario}: p99 <= {GET_P99_LIMIT_MS:g} ms ({low} conns)",
                               value, GET_P99_LIMIT_MS, _at_most(row, value, GET_P99_LIMIT_MS)))
    value = rss_mib.get("sqlite")
    targets.append(_target("sqlite/peak_rss", f"sqlite serve peak RSS <= {RSS_LIMIT_MIB:g} MiB",
                           value, RSS_LIMIT_MIB, None if value is None else value <= RSS_LIMIT_MIB))
    for row in rows:
        if row["backend"] != "sqlite" or row["connections"] != low or high == low:
            continue
        other = find_row(rows, "sqlite", row["scenario"], high)
        value = None
        if other and row["server"]["requests_per_second"]:
            value = round(other["server"]["requests_per_second"]
                          / row["server"]["requests_per_second"], 2)
        targets.append(_target(f"sqlite/{row['scenario']}/scaling",
                               f"sqlite {row['scenario']}: {high} conns keep >= "
                               f"{SCALING_SHARE:.0%} of {low}-conn req/s", value, SCALING_SHARE,
                               _at_least(other, value, SCALING_SHARE) if _answered(row)
                               else (None if other is None else False)))
    return targets


def _ms(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def _backlog(row: dict) -> str:
    """How long serve kept working after wrk stopped: requests whose client had left, then
    the search index taking in the pastes the run created ("+idx")."""
    if row.get("restarted"):
        return "restart"
    shown = f"{row['backlog_s']:.1f} s" if row.get("backlog_s") else ""
    if "indexing_s" in row and row["indexing_s"] is None:
        shown += " +idx late"
    elif (row.get("indexing_s") or 0) >= 0.5:
        shown += f" +idx {row['indexing_s']:.1f} s"
    return shown.strip()


def format_table(rows: list, rss_mib: dict, targets: list, targets_note: str = "") -> str:
    header = (f"{'backend':<10} {'scenario':<34} {'conns':>5} {'req/s':>9} {'p50 ms':>7} "
              f"{'p99 ms':>7} {'nginx r/s':>10} {'ng p99':>7} {'ratio':>6} {'non2xx':>7} "
              f"{'sockerr':>7} "
              f"{'backlog':>14}")
    lines = [header, "-" * len(header)]
    for row in rows:
        server, nginx = row["server"], row["nginx"]
        lines.append(
            f"{row['backend']:<10} {row['label'][:34]:<34} {row['connections']:>5} "
            f"{server['requests_per_second']:>9,.0f} {_ms(server['p50_ms']):>7} "
            f"{_ms(server['p99_ms']):>7} {nginx['requests_per_second']:>10,.0f} "
            f"{_ms(nginx['p99_ms']):>7} {_ms(row['ratio']):>6} {server['non_2xx_3xx']:>7} "
            f"{server['socket_error_count']:>7} {_backlog(row):>14}".rstrip())
    slow = {(row["backend"], row["scenario"]): row["probe_ms"] for row in rows
            if not _answered(row)}
    if slow:
        lines.append("-: no request completed within the run. One request alone took: " +
                     ", ".join(f"{backend} {scenario} {probe:,.0f} ms"
                               for (backend, scenario), probe in slow.items()))
    if any(row.get("restarted") or row.get("indexing_s") for row in rows):
        lines.append("backlog: serve kept working on requests whose client had left; "
                     "'restart': still busy after --drain seconds, so it was restarted; "
                     "'+idx': then the search index took in the run's pastes (waited for)")
    lines.append("")
    lines.append("peak RSS of serve (VmHWM): " + ", ".join(
        f"{backend} {mib:.1f} MiB" for backend, mib in rss_mib.items()))
    lines.append("")
    lines.append("targets" + (f" ({targets_note})" if targets_note else "") + ":")
    for target in targets:
        value = target["value"]
        shown = "-" if value is None else (f"{value:,.2f}" if isinstance(value, float) else
                                           f"{value:,}")
        lines.append(f"  [{target['status']:^12}] {target['text']}: {shown}")
    met = sum(1 for t in targets if t["met"])
    missed = sum(1 for t in targets if t["met"] is False)
    lines.append(f"  {met} met, {missed} missed")
    return "\n".join(lines)


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
        load = Path("/proc/loadavg").read_text().split()[:3]
    except (OSError, ValueError, IndexError):
        mem_kib, load = 0, []
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1),
            "kernel": platform.release(), "load_average": load}


def write_json(result: dict, directory: Path, stamp: str) -> tuple:
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=1, sort_keys=False) + "\n"
    dated = directory / f"results-{stamp}.json"
    dated.write_text(text)
    latest = directory / "latest.json"
    latest.write_text(text)
    return dated, latest


def markdown(result: dict) -> str:
    """A results JSON as Markdown, for docs/performance.md (bench/run.py --markdown FILE)."""
    lines = ["| backend | scenario | conns | req/s | p50 ms | p99 ms | nginx req/s "
             "| nginx p99 ms | ratio | non-2xx | backlog |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for row in result["rows"]:
        server = row["server"]
        lines.append(
            f"| {row['backend']} | `{row['label']}` | {row['connections']} "
            f"| {server['requests_per_second']:,.0f} | {_ms(server['p50_ms'])} "
            f"| {_ms(server['p99_ms'])} | {row['nginx']['requests_per_second']:,.0f} "
            f"| {_ms(row['nginx']['p99_ms'])} | {_ms(row['ratio'])} | {server['non_2xx_3xx']} "
            f"| {_backlog(row)} |")
    slow = {(r["backend"], r["scenario"]): r["probe_ms"] for r in result["rows"]
            if not _answered(r)}
    if slow:
        lines += ["", "-: no request completed within the run; one request alone took " +
                  ", ".join(f"{b} {s} {p:,.0f} ms" for (b, s), p in slow.items()) + "."]
    lines += ["", "Peak RSS of `serve` (VmHWM): " + ", ".join(
        f"{backend} {mib:.1f} MiB" for backend, mib in result["peak_rss_mib"].items()) + ".",
        "", "| target | value | |", "|---|--:|---|"]
    for target in result["targets"]:
        value = target["value"]
        shown = "-" if value is None else (f"{value:,.2f}" if isinstance(value, float)
                                           else f"{value:,}")
        lines.append(f"| {target['text']} | {shown} | {target['status']} |")
    return "\n".join(lines)
