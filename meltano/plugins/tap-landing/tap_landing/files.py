"""Which landing files a run reads: listed with DuckDB (local or s3://) with size and modification time, compared with
the Singer state.

- A stream's pattern also matches its compressed deliveries (`<pattern>.gz`, `<pattern>.zst`).
- A file whose name is temporary (`.tmp`, `.part`, `~`, a leading dot, ...) or that changed in the last
  `settle_seconds` is still being written: it waits for the next run.
- A file in the state with the same size and modification time is done. One whose size or time changed is read
  again; if its content hash differs from the one recorded it is a new *version* (re-delivery), otherwise only its
  time is updated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

COMPRESSED_SUFFIXES = ("", ".gz", ".zst")
TEMPORARY = re.compile(r"(^|/)(\.|~\$)|(\.tmp|\.temp|\.part|\.partial|\.crdownload|\.filepart|\.swp|~)$", re.I)


@dataclass(frozen=True)
class LandingFile:
    uri: str  # what DuckDB reads
    relpath: str  # path relative to the landing root: the state key and `_source_file`
    size: int = 0
    modified: str = ""  # ISO-8601 UTC, as listed
    version: int = 1  # 1 for a first delivery; n for the n-th content under this name
    previous_sha256: str | None = None  # set when this is a candidate re-delivery


@dataclass
class Listing:
    new: list[LandingFile]  # to read in this run
    waiting: list[str]  # still being written: next run


def list_files(
    conn: duckdb.DuckDBPyConnection, landing_uri: str, pattern: str, seen: dict, settle_seconds: float = 0
) -> Listing:
    root = landing_uri.rstrip("/")
    globs = _matching_globs(conn, root, pattern)
    rows = (
        conn.execute(
            "select filename, size, epoch(last_modified) from read_blob(?) order by filename", [globs]
        ).fetchall()
        if globs
        else []
    )
    now = datetime.now(UTC)
    listing = Listing([], [])
    for uri, size, epoch in rows:
        relpath = relative(root, uri)
        stamp = datetime.fromtimestamp(epoch, UTC)
        if TEMPORARY.search(relpath) or (now - stamp).total_seconds() < settle_seconds:
            listing.waiting.append(relpath)
            continue
        entry = seen.get(relpath)
        iso = stamp.isoformat(timespec="seconds")
        if entry is None:
            listing.new.append(LandingFile(uri, relpath, size, iso))
        elif "size" not in entry:  # recorded before sizes were kept: adopt, do not re-read
            entry.update(size=size, modified=iso)
        elif entry["size"] != size or entry.get("modified") != iso:
            version = int(entry.get("version", 1))
            listing.new.append(LandingFile(uri, relpath, size, iso, version + 1, entry.get("sha256")))
    return listing


def _matching_globs(conn: duckdb.DuckDBPyConnection, root: str, pattern: str) -> list[str]:
    """read_blob fails on a glob that matches nothing; glob() does not."""
    patterns = [f"{root}/{pattern}{suffix}" for suffix in COMPRESSED_SUFFIXES]
    return [item for item in patterns if conn.execute("select count(*) from glob(?)", [item]).fetchone()[0]]


def relative(root: str, uri: str) -> str:
    return uri[len(root) + 1 :] if uri.startswith(root + "/") else uri
