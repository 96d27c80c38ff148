"""DuckDB on s3:// (MinIO, SeaweedFS, moto, AWS): one secret built from the usual AWS variables.

The stack (`data_stack.lake`) and our Meltano plugins all read or write the lake through this one function, so an
endpoint, a region or a credential means the same thing everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import duckdb

__all__ = ["enable_s3", "secret_sql"]


def enable_s3(conn: duckdb.DuckDBPyConnection, name: str = "lake", env: Mapping[str, str] | None = None) -> None:
    """Load httpfs (installed beforehand: no download at run time) and create the S3 secret `name` on `conn`."""
    conn.execute("load httpfs")
    conn.execute(secret_sql(name, env))


def secret_sql(name: str = "lake", env: Mapping[str, str] | None = None) -> str:
    """`create or replace secret` from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION (else
    AWS_DEFAULT_REGION, else us-east-1) and S3_ENDPOINT_URL (`env`, default the process environment).

    With S3_ENDPOINT_URL (an S3-compatible server) requests go path-style to that host, over TLS only for an
    https:// URL; without it DuckDB talks to AWS itself. Values are inlined as SQL literals, since CREATE SECRET
    takes no bound parameters."""
    env = os.environ if env is None else env
    endpoint = env.get("S3_ENDPOINT_URL", "").strip()
    scheme, separator, rest = endpoint.partition("://")
    host = (rest if separator else endpoint).rstrip("/")
    options = [
        "type s3",
        f"key_id {_literal(env.get('AWS_ACCESS_KEY_ID', ''))}",
        f"secret {_literal(env.get('AWS_SECRET_ACCESS_KEY', ''))}",
        f"region {_literal(env.get('AWS_REGION') or env.get('AWS_DEFAULT_REGION') or 'us-east-1')}",
    ]
    if host:
        use_ssl = "true" if separator and scheme.lower() == "https" else "false"
        options += [f"endpoint {_literal(host)}", "url_style 'path'", f"use_ssl {use_ssl}"]
    return f"create or replace secret {_identifier(name)} ({', '.join(options)})"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
