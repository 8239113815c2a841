"""Seed data for the benchmark: a sillypaste dump (docs/dump-format.md) of realistic pastes.

The dump is loaded with `sillypaste import FILE`, which is much faster than creating the
pastes over HTTP. Everything is derived from one random seed, so two runs with the same
arguments write the same pastes (only the times move with the clock).

Sizes follow a log-normal law (median about 1.6 KB, most between 0.5 and 5 KB) clipped to
100 B .. 50 KB, with a thin tail of large pastes. Languages are mixed the way a public
pastebin sees them: mostly Python, JavaScript, shell, Go, C, configuration files, some
Markdown and plain text.
"""

from __future__ import annotations

import json
import math
import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

# Bump when the generated pastes change: seeded templates cached under build/bench/cache/
# are keyed by it (and by the binary).
SEED_VERSION = 1
MIN_SIZE = 100
MAX_SIZE = 50_000
# The word the search scenario looks for; about 2% of the pastes hold it.
SEARCH_WORD = "kubernetes"
SEARCH_SHARE = 0.02
FIXED_PASTE_BYTES = 3_000

WORDS = (
    "user account order item cart price total count index value result error status "
    "request response handler client server config setting option path file line buffer "
    "cache queue worker task job event message payload record entry table column row "
    "query filter sort page limit offset token session cookie header body title name "
    "email address date time stamp expiry timeout retry attempt backoff delay interval "
    "start stop open close read write parse format encode decode load save fetch update "
    "delete create insert select merge split join append remove clear reset build check "
    "valid invalid empty missing default custom local remote public private secret key "
    "hash salt digest signature image video audio stream chunk block node tree graph edge "
    "vertex parent child level depth width height color style theme layout widget button "
    "form field input output report metric sample point series window frame packet socket"
).split()

PROSE = (
    "The deployment failed again after the last merge, so I rolled back to the previous "
    "release and opened a ticket. Nothing in the logs explains why the worker stopped "
    "answering. Restarting it fixes the symptom for about an hour. I suspect the cache "
    "grows without bound because entries are never evicted when the upstream times out. "
    "Here is what I tried so far, in order, with the results of each step. Please read the "
    "notes below before changing the configuration on the shared machine. We agreed to "
    "keep the old endpoint until every client has moved to the new one."
).split(". ")

# (dump language name, share of pastes, file extensions for titles)
LANGUAGE_MIX = (
    ("Python", 0.20, ("py",)),
    ("JavaScript", 0.09, ("js",)),
    ("TypeScript", 0.04, ("ts",)),
    ("Bash", 0.07, ("sh",)),
    ("Go", 0.06, ("go",)),
    ("C", 0.05, ("c", "h")),
    ("C++", 0.05, ("cpp", "hpp")),
    ("Java", 0.05, ("java",)),
    ("Rust", 0.04, ("rs",)),
    ("SQL", 0.04, ("sql",)),
    ("YAML", 0.05, ("yaml", "yml")),
    ("JSON", 0.04, ("json",)),
    ("HTML", 0.02, ("html",)),
    ("CSS", 0.02, ("css",)),
    ("Ruby", 0.02, ("rb",)),
    ("Dockerfile", 0.01, ("Dockerfile",)),
    ("Diff", 0.01, ("diff", "patch")),
    ("markdown", 0.07, ("md",)),
    (None, 0.07, ("txt", "log")),
)


