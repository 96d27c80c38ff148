"""What `data-stack metrics` exposes, checked against the ledger, warehouse and lake it was built from."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from data_stack.ledger import Ledger
from tests.tools import require_command

from .conftest import audit_line


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def test_runs_last_run_and_quality_come_from_the_ledger(built):
    samples = built.samples()
    assert samples[("data_stack_runs_total", (("status", "success"),))] == 2  # valuations runs are not counted
    assert samples[("data_stack_runs_total", (("status", "failed"),))] == 1
    assert samples[("data_stack_runs_in_progress", (("status", "waiting"),))] == 1
    assert samples[("data_stack_runs_in_progress", (("status", "running"),))] == 0
    assert samples[("data_stack_last_run_success", ())] == 0  # r3 failed last
    assert samples[("data_stack_last_run_noop", ())] == 0
    assert samples[("data_stack_last_run_stage_duration_seconds", (("stage", "transform"),))] == 4.0
    assert samples[("data_stack_last_success_timestamp_seconds", ())] > 0
    assert samples[("data_stack_last_run_gate_passed", ())] == 1  # r2's gate: r3 never reached it
    assert samples[("data_stack_last_run_dbt_tests", (("result", "warned"),))] == 1
    assert samples[("data_stack_last_run_gx_expectations", (("result", "passed"),))] == 7
    rows = {"kind": "quarantined", "stream": "orders__orders"}
    assert samples[("data_stack_last_run_rows", tuple(sorted(rows.items())))] == 10
    assert samples[("data_stack_rows_total", tuple(sorted(rows.items())))] == 30  # r1 + r2 + r3
    assert samples[("data_stack_last_run_landing_files", (("status", "unrecognised"),))] == 1
    assert samples[("data_stack_last_run_landing_files", (("status", "quarantined"),))] == 0
    assert samples[("data_stack_last_run_redelivered_files", ())] == 1
    valuations = (("kind", "loaded"), ("stream", "vehicles__valuations"))
    assert samples[("data_stack_rows_total", valuations)] == 5


def test_a_run_with_nothing_new_keeps_the_stage_durations_of_the_last_run_that_worked(built):
    ledger = Ledger(built.settings.ledger_db)
    ledger.start("r5", "run", 1)
    ledger.record_note("r5", "nothing new since run r2 (landing files, models and settings unchanged): no stage ran")
    ledger.finish("r5", "success")
    samples = built.samples()
    assert samples[("data_stack_last_run_success", ())] == 1
    assert samples[("data_stack_last_run_noop", ())] == 1
    stages = {labels: value for (name, labels), value in samples.items() if name.endswith("stage_duration_seconds")}
    assert stages == {(("stage", "ingest"),): 2.5, (("stage", "transform"),): 4.0}  # r3's, the newest that ran

    ledger.start("r6", "run", 1)
    ledger.finish("r6", "failed", error="another run holds the lock")  # failed before its first stage
    samples = built.samples()
    assert samples[("data_stack_last_run_success", ())] == 0
    assert samples[("data_stack_last_run_noop", ())] == 0
    assert samples[("data_stack_last_run_stage_duration_seconds", (("stage", "transform"),))] == 4.0


def test_data_products_freshness_and_the_published_snapshot(built):
    samples = built.samples()
    orders = (("product", "marketing.orders"),)
    revenue = (("product", "marketing.revenue_daily"),)
    assert samples[("data_stack_data_product_rows", orders)] == 2
    assert samples[("data_stack_data_product_newest_record_timestamp_seconds", orders)] == _ts("2026-03-31T23:30:00")
    assert samples[("data_stack_data_product_refreshed_timestamp_seconds", orders)] == _ts("2026-12-01T02:05:00")
    published = samples[("data_stack_published_timestamp_seconds", ())]
    assert abs(published - built.settings.published_db.stat().st_ctime) < 1
    assert samples[("data_stack_data_product_refreshed_timestamp_seconds", revenue)] == published  # no _loaded_at
    assert not [key for key in samples if ("product", "staging.not_gold") in key[1]]
    assert samples[("data_stack_published_run_started_timestamp_seconds", ())] > 0


def test_lake_zones_and_the_vendor_api_audit(built):
    samples = built.samples()
    assert samples[("data_stack_lake_files", (("zone", "bronze"),))] == 1
    assert samples[("data_stack_lake_bytes", (("zone", "bronze"),))] == 1000
    assert samples[("data_stack_lake_bytes", (("zone", "quarantine"),))] == 10
    assert samples[("data_stack_lake_files", (("zone", "audit"),))] == 2
    assert samples[("data_stack_vendor_api_requests_total", (("outcome", "ok"),))] == 2
    assert samples[("data_stack_vendor_api_requests_total", (("outcome", "server_error"),))] == 1
    assert samples[("data_stack_vendor_api_requests_total", (("outcome", "key_rejected"),))] == 0
    assert samples[("data_stack_vendor_api_circuit_breaker_trips_total", ())] == 0
    assert samples[("data_stack_vendor_api_circuit_open", ())] == 0

    tripped = Path(built.settings.lake) / "audit" / "vehicle_api" / "v2.jsonl"
    tripped.write_text(audit_line("v2", "2026-12-02T01:00:00Z", "server_error", circuit_opened=True) + "\n")
    samples = built.samples()
    assert samples[("data_stack_vendor_api_circuit_breaker_trips_total", ())] == 1
    assert samples[("data_stack_vendor_api_circuit_open", ())] == 1


def test_every_source_up_and_no_run_id_labels(built):
    samples = built.samples()
    for source in ("ledger", "warehouse", "lake", "vendor_api"):
        assert samples[("data_stack_source_up", (("source", source),))] == 1, source
    assert ("data_stack_source_up", (("source", "serving"),)) not in samples  # SERVING_DB_URL is not set
    for name, labels in samples:
        assert name.startswith("data_stack_"), name
        assert not {label for label, _ in labels} & {"run_id", "run"}, name


def test_an_unreachable_serving_database_is_reported_not_fatal(built, monkeypatch):
    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    built.settings.serving_db_url = f"postgresql://nobody@127.0.0.1:{closed_port}/serving"
    samples = built.samples()
    assert samples[("data_stack_source_up", (("source", "serving"),))] == 0
    assert samples[("data_stack_serving_up", ())] == 0
    assert samples[("data_stack_runs_total", (("status", "success"),))] == 2  # the other sources still answer


def test_a_fresh_install_has_no_data_yet(tmp_path, monkeypatch):
    from data_stack.metrics import exposition
    from data_stack.settings import Settings

    text = exposition(Settings(data_dir=tmp_path)).decode()
    assert 'data_stack_runs_total{status="success"} 0.0' in text
    assert "data_stack_last_run_success" not in text and "data_stack_published_timestamp_seconds" not in text
    assert 'data_stack_source_up{source="ledger"} 1.0' in text


def test_promtool_finds_the_exposition_clean(built):
    promtool = require_command("promtool", "`make test` installs it (scripts/install-prometheus.sh)")
    from data_stack.metrics import exposition

    result = subprocess.run(
        [promtool, "check", "metrics"], input=exposition(built.settings), capture_output=True, timeout=60
    )
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), result


def test_the_command_serves_metrics_on_loopback(built):
    cli = str(Path(sys.executable).parent / "data-stack")
    env = dict(os.environ, DATA_DIR=str(built.root))
    proc = subprocess.Popen([cli, "metrics", "--port", "0"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline, port = time.monotonic() + 30, None
        assert proc.stderr is not None
        text = ""
        while port is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            text += line
            if match := re.search(r"http://127\.0\.0\.1:(\d+)/metrics", text.replace("\n", "")):
                port = int(match[1])
        assert port, text
        response = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
        assert response.ok and 'data_stack_runs_total{status="failed"} 1.0' in response.text
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
