"""Row accounting for one run: landed (from the tap's Singer state) vs loaded and quarantined (from the lake).

The three numbers come from independent places, so `landed == loaded + quarantined` is a real check that
nothing was dropped between the landing file and the lake.
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
    landed = _landed_from_state(settings, run_id)
    with connect(settings.lake) as conn:
        loaded = _count_lake(conn, f"{settings.lake}/bronze", run_id)
        quarantined = _count_lake(conn, f"{settings.lake}/quarantine", run_id)
    streams = sorted(set(landed) | set(loaded) | set(quarantined))
    return {name: StreamCounts(landed.get(name, 0), loaded.get(name, 0), quarantined.get(name, 0)) for name in streams}


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


def _landed_from_state(settings: Settings, run_id: str) -> dict[str, int]:
    landed: dict[str, int] = defaultdict(int)
    for state in _state_documents(settings):
        bookmarks = state.get("bookmarks", {})
        for stream, bookmark in bookmarks.items():
            for info in _file_entries(bookmark):
                if info.get("run_id") == run_id:
                    landed[stream] += int(info.get("landed", 0))
    return dict(landed)


def _file_entries(bookmark: Any) -> Iterator[dict[str, Any]]:
    if isinstance(bookmark, dict):
        files = bookmark.get("files")
        if isinstance(files, dict):
            yield from (info for info in files.values() if isinstance(info, dict))
        for partition in bookmark.get("partitions", []) or []:
            yield from _file_entries(partition)


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