def _python_block(r: random.Random) -> str:
    a, b, c = r.sample(WORDS, 3)
    return r.choice((
        f"def {a}_{b}({c}, *, retries=3):\n"
        f'    """Return the {b} of one {c}."""\n'
        f"    for attempt in range(retries):\n"
        f"        try:\n"
        f"            return {c}.{b}[{a!r}]\n"
        f"        except KeyError as error:\n"
        f"            log.warning('missing %s: %s', {a!r}, error)\n"
        f"    return None\n\n",
        f"class {a.title()}{b.title()}:\n"
        f"    def __init__(self, {c}: str, limit: int = {r.randint(1, 500)}) -> None:\n"
        f"        self.{c} = {c}\n"
        f"        self.limit = limit\n"
        f"        self._{a} = []\n\n"
        f"    def add(self, item):\n"
        f"        if len(self._{a}) >= self.limit:\n"
        f"            raise ValueError(f'{{self.{c}}} is full')\n"
        f"        self._{a}.append(item)\n\n",
        f"{a}s = [{b} for {b} in {c}s if {b}.{a} > {r.randint(0, 99)}]\n"
        f"print(f'{{len({a}s)}} {a}s, total {{sum(x.{c} for x in {a}s):.2f}}')\n",
        f"import {a}\nfrom {b}.{c} import {a.title()}, {c}_{a}\n",
        f"    # TODO: {a} the {b} before the {c} is closed\n"
        f"    with open({c}_path, encoding='utf-8') as f:\n"
        f"        {a} = json.load(f)\n",
    ))


def _javascript_block(r: random.Random) -> str:
    a, b, c = r.sample(WORDS, 3)
    return r.choice((
        f"async function {a}{b.title()}({c}) {{\n"
        f"  const response = await fetch(`/api/{a}/${{{c}.id}}/`);\n"
        f"  if (!response.ok) {{\n"
        f"    throw new Error(`{b} failed: ${{response.status}}`);\n"
        f"  }}\n"
        f"  return (await response.json()).{b};\n"
        f"}}\n\n",
        f"const {a} = {c}s.filter(({b}) => {b}.{a} !== null).map(({b}) => ({{\n"
        f"  id: {b}.id,\n  {c}: {b}.{c} ?? '{r.choice(WORDS)}',\n}}));\n",
        f"document.querySelector('#{a}-{b}').addEventListener('click', (event) => {{\n"
        f"  event.preventDefault();\n  {c}.classList.toggle('{a}');\n}});\n",
        f"export const {a.upper()}_{b.upper()} = {r.randint(1, 10000)};\n",
    ))


def _shell_block(r: random.Random) -> str:
    a, b, c = r.sample(WORDS, 3)
    return r.choice((
        f"for f in /var/lib/{a}/*.{b}; do\n"
        f'  echo "processing $f"\n'
        f'  {c} --{a} "$f" >>"/tmp/{b}.log" 2>&1 || exit 1\n'
        f"done\n",
        f"sudo systemctl restart {a}-{b}.service\n"
        f"journalctl -u {a}-{b} --since '{r.randint(1, 59)} min ago' | grep -i {c}\n",
        f'if [ -z "${{{a.upper()}_{b.upper()}:-}}" ]; then\n'
        f'  echo "{a} {b} is not set" >&2\n  exit 2\nfi\n',
        f"docker run --rm -v \"$PWD\":/src -w /src {a}/{b}:{r.randint(1, 20)} make {c}\n",
    ))


def _c_like_block(r: random.Random) -> str:
    a, b, c = r.sample(WORDS, 3)
    n = r.randint(2, 512)
    return r.choice((
        f"static int {a}_{b}(struct {c} *{c}, size_t len)\n{{\n"
        f"    if ({c} == NULL || len > {n})\n        return -EINVAL;\n"
        f"    for (size_t i = 0; i < len; i++) {{\n"
        f"        {c}->{a}[i] = {c}->{b}[i] ^ 0x{r.randint(0, 255):02x};\n    }}\n"
        f"    return 0;\n}}\n\n",
        f"#include <{a}.h>\n#define {a.upper()}_{b.upper()} {n}\n",
        f"std::vector<{a.title()}> {b}s;\n{b}s.reserve({n});\n"
        f"for (const auto& {c} : {c}s) {{\n"
        f"    if ({c}.{a}() > {n}) {b}s.emplace_back({c});\n}}\n",
        f"    /* {a}: the {b} must be locked before {c} */\n"
        f"    pthread_mutex_lock(&{b}->lock);\n",
    ))


