"""DuckDB connections that can read the lake wherever it is: a folder, or s3:// (MinIO, moto, AWS)."""

from __future__ import annotations

import os

import duckdb


def s3_secret_sql(env: dict[str, str] | None = None) -> str:
    """A DuckDB S3 secret from the usual AWS variables plus S3_ENDPOINT_URL (MinIO, moto)."""
    env = dict(os.environ if env is None else env)
    endpoint = env.get("S3_ENDPOINT_URL", "")
    host = endpoint.removeprefix("https://").removeprefix("http://").rstrip("/")
    parts = [
        "type s3",
        f"key_id '{env.get('AWS_ACCESS_KEY_ID', '')}'",
        f"secret '{env.get('AWS_SECRET_ACCESS_KEY', '')}'",
        f"region '{env.get('AWS_REGION') or env.get('AWS_DEFAULT_REGION') or 'us-east-1'}'",
    ]
    if host:
        parts += [f"endpoint '{host}'", "url_style 'path'", f"use_ssl {str(endpoint.startswith('https')).lower()}"]
    return "create or replace secret lake (" + ", ".join(parts) + ")"


def connect(*uris: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection; with httpfs and the S3 secret when any of `uris` is on S3."""
    conn = duckdb.connect()
    if any(uri.startswith("s3://") for uri in uris):
        conn.execute("load httpfs")
        conn.execute(s3_secret_sql())
    return conn
