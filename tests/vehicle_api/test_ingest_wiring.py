"""The ingest stage runs the API job only when VEHICLE_API_URL is set, and accounts for a stream without files."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import duckdb
import pytest

from data_stack.diagnose import cause_in_log
from data_stack.errors import StageFailed
from data_stack.ingest import count_run_rows
from data_stack.ingest import meltano as ingest_meltano
from data_stack.proc import ProcResult
from data_stack.settings import Settings


@pytest.fixture
def jobs(monkeypatch, tmp_path) -> list[tuple[list[str], dict[str, str]]]:
    """Meltano invocations the stage would make (the tool is not run)."""
    calls: list[tuple[list[str], dict[str, str]]] = []

    def fake_run_tool(cmd, *, cwd, env, label, log_file):
        calls.append((cmd, env))
        return ProcResult(0, [], log_file)

    monkeypatch.setattr(ingest_meltano, "run_tool", fake_run_tool)
    monkeypatch.chdir(tmp_path)  # no developer .env
    for name in ("VEHICLE_API_URL", "VEHICLE_API_KEY", "VEHICLE_API_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_without_vehicle_api_url_only_the_landing_job_runs(jobs, tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="data_stack"):
        ingest_meltano.run_meltano(Settings(data_dir=tmp_path), "run-1")
    assert [cmd[-3:] for cmd, _ in jobs] == [["run", "tap-landing", "target-lake"]]
    assert "VEHICLE_API_URL is not set; skipping the vehicle valuation API" in caplog.text


def test_with_vehicle_api_url_the_api_job_runs_after_landing(jobs, tmp_path, monkeypatch):
    monkeypatch.setenv("VEHICLE_API_URL", "http://127.0.0.1:8765")
    monkeypatch.setenv("VEHICLE_API_KEY", "k-123")
    monkeypatch.setenv("VEHICLE_API_MAX_RETRIES", "7")
    ingest_meltano.run_meltano(Settings(data_dir=tmp_path), "run-1")
    assert [cmd[-3:] for cmd, _ in jobs] == [
        ["run", "tap-landing", "target-lake"],
        ["run", "tap-vehicle-values", "target-lake"],
    ]
    env = jobs[1][1]
    assert env["VEHICLE_API_URL"] == "http://127.0.0.1:8765" and env["VEHICLE_API_KEY"] == "k-123"
    assert env["TAP_VEHICLE_VALUES_MAX_RETRIES"] == "7" and env["RUN_ID"] == "run-1"
    assert "TAP_VEHICLE_VALUES_CACHE_TTL_HOURS" not in env  # unset: the tap's default


def test_vehicle_api_url_from_dotenv(jobs, tmp_path):
    Path(".env").write_text("VEHICLE_API_URL=http://vendor.example\nVEHICLE_API_KEY=k-456\n")
    ingest_meltano.run_meltano(Settings(data_dir=tmp_path), "run-1")
    assert len(jobs) == 2 and jobs[1][1]["VEHICLE_API_KEY"] == "k-456"


def test_settings_errors_stop_the_stage_before_any_job(jobs, tmp_path, monkeypatch):
    monkeypatch.setenv("VEHICLE_API_URL", "http://127.0.0.1:8765")
    with pytest.raises(StageFailed, match="VEHICLE_API_KEY is not"):
        ingest_meltano.run_meltano(Settings(data_dir=tmp_path), "run-1")
    monkeypatch.setenv("VEHICLE_API_KEY", "k-123")
    monkeypatch.setenv("VEHICLE_API_MAX_RETRIES", "many")
    with pytest.raises(StageFailed, match="Invalid VEHICLE_API_MAX_RETRIES"):
        ingest_meltano.run_meltano(Settings(data_dir=tmp_path), "run-1")
    assert not jobs


def test_plugin_error_line_is_the_stage_reason(tmp_path):
    log_file = tmp_path / "meltano.log"
    log_file.write_text(
        "2026-01-01T00:00:00Z [info ] tap-vehicle-values: error: circuit breaker open after 5 consecutive failed "
        "requests (last: HTTP 503). Run again later cmd_type=elb consumer=False name=tap-vehicle-values\n"
        "2026-01-01T00:00:01Z [error ] Extractor failed\n"
    )
    cause = cause_in_log(log_file, Settings(data_dir=tmp_path))
    assert cause is not None and cause.reason == (
        "tap-vehicle-values: error: circuit breaker open after 5 consecutive failed requests (last: HTTP 503). "
        "Run again later"
    )


def test_accounting_uses_loaded_plus_quarantined_for_a_stream_without_files(tmp_path):
    settings = Settings(data_dir=tmp_path)
    lake = Path(settings.lake)
    states = {
        "dev:tap-landing-to-target-lake": {
            "fleet__vehicles": {"files": {"fleet/v.csv": {"landed": 3, "run_id": "run-1"}}}
        },
        "dev:tap-vehicle-values-to-target-lake": {"_quarantine": {}, "vehicles__valuations": {}},
    }
    for folder, bookmarks in states.items():
        (lake / "_state" / folder).mkdir(parents=True)
        document = {"completed": {"singer_state": {"bookmarks": bookmarks}}}
        (lake / "_state" / folder / "state.json").write_text(json.dumps(document))
    for zone, stream, rows in (
        ("bronze", "fleet/vehicles", 2),  # one row short of the 3 landed: must show
        ("bronze", "vehicles/valuations", 4),
        ("quarantine", "vehicles/valuations", 1),
    ):
        folder = lake / zone / stream / "load_date=2026-01-01"
        folder.mkdir(parents=True)
        duckdb.execute(f"copy (select range as n from range({rows})) to '{folder / 'run-1-1.parquet'}'")
    counts = count_run_rows(settings, "run-1")
    assert (counts["fleet__vehicles"].landed, counts["fleet__vehicles"].loaded) == (3, 2)
    valuations = counts["vehicles__valuations"]
    assert (valuations.landed, valuations.loaded, valuations.quarantined) == (5, 4, 1)