def _go_rust_java_block(r: random.Random) -> str:
    a, b, c = r.sample(WORDS, 3)
    return r.choice((
        f"func (s *{a.title()}Service) {b.title()}(ctx context.Context, id int64) "
        f"(*{c.title()}, error) {{\n"
        f"\trow := s.db.QueryRowContext(ctx, \"SELECT {a}, {b} FROM {c}s WHERE id = $1\", id)\n"
        f"\tvar out {c.title()}\n"
        f"\tif err := row.Scan(&out.{a.title()}, &out.{b.title()}); err != nil {{\n"
        f"\t\treturn nil, fmt.Errorf(\"{b}: %w\", err)\n\t}}\n\treturn &out, nil\n}}\n\n",
        f"fn {a}_{b}({c}: &[u8]) -> Result<Vec<u8>, Error> {{\n"
        f"    let mut out = Vec::with_capacity({c}.len());\n"
        f"    for chunk in {c}.chunks({r.randint(2, 64)}) {{\n"
        f"        out.extend_from_slice(chunk);\n    }}\n    Ok(out)\n}}\n\n",
        f"public {a.title()} {b}({c.title()} {c}) {{\n"
        f"    Objects.requireNonNull({c}, \"{c}\");\n"
        f"    return {c}.get{a.title()}().stream().filter(x -> x.is{b.title()}())"
        f".findFirst().orElseThrow();\n}}\n\n",
    ))


def _config_block(r: random.Random, language: str) -> str:
    a, b, c = r.sample(WORDS, 3)
    n = r.randint(1, 9999)
    if language == "YAML":
        return (f"{a}:\n  {b}: {n}\n  {c}:\n    - name: {a}-{c}\n      image: {b}:{n % 20}\n"
                f"      enabled: {r.choice(('true', 'false'))}\n")
    if language == "JSON":
        return f'  "{a}_{b}": {{"{c}": {n}, "enabled": true, "tags": ["{a}", "{b}"]}},\n'
    if language == "SQL":
        return (f"SELECT {a}.id, {a}.{b}, COUNT({c}.id) AS {c}_count\nFROM {a}s {a}\n"
                f"LEFT JOIN {c}s {c} ON {c}.{a}_id = {a}.id\nWHERE {a}.{b} > {n}\n"
                f"GROUP BY {a}.id\nORDER BY {c}_count DESC\nLIMIT 25;\n\n")
    if language == "HTML":
        return (f'<div class="{a}-{b}">\n  <h2>{b.title()}</h2>\n'
                f'  <a href="/{a}/{n}/">{c}</a>\n</div>\n')
    if language == "CSS":
        return f".{a}-{b} {{\n  margin: {n % 40}px;\n  color: #{n % 4096:03x};\n}}\n"
    if language == "Dockerfile":
        return (f"FROM debian:12-slim\nRUN apt-get update && apt-get install -y {a} {b}\n"
                f"COPY {c}/ /opt/{c}/\nCMD [\"/opt/{c}/{a}\"]\n")
    if language == "Diff":
        return (f"--- a/{a}/{b}.py\n+++ b/{a}/{b}.py\n@@ -{n},7 +{n},8 @@\n"
                f"     {c} = load()\n-    return {c}\n+    if {c} is None:\n+        return {{}}\n"
                f"+    return {c}\n")
    # Ruby
    return f"def {a}_{b}({c})\n  {c}.each do |{a}|\n    puts \"#{{{a}.{b}}}\"\n  end\nend\n\n"


def _markdown_block(r: random.Random) -> str:
    a, b, c = r.sample(WORDS, 3)
    return r.choice((
        f"## {a.title()} {b}\n\n{r.choice(PROSE)}. See [{c}](https://example.com/{a}/{b}).\n\n",
        f"- [ ] {a} the {b}\n- [x] check the {c}\n- **{b}**: `{a}_{c}()`\n\n",
        f"| {a} | {b} | {c} |\n|---|---|---|\n| {r.randint(1, 99)} | yes | ~~no~~ |\n\n",
        f"```python\n{_python_block(r)}```\n\n",
        f"> {r.choice(PROSE)}.\n\n",
    ))


def _text_block(r: random.Random) -> str:
    a, b = r.sample(WORDS, 2)
    return r.choice((
        f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {r.randint(0, 23):02d}:"
        f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d} ERROR [{a}] {b} failed after "
        f"{r.randint(1, 30000)} ms (code {r.randint(400, 599)})\n",
        f"{r.choice(PROSE)}.\n",
        f"{a} = {b}\n",
    ))


