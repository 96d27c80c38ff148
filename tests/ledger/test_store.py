from __future__ import annotations

import json

from data_stack.ledger import Ledger, StreamCounts
from data_stack.ledger.store import dumps


def test_records_a_run_with_stages_streams_and_quality(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ledger.start("r1", "run", pid=1)
    ledger.record_stage("r1", "ingest", 1.234, "success")
    ledger.record_streams("r1", {"orders__orders": StreamCounts(10, 9, 1)})
    ledger.record_quality(
        "r1",
        gate_passed=True,
        dbt_tests={"passed": 5, "failed": 0, "warned": 1},
        gx_expectations={"passed": 7, "failed": 0, "warned": 0},
        data_docs="/x/index.html",
    )
    ledger.finish("r1", "success")

    (run,) = ledger.runs()
    assert run.status == "success"
    assert run.finished_at is not None
    assert run.stage_seconds == {"ingest": 1.234}
    assert run.streams["orders__orders"] == StreamCounts(10, 9, 1)
    assert run.dbt_tests == {"passed": 5, "failed": 0, "warned": 1}
    assert run.gx_expectations["passed"] == 7
    assert run.gate_passed is True


def test_json_has_the_documented_field_names_newest_first(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ledger.start("20260101T000000Z-aaaa", "run", pid=1)
    ledger.start("20260102T000000Z-bbbb", "run", pid=1)
    data = json.loads(dumps(ledger.runs()))
    assert [run["run_id"] for run in data] == ["20260102T000000Z-bbbb", "20260101T000000Z-aaaa"]
    for key in (
        "run_id",
        "status",
        "started_at",
        "finished_at",
        "stage_seconds",
        "streams",
        "dbt_tests",
        "gx_expectations",
    ):
        assert key in data[0]


def test_interrupted_runs_are_marked_failed(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ledger.start("r1", "run", pid=1)
    assert ledger.fail_interrupted() == ["r1"]
    run = ledger.get("r1")
    assert run.status == "failed"
    assert "interrupted" in run.error


def test_waiting_runs_are_not_interrupted_ones(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ledger.start("r1", "ingest", 1)
    ledger.finish("r1", "waiting")
    assert ledger.get("r1").status == "waiting"
    assert ledger.fail_interrupted() == []  # no process died holding it: the next stage's command resumes it
