"""The statistics of every column, computed by DuckDB: only aggregates and a few example values reach Python.

Distinct counts are always exact: DuckDB's hash aggregation spills to disk, so they fit any memory limit (its
HyperLogLog estimate was off by 10-30% on test data, too far for a profile to trust). Quantiles are exact up to
`exact_rows` rows; beyond, they are estimated (`approx_quantile`, a t-digest of fixed size): an exact quantile
holds every value of the column in memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb

from data_stack.analyze.infer import Typing, read_as
from data_stack.analyze.keys import composite_keys, duplicates, is_key, is_near_key
from data_stack.analyze.model import ColumnProfile, plain
from data_stack.analyze.sql import ident

EXACT_ROWS = 1_000_000
TYPED_TABLE = "typed_rows"
TOP = 10
ACCEPTED_MAX = 10  # a text column with at most this many values (ignoring case and spaces) gets accepted values
ACCEPTED_REPEATS = 3  # ... when each value appears this many times on average: 5 names in 5 rows are not a list
QUANTILES = {"p01": 0.01, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p99": 0.99}
IQR_FACTOR = 1.5
BINS = 20
INTEGER_BINS = 30  # integers spanning at most this many values get one bar per value
SERIES_POINTS = 1000  # rows per day, else per week, month or year, so a series has at most this many points
EXAMPLES = 5
VALUE_CHARS = 200
PLAUSIBLE_YEARS = (1900, 2199)  # tap-landing quarantines a date or time outside these years
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class Profiled:
    rows: int
    columns: list[ColumnProfile]
    composite_keys: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def profile_columns(
    conn: duckdb.DuckDBPyConnection,
    relation: str,
    *,
    infer: bool,
    exact_rows: int = EXACT_ROWS,
    on_column: Callable[[str], None] | None = None,
) -> Profiled:
    """Row count, column profiles and composite keys of `relation`; with `infer` (a scratch copy of landing
    files), text columns are typed first and the typed values written once to a table of their own, which every
    query then reads."""
    rows = int(_one(conn, f"select count(*) from {relation}")[0])
    described = [(name, read_type) for name, read_type, *_ in conn.execute(f"describe {relation}").fetchall()]
    if not described:
        return Profiled(rows, [])
    nulls = _one(
        conn, "select " + ", ".join(f"count(*) - count({ident(name)})" for name, _ in described) + f" from {relation}"
    )
    typings = [read_as(conn, relation, name, read_type, infer) for name, read_type in described]
    if infer:
        selected = ", ".join(
            f"{typed.expr} as {ident(name)}" for (name, _), typed in zip(described, typings, strict=True)
        )
        conn.execute(f"create table {TYPED_TABLE} as select {selected} from {relation}")
        relation = TYPED_TABLE
        typings = [replace(typed, expr=ident(name)) for (name, _), typed in zip(described, typings, strict=True)]
    columns = []
    for (name, read_type), typed, missing in zip(described, typings, nulls, strict=True):
        column = ColumnProfile(
            name=name,
            read_type=read_type,
            kind=typed.kind,
            profiled_as=typed.typed_as,
            nulls=int(missing),
            null_pct=round(100 * int(missing) / rows, 2) if rows else 0.0,
            unparseable=typed.unparseable,
            unparseable_examples=typed.unparseable_examples,
        )
        columns.append(Column(conn, relation, rows, rows > exact_rows, typed, column).profile())
        if on_column:
            on_column(name)
    keys, note = composite_keys(conn, relation, rows, columns)
    return Profiled(rows, columns, keys, [note] if note else [])


class Column:
    """The queries for one column; each reads that column only."""

    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection,
        relation: str,
        rows: int,
        approximate: bool,
        typed: Typing,
        result: ColumnProfile,
    ) -> None:
        self.conn, self.relation, self.rows, self.approximate = conn, relation, rows, approximate
        self.typed, self.x, self.result = typed, f"({typed.expr})", result

    def profile(self) -> ColumnProfile:
        result = self.result
        result.distinct = int(self._one(f"select count(distinct {self.x}) from {self.relation}")[0])
        if result.kind in ("nested", "other"):
            return result
        self._range()
        if result.kind == "text":
            self._text()
        elif result.kind == "number":
            self._number()
        elif result.kind == "time":
            self._time()
        result.is_key_candidate = self.rows >= 2 and is_key(result, self.rows)
        if is_near_key(result, self.rows):
            result.duplicates = duplicates(self.conn, self.relation, self.x)
        result.top = [] if result.is_key_candidate else self._top()  # a key's values all appear once
        return result

    def _range(self) -> None:
        low, high = self._one(f"select min({self.x}), max({self.x}) from {self.relation}")
        self.result.min, self.result.max = _shown(low), _shown(high)

    def _text(self) -> None:
        x, result = self.x, self.result
        blanks, shortest, longest, folded = self._one(
            f"select count(*) filter (where trim({x}) = ''), min(length({x})), max(length({x})), "
            f"count(distinct lower(trim({x}))) from {self.relation}"
        )
        result.blanks = int(blanks)
        result.lengths = None if shortest is None else {"min": int(shortest), "max": int(longest)}
        present = self.rows - result.nulls - result.blanks
        if 0 < folded <= ACCEPTED_MAX and present >= ACCEPTED_REPEATS * folded:
            values = self.conn.execute(
                f"select mode(trim({x})) from {self.relation} where trim({x}) <> '' "
                f"group by lower(trim({x})) order by count(*) desc, 1"
            ).fetchall()
            result.accepted = [value for (value,) in values]

    def _number(self) -> None:
        x, result = self.x, self.result
        value = f"{x}::double"
        (scale,) = self._one(f"select max({_scale(value)}) from {self.relation}")
        try:
            mean, stddev = self._one(f"select avg({value}), stddev_samp({value}) from {self.relation}")
        except duckdb.OutOfRangeException:  # values near the limits of a double
            mean = stddev = None
        result.mean, result.stddev = _finite(mean), _finite(stddev)
        result.scale = None if self.typed.integer or scale is None else int(scale)
        result.quantiles = self._quantiles("quantile_cont")
        if result.quantiles is None:
            return
        q25, q75 = float(result.quantiles["p25"]), float(result.quantiles["p75"])
        spread = q75 - q25 if math.isfinite(q75 - q25) else 0.0
        low, high = q25 - IQR_FACTOR * spread, q75 + IQR_FACTOR * spread
        if spread > 0:
            result.outliers = self._outliers(f"{value} < {low!r}", f"{value} > {high!r}")
            result.outliers.update(method=f"beyond {IQR_FACTOR} IQR from the quartiles", low=low, high=high)
        self._number_histogram(value, low if spread > 0 else None, high if spread > 0 else None)

    def _number_histogram(self, value: str, low_fence: float | None, high_fence: float | None) -> None:
        low, high = float(self.result.min), float(self.result.max)
        if not (math.isfinite(low) and math.isfinite(high)):
            return  # an infinite value leaves no range to divide
        if low_fence is not None and high_fence is not None:
            low, high = max(low, low_fence), min(high, high_fence)
        whole = self.typed.integer or self.result.scale == 0  # whole numbers get whole-number bins
        if whole:
            low, high = math.ceil(low), math.floor(high)
            width = float(max(1, math.ceil((high - low + 1) / BINS))) if high - low >= INTEGER_BINS else 1.0
            count = max(1, math.ceil((high - low + 1) / width))
        else:
            count, width = (BINS, (high - low) / BINS) if high > low else (1, 1.0)
        rows = self.conn.execute(
            f"select case when v < {low!r} then -1 when v > {high!r} then {count} "
            f"else least(floor((v - {low!r}) / {width!r})::bigint, {count - 1}) end as bin, count(*) "
            f"from (select {value} as v from {self.relation} where {self.x} is not null) group by 1"
        ).fetchall()
        counts = {int(b): int(n) for b, n in rows}
        bins = []
        for index in range(count):
            start = low + index * width
            end = start + width - 1 if whole else start + width
            label = _number_text(start) if start == end else f"{_number_text(start)} – {_number_text(end)}"
            bins.append({"label": label, "start": start, "end": end, "count": counts.get(index, 0)})
        below, above = counts.get(-1, 0), counts.get(count, 0)
        self.result.histogram = {"of": "values", "bins": bins, "below": below, "above": above}

    def _time(self) -> None:
        x, result = self.x, self.result
        result.quantiles = self._quantiles("quantile_disc")
        first, last = PLAUSIBLE_YEARS
        outliers = self._outliers(f"year({x}) < {first}", f"year({x}) > {last}")
        if outliers["count"]:
            result.outliers = {"method": f"outside the years {first}–{last}", **outliers}
        result.series = self._series()
        result.histogram = self._time_histogram()

    def _series(self) -> dict[str, Any] | None:
        x = self.x
        for grain in ("day", "week", "month", "year"):
            period = f"date_trunc('{grain}', {x})::date"
            (points,) = self._one(f"select count(distinct {period}) from {self.relation}")
            if points <= SERIES_POINTS or grain == "year":
                rows = self.conn.execute(
                    f"select {period}, count(*) from {self.relation} where {x} is not null group by 1 order by 1"
                ).fetchall()
                return {"grain": grain, "points": [{"period": p.isoformat(), "rows": int(n)} for p, n in rows]}
        return None

    def _time_histogram(self) -> dict[str, Any]:
        x = self.x
        if self.typed.typed_as == "TIMESTAMP":
            hours = dict(self.conn.execute(f"select hour({x}), count(*) from {self.relation} group by 1").fetchall())
            hours.pop(None, None)
            if len(hours) > 1:
                bins = [{"label": f"{h:02d}", "count": int(hours.get(h, 0))} for h in range(24)]
                return {"of": "hour of day (UTC)", "bins": bins, "below": 0, "above": 0}
        days = dict(self.conn.execute(f"select isodow({x}), count(*) from {self.relation} group by 1").fetchall())
        bins = [{"label": WEEKDAYS[d - 1], "count": int(days.get(d, 0))} for d in range(1, 8)]
        return {"of": "day of week", "bins": bins, "below": 0, "above": 0}

    def _quantiles(self, exact: str) -> dict[str, Any] | None:
        points = "[" + ", ".join(str(q) for q in QUANTILES.values()) + "]"
        function = "approx_quantile" if self.approximate else exact
        (values,) = self._one(f"select {function}({self.x}, {points}) from {self.relation}")
        self.result.quantiles_approx = self.approximate
        if values is None or all(value is None for value in values):
            return None
        return {name: _shown(value) for name, value in zip(QUANTILES, values, strict=True)}

    def _outliers(self, below: str, above: str) -> dict[str, Any]:
        x = self.x
        (count,) = self._one(f"select count(*) from {self.relation} where {below} or {above}")

        def examples(condition: str, order: str) -> list[Any]:
            rows = self.conn.execute(
                f"select distinct {x} from {self.relation} where {condition} order by 1 {order} limit {EXAMPLES}"
            ).fetchall()
            return [_shown(value) for (value,) in rows]

        return {"count": int(count), "low_examples": examples(below, "asc"), "high_examples": examples(above, "desc")}

    def _top(self) -> list[dict[str, Any]]:
        x = self.x
        shown = f"left(value, {VALUE_CHARS})" if self.result.kind == "text" else "value"
        rows = self.conn.execute(
            f"select {shown}, n from (select {x} as value, count(*) as n from {self.relation} "
            f"where {x} is not null group by 1 order by 2 desc, 1 limit {TOP})"
        ).fetchall()
        return [{"value": _shown(value), "count": int(n)} for value, n in rows]

    def _one(self, query: str) -> tuple[Any, ...]:
        return _one(self.conn, query)


def _one(conn: duckdb.DuckDBPyConnection, query: str) -> tuple[Any, ...]:
    row = conn.execute(query).fetchone()
    assert row is not None  # an aggregate without group by returns one row
    return row


def _scale(value: str) -> str:
    """The decimal places a value needs, 0 to 4, or 5 for more (a float is not exact: compare within 1e-9)."""
    cases = " ".join(
        f"when abs({value} - round({value}, {places})) <= 1e-9 * greatest(1, abs({value})) then {places}"
        for places in range(5)
    )
    return f"case {cases} else 5 end"


def _shown(value: Any) -> Any:
    """A value for the profile: JSON-friendly, long text cut."""
    value = plain(value)
    if isinstance(value, str) and len(value) > VALUE_CHARS:
        return value[:VALUE_CHARS] + "…"
    return value


def _finite(value: Any) -> float | None:
    return float(value) if value is not None and math.isfinite(float(value)) else None


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"
