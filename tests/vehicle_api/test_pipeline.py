"""End to end: `data-stack run` with VEHICLE_API_URL pointing at the mock puts valuations into the published
`logistics.fleet_vehicles`; the run is accounted for, audited, and the key is nowhere on disk or in the output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from data_stack.mock_api import valuation
from data_stack.mock_api.valuations import STATE_CODES

from .conftest import ROOT, files_containing

pytestmark = pytest.mark.slow

CLI = str(Path(sys.executable).parent / "data-stack")
SCALE, DAYS = "0.03", "7"


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=600)


def test_run_with_the_api_publishes_valuations(mock_vendor, api_key, tmp_path):
    server = mock_vendor(rate_limit=50, error_rate=0.1, seed=11)
    data = tmp_path / "data"
    env = dict(
        os.environ,
        DATA_DIR=str(data),
        DBT_TARGET="ci",
        MELTANO_ENVIRONMENT="ci",
        VEHICLE_API_URL=server.url,
        VEHICLE_API_KEY=api_key,
        VEHICLE_API_REQUESTS_PER_SECOND="20",
        VEHICLE_API_BACKOFF_BASE_SECONDS="0.05",
    )
    generated = _cli(env, "generate", "--scale", SCALE, "--days", DAYS)
    assert generated.returncode == 0, generated.stderr
    result = _cli(env, "run")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"

    (run,) = json.loads(_cli(env, "status", "--json").stdout)
    counts = run["streams"]["vehicles__valuations"]
    assert counts["loaded"] > 0 and counts["landed"] == counts["loaded"] + counts["quarantined"]
    assert (data / "lake" / "audit" / "vehicle_api" / f"{run['run_id']}.jsonl").exists()
    assert (data / "warehouse" / "logs" / run["run_id"] / "meltano-vehicle-values.log").exists()

    with duckdb.connect(str(data / "warehouse" / "current.duckdb"), read_only=True) as conn:
        rows = conn.execute(
            "select license_plate, state_code, valuation_usd, valued_at from logistics.fleet_vehicles "
            "where is_in_fleet_register"
        ).fetchall()
    valued = [row for row in rows if row[1] in STATE_CODES]
    assert valued and len(valued) == counts["loaded"]
    for plate, state, value, valued_at in valued:
        expected = valuation(plate, state)
        assert float(value) == expected["valuation_usd"], plate
        assert valued_at.strftime("%Y-%m-%dT%H:%M:%SZ") == expected["valued_at"], plate

    assert api_key not in result.stdout + result.stderr
    assert not files_containing(data, api_key)
    assert not files_containing(ROOT / "meltano" / ".meltano" / "run", api_key)


def test_valuations_refresh_on_its_own(mock_vendor, api_key, tmp_path):
    """`data-stack valuations` (the second Airflow DAG): the vendor API alone, a run of its own in the ledger."""
    server = mock_vendor(rate_limit=50, seed=3)
    data = tmp_path / "data"
    env = dict(os.environ, DATA_DIR=str(data), DBT_TARGET="ci", MELTANO_ENVIRONMENT="ci")
    env.pop("VEHICLE_API_URL", None)
    assert _cli(env, "generate", "--scale", SCALE, "--days", DAYS).returncode == 0
    assert _cli(env, "ingest").returncode == 0  # the fleet register reaches bronze; no API configured

    skipped = _cli(env, "valuations", "--json")
    assert skipped.returncode == 0
    assert json.loads(skipped.stdout) == {
        "skipped": True,
        "reason": "VEHICLE_API_URL is not set: no valuations to refresh",
    }
    assert len(json.loads(_cli(env, "status", "--json").stdout)) == 1

    env |= {"VEHICLE_API_URL": server.url, "VEHICLE_API_KEY": api_key, "VEHICLE_API_REQUESTS_PER_SECOND": "20"}
    result = _cli(env, "valuations", "--run-id", "20261201T010000Z-valuations", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["status"] == "success" and list(summary["streams"]) == ["vehicles__valuations"]
    assert summary["streams"]["vehicles__valuations"]["loaded"] > 0
    run = json.loads(_cli(env, "status", "--json").stdout)[0]
    assert run["run_id"] == "20261201T010000Z-valuations" and run["command"] == "valuations"
    assert run["status"] == "success" and not run["published"] and list(run["stage_seconds"]) == ["valuations"]
    assert (data / "lake" / "audit" / "vehicle_api" / f"{run['run_id']}.jsonl").exists()
