"""DuckDB connections that can read the lake wherever it is: a folder, or s3:// (MinIO, moto, AWS)."""

from __future__ import annotations

import duckdb
from duckdb_s3 import enable_s3


def connect(*uris: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection; with httpfs and the S3 secret when any of `uris` is on S3."""
    conn = duckdb.connect()
    if any(uri.startswith("s3://") for uri in uris):
        enable_s3(conn)
    return conn
