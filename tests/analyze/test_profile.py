"""The statistics of a file whose answers are known: nulls, distinct values, quantiles, outliers, keys, values."""

from __future__ import annotations

import statistics

import pytest

from data_stack.analyze import analyze

from .conftest import AMOUNTS, write_csv


def quantile(values: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks, as DuckDB's quantile_cont."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def test_known_file(known_csv, settings):
    profile = analyze(str(known_csv), settings)
    assert profile.rows == 20
    assert [column.name for column in profile.columns] == ["id", "amount", "status", "note", "day", "code"]
    assert profile.key_candidates == ["id", "code"]
    assert profile.rejected == 0 and not profile.approximate

    amount = profile.column("amount")
    assert (amount.read_type, amount.profiled_as, amount.contract_type) == ("VARCHAR", "BIGINT", "INTEGER")
    assert (amount.nulls, amount.distinct, amount.min, amount.max) == (0, 11, 5, 500)
    assert amount.mean == pytest.approx(statistics.mean(AMOUNTS))
    assert amount.stddev == pytest.approx(statistics.stdev(AMOUNTS))
    for name, q in {"p01": 0.01, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p99": 0.99}.items():
        assert amount.quantiles[name] == pytest.approx(quantile(AMOUNTS, q)), name
    q25, q75 = quantile(AMOUNTS, 0.25), quantile(AMOUNTS, 0.75)
    assert amount.outliers["count"] == 1
    assert amount.outliers["high_examples"] == [500] and amount.outliers["low_examples"] == []
    assert amount.outliers["high"] == pytest.approx(q75 + 1.5 * (q75 - q25))
    assert not amount.is_key_candidate
    assert amount.top[:2] == [{"value": 5, "count": 2}, {"value": 6, "count": 2}]
    histogram = amount.histogram
    assert sum(bin["count"] for bin in histogram["bins"]) + histogram["below"] + histogram["above"] == 20
    assert histogram["above"] == 1  # the outlier, beyond the bars

    status = profile.column("status")
    assert (status.kind, status.nulls, status.null_pct, status.distinct) == ("text", 1, 5.0, 3)
    assert status.top == [{"value": "b", "count": 7}, {"value": "a", "count": 6}, {"value": "c", "count": 6}]
    assert status.accepted == ["b", "a", "c"]

    note = profile.column("note")
    assert (note.nulls, note.null_pct, note.distinct, note.accepted) == (5, 25.0, 15, None)
    assert note.lengths == {"min": 6, "max": 7}

    day = profile.column("day")
    assert (day.kind, day.profiled_as, day.contract_type) == ("time", "DATE", "DATE")
    assert day.unparseable == 1 and day.unparseable_examples == [{"value": "2026-02-30", "count": 1}]
    assert (day.min, day.max) == ("2026-01-01", "2026-01-19")
    assert day.series["grain"] == "day" and len(day.series["points"]) == 19
    assert day.histogram["of"] == "day of week" and sum(b["count"] for b in day.histogram["bins"]) == 19
    assert not day.is_key_candidate  # unique, but one value is not a date

    code = profile.column("code")
    assert (code.kind, code.contract_type, code.min) == ("text", "VARCHAR", "001")  # zero-padded: not a number
    assert code.is_key_candidate and code.top == []

    ident = profile.column("id")
    assert (ident.contract_type, ident.distinct, ident.is_key_candidate) == ("BIGINT", 20, True)


def test_the_suggested_contract(known_csv, settings):
    contract = analyze(str(known_csv), settings).contract
    stream = contract["stream"]
    assert list(stream) == ["name", "pattern", "format", "required", "accepted", "ranges", "columns"]
    assert (stream["name"], stream["pattern"], stream["format"]) == ("shop__sales", "shop/sales_*.csv", "csv")
    assert stream["required"] == ["id", "amount", "day", "code"]
    assert stream["accepted"] == {"status": ["b", "a", "c"]}
    assert stream["ranges"] == {"amount": [5, 500]}
    assert stream["columns"] == {
        "id": "BIGINT",
        "amount": "INTEGER",
        "status": "VARCHAR",
        "note": "VARCHAR",
        "day": "DATE",
        "code": "VARCHAR",
    }
    assert contract["docs"] == (
        "### shop/sales\n`id* BIGINT`, `amount* INTEGER` (5 – 500), `status VARCHAR` (b, a, c), `note VARCHAR`, "
        "`day* DATE`, `code* VARCHAR`"
    )


def test_types_read_from_text(data_dir, settings):
    rows = [
        ["1.25", "true", "2026-01-31T16:05:00+02:00", "12", " web "],
        ["2.5", "false", "2026-01-31 14:05:00", "x1", "WEB"],
        ["3.75", "TRUE", "2026-02-01T00:00:00Z", "14", "mobile"],
    ]
    path = write_csv(data_dir / "landing" / "kinds.csv", ["price", "flag", "at", "mostly", "channel"], rows)
    profile = analyze(str(path), settings)
    assert profile.column("price").contract_type == "DECIMAL(10,2)"
    assert profile.column("flag").contract_type == "BOOLEAN"
    at = profile.column("at")
    assert at.contract_type == "TIMESTAMP"
    assert (at.min, at.max) == ("2026-01-31T14:05:00", "2026-02-01T00:00:00")  # offsets stored as UTC
    assert profile.column("mostly").contract_type == "VARCHAR"  # 2 of 3 integers: below the 90% share
    assert profile.column("channel").accepted is None  # 3 rows: too few to call 2 values a list


def test_accepted_values_fold_case_and_spaces(data_dir, settings):
    rows = [[" web "], ["web"], ["WEB"], ["web"], ["mobile"], ["Mobile"], ["mobile"]]
    path = write_csv(data_dir / "landing" / "channels.csv", ["channel"], rows)
    assert analyze(str(path), settings).column("channel").accepted == ["web", "mobile"]


def test_unreadable_csv_records_are_counted(data_dir, settings):
    path = data_dir / "landing" / "broken.csv"
    path.write_text("a,b\n1,x\n2\n3,y,extra\n4,z\n")
    profile = analyze(str(path), settings)
    assert profile.rows == 2 and profile.rejected == 2
    assert [example["line"] for example in profile.rejected_examples] == [3, 4]
    assert profile.rejected_examples[0]["record"] == "2"
