"""Large inputs in bounded memory: a 300,000-row file profiled under a 64 MB DuckDB cap."""

from __future__ import annotations

import duckdb
import pytest

from data_stack.analyze import analyze
from data_stack.analyze.engine import session

ROWS = 300_000


@pytest.fixture
def large_csv(data_dir):
    path = data_dir / "landing" / "events" / "events_2026-01-01.csv"
    path.parent.mkdir(parents=True)
    duckdb.sql(
        f"""
        copy (
            select
                i as event_id,
                (i % 1000) * 0.25 as amount,
                ['view', 'cart', 'buy'][1 + i % 3] as kind,
                timestamp '2026-01-01' + to_seconds(i * 10) as event_ts,
                md5(i::varchar) as token
            from range({ROWS}) as r(i)
        ) to '{path}' (header)
        """
    )
    assert path.stat().st_size > 20_000_000
    return path


def test_a_large_file_under_a_small_memory_limit(large_csv, settings):
    profile = analyze(str(large_csv), settings, memory_limit="64MB")
    assert profile.rows == ROWS and not profile.approximate and profile.memory_limit == "64MB"
    assert profile.key_candidates == ["event_id", "event_ts", "token"]
    amount = profile.column("amount")
    assert (amount.distinct, amount.min, amount.max, amount.contract_type) == (1000, 0, 249.75, "DECIMAL(10,2)")
    assert amount.quantiles["p50"] == pytest.approx(124.875)
    assert profile.column("kind").accepted == ["buy", "cart", "view"]
    series = profile.column("event_ts").series
    assert series["grain"] == "day" and sum(point["rows"] for point in series["points"]) == ROWS


def test_beyond_the_exact_limit_quantiles_are_estimated(large_csv, settings):
    profile = analyze(str(large_csv), settings, memory_limit="64MB", exact_rows=100_000)
    assert profile.approximate
    amount = profile.column("amount")
    assert amount.quantiles_approx and amount.quantiles["p50"] == pytest.approx(124.875, rel=0.02)
    assert amount.distinct == 1000  # distinct counts stay exact
    assert profile.key_candidates == ["event_id", "event_ts", "token"]


def test_the_session_caps_memory_and_spills_under_the_data_dir(tmp_path):
    with session(tmp_path, "64MB") as conn:
        limit, spill = conn.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
        assert limit == "61.0 MiB"  # 64 MB in DuckDB's binary units
        assert spill.startswith(str(tmp_path))
    assert list(tmp_path.iterdir()) == []  # the scratch database and spill files are gone
