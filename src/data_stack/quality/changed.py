"""Which rows of a gold table the run wrote, for the expectations that judge rows one by one (ADR 0023).

A mart rebuilt by day keeps the days its run rebuilt in `incremental_state.<schema>__<model>__days` (a column named
as the mart's day column); an incremental fact's rows written now carry a `_loaded_at` above the newest one the
published table holds. Any other table, and every table of a first run or a full refresh, is judged whole.
"""

from __future__ import annotations

import duckdb

STATE_SCHEMA = "incremental_state"
LOADED_AT = "_loaded_at"


def built_incrementally(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the build continued a published warehouse: its incremental models kept state this run. A first
    build and a full refresh start from an empty file and keep none, so every row is judged."""
    return (
        conn.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() and schema_name = ?",
            [STATE_SCHEMA],
        ).fetchone()[0]
        > 0
    )


def changed_filter(conn: duckdb.DuckDBPyConnection, schema: str, table: str, *, published: str | None) -> str | None:
    """A SQL condition on `schema.table` selecting the rows this run wrote, or None (judge the whole table)."""
    days = _days_table(conn, schema, table)
    if days is not None:
        state, column = days
        key = f"coalesce(\"{column}\", date '0001-01-01')"
        return f"{key} in (select {key} from {state})"
    if published is None or not _has_column(conn, None, schema, table, LOADED_AT):
        return None
    if not _has_column(conn, published, schema, table, LOADED_AT):
        return None
    newest = conn.execute(f'select max("{LOADED_AT}") from {published}."{schema}"."{table}"').fetchone()[0]
    if newest is None:
        return None
    return f"\"{LOADED_AT}\" > timestamp '{newest}'"


def _days_table(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> tuple[str, str] | None:
    name = f"{schema}__{table}__days"
    columns = conn.execute(
        "select column_name from duckdb_columns() where database_name = current_database() "
        "and schema_name = ? and table_name = ?",
        [STATE_SCHEMA, name],
    ).fetchall()
    if len(columns) != 1:
        return None
    return f'"{STATE_SCHEMA}"."{name}"', columns[0][0]


def _has_column(conn: duckdb.DuckDBPyConnection, database: str | None, schema: str, table: str, column: str) -> bool:
    where_database = "database_name = ?" if database else "database_name = current_database()"
    params = [database] if database else []
    return (
        conn.execute(
            f"select count(*) from duckdb_columns() where {where_database} "
            "and schema_name = ? and table_name = ? and column_name = ?",
            [*params, schema, table, column],
        ).fetchone()[0]
        > 0
    )
