"""A dbt-duckdb plugin that hands PII_HASH_SALT to DuckDB as a session variable (`getvariable('pii_hash_salt')`).

The salt is a secret. Passed as a bound parameter on every connection and cursor dbt opens, it never appears in
compiled SQL, dbt's logs or artefacts, nor in the view definitions of the published warehouse (inlined with
`env_var()` it would be in all four, readable by anyone who can open current.duckdb).
"""

from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

DEFAULT_SALT = "northwind"  # dev only: the pipeline refuses it outside dev


def salt() -> str:
    return os.environ.get("PII_HASH_SALT") or DEFAULT_SALT


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.execute("set variable pii_hash_salt = ?", [salt()])

    def configure_cursor(self, cursor: DuckDBPyConnection) -> None:
        cursor.execute("set variable pii_hash_salt = ?", [salt()])
