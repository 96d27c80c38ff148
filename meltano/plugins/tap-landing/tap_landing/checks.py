"""The contract's value rules as SQL: typing, and the reasons a typed value is quarantined.

Per column (docs/sources.md): the declared type (a value that cannot be read as it, or would be changed by it —
rounded decimals, fractional integers — is rejected), required columns non-blank, timestamps with an offset turned
into the UTC instant (a naive one is UTC), impossible dates and offsets rejected, text without NUL characters, and
the stream's `accepted` values (ignoring case and surrounding spaces), `ranges` and `patterns`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NESTED = ("STRUCT", "MAP")
YEARS = (1900, 2199)  # a date or timestamp outside these years is a defect, not a business fact
NULL_MARKERS = r"'\N', 'NULL', 'null'"  # what database exports write for null (MySQL, SQL Server, PostgreSQL)


@dataclass
class Rules:
    required: list[str] = field(default_factory=list)
    accepted: dict[str, list[str]] = field(default_factory=dict)
    ranges: dict[str, list[float]] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)


def value_sql(sql_type: str, source: str) -> str:
    """The text to type: blank is null, and so are database null markers; text keeps its spaces, other types are
    read without them."""
    kind = sql_type.strip().upper()
    if kind.startswith(NESTED) or kind.endswith("[]"):
        return f"nullif({source}, 'null')"  # JSON null, like a missing key, is null
    kept = source if kind == "VARCHAR" else f"trim({source})"
    return f"case when trim({source}) not in ('', {NULL_MARKERS}) then {kept} end"


def typed_sql(sql_type: str, value: str) -> str:
    return _cast(value, sql_type.strip().upper(), sql_type)


def reasons_sql(name: str, sql_type: str, source: str, value: str, typed: str, rules: Rules) -> list[str]:
    """Reason expressions (null when the value is fine) for one column, over the columns holding its source text,
    its value (value_sql) and its typed value (typed_sql): each is computed once per row."""
    return [
        f"case when {broken} then {reason} end"
        for broken, reason in _failures(name, sql_type, source, value, typed, rules)
    ]


def broken_sql(name: str, sql_type: str, source: str, value: str, typed: str, rules: Rules) -> list[str]:
    """The same rules as conditions only (true when a value breaks one): the fast path asks whether a row is good
    and builds no reason text."""
    return [broken for broken, _ in _failures(name, sql_type, source, value, typed, rules)]


def _failures(name: str, sql_type: str, source: str, value: str, typed: str, rules: Rules) -> list[tuple[str, str]]:
    """(condition, reason) per rule of one column; the reason is only evaluated where the condition is true."""
    kind = sql_type.strip().upper()
    nested = kind.startswith(NESTED) or kind.endswith("[]")
    shown = f"left({value}::varchar, 80)"
    failures = []
    if nested:  # a JSON value of the wrong shape would be cast to an empty struct or list without a word
        shape = "ARRAY" if kind.endswith("[]") else "OBJECT"
        failures.append(
            (
                f"{source} is not null and json_type({source}) not in ('{shape}', 'NULL')",
                f"'{name}: expected a JSON {shape.lower()}, got ' || lower(json_type({source}))",
            )
        )
    if name in rules.required:
        failures.append((f"{value} is null", f"'required column {name} is null'"))
    failures.append(
        (f"{value} is not null and {typed} is null", f"'{name}: cannot read \"' || {shown} || '\" as {sql_type}'")
    )
    # Would the cast change the value? Judged on the text (a cast to an exact wide decimal costs ~100x more); only a
    # value in exponent notation takes the exact comparison.
    exponent = f"(strpos({value}, 'e') > 0 or strpos({value}, 'E') > 0)"
    if kind.startswith("DECIMAL"):
        scale = int(re.findall(r"\d+", kind)[1]) if len(re.findall(r"\d+", kind)) > 1 else 0
        failures.append(
            (
                f"{typed} is not null and (case when {exponent} "
                f"then try_cast({value} as decimal(38, 10)) <> {typed} "
                f"else length(rtrim(split_part({value}, '.', 2), '0')) > {scale} end)",
                f"'{name}: \"' || {shown} || '\" has more decimal places than {sql_type}'",
            )
        )
    elif kind in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT"):
        failures.append(
            (
                f"{typed} is not null and (case when {exponent} "
                f"then try_cast({value} as decimal(38, 10)) <> {typed} "
                f"else rtrim(split_part({value}, '.', 2), '0') <> '' end)",
                f"'{name}: \"' || {shown} || '\" is not a whole number'",
            )
        )
    elif kind in ("TIMESTAMP", "DATE"):
        failures.append(
            (
                f"year({typed}) not between {YEARS[0]} and {YEARS[1]}",
                f"'{name}: \"' || {shown} || '\" is outside the years {YEARS[0]}-{YEARS[1]}'",
            )
        )
        if kind == "TIMESTAMP":
            failures.append(
                (
                    f"regexp_matches({value}, '[+-](1[5-9]|[2-9][0-9])(:?[0-9][0-9])?$')",
                    f"'{name}: \"' || {shown} || '\" has an impossible UTC offset'",
                )
            )
    elif kind == "VARCHAR":
        failures.append((f"strpos({typed}, chr(0)) > 0", f"'{name} contains a NUL character'"))
    if name in rules.accepted:
        # ignoring case and surrounding spaces (docs/sources.md); bronze keeps the value as delivered and staging
        # normalises it with the same lower(trim(...))
        values = rules.accepted[name]
        listed = ", ".join(_literal(item.strip().lower()) for item in values)
        failures.append(
            (
                f"lower(trim({typed}::varchar)) not in ({listed})",
                f"'{name}: \"' || {shown} || '\" is not an accepted value ({_escape(', '.join(values))})'",
            )
        )
    if name in rules.ranges:
        low, high = rules.ranges[name]
        failures.append(
            (
                f"{typed} < {low!r} or {typed} > {high!r}",
                f"'{name}: ' || {typed}::varchar || ' is outside [{low}, {high}]'",
            )
        )
    if name in rules.patterns:
        failures.append(
            (
                f"not regexp_full_match({typed}::varchar, {_literal(rules.patterns[name])})",
                f"'{name}: \"' || {shown} || '\" does not match {_escape(rules.patterns[name])}'",
            )
        )
    return failures


def _cast(value: str, kind: str, sql_type: str) -> str:
    if kind == "TIMESTAMP":
        # an offset or zone in the text gives the instant; without one the session zone (UTC) applies
        return f"(try_cast({value} as timestamptz) at time zone 'UTC')"
    if kind == "VARCHAR":
        return value
    return f"try_cast({value} as {sql_type})"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _escape(text: str) -> str:
    return text.replace("'", "''")
