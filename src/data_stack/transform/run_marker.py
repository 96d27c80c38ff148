"""A dbt-duckdb plugin that hands the pipeline's run id to DuckDB as session variables.

Silver tables stamp every row they write with `getvariable('run_marker')` (`_built_run_id`), so later models and the
gate can tell the rows this run wrote from the rest (ADR 0023). A run of the pipeline sets RUN_ID; a dbt command
run by hand gets a marker of its own process, and `getvariable('pipeline_run_id')` stays null: the gate's row-wise
tests then judge whole tables, as a hand-run `dbt test` cannot know which rows a separate `dbt run` wrote.
"""

from __future__ import annotations

import os
import uuid

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

_PROCESS_MARKER = f"manual-{uuid.uuid4().hex[:12]}"


def pipeline_run_id() -> str | None:
    return os.environ.get("RUN_ID") or None


def run_marker() -> str:
    return pipeline_run_id() or _PROCESS_MARKER


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        _set(conn)

    def configure_cursor(self, cursor: DuckDBPyConnection) -> None:
        _set(cursor)


def _set(conn: DuckDBPyConnection) -> None:
    conn.execute("set variable run_marker = ?", [run_marker()])
    conn.execute("set variable pipeline_run_id = ?", [pipeline_run_id()])
