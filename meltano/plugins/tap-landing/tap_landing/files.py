"""Which landing files a run reads: listed (a local folder with `lstat`, s3:// with DuckDB) with size and modification
time, compared with the Singer state.

- Only regular files really inside the landing root, and on S3 only keys under its prefix, are read; anything else
  named like a data file (a symbolic link, a named pipe, a key beside the prefix) is refused, never opened
  (packages/landing-rules).
- A stream's pattern also matches its compressed deliveries (`<pattern>.gz`, `<pattern>.zst`).
- A file whose name is temporary (`.tmp`, `.part`, `~`, a leading dot, ...) or that changed in the last
  `settle_seconds` is still being written: it waits for the next run.
- A file in the state with the same size and modification time is done. One whose size or time changed is read
  again; if its content hash differs from the one recorded it is a new *version* (re-delivery), otherwise only its
  time is updated.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
from landing_rules import local_refusal, remote_refusal

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
    refused: list[tuple[str, str]] = field(default_factory=list)  # (relpath, why): never opened


def list_files(
    conn: duckdb.DuckDBPyConnection, landing_uri: str, pattern: str, seen: dict, settle_seconds: float = 0
) -> Listing:
    root = landing_uri.rstrip("/")
    listing = Listing([], [])
    rows = _remote(conn, root, pattern, listing) if "://" in root else _local(root, pattern, listing)
    now = datetime.now(UTC)
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


def _local(root: str, pattern: str, listing: Listing) -> list[tuple[str, int, float]]:
    """Python's glob lists every entry named like a data file (links, pipes, dangling links too), so each is judged
    on its `lstat` and only a regular file inside the root is kept: nothing here opens a file."""
    if not os.path.isdir(root):
        return []
    real_root = os.path.realpath(root)
    rows = []
    for relpath in sorted(
        {
            name
            for suffix in COMPRESSED_SUFFIXES
            for name in glob.glob(pattern + suffix, root_dir=root, include_hidden=True)
        }
    ):
        path = f"{root}/{relpath}"
        try:
            info = os.lstat(path)
        except FileNotFoundError:  # removed since it was listed
            continue
        if stat.S_ISDIR(info.st_mode):  # a folder is not a delivery (a linked one is judged as a link)
            continue
        reason = local_refusal(real_root, path, info)
        if reason:
            listing.refused.append((relpath, reason))
        else:
            rows.append((path, info.st_size, info.st_mtime))
    return rows


def _remote(conn: duckdb.DuckDBPyConnection, root: str, pattern: str, listing: Listing) -> list[tuple[str, int, float]]:
    globs = _matching_globs(conn, root, pattern)
    if not globs:
        return []
    rows = []
    for uri, size, epoch in conn.execute(
        "select filename, size, epoch(last_modified) from read_blob(?) order by filename", [globs]
    ).fetchall():
        reason = remote_refusal(root, uri)
        if reason:
            listing.refused.append((relative(root, uri), reason))
        else:
            rows.append((uri, size, epoch))
    return rows


def _matching_globs(conn: duckdb.DuckDBPyConnection, root: str, pattern: str) -> list[str]:
    """read_blob fails on a glob that matches nothing; glob() does not."""
    patterns = [f"{root}/{pattern}{suffix}" for suffix in COMPRESSED_SUFFIXES]
    return [item for item in patterns if conn.execute("select count(*) from glob(?)", [item]).fetchone()[0]]


def relative(root: str, uri: str) -> str:
    return uri[len(root) + 1 :] if uri.startswith(root + "/") else uri
