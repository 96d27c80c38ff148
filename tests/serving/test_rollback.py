"""`data-stack serve` loads only the run current.duckdb holds: never an older run's label on today's data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg
import pytest

from data_stack.ledger import Ledger
from data_stack.serving import served_run

CLI = str(Path(sys.executable).parent / "data-stack")
OLDER, PUBLISHED = "20260101T020000Z-aaaa", "20260102T020000Z-bbbb"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """Two published runs in the ledger; current.duckdb holds the newer one's marts."""
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    with duckdb.connect(str(warehouse / "current.duckdb")) as conn:
        conn.execute("create schema marketing")
        conn.execute("create table marketing.served_probe as select date '2026-01-02' as order_date, 42.5 as revenue")
    ledger = Ledger(warehouse / "ledger.sqlite")
    for run_id in (OLDER, PUBLISHED):
        ledger.start(run_id, "run", 1)
        ledger.mark_published(run_id)
        ledger.finish(run_id, "success")
    return tmp_path


def _serve(data_dir: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATA_DIR=str(data_dir), SERVING_DB_URL=url)
    for name in ("WAREHOUSE_DIR", "LANDING_URI", "LAKE_URI"):
        env.pop(name, None)
    return subprocess.run([CLI, "serve", *args], env=env, capture_output=True, text=True, timeout=120)


def _served(url: str) -> str | None:
    with psycopg.connect(url) as conn:
        return served_run(conn)


def _status(data_dir: Path) -> dict[str, str]:
    return {run.run_id: run.status for run in Ledger(data_dir / "warehouse" / "ledger.sqlite").runs()}


@pytest.mark.parametrize("asked", [OLDER, "20251231T000000Z-zzzz"])
def test_serving_another_run_than_the_published_one_is_refused(data_dir, serving_url, asked):
    before = _status(data_dir)
    result = _serve(data_dir, serving_url, "--run-id", asked)
    assert result.returncode == 1, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        f"error: Run {asked} is not the published run: current.duckdb holds run {PUBLISHED}, the only data Postgres "
        f"can be loaded from. Run `data-stack serve` to serve run {PUBLISHED}; to change the data, publish a new run "
        "(docs/runbooks/serving.md#roll-back)."
    ]
    assert _served(serving_url) is None  # nothing loaded
    assert _status(data_dir) == before  # the refused run is not reopened or marked failed


@pytest.mark.parametrize("args", [(), ("--run-id", PUBLISHED)])
def test_the_published_run_is_served_under_its_own_id(data_dir, serving_url, args):
    result = _serve(data_dir, serving_url, *args, "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["run_id"] == PUBLISHED
    assert _served(serving_url) == PUBLISHED
    with psycopg.connect(serving_url) as conn:
        assert conn.execute("select revenue from marketing.served_probe").fetchone()[0] == pytest.approx(42.5)