def _block(r: random.Random, language: str | None) -> str:
    if language == "Python":
        return _python_block(r)
    if language in ("JavaScript", "TypeScript"):
        return _javascript_block(r)
    if language == "Bash":
        return _shell_block(r)
    if language in ("C", "C++"):
        return _c_like_block(r)
    if language in ("Go", "Rust", "Java"):
        return _go_rust_java_block(r)
    if language == "markdown":
        return _markdown_block(r)
    if language is None:
        return _text_block(r)
    return _config_block(r, language)


@dataclass
class BlockPools:
    """Pre-rendered blocks per language, so bodies are assembled by choice, not formatting."""

    rng: random.Random
    pools: dict = field(default_factory=dict)
    per_language: int = 400

    def pick(self, language: str | None) -> str:
        pool = self.pools.get(language)
        if pool is None:
            pool = [_block(self.rng, language) for _ in range(self.per_language)]
            self.pools[language] = pool
        return self.rng.choice(pool)

    def body(self, language: str | None, size: int) -> str:
        parts, length = [], 0
        while length < size:
            block = self.pick(language)
            parts.append(block)
            length += len(block)
        return "".join(parts)[:size].rstrip(" ") + "\n"


def paste_size(r: random.Random, factor: float = 1.0) -> int:
    """Log-normal around 1.6 KB (about 90% between 0.5 and 5 KB), 3% uniform up to 50 KB;
    `factor` scales every size (the 1,000,000-paste run may use smaller pastes)."""
    if r.random() < 0.03:
        return int(r.randint(5_000, MAX_SIZE) * factor)
    size = int(math.exp(r.gauss(math.log(1_600 * factor), 0.7)))
    return max(MIN_SIZE, min(MAX_SIZE, size))


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def fixed_python_body() -> str:
    """The 3 KB Python paste that the raw and page scenarios fetch (same bytes every run)."""
    pools = BlockPools(random.Random(3_000))
    body = pools.body("Python", FIXED_PASTE_BYTES + 200)
    cut = body.rfind("\n", 0, FIXED_PASTE_BYTES)
    return body[: cut + 1]


def fixed_create_body() -> str:
    """About 1 KB of Python for the create scenario (sent as a JSON string)."""
    return fixed_python_body()[:1_024]


@dataclass
class SeedPlan:
    """What the benchmark needs to know about a written dump."""

    pastes: int
    fixed_paste_id: int
    token: str
    search_word: str
    view_ids: list
    expired_ids: tuple  # (first, last) ids whose expiry is in the past, or ()


