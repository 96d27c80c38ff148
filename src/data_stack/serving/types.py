"""DuckDB column types → Postgres column types, and how to read each column so its CSV text parses in Postgres.

Types Arrow writes as text Postgres reads back exactly (booleans, integers, floats, decimals, text, dates,
timestamps) pass through untouched; the others are turned into text by DuckDB first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# DuckDB type → (Postgres type, DuckDB select expression with {col} for the quoted column name)
_EXACT: dict[str, tuple[str, str]] = {
    "BOOLEAN": ("boolean", "{col}"),
    "TINYINT": ("smallint", "{col}"),
    "SMALLINT": ("smallint", "{col}"),
    "INTEGER": ("integer", "{col}"),
    "BIGINT": ("bigint", "{col}"),
    "UTINYINT": ("smallint", "{col}"),
    "USMALLINT": ("integer", "{col}"),
    "UINTEGER": ("bigint", "{col}"),
    "UBIGINT": ("numeric(20,0)", "{col}"),
    # 39 digits do not fit Arrow's decimal128(38): go through text
    "HUGEINT": ("numeric(39,0)", "cast({col} as varchar)"),
    "UHUGEINT": ("numeric(39,0)", "cast({col} as varchar)"),
    "FLOAT": ("real", "{col}"),
    "DOUBLE": ("double precision", "{col}"),
    "VARCHAR": ("text", "{col}"),
    "DATE": ("date", "{col}"),
    "TIME": ("time", "cast({col} as varchar)"),
    "TIME WITH TIME ZONE": ("timetz", "cast({col} as varchar)"),
    "TIMESTAMP": ("timestamp", "{col}"),
    "TIMESTAMP_S": ("timestamp", "cast({col} as timestamp)"),
    "TIMESTAMP_MS": ("timestamp", "cast({col} as timestamp)"),
    "TIMESTAMP_NS": ("timestamp", "cast({col} as timestamp)"),  # Postgres keeps microseconds
    "TIMESTAMP WITH TIME ZONE": ("timestamptz", "{col}"),
    "INTERVAL": ("interval", "cast({col} as varchar)"),
    "UUID": ("uuid", "cast({col} as varchar)"),
    "BLOB": ("bytea", "'\\x' || lower(hex({col}))"),  # Postgres' hex input format for bytea
    "BIT": ("varbit", "cast({col} as varchar)"),
    "JSON": ("jsonb", "cast({col} as varchar)"),
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
_NESTED = re.compile(r"(STRUCT|MAP|UNION)\(|\[\d*\]$")


@dataclass(frozen=True)
class Column:
    name: str
    postgres_type: str
    select: str  # DuckDB expression producing the value written to the COPY stream


def quote_duckdb(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def map_column(name: str, duckdb_type: str) -> Column:
    """Postgres type and DuckDB read expression for one column; unknown types are served as text."""
    col = quote_duckdb(name)
    kind = duckdb_type.strip().upper()
    if kind in _EXACT:
        postgres_type, select = _EXACT[kind]
        return Column(name, postgres_type, select.format(col=col))
    if match := _DECIMAL.fullmatch(kind):
        return Column(name, f"numeric({match[1]},{match[2]})", col)
    if _NESTED.search(kind):  # lists, arrays, structs, maps, unions
        return Column(name, "jsonb", f"cast(to_json({col}) as varchar)")
    # ENUM(...), VARCHAR COLLATE ..., anything newer than this map: its text form
    return Column(name, "text", f"cast({col} as varchar)")
