"""Dashboard fixtures: one small warehouse built by the real pipeline, shared by the page, source and browser tests.

Every test that reads it points the app at it through DATA_DIR (the app reads settings from the environment).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

CLI = str(Path(sys.executable).parent / "data-stack")
APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
SCALE = "0.05"
DAYS = "45"


@dataclass
class Warehouse:
    root: Path

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ, DATA_DIR=str(self.root), DBT_TARGET="ci", MELTANO_ENVIRONMENT="ci")
        for name in ("WAREHOUSE_DIR", "LANDING_URI", "LAKE_URI", "DASHBOARD_BACKEND", "SERVING_DB_URL"):
            env.pop(name, None)
        return env

    @property
    def current(self) -> Path:
        return self.root / "warehouse" / "current.duckdb"

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise AssertionError(f"data-stack {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def sql(self, query: str, params: list | None = None) -> list[tuple]:
        """Independent reads of the published marts, for checking what the pages show."""
        with duckdb.connect(":memory:") as conn:
            conn.execute(f"attach '{self.current}' as published (read_only)")
            conn.execute("use published")
            return conn.execute(query, params or []).fetchall()

    def scalar(self, query: str, params: list | None = None):
        return self.sql(query, params)[0][0]


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Warehouse:
    """Demo data with defects (so some rows are quarantined), ingested, built, gated and published."""
    wh = Warehouse(tmp_path_factory.mktemp("dashboards"))
    wh.cli("generate", "--scale", SCALE, "--days", DAYS, "--defect-rate", "0.02")
    wh.cli("run")
    return wh


@pytest.fixture
def app_env(warehouse: Warehouse, monkeypatch) -> Warehouse:
    """Point an in-process app (AppTest) at the shared warehouse."""
    for name, value in warehouse.env.items():
        if os.environ.get(name) != value:
            monkeypatch.setenv(name, value)
    for name in ("WAREHOUSE_DIR", "LANDING_URI", "LAKE_URI", "DASHBOARD_BACKEND", "SERVING_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    return warehouse