def write_dump(path: str, languages: list, pastes: int, *, expired: int = 0,
               seed: int = 1, view_sample: int = 200, size_factor: float = 1.0) -> SeedPlan:
    """Writes a dump of `pastes` public/private pastes, `expired` of them already expired.

    `languages` are the dump's language rows ({"id", "name"}) as `sillypaste export` of a
    prepared database writes them, so the ids match what the highlighter knows.
    """
    r = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    ids = {row["name"]: row["id"] for row in languages}
    mix = [(name, share, exts) for name, share, exts in LANGUAGE_MIX if name is None or name in ids]
    weights = [share for _, share, _ in mix]
    users = 200
    token = secrets.token_hex(20)
    fixed_id = max(1, pastes // 2)
    expired_range = (pastes - expired + 1, pastes) if expired else ()
    pools = BlockPools(random.Random(seed + 1))
    view_ids = sorted(r.sample(range(1, pastes + 1), min(view_sample, pastes)))
    view_set = set(view_ids)
    oldest = now - timedelta(days=730)
    step = (now - oldest - timedelta(hours=2)) / max(1, pastes)
    with open(path, "w", encoding="utf-8") as out:
        header = {
            "format": "sillypaste-dump", "version": 1, "created": iso(now),
            "generator": "sillypaste bench/seed.py",
            "counts": {"user": users, "token": 1, "language": len(languages), "paste": pastes,
                       "expirylog": 0},
            "sequences": {"user": users, "token": 0, "language": max(ids.values(), default=0),
                          "paste": pastes, "expirylog": 0},
        }
        out.write(json.dumps(header, separators=(",", ":")) + "\n")
        for user_id in range(1, users + 1):
            out.write(_user_line(user_id, oldest, now, r) + "\n")
        out.write(json.dumps({"type": "token", "key": token, "user_id": 1, "created": iso(now)},
                             separators=(",", ":")) + "\n")
        for row in languages:
            out.write(json.dumps({"type": "language", "id": row["id"], "name": row["name"]},
                                 separators=(",", ":"), ensure_ascii=False) + "\n")
        for paste_id in range(1, pastes + 1):
            timestamp = oldest + step * paste_id
            is_expired = bool(expired_range) and paste_id >= expired_range[0]
            line = _paste_line(paste_id, timestamp, now, r, pools, mix, weights, ids,
                               fixed=(paste_id == fixed_id), expired=is_expired,
                               pinned=(paste_id == fixed_id or paste_id in view_set),
                               size_factor=size_factor)
            out.write(line + "\n")
        end = {"type": "end", "counts": header["counts"]}
        out.write(json.dumps(end, separators=(",", ":")) + "\n")
    return SeedPlan(pastes, fixed_id, token, SEARCH_WORD, view_ids, expired_range)


def _user_line(user_id: int, oldest: datetime, now: datetime, r: random.Random) -> str:
    """Every fourth user is an anonymous session user; all logged in recently, so the
    expiry pass that `serve` runs at start (180 days for anonymous users) keeps them."""
    joined = oldest + timedelta(minutes=user_id * 37)
    return json.dumps({
        "type": "user", "id": user_id,
        "username": "bench" if user_id == 1 else f"{r.choice(WORDS)}{user_id}",
        # An unusable Django hash: these accounts are never logged into.
        "password_hash": "!" + secrets.token_hex(16),
        "email": "", "first_name": "", "last_name": "",
        "is_staff": user_id == 1, "is_superuser": user_id == 1, "is_active": True,
        "is_anonymous": user_id % 4 == 0,
        "date_joined": iso(joined), "last_login": iso(now - timedelta(days=r.randint(1, 90))),
    }, separators=(",", ":"))


def _paste_line(paste_id, timestamp, now, r, pools, mix, weights, ids, *, fixed, expired,
                pinned, size_factor) -> str:
    """One paste row. `pinned` pastes (the ones the scenarios fetch) are public, never expire
    and are not burn-after-reading, so every fetch answers 200."""
    if fixed:
        name, exts, body = "Python", ("py",), fixed_python_body()
    else:
        name, _, exts = r.choices(mix, weights)[0]
        body = pools.body(name, paste_size(r, size_factor))
        if r.random() < SEARCH_SHARE:
            body = f"# deploy notes: {SEARCH_WORD} rollout\n" + body
    title = f"{r.choice(WORDS)}_{r.choice(WORDS)}.{r.choice(exts)}" if r.random() < 0.8 \
        else r.choice(("Untitled", "error log", "notes", "snippet", "crash trace"))
    private = not pinned and r.random() < 0.05
    burn = not pinned and not private and r.random() < 0.005
    if expired:
        expiry = iso(now - timedelta(minutes=1 + paste_id % 600))
    elif pinned or r.random() < 0.7:
        expiry = None
    else:
        expiry = iso(now + timedelta(days=r.randint(1, 365)))
    author = None if r.random() < 0.4 else r.randint(1, 200)
    return json.dumps({
        "type": "paste", "id": paste_id, "title": title, "timestamp": iso(timestamp),
        "expiry": expiry, "private": private,
        "secret": secrets.token_urlsafe(12) if private else None,
        "legacy_id_access": False, "burn": burn,
        "hits": min(1_000_000, int(r.paretovariate(1.2)) - 1), "freeze_hits": False,
        "size": len(title.encode()) + len(body.encode()),
        "author_id": author, "language_id": ids.get(name) if name else None,
        "body": body,
    }, separators=(",", ":"), ensure_ascii=False)
