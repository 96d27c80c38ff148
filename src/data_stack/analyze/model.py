"""The profile a run produces: what the report draws and `--json` prints (fields in docs/analyze.md)."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ColumnProfile:
    name: str
    read_type: str  # as DuckDB read it
    kind: str  # number | time | text | boolean | nested | other
    profiled_as: str  # the DuckDB type the statistics are computed on (inferred for text files)
    contract_type: str = ""  # the type the suggested contract declares
    nulls: int = 0
    null_pct: float = 0.0
    blanks: int = 0  # text that is empty or only spaces
    unparseable: int = 0  # values present that are not of the inferred type
    unparseable_examples: list[dict[str, Any]] = field(default_factory=list)
    distinct: int | None = None  # exact
    min: Any = None
    max: Any = None
    mean: float | None = None
    stddev: float | None = None
    quantiles: dict[str, Any] | None = None  # p01, p25, p50, p75, p99
    quantiles_approx: bool = False
    scale: int | None = None  # most decimal places a number has (up to 4; 5 means more)
    lengths: dict[str, int] | None = None  # text: shortest and longest value
    top: list[dict[str, Any]] = field(default_factory=list)  # value, count
    accepted: list[str] | None = None  # all values of a low-cardinality text column (case and spaces folded)
    histogram: dict[str, Any] | None = None  # of, bins (label, start, end, count), below, above
    series: dict[str, Any] | None = None  # grain, points (period, rows)
    outliers: dict[str, Any] | None = None  # method, low, high, count, low_examples, high_examples
    is_key_candidate: bool = False  # never empty, no fractional number, every value distinct
    duplicates: dict[str, int] | None = None  # an almost-key: values found more than once, and their rows


@dataclass
class Profile:
    source: dict[str, Any]  # kind, name, files, bytes, format
    rows: int
    columns: list[ColumnProfile]
    key_candidates: list[str]
    composite_keys: list[list[str]]  # when no single column is a key: the minimal sets of columns that are
    approximate: bool  # quantiles estimated: more rows than `exact_rows`
    exact_rows: int
    memory_limit: str
    seconds: float
    generated_at: str
    rejected: int | None = None
    rejected_examples: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    contract: dict[str, Any] = field(default_factory=dict)  # docs, stream, yaml
    report: str | None = None

    def column(self, name: str) -> ColumnProfile:
        return next(column for column in self.columns if column.name == name)

    def keys_shown(self) -> str:
        """The key candidates in a few words: single columns, else the composite keys, else none."""
        if self.key_candidates:
            return ", ".join(self.key_candidates)
        if self.composite_keys:
            return "; ".join("(" + ", ".join(key) + ")" for key in self.composite_keys)
        return "none"

    def near_keys_shown(self) -> str:
        """The almost-keys with their duplicates, or an empty string."""
        return ", ".join(
            f"{column.name} ({_count(column.duplicates['values'], 'duplicated value')} "
            f"in {column.duplicates['rows']:,} rows)"
            for column in self.columns
            if column.duplicates
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def plain(value: Any) -> Any:
    """A DuckDB value as JSON: times as ISO 8601, decimals as numbers, anything else exotic as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, uuid.UUID | dt.timedelta | bytes):
        return str(value)
    return str(value)
