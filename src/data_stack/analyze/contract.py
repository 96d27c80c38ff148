"""A suggested contract from a profile, in the two forms the stack keeps it: docs/sources.md's line per stream
and a `streams` entry of meltano/extract/tap-landing.meltano.yml.

It describes the data as it is (every column's type, the columns never empty, the values and ranges seen), so
the rows it was drawn from would all load: a starting point to review, not a decision.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from data_stack.analyze.infer import INTEGER_TYPES
from data_stack.analyze.model import ColumnProfile
from data_stack.analyze.sources import Source, strip_compression

NARROW_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT")
INTEGER_MAX = 2**31 - 1
DECIMAL_PLACES = 4  # numbers with up to this many decimal places are suggested as DECIMAL, others as DOUBLE
DECIMAL_PRECISION = 10  # the least precision suggested, as docs/sources.md uses for amounts


def column_type(column: ColumnProfile) -> str:
    """The type to declare: one tap-landing reads (BIGINT, INTEGER, DECIMAL, DOUBLE, BOOLEAN, VARCHAR, DATE,
    TIMESTAMP, STRUCT, arrays)."""
    read = column.read_type.upper()
    if column.kind == "number":
        if column.profiled_as.upper() in INTEGER_TYPES:
            return "INTEGER" if read in NARROW_INTEGERS or _fits_integer(column) else "BIGINT"
        if read.startswith("DECIMAL"):
            return read.replace(" ", "")
        if column.scale is not None and 0 < column.scale <= DECIMAL_PLACES:
            digits = len(str(int(max(abs(float(column.min or 0)), abs(float(column.max or 0))))))
            return f"DECIMAL({min(38, max(DECIMAL_PRECISION, digits + column.scale))},{column.scale})"
        return "DOUBLE"
    if column.kind == "time":
        return "DATE" if column.profiled_as == "DATE" else "TIMESTAMP"
    if column.kind == "boolean":
        return "BOOLEAN"
    if column.kind == "nested" and (read.startswith("STRUCT") or read.endswith("[]")):
        # DuckDB quotes field names that are keywords (`"type" VARCHAR`); the tap reads bare names, and JSON as text.
        return re.sub(r"\bJSON\b", "VARCHAR", re.sub(r'"(\w+)"', r"\1", column.read_type))
    return "VARCHAR"


def suggest(source: Source, columns: list[ColumnProfile]) -> dict[str, Any]:
    """`docs` (the docs/sources.md form), `stream` (the tap-landing entry) and `yaml` (that entry as YAML)."""
    heading, name, pattern = _names(source)
    required = [column.name for column in columns if _required(column)]
    accepted = {column.name: column.accepted for column in columns if _accepted(column)}
    ranges = {column.name: [_compact(column.min), _compact(column.max)] for column in columns if _ranged(column)}
    stream: dict[str, Any] = {"name": name}
    if source.kind == "file":
        stream.update(pattern=pattern, format=source.format)
    stream["required"] = required
    if accepted:
        stream["accepted"] = accepted
    if ranges:
        stream["ranges"] = ranges
    stream["columns"] = {column.name: column.contract_type or column_type(column) for column in columns}
    parts = []
    for column in columns:
        part = f"`{column.name}{'*' if column.name in required else ''} {stream['columns'][column.name]}`"
        if column.name in accepted:
            part += f" ({', '.join(accepted[column.name] or [])})"
        elif column.name in ranges:
            part += f" ({_number(column.min)} – {_number(column.max)})"
        parts.append(part)
    docs = f"### {heading}\n" + ", ".join(parts)
    text = yaml.dump([stream], Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=120)
    return {"docs": docs, "stream": stream, "yaml": text}


class _Dumper(yaml.SafeDumper):
    """Lists inline (`required: [a, b]`), mappings as blocks: the layout of tap-landing.meltano.yml."""


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    inline = not any(isinstance(item, dict | list) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


_Dumper.add_representer(list, _list)


def _required(column: ColumnProfile) -> bool:
    present = bool(column.distinct)  # no rows, no evidence
    return present and column.nulls == 0 and column.blanks == 0 and column.kind != "nested"


def _accepted(column: ColumnProfile) -> bool:
    return column.kind == "text" and bool(column.accepted) and not column.is_key_candidate


def _ranged(column: ColumnProfile) -> bool:
    """Numbers that measure something: not keys, not identifiers (`*_id`), whose range says nothing."""
    if column.kind != "number" or column.min is None or column.is_key_candidate:
        return False
    return not (column.name.lower() == "id" or column.name.lower().endswith("_id"))


def _fits_integer(column: ColumnProfile) -> bool:
    if column.name.lower() == "id" or column.name.lower().endswith("_id"):
        return False  # a key that fits today may not tomorrow
    low, high = column.min, column.max
    return low is not None and high is not None and low >= -INTEGER_MAX - 1 and high <= INTEGER_MAX


def _names(source: Source) -> tuple[str, str, str | None]:
    """The docs heading (`orders/orders`), the stream name (`orders__orders`) and the landing pattern: the one
    pattern every matched file fits once dates and counters are `*`, else the glob as given."""
    if source.kind == "mart":
        return source.label, f"{source.schema}__{source.table}", None
    if source.landing_root is not None:
        paths = [path.relative_to(source.landing_root).as_posix() for path in source.files]
    else:
        paths = ["/".join(path.parts[-2:]) for path in source.files]
    patterns = {_pattern(path) for path in paths}
    given = source.landing_relative or "/".join(Path(source.text).parts[-2:])
    pattern = patterns.pop() if len(patterns) == 1 else _pattern(given)
    parts = PurePosixPath(pattern).parts
    stem = strip_compression(parts[-1]).split(".")[0]
    entity = re.sub(r"[_.\-]*\*.*$", "", stem)
    owner = parts[0] if len(parts) > 1 else entity
    entity = entity or owner or "stream"
    return f"{owner}/{entity}", f"{_identifier(owner)}__{_identifier(entity)}", pattern


def _pattern(path: str) -> str:
    """`clickstream/2026-01-04/events_09.jsonl.gz` → `clickstream/*/events_*.jsonl`."""
    parts = PurePosixPath(path).parts
    filename = strip_compression(parts[-1])
    suffix = PurePosixPath(filename).suffix
    stem = filename[: -len(suffix)] if suffix else filename
    return "/".join([*(_generalize(part) for part in parts[:-1]), _generalize(stem) + suffix.lower()])


def _generalize(part: str) -> str:
    """Dates, hours and counters in a name become `*`: `events_2026-01-04_09` → `events_*`."""
    return re.sub(r"\*+", "*", re.sub(r"\d+(?:[-_:T.]\d+)*", "*", part))


def _identifier(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_") or "stream"


def _compact(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _number(value: Any) -> str:
    return str(_compact(value))
