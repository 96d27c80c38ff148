"""The quick bench mode as CI runs it, and the floor it is measured against.

`bench/pipeline.py --mode ci` builds the floor (bench/floor.sql) and runs `data-stack run` on the same landing
files, then after one more day of data and with nothing new; it exits 1 when the run with nothing new costs more
than its share of a full run. Then the floor, rebuilt over every landing file, must hold the same gold marts as the
warehouse the incremental runs published: every table, with the same columns, types and rows (lineage columns
aside)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tests.e2e.conftest import gold_tables

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "pipeline.py"
FLOOR = ROOT / "bench" / "floor.py"
# every dbt mart, as the published warehouse names it: <domain schema>.<model>
MARTS = sorted(f'"{path.parent.name}"."{path.stem}"' for path in (ROOT / "dbt" / "models" / "marts").glob("*/*.sql"))
# The forecast (marts/product/forecast/) is numerics in dbt Python models, not SQL: the floor does not redo it.
FORECAST = {'"product"."category_forecast_daily"', '"product"."category_forecast_accuracy"'}
ROWS_SHOWN = 5
CLEAN = ("VEHICLE_API_URL", "LANDING_URI", "LAKE_URI", "WAREHOUSE_DIR", "SERVING_DB_URL", "DBT_TARGET", "DATA_DIR")


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    env = {name: value for name, value in os.environ.items() if name not in CLEAN}
    result = subprocess.run(
        [sys.executable, str(BENCH), "--mode", "ci", "--workdir", str(work), "--results", str(work / "results")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    stack = work / "stack-0.05"
    floor = work / "floor-all.duckdb"
    # the floor's own command line, over every file the runs ingested; the salt as the pipeline reads it
    built = subprocess.run(
        [sys.executable, str(FLOOR), "--landing", str(stack / "landing"), "--database", str(floor)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    return {
        "result": json.loads((work / "results" / "pipeline-ci.json").read_text()),
        "chart": work / "results" / "pipeline-ci.png",
        "published": stack / "warehouse" / "current.duckdb",
        "floor": floor,
    }


def columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(name, type) of a table's columns in order, lineage columns (`_loaded_at`, ...) left out."""
    rows = conn.execute(f"describe {table}").fetchall()
    return [(row[0], row[1]) for row in rows if not row[0].startswith("_")]


def difference(published: duckdb.DuckDBPyConnection, floor: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """Why the floor's table is not the published one, or None when they are equal."""
    expected = columns(published, table)
    actual = columns(floor, table)
    if actual != expected:
        only_pipeline = [column for column in expected if column not in actual] or expected
        only_floor = [column for column in actual if column not in expected] or actual
        return f"{table}: columns differ\n  pipeline: {only_pipeline}\n  floor:    {only_floor}"
    select = "select " + ", ".join(f'"{name}"' for name, _ in expected) + f" from {table}"
    pipeline_rows = Counter(published.execute(select).fetchall())
    floor_rows = Counter(floor.execute(select).fetchall())
    if pipeline_rows == floor_rows:
        return None
    only_pipeline = sorted((pipeline_rows - floor_rows).elements(), key=repr)
    only_floor = sorted((floor_rows - pipeline_rows).elements(), key=repr)
    lines = [
        f"{table}: {len(only_pipeline)} row(s) only in the pipeline, {len(only_floor)} only in the floor "
        f"(of {pipeline_rows.total()} and {floor_rows.total()})",
        *(f"  pipeline: {row}" for row in only_pipeline[:ROWS_SHOWN]),
        *(f"  floor:    {row}" for row in only_floor[:ROWS_SHOWN]),
    ]
    return "\n".join(lines)


def test_the_quick_bench_measures_every_run_and_writes_its_chart(bench):
    result = bench["result"]
    assert result["floor_equals_pipeline"], result["floor_differences"]
    assert set(result["seconds"]) == {"floor", "duckdb_copy", "full_run", "incremental_run", "nothing_new_run"}
    full = result["stage_seconds"]["full_run"]
    assert set(full) == {"ingest", "transform", "check", "publish", "check:dbt_test", "check:gx", "check:gx_read"}
    assert 0 <= full["check:gx_read"] <= full["check:gx"]
    assert full["check:dbt_test"] + full["check:gx"] <= full["check"] + 0.2  # the parts are logged to 0.1 s
    assert result["stage_seconds"]["nothing_new_run"] == {}, "a run with nothing new ran a stage"
    slowest = result["slowest_dbt_nodes"]["full_run"]
    assert len(slowest["models"]) == 8 and len(slowest["tests"]) == 8 and slowest["tests_seconds"] > 0
    assert 0 < result["ratios"]["nothing_new_run_vs_full_run"] < 1
    assert 0 < result["ratios"]["incremental_run_vs_full_run"] < 1.5
    assert result["next_day_rows"] > 0
    assert all(value > 0 for value in result["peak_rss_mb"]["full_run"].values())
    assert bench["chart"].stat().st_size > 10_000


def test_the_floor_has_every_published_gold_table(bench):
    published, floor = bench["published"], bench["floor"]
    with duckdb.connect(str(published), read_only=True) as pipeline, duckdb.connect(str(floor), read_only=True) as own:
        expected = [table for table in gold_tables(pipeline) if table not in FORECAST]
        missing = sorted(set(expected) - set(gold_tables(own)))
    assert expected == MARTS, "the published gold tables are not the dbt marts"
    assert not missing, f"the floor lacks {len(missing)} published gold table(s): {', '.join(missing)}"


def test_every_gold_table_equals_the_pipelines(bench):
    published, floor = bench["published"], bench["floor"]
    with duckdb.connect(str(published), read_only=True) as pipeline, duckdb.connect(str(floor), read_only=True) as own:
        present = set(gold_tables(own))
        compared = [table for table in gold_tables(pipeline) if table not in FORECAST]
        problems = [
            difference(pipeline, own, table) if table in present else f"{table}: missing from the floor"
            for table in compared
        ]
        empty = [table for table in compared if not pipeline.execute(f"select 1 from {table}").fetchone()]
    problems = [problem for problem in problems if problem]
    assert not problems, "the floor differs from the published warehouse:\n" + "\n".join(problems)
    assert not empty, f"published gold tables without rows compare nothing: {', '.join(empty)}"
