"""Write the built tables as landing files, one file per drop, with file-level defects applied.

Row order is fixed by ORDER BY and DuckDB keeps insertion order on COPY, so output is byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def copy_csv(conn: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = conn.execute(f"select count(*) from ({query})").fetchone()[0]
    conn.execute(f"copy ({query}) to '{path}' (format csv, header true)")
    return count


def copy_json(conn: duckdb.DuckDBPyConnection, query: str, path: Path, *, array: bool) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = conn.execute(f"select count(*) from ({query})").fetchone()[0]
    conn.execute(f"copy ({query}) to '{path}' (format json, array {str(array).lower()})")
    return count
