"""Meltano jobs left `RUNNING` by a killed run.

Meltano refuses to start a job while its system database says the same job (state id) is running, and treats such a
job as stale only after five minutes without a heartbeat. A run killed with its process group (an Airflow task
timeout, the OOM killer, a container restart) leaves exactly that row behind, and every run for the next five minutes
failed. The stack's run lock already guarantees one ingest at a time per warehouse, so a job still marked running
while we hold that lock belongs to a dead process: it is marked failed, and the run says so.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from data_stack.log import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class StaleJob:
    state_id: str
    started_at: str
    meltano_run_id: str

    def note(self) -> str:
        return (
            f"cleared a stale Meltano job {self.state_id} (started {self.started_at} UTC by a run that was killed); "
            "the run lock showed no other run"
        )


def clear_stale_jobs(meltano_db: Path, state_id: str, cleared_by: str) -> list[StaleJob]:
    """Mark the job's `RUNNING` rows failed. Call only while holding the run lock."""
    if not meltano_db.exists():
        return []
    conn = sqlite3.connect(meltano_db, timeout=30)
    try:
        with conn:
            if not conn.execute("select 1 from sqlite_master where type = 'table' and name = 'runs'").fetchone():
                return []
            rows = conn.execute(
                "select id, started_at, run_id, payload from runs where job_name = ? and state = 'RUNNING'",
                (state_id,),
            ).fetchall()
            now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
            stale = []
            for row_id, started_at, meltano_run_id, payload in rows:
                conn.execute(
                    "update runs set state = 'FAIL', ended_at = ?, payload = ? where id = ?",
                    (now, _failed_payload(payload, cleared_by), row_id),
                )
                stale.append(StaleJob(state_id, str(started_at)[:19], str(meltano_run_id or "")))
    finally:
        conn.close()
    for job in stale:
        log.warning("ingest: %s", job.note())
    return stale


def _failed_payload(payload: str | None, cleared_by: str) -> str:
    """Meltano keeps a failed job's error in its payload; the partial state stays as the job left it."""
    try:
        data = json.loads(payload) if payload else {}
    except json.JSONDecodeError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    data["error"] = f"stale: its process was killed; cleared by data-stack run {cleared_by}"
    return json.dumps(data)
