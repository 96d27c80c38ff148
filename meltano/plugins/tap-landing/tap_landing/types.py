"""Declared column types (DuckDB SQL types) → JSON Schema for the Singer SCHEMA message."""

from __future__ import annotations

import re
from typing import Any

_SCALARS: dict[str, dict[str, Any]] = {
    "BIGINT": {"type": ["integer", "null"]},
    "INTEGER": {"type": ["integer", "null"]},
    "DOUBLE": {"type": ["number", "null"]},
    "BOOLEAN": {"type": ["boolean", "null"]},
    "VARCHAR": {"type": ["string", "null"]},
    "DATE": {"type": ["string", "null"], "format": "date"},
    "TIMESTAMP": {"type": ["string", "null"], "format": "date-time"},
}


def json_schema(sql_type: str) -> dict[str, Any]:
    kind = sql_type.strip().upper()
    if kind in _SCALARS:
        return dict(_SCALARS[kind])
    if kind.startswith("DECIMAL"):
        return {"type": ["number", "null"]}
    if kind.endswith("[]"):
        return {"type": ["array", "null"], "items": json_schema(sql_type.strip()[:-2])}
    if kind.startswith("STRUCT("):
        return {
            "type": ["object", "null"],
            "properties": {name: json_schema(child) for name, child in struct_fields(sql_type)},
        }
    raise ValueError(f"unsupported column type {sql_type!r}")


def struct_fields(sql_type: str) -> list[tuple[str, str]]:
    """Split `STRUCT(a VARCHAR, b STRUCT(c INT))` into [(a, VARCHAR), (b, STRUCT(c INT))]."""
    inner = sql_type.strip()[len("STRUCT(") : -1]
    fields, depth, current = [], 0, ""
    for char in inner:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            fields.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        fields.append(current)
    result = []
    for item in fields:
        match = re.match(r"\s*(\w+)\s+(.*)", item, re.S)
        if not match:
            raise ValueError(f"cannot parse struct field {item!r}")
        result.append((match.group(1), match.group(2).strip()))
    return result
