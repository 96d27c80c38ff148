"""SQL turning a stream's text columns into its typed columns (checks.py holds the rules).

`typed_select` (the per-record paths) adds `_reason`, empty when the row is good, and `_raw`. `good_select` (the
fast path) keeps only the good rows and builds no reason: one boolean per row. Both are layered so every column's
source text, value and typed value is computed once per row, however many rules read it.
"""

from __future__ import annotations

from tap_landing.checks import NESTED, broken_sql, reasons_sql, typed_sql, value_sql
from tap_landing.spec import StreamSpec, q


def typed_select(
    spec: StreamSpec, table: str, header: list[str] | None, extras: list[str], raw: str, *, row_number: str
) -> str:
    """`header` None: JSON records in column `rec` (null when not an object), the text in `line`."""
    layered, outputs, columns = _layers(spec, table, header, extras)
    reasons = [reason for column in columns for reason in reasons_sql(*column, spec.rules)]
    reason = "concat_ws('; ', " + ", ".join(reasons) + ")"
    if header is None:
        reason = (
            "case when rec is not null then " + reason + " when json_valid(line) "
            "then 'JSON record is not an object' else 'invalid JSON' end"
        )
    layered = f"(select *, {reason} as _reason from {layered})"
    return (
        f"select {', '.join(outputs)}, _source_file, {row_number} as _row_number, _reason, "
        f"case when _reason <> '' then left({raw}, 10000) end as _raw from {layered}"
    )


def good_select(spec: StreamSpec, table: str, header: list[str], extras: list[str]) -> str:
    """The good rows of `table` (text columns named like `header`), typed, with `_source_file`."""
    layered, outputs, columns = _layers(spec, table, header, extras)
    broken = [condition for column in columns for condition in broken_sql(*column, spec.rules)]
    good = "not coalesce(" + " or ".join(f"({condition})" for condition in broken) + ", false)"
    return f"select {', '.join(outputs)}, _source_file from {layered} where {good}"


def empty_select(spec: StreamSpec, extras: list[str] = ()) -> str:
    """No row, with the stream's columns and `extras` (a header's columns beyond the contract, as text)."""
    columns = ", ".join(
        [f"null::{t} as {q(c)}" for c, t in spec.columns.items()] + [f"null::varchar as {q(c)}" for c in extras]
    )
    return (
        f"select {columns}, null::varchar as _source_file, null::bigint as _row_number, '' as _reason, "
        "null::varchar as _raw where false"
    )


def _layers(spec: StreamSpec, table: str, header: list[str] | None, extras: list[str]):
    """(the layered relation, the output columns, (name, type, source, value, typed) per contract column)."""
    sources, values, typed, outputs, columns = [], [], [], [], []
    paths: dict[bool, list[str]] = {False: [], True: []}  # JSON paths of text and of nested columns
    for index, (name, sql_type) in enumerate(spec.columns.items()):
        kind = sql_type.upper()
        if header is None:  # JSON: from the record, parsed once for all columns (null when not a JSON object)
            nested = kind.startswith(NESTED) or kind.endswith("[]")
            paths[nested].append("'$.\"" + name.replace("'", "''") + "\"'")
            source = f"{'__nested' if nested else '__text'}[{len(paths[nested])}]"
        elif name in header:
            source = q(name)
        else:
            source = "null::varchar"
        s, v, t = f'"__s{index}"', f'"__v{index}"', f'"__t{index}"'
        sources.append(f"{source} as {s}")
        values.append(f"{value_sql(sql_type, s)} as {v}")
        typed.append(f"{typed_sql(sql_type, v)} as {t}")
        outputs.append(f"{t} as {q(name)}")
        columns.append((name, sql_type, s, v, t))
    for name in extras:
        in_file = header is not None and name in header
        outputs.append(f"{q(name)}::varchar as {q(name)}" if in_file else f"null::varchar as {q(name)}")
    if header is None:
        extracted = [f"json_extract_string(rec, [{', '.join(paths[False])}]) as __text"] if paths[False] else []
        extracted += [f"json_extract(rec, [{', '.join(paths[True])}]) as __nested"] if paths[True] else []
        table = f"(select *, {', '.join(extracted)} from {table})" if extracted else table
    layered = f"(select *, {', '.join(sources)} from {table})"
    layered = f"(select *, {', '.join(values)} from {layered})"
    layered = f"(select *, {', '.join(typed)} from {layered})"
    return layered, outputs, columns
