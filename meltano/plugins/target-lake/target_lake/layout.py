"""Where a stream's files go: `<lake>/<zone>/<source>/<stream>/load_date=YYYY-MM-DD/<run_id>-<n>.parquet`."""

from __future__ import annotations

import re
from datetime import datetime


def split_stream(stream_name: str) -> tuple[str, str]:
    """`orders__order_items` -> (`orders`, `order_items`); names are made safe for paths."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", stream_name)
    source, sep, stream = safe.partition("__")
    return (source, stream) if sep and stream else (safe, safe)


def partition_dir(lake_uri: str, zone: str, stream_name: str, loaded_at: datetime) -> str:
    source, stream = split_stream(stream_name)
    return f"{lake_uri.rstrip('/')}/{zone}/{source}/{stream}/load_date={loaded_at:%Y-%m-%d}"


def next_file(directory: str, run_id: str, taken: set[str]) -> str:
    """The first `<run_id>-<n>.parquet` not yet taken: files are never overwritten."""
    n = 1
    while f"{directory}/{run_id}-{n}.parquet" in taken:
        n += 1
    return f"{directory}/{run_id}-{n}.parquet"
