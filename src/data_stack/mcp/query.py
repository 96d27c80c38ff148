"""Read-only SQL over the published warehouse, for an agent: one SELECT, small results, a short time.

Two walls. The parser: DuckDB's own (`json_serialize_sql`, which serializes only SELECT statements) must accept the
text as exactly one SELECT/WITH statement, and the statement may call no table function that reaches files, the
network or other databases (`read_csv`, `glob`, …) nor name a file as a table. The connection: a fresh in-memory
DuckDB that ATTACHes `current.duckdb` read-only, then turns off external access and locks its configuration, so
whatever the parser missed still cannot read a file, attach a database, install an extension or write.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb

from data_stack.errors import UserError
from data_stack.serving.reader import connect_published

ROW_LIMIT = 200
ROW_LIMIT_MAX = 1000
OUTPUT_CHARS_MAX = 100_000  # of the rows as JSON: what an agent's context can take
TIME_LIMIT_SECONDS = 10.0
MEMORY_LIMIT = "1GB"
# Table functions that only compute; every other one (read_*, glob, *_scan, parquet_*, duckdb_*, …) is refused.
TABLE_FUNCTIONS_ALLOWED = frozenset({"range", "generate_series", "unnest"})
STATEMENT_KEYWORD = re.compile(
    r"\b(insert|update|delete|merge|create|drop|alter|truncate|copy|attach|detach|install|load|pragma|set|reset|"
    r"export|import|call|checkpoint|vacuum|begin|commit|rollback|use|explain|grant|prepare|execute)\b",
    re.IGNORECASE,
)


class QueryRefused(UserError):
    """The query was not run (or was stopped): the message says why and what to do."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[dict[str, str]]
    rows: list[list[Any]]
    truncated: str | None  # why fewer rows came back than the query has: "row limit" or "output size"
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "rows": self.rows,
            "row_count": len(self.rows),
            "truncated": self.truncated,
            "seconds": round(self.seconds, 3),
        }


def check_sql(sql: str) -> None:
    """Raise QueryRefused unless `sql` is one SELECT/WITH statement that reads only the warehouse's tables."""
    if not sql.strip():
        raise QueryRefused("The query is empty", "Send one SELECT statement")
    with duckdb.connect() as conn:
        tree = json.loads(conn.execute("select json_serialize_sql(?::varchar)", [sql]).fetchone()[0])
    if tree.get("error"):
        message = str(tree.get("error_message") or "")
        if "Only SELECT" in message:
            found = STATEMENT_KEYWORD.search(_without_strings(sql))
            what = found.group(1).upper() if found else "This statement"
            raise QueryRefused(
                f"{what} is not allowed: queries are read-only, one SELECT or WITH statement",
                "Send a single SELECT (the warehouse cannot be changed from here)",
            )
        raise QueryRefused(f"The query does not parse ({message.splitlines()[0] if message else 'syntax'})", "Fix it")
    statements = tree.get("statements") or []
    if len(statements) != 1:
        raise QueryRefused(f"The text holds {len(statements)} statements", "Send exactly one SELECT statement")
    for kind, name in _references(statements[0]):
        if kind == "function" and name.lower() not in TABLE_FUNCTIONS_ALLOWED:
            raise QueryRefused(
                f"{name}() is not allowed: it reads files, other databases or settings outside the warehouse",
                "Query the warehouse's tables (list_data_products names them)",
            )
        if kind == "table" and ("/" in name or "." in name or ":" in name):
            raise QueryRefused(
                f"'{name}' names a file, which queries may not read",
                "Query the warehouse's tables (list_data_products names them)",
            )


def run_query(
    published: Path,
    sql: str,
    *,
    limit: int = ROW_LIMIT,
    time_limit: float = TIME_LIMIT_SECONDS,
    output_chars: int = OUTPUT_CHARS_MAX,
) -> QueryResult:
    if not 1 <= limit <= ROW_LIMIT_MAX:
        raise QueryRefused(f"limit must be between 1 and {ROW_LIMIT_MAX} (got {limit})", "Pass a smaller limit")
    check_sql(sql)
    if not published.exists():
        raise QueryRefused(f"Nothing is published yet at {published}", "Run the pipeline first (`data-stack run`)")
    started = time.monotonic()
    with _connect(published) as conn:
        timer = threading.Timer(time_limit, conn.interrupt)
        timer.start()
        try:
            result = conn.execute(sql)
            columns = [{"name": name, "type": str(kind)} for name, kind, *_ in result.description]
            fetched = result.fetchmany(limit + 1)
        except duckdb.InterruptException:
            raise QueryRefused(
                f"The query ran longer than {time_limit:g} s and was stopped",
                "Filter or aggregate more, or query a smaller table",
            ) from None
        except duckdb.PermissionException:
            # the second wall: e.g. a staging view, which reads bronze Parquet (raw PII) from the lake
            raise QueryRefused(
                "The query reads files outside the warehouse (staging and intermediate views read the lake)",
                "Query the gold data products (list_data_products names them)",
            ) from None
        except duckdb.Error as exc:
            reason = str(exc).strip().splitlines()[0][:300]
            raise QueryRefused(
                f"The query failed: {reason}", "Fix the SQL (list_data_products shows the columns)"
            ) from None
        finally:
            timer.cancel()
    rows, truncated = _capped([[_plain(value) for value in row] for row in fetched], limit, output_chars)
    return QueryResult(columns, rows, truncated, time.monotonic() - started)


def _connect(published: Path) -> duckdb.DuckDBPyConnection:
    conn = connect_published(published)
    try:
        conn.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
        conn.execute("set enable_external_access = false")
        conn.execute("set lock_configuration = true")
    except duckdb.Error:
        conn.close()
        raise
    return conn


def _capped(rows: list[list[Any]], limit: int, output_chars: int) -> tuple[list[list[Any]], str | None]:
    truncated = None
    if len(rows) > limit:
        rows, truncated = rows[:limit], "row limit"
    size = 2
    for index, row in enumerate(rows):
        size += len(json.dumps(row)) + 1
        if size > output_chars:
            if index == 0:
                raise QueryRefused(
                    f"One row is larger than the {output_chars:,}-character output cap",
                    "Select fewer or shorter columns",
                )
            return rows[:index], "output size"
    return rows, truncated


def _plain(value: Any) -> Any:
    """JSON-ready: dates and times as ISO text, decimals as numbers, bytes as hex, nested values recursively."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date | dtime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


def _references(node: Any) -> Iterator[tuple[str, str]]:
    """("function", name) for every table function and ("table", name) for every table the statement names."""
    if isinstance(node, dict):
        if node.get("type") == "TABLE_FUNCTION":
            function = node.get("function") or {}
            yield "function", str(function.get("function_name", ""))
        elif node.get("type") == "BASE_TABLE":
            yield "table", str(node.get("table_name", ""))
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _without_strings(sql: str) -> str:
    return re.sub(r"'(?:[^']|'')*'", "''", sql)
