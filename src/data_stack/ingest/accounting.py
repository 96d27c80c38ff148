"""Row accounting for one run: landed (from the tap's Singer state) vs loaded and quarantined (from the lake).

The three numbers come from independent places, so `landed == loaded + quarantined` is a real check that
nothing was dropped between the landing file and the lake. A stream without a file ledger in the state (an API
source: vehicles__valuations) has no independent `landed`; it counts as loaded + quarantined, and its tap is what
guarantees that every response received is loaded or quarantined (docs/vehicle-api.md).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import duckdb

from data_stack.lake import connect
from data_stack.ledger import StreamCounts
from data_stack.settings import Settings


def count_run_rows(settings: Settings, run_id: str) -> dict[str, StreamCounts]:
    landed, file_streams = _landed_from_state(settings, run_id)
    with connect(settings.lake) as conn:
        loaded = _count_lake(conn, f"{settings.lake}/bronze", run_id)
        quarantined = _count_lake(conn, f"{settings.lake}/quarantine", run_id)
    streams = sorted(set(landed) | set(loaded) | set(quarantined))
    return {
        name: StreamCounts(
            landed.get(name, 0) if name in file_streams else loaded.get(name, 0) + quarantined.get(name, 0),
            loaded.get(name, 0),
            quarantined.get(name, 0),
        )
        for name in streams
    }


def _count_lake(conn: duckdb.DuckDBPyConnection, root: str, run_id: str) -> dict[str, int]:
    pattern = f"{root}/*/*/*/{run_id}-*.parquet"
    files = [row[0] for row in conn.execute("select file from glob(?)", [pattern]).fetchall()]
    if not files:
        return {}
    rows = conn.execute(
        "select filename, count(*) from read_parquet(?, filename = true, union_by_name = true) group by filename",
        [files],
    ).fetchall()
    counts: dict[str, int] = defaultdict(int)
    for filename, count in rows:
        source, stream = filename[len(root) + 1 :].split("/")[:2]
        counts[f"{source}__{stream}"] += count
    return dict(counts)


def _landed_from_state(settings: Settings, run_id: str) -> tuple[dict[str, int], set[str]]:
    """Records landed per stream in this run, and the streams that keep a file ledger (`files`) at all."""
    landed: dict[str, int] = defaultdict(int)
    file_streams: set[str] = set()
    for state in _state_documents(settings):
        bookmarks = state.get("bookmarks", {})
        for stream, bookmark in bookmarks.items():
            if _keeps_files(bookmark):
                file_streams.add(stream)
            for info in _file_entries(bookmark):
                if info.get("run_id") == run_id:
                    landed[stream] += int(info.get("landed", 0))
    return dict(landed), file_streams


def state_files(settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    """(stream, landing path) → the tap's state entry for that file (landed, version, warnings, run_id, ...)."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for state in _state_documents(settings):
        for stream, bookmark in state.get("bookmarks", {}).items():
            for path, info in _file_items(bookmark):
                entries[(stream, path)] = info
    return entries


def _file_items(bookmark: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(bookmark, dict):
        files = bookmark.get("files")
        if isinstance(files, dict):
            yield from ((path, info) for path, info in files.items() if isinstance(info, dict))
        for partition in bookmark.get("partitions", []) or []:
            yield from _file_items(partition)


def _file_entries(bookmark: Any) -> Iterator[dict[str, Any]]:
    if isinstance(bookmark, dict):
        files = bookmark.get("files")
        if isinstance(files, dict):
            yield from (info for info in files.values() if isinstance(info, dict))
        for partition in bookmark.get("partitions", []) or []:
            yield from _file_entries(partition)


def _keeps_files(bookmark: Any) -> bool:
    if not isinstance(bookmark, dict):
        return False
    return isinstance(bookmark.get("files"), dict) or any(
        _keeps_files(partition) for partition in bookmark.get("partitions", []) or []
    )


def _state_documents(settings: Settings) -> Iterator[dict[str, Any]]:
    root = settings.lake + "/_state"
    with connect(settings.lake) as conn:
        paths = [row[0] for row in conn.execute("select file from glob(?)", [f"{root}/**/*.json"]).fetchall()]
        for path in paths:
            text = conn.execute("select content from read_text(?)", [path]).fetchone()[0]
            document = json.loads(text)
            singer = document.get("completed", {}).get("singer_state", document)
            if isinstance(singer, dict):
                yield singer
