"""Every gold mart built on Spark (dbt-spark, a local session) equals the DuckDB build of the same bronze Parquet.

The bronze is tests/dbt/bronze_fixture.py's, rich in defects: a first load, then a second load with late rows,
re-deliveries, updates and a line that became invalid, built incrementally on both engines. Each mart is compared
with EXCEPT ALL both ways on every column (decimals exactly, so money to the cent). `make test` installs Spark's
own environment (`make spark-env`, spark/uv.lock).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.dbt.bronze_fixture import write_bronze
from tests.dbt.conftest import FIRST_LOAD, PROJECT_DIR, SALT, SECOND_LOAD, Lane, gold_tables
from tests.engines.parity import Parity, compare
from tests.tools import require_command, require_file

pytestmark = pytest.mark.slow

SPARK_DIR = PROJECT_DIR.parent / "spark"
SPARK_BIN = SPARK_DIR / ".venv" / "bin"
INCREMENTAL_FACTS = {"orders", "order_items", "shipments"}


@dataclass
class SparkLane:
    root: Path
    lake: Path
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def target(self) -> Path:
        return self.root / "target-spark"

    def env(self) -> dict[str, str]:
        return dict(
            os.environ,
            LAKE_URI=str(self.lake),
            PII_HASH_SALT=SALT,
            DBT_TARGET="spark",
            DBT_TARGET_PATH=str(self.target),
            DBT_LOG_PATH=str(self.root / "logs-spark"),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            DO_NOT_TRACK="1",
            SPARK_WAREHOUSE_DIR=str(self.root / "spark-warehouse"),
            SPARK_METASTORE_DIR=str(self.root / "spark-metastore"),
            SPARK_LOCAL_IP="127.0.0.1",
        )

    def _run(self, label: str, command: list[str]) -> str:
        started = time.monotonic()
        result = subprocess.run(
            command, cwd=self.root, env=self.env(), capture_output=True, text=True, timeout=900, check=False
        )
        self.seconds[label] = round(time.monotonic() - started, 1)
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{label} failed:\n{output[-4000:]}"
        return output

    def register_bronze(self) -> None:
        self._run("register bronze", [str(SPARK_BIN / "python"), str(SPARK_DIR / "register_bronze.py")])

    def dbt(self, label: str, *args: str) -> list[dict]:
        self._run(
            label,
            [str(SPARK_BIN / "dbt"), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)],
        )
        return json.loads((self.target / "run_results.json").read_text())["results"]

    def export(self, label: str, out: Path, tables: list[str]) -> None:
        self._run(label, [str(SPARK_BIN / "python"), str(SPARK_DIR / "export_tables.py"), str(out), *tables])


@dataclass
class Scenario:
    tables: list[str]
    first: list[Parity]
    second: list[Parity]
    second_run: list[dict]
    spark: SparkLane


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    require_file(SPARK_BIN / "dbt", "make spark-env installs pyspark and dbt-spark (spark/uv.lock)")
    require_command("java", "pyspark needs a Java runtime (17 here)")
    root = tmp_path_factory.mktemp("spark-parity")
    lake = root / "lake"
    duck = Lane(root, "duckdb", lake)
    spark = SparkLane(root, lake)

    write_bronze(lake, **FIRST_LOAD)
    duck_started = duck.start("run")  # DuckDB builds beside Spark: the two share nothing but the bronze files
    spark.register_bronze()
    spark.dbt("first run", "run")
    duck.wait(duck_started).check()
    tables = gold_tables(duck.manifest())
    spark.export("first export", root / "export-1", tables)
    first = compare(duck.db, root / "export-1", tables)

    write_bronze(lake, **SECOND_LOAD)
    duck_started = duck.start("run")
    second_run = spark.dbt("second run", "run")
    duck.wait(duck_started).check()
    spark.export("second export", root / "export-2", tables)
    second = compare(duck.db, root / "export-2", tables)
    return Scenario(tables, first, second, second_run, spark)


def _table(results: list[Parity]) -> str:
    lines = [f"{'mart':34} {'duckdb':>7} {'spark':>7} {'only duckdb':>12} {'only spark':>11}  equal"]
    lines += [
        f"{p.table:34} {p.rows:7} {p.other_rows:7} {p.only_duckdb:12} {p.only_other:11}  {p.equal}" for p in results
    ]
    return "\n".join(lines)


def test_every_gold_mart_is_compared(scenario: Scenario):
    assert len(scenario.tables) == 13
    assert [p.table for p in scenario.first] == scenario.tables
    assert all(p.rows > 0 for p in scenario.first), _table(scenario.first)


@pytest.mark.parametrize("load", ["first", "second"])
def test_spark_builds_the_same_gold_marts_as_duckdb(scenario: Scenario, load: str):
    results = getattr(scenario, load)
    assert all(p.equal for p in results), f"after the {load} load:\n{_table(results)}"


def test_the_second_spark_run_was_incremental(scenario: Scenario):
    """The facts took the incremental path (new rows only, then overwrite by key), not a rebuild."""
    compiled = {item["unique_id"].rsplit(".", 1)[-1]: item.get("compiled_code") or "" for item in scenario.second_run}
    for fact in INCREMENTAL_FACTS:
        assert "max(existing._loaded_at)" in compiled[fact], fact
    assert all(item["status"] == "success" for item in scenario.second_run)


def test_spark_leaves_no_scratch_tables_and_no_salt_in_compiled_sql(scenario: Scenario):
    compiled = "\n".join(path.read_text() for path in (scenario.spark.target / "run").rglob("*.sql"))
    assert "${spark.data_stack.pii_hash_salt}" in compiled
    assert SALT not in compiled
    assert "__dbt_keep" not in "".join(path.name for path in (scenario.spark.root / "spark-warehouse").rglob("*"))
