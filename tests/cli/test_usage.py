"""What a script or a person sees: usage errors, the 80-column status table, JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from data_stack.ledger import Ledger, StreamCounts

CLI = str(Path(sys.executable).parent / "data-stack")


def _run(args, tmp_path, **env):
    environ = dict(os.environ, DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run([CLI, *args], env=environ, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyse"], "No such command 'analyse'"),
        (["run", "--bogus"], "No such option: --bogus"),
        (["status", "--limit", "many"], "Invalid value for '--limit'"),
    ],
)
def test_a_mistyped_command_or_option_prints_usage_and_exits_2(tmp_path, args, message):
    result = _run(args, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("Usage: data-stack")
    assert message in result.stderr
    assert "unexpected" not in result.stderr and "--debug" not in result.stderr
    assert "Traceback" not in result.stderr


def _ledger(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "data" / "warehouse" / "ledger.sqlite")
    ledger.start("20261201T101010Z-abcd", "run", 1)
    for stage, seconds in (("ingest", 612.4), ("transform", 1830.2), ("check", 401.0), ("publish", 0.2)):
        ledger.record_stage("20261201T101010Z-abcd", stage, seconds, "success")
    ledger.record_streams(
        "20261201T101010Z-abcd",
        {"orders__order_items": StreamCounts(12_345_678, 12_300_000, 45_678), "events": StreamCounts(9, 9, 0)},
    )
    ledger.record_quality(
        "20261201T101010Z-abcd",
        gate_passed=True,
        dbt_tests={"passed": 1234, "failed": 12, "warned": 5},
        gx_expectations={"passed": 712, "failed": 3},
        data_docs=None,
    )
    ledger.mark_published("20261201T101010Z-abcd")
    ledger.finish("20261201T101010Z-abcd", "success")
    ledger.start("20261201T111111Z-ef01", "transform", 2)
    ledger.record_stage("20261201T111111Z-ef01", "transform", 3.0, "failed")
    ledger.finish("20261201T111111Z-ef01", "failed", error="dbt build failed (orders). See the dbt log")


def test_status_fits_80_columns_without_cutting_values(tmp_path):
    _ledger(tmp_path)
    result = _run(["status"], tmp_path, COLUMNS="80")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, result.stdout
    assert "…" not in result.stdout
    row = next(line for line in lines if line.startswith("20261201T101010Z-abcd"))
    assert row.split() == ["20261201T101010Z-abcd", "success", "2844", "12,300,009", "45,678", "1234/12/5", "712/3"]
    assert "20261201T111111Z-ef01: dbt build failed (orders). See the dbt log" in result.stdout


def test_status_json_has_every_documented_field(tmp_path):
    _ledger(tmp_path)
    runs = json.loads(_run(["status", "--json"], tmp_path).stdout)
    assert [run["run_id"] for run in runs] == ["20261201T111111Z-ef01", "20261201T101010Z-abcd"]
    assert set(runs[1]) >= {
        "run_id",
        "status",
        "started_at",
        "finished_at",
        "stage_seconds",
        "streams",
        "dbt_tests",
        "gx_expectations",
        "gate_passed",
        "published",
        "command",
        "error",
        "data_docs",
        "schema_drift",
        "files",
    }  # fmt: skip (docs/agents.md lists these)
    assert runs[1]["streams"]["events"] == {"landed": 9, "loaded": 9, "quarantined": 0}
    assert runs[0]["error"].startswith("dbt build failed")


def test_generate_json(tmp_path):
    result = _run(["generate", "--scale", "0.002", "--days", "2", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["landing"] == str(tmp_path / "data" / "landing")
    assert report["rows"] and all(isinstance(count, int) for count in report["rows"].values())
    assert isinstance(report["defects"], dict)
    again = json.loads(_run(["generate", "--if-empty", "--json"], tmp_path).stdout)
    assert again["skipped"] is True
