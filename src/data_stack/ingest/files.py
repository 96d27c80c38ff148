"""Every landing file, accounted for after an ingest: ingested (possibly as a new version), quarantined whole,
still being written (waits), unrecognised (its name matches no stream), or refused (not a regular file inside the
landing root: never read, packages/landing-rules) — and, per ingested file, the proof.

*landed* comes from the tap's record framing (kept per file in the Singer state); *loaded* and *quarantined* are
counted here in the lake by `_source_file`. A file where they differ fails the stage, naming it.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import cache

import duckdb
import yaml
from landing_rules import key_refusal, local_entries

from data_stack.errors import StageFailed
from data_stack.ingest.accounting import state_files
from data_stack.lake import connect
from data_stack.settings import Settings

COMPRESSED_SUFFIXES = ("", ".gz", ".zst")  # the tap's rule too (tap_landing/files.py)
TEMPORARY = re.compile(r"(^|/)(\.|~\$)|(\.tmp|\.temp|\.part|\.partial|\.crdownload|\.filepart|\.swp|~)$", re.I)


@dataclass
class FileRecord:
    path: str  # relative to the landing root
    status: str  # ingested | quarantined | waiting | unrecognised | refused
    stream: str | None = None
    version: int | None = None
    landed: int | None = None
    loaded: int | None = None
    quarantined: int | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def account_files(settings: Settings, run_id: str) -> list[FileRecord]:
    patterns = stream_patterns(str(settings.meltano_dir / "extract" / "tap-landing.meltano.yml"))
    entries = state_files(settings)  # (stream, path) -> state entry, for every file the tap has ingested
    with connect(settings.lake) as conn:
        landing = _landing_files(conn, settings.landing)
        loaded = _per_file(conn, f"{settings.lake}/bronze", run_id)
        quarantined = _per_file(conn, f"{settings.lake}/quarantine", run_id)
    records: list[FileRecord] = []
    ingested: set[str] = set()
    for (stream, path), entry in sorted(entries.items()):
        if entry.get("run_id") != run_id:
            continue
        ingested.add(path)
        good, bad = loaded.get(path, 0), quarantined.get(path, 0)
        notes = list(entry.get("warnings") or [])
        version = int(entry.get("version", 1))
        if version > 1:
            notes.insert(0, f"delivered again: version {version}")
        records.append(
            FileRecord(
                path,
                "quarantined" if bad and not good else "ingested",
                stream,
                version,
                int(entry.get("landed", 0)),
                good,
                bad,
                notes,
            )
        )
    known = {path for _, path in entries}
    for path, refused in landing.items():
        if path in ingested:
            continue
        stream = next((name for name, regex in patterns.items() if regex.fullmatch(path)), None)
        if refused:
            note = f"{refused}. Put the file itself in its place, or remove it (docs/runbooks/quarantined-file.md)"
            records.append(FileRecord(path, "refused", stream, notes=[note]))
        elif TEMPORARY.search(path):
            records.append(FileRecord(path, "waiting", stream, notes=["temporary name: still being written"]))
        elif stream is None:
            records.append(FileRecord(path, "unrecognised", notes=["its name matches no stream (docs/sources.md)"]))
        elif path not in known:
            records.append(FileRecord(path, "waiting", stream, notes=["changed moments ago: read next run"]))
    return records


def check_balance(records: list[FileRecord]) -> None:
    """Every ingested file: records framed = rows loaded + rows quarantined, counted in the lake."""
    wrong = [r for r in records if r.landed is not None and r.landed != (r.loaded or 0) + (r.quarantined or 0)]
    if wrong:
        detail = "; ".join(
            f"{r.path}: landed {r.landed} != loaded {r.loaded} + quarantined {r.quarantined}" for r in wrong[:5]
        )
        raise StageFailed(f"Records unaccounted for after ingest ({detail})", "See docs/runbooks/quarantined-file.md")


@cache
def stream_patterns(extract_file: str) -> dict[str, re.Pattern]:
    """Stream name → the regex of its landing glob (plus compressed deliveries)."""
    with open(extract_file, encoding="utf-8") as handle:
        plugins = yaml.safe_load(handle)["plugins"]["extractors"]
    streams = next(plugin for plugin in plugins if plugin["name"] == "tap-landing")["config"]["streams"]
    suffixes = "|".join(re.escape(item) for item in COMPRESSED_SUFFIXES)
    return {stream["name"]: re.compile(_glob_regex(stream["pattern"]) + f"(?:{suffixes})") for stream in streams}


def _glob_regex(pattern: str) -> str:
    parts = []
    for token in re.split(r"(\*\*/?|\*|\?)", pattern):
        if token.startswith("**"):
            parts.append("(?:.*/)?" if token.endswith("/") else ".*")
        elif token == "*":
            parts.append("[^/]*")
        elif token == "?":
            parts.append("[^/]")
        else:
            parts.append(re.escape(token))
    return "".join(parts)


def _landing_files(conn: duckdb.DuckDBPyConnection, landing_uri: str) -> dict[str, str | None]:
    """Landing path -> why it is not read (None when it is read). Local entries are walked with `lstat`, so links,
    pipes and devices are listed too; S3 keys come from the prefix followed by `/` only."""
    root = landing_uri.rstrip("/")
    if "://" not in root:
        return dict(sorted(local_entries(root))) if os.path.isdir(root) else {}
    rows = conn.execute("select file from glob(?) order by file", [f"{root}/**"]).fetchall()
    paths = [row[0][len(root) + 1 :] for row in rows if row[0].startswith(root + "/")]
    return {path: key_refusal(path) for path in paths}


def _per_file(conn: duckdb.DuckDBPyConnection, root: str, run_id: str) -> dict[str, int]:
    files = [
        row[0] for row in conn.execute("select file from glob(?)", [f"{root}/*/*/*/{run_id}-*.parquet"]).fetchall()
    ]
    if not files:
        return {}
    counts: dict[str, int] = defaultdict(int)
    for path in files:
        columns = {row[0] for row in conn.execute("describe select * from read_parquet(?)", [path]).fetchall()}
        if "_source_file" not in columns:  # an API stream: no landing file
            continue
        for source_file, count in conn.execute(
            "select _source_file, count(*) from read_parquet(?) group by 1", [path]
        ).fetchall():
            counts[source_file] += count
    return dict(counts)
