"""Run the dbt project against hand-made bronze (bronze_fixture.py) in a temporary lake and database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from .bronze_fixture import write_bronze

DBT = str(Path(sys.executable).parent / "dbt")
PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt"
SALT = "test-salt"
FIRST_LOAD = {"run_id": "run-1", "load_date": "2026-01-10"}
SECOND_LOAD = {"run_id": "run-2", "load_date": "2026-01-11", "extra": True}


@dataclass
class Invocation:
    args: list[str]
    returncode: int
    output: str
    results: list[dict] = field(default_factory=list)

    def check(self) -> Invocation:
        assert self.returncode == 0, f"dbt {' '.join(self.args)} failed:\n{self.output[-6000:]}"
        return self

    def statuses(self) -> dict[str, str]:
        return {item["unique_id"]: item["status"] for item in self.results}


@dataclass
class Lane:
    """One database and its dbt target dir; invocations in a lane reuse dbt's partial parse."""

    root: Path
    name: str
    lake: Path
    lake_uri: str | None = None  # overrides `lake`, e.g. an s3:// location
    invocations: int = 0  # each invocation is a pipeline run of its own (RUN_ID: the rows it writes are marked)

    @property
    def db(self) -> Path:
        return self.root / f"{self.name}.duckdb"

    @property
    def target(self) -> Path:
        return self.root / f"target-{self.name}"

    def env(self) -> dict[str, str]:
        return dict(
            os.environ,
            DBT_DUCKDB_PATH=str(self.db),
            LAKE_URI=self.lake_uri or str(self.lake),
            PII_HASH_SALT=SALT,
            DBT_TARGET="ci",
            DBT_TARGET_PATH=str(self.target),
            DBT_LOG_PATH=str(self.root / f"logs-{self.name}"),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        )

    def start(self, *args: str) -> tuple[list[str], subprocess.Popen]:
        command = [
            DBT,
            *args,
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
        ]
        self.invocations += 1
        env = self.env() | {"RUN_ID": f"{self.name}-{self.invocations}"}
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return list(args), proc

    def wait(self, started: tuple[list[str], subprocess.Popen]) -> Invocation:
        args, proc = started
        output, _ = proc.communicate(timeout=600)
        results_file = self.target / "run_results.json"
        results = json.loads(results_file.read_text())["results"] if results_file.exists() else []
        return Invocation(args, proc.returncode, output, results)

    def run(self, *args: str) -> Invocation:
        return self.wait(self.start(*args))

    def manifest(self) -> dict:
        return json.loads((self.target / "manifest.json").read_text())


@dataclass
class Scenario:
    incremental: Lane
    full: Lane
    first_build: Invocation
    second_build: Invocation
    rerun: Invocation
    full_build: Invocation
    after_second: dict[str, list[tuple]]
    after_rerun: dict[str, list[tuple]]

    def gold_tables(self) -> list[str]:
        return gold_tables(self.incremental.manifest())


def gold_tables(manifest: dict) -> list[str]:
    """`schema.table` of every public (gold) model."""
    return sorted(
        f"{node['schema']}.{node['alias']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("access") == "public"
    )


def snapshot(db: Path, tables: list[str]) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return {table: sorted(conn.execute(f"select * from {table}").fetchall(), key=repr) for table in tables}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """First load -> build; second load -> incremental build; rerun with nothing new.

    A full-refresh build of both loads runs beside it, in its own lake and database.
    """
    root = tmp_path_factory.mktemp("dbt")
    incremental = Lane(root, "incremental", root / "lake-incremental")
    full = Lane(root, "full", root / "lake-full")
    write_bronze(full.lake, **FIRST_LOAD)
    write_bronze(full.lake, **SECOND_LOAD)
    full_started = full.start("build", "--full-refresh")

    write_bronze(incremental.lake, **FIRST_LOAD)
    first_build = incremental.run("build").check()
    write_bronze(incremental.lake, **SECOND_LOAD)
    second_build = incremental.run("build").check()
    tables = gold_tables(incremental.manifest())
    after_second = snapshot(incremental.db, tables)
    rerun = incremental.run("run").check()
    after_rerun = snapshot(incremental.db, tables)
    full_build = full.wait(full_started).check()
    return Scenario(incremental, full, first_build, second_build, rerun, full_build, after_second, after_rerun)
