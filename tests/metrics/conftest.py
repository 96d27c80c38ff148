"""A small, hand-built stack for the exporter: a ledger, a published warehouse, a lake with audit logs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from prometheus_client.parser import text_string_to_metric_families

from data_stack.ledger import Ledger, StreamCounts
from data_stack.metrics import exposition
from data_stack.settings import Settings


@dataclass
class Built:
    settings: Settings
    root: Path

    def samples(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """Every sample of a scrape, keyed by (name, sorted labels)."""
        text = exposition(self.settings).decode()
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }


def audit_line(run_id: str, at: str, outcome: str, **extra: object) -> str:
    return json.dumps({"at": at, "run_id": run_id, "vehicle_key": "k", "attempt": 1, "outcome": outcome, **extra})


@pytest.fixture
def built(tmp_path: Path, monkeypatch) -> Built:
    monkeypatch.delenv("SERVING_DB_URL", raising=False)
    settings = Settings(data_dir=tmp_path)
    ledger = Ledger(settings.ledger_db)
    # r1: an old success; r2: the published success; r3: a failed run (the newest finished); r4: waiting.
    for run_id, status, published in (("r1", "success", False), ("r2", "success", True), ("r3", "failed", False)):
        ledger.start(run_id, "run", 1)
        ledger.record_stage(run_id, "ingest", 2.5, "success")
        ledger.record_stage(run_id, "transform", 4.0, "success" if status == "success" else "failed")
        ledger.record_streams(run_id, {"orders__orders": StreamCounts(100, 90, 10)})
        ledger.record_files(
            run_id,
            [
                {"path": f"orders/orders_{run_id}.csv", "status": "ingested", "version": 2, "landed": 100},
                {"path": "orders/notes.txt", "status": "unrecognised"},
                {"path": "orders/orders_next.csv.part", "status": "waiting"},
            ],
        )
        if status == "success":
            ledger.record_quality(
                run_id,
                gate_passed=True,
                dbt_tests={"passed": 12, "failed": 0, "warned": 1},
                gx_expectations={"passed": 7, "failed": 0, "warned": 0},
                data_docs=None,
            )
        if published:
            ledger.mark_published(run_id)
        ledger.finish(run_id, status, error="boom" if status == "failed" else None)
    ledger.start("r4", "ingest", 1)
    ledger.finish("r4", "waiting")
    ledger.start("v1", "valuations", 1)
    ledger.record_streams("v1", {"vehicles__valuations": StreamCounts(5, 5, 0)})
    ledger.finish("v1", "success")

    settings.published_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.published_db)) as conn:
        conn.execute("create schema marketing; create schema staging")
        conn.execute(
            "create table marketing.orders as select * from (values "
            "(1, date '2026-03-30', timestamp '2026-03-30 10:00:00', timestamp '2026-12-01 02:00:00'), "
            "(2, date '2026-03-31', timestamp '2026-03-31 23:30:00', timestamp '2026-12-01 02:05:00')) "
            "as t(order_id, order_date, ordered_at, _loaded_at)"
        )
        conn.execute("create table marketing.revenue_daily as select date '2026-03-31' as order_date, 10.5 as revenue")
        conn.execute("create table staging.not_gold as select 1 as x")

    lake = Path(settings.lake)
    for zone, name, size in (
        ("bronze", "a/b/load_date=2026-12-01/r2-0.parquet", 1000),
        ("quarantine", "a/q.parquet", 10),
    ):
        (lake / zone / name).parent.mkdir(parents=True, exist_ok=True)
        (lake / zone / name).write_bytes(b"x" * size)
    audit = lake / "audit" / "vehicle_api"
    audit.mkdir(parents=True)
    (audit / "v0.jsonl").write_text(  # an old log, from before `circuit_opened` existed, and the breaker tripped
        audit_line("v0", "2026-11-01T00:00:00Z", "server_error") + "\n"
    )
    (audit / "v1.jsonl").write_text(
        "\n".join(
            [
                audit_line("v1", "2026-12-01T01:00:00Z", "ok", circuit_opened=False),
                audit_line("v1", "2026-12-01T01:00:01Z", "rate_limited", circuit_opened=False),
                audit_line("v1", "2026-12-01T01:00:02Z", "ok", circuit_opened=False),
            ]
        )
        + "\n"
    )
    return Built(settings, tmp_path)
