"""Writing the lake on s3:// (MinIO, moto, AWS) with DuckDB httpfs and the usual AWS variables."""

from __future__ import annotations

import os

import duckdb


def enable_s3(conn: duckdb.DuckDBPyConnection) -> None:
    endpoint = os.environ.get("S3_ENDPOINT_URL", "")
    host = endpoint.removeprefix("https://").removeprefix("http://").rstrip("/")
    options = [
        "type s3",
        f"key_id '{os.environ.get('AWS_ACCESS_KEY_ID', '')}'",
        f"secret '{os.environ.get('AWS_SECRET_ACCESS_KEY', '')}'",
        f"region '{os.environ.get('AWS_REGION') or os.environ.get('AWS_DEFAULT_REGION') or 'us-east-1'}'",
    ]
    if host:
        options += [f"endpoint '{host}'", "url_style 'path'", f"use_ssl {str(endpoint.startswith('https')).lower()}"]
    conn.execute("load httpfs")
    conn.execute("create or replace secret lake (" + ", ".join(options) + ")")
