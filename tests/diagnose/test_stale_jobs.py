"""A Meltano job left running by a killed run is cleared under the run lock, in the system database Meltano itself
created (the pinned Meltano's own schema, not a copy of it)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from data_stack.ingest.stale_jobs import clear_stale_jobs
from data_stack.settings import Settings

MELTANO = Path(sys.executable).parent / "meltano"


@pytest.fixture(scope="module")
def meltano_db(tmp_path_factory) -> Path:
    """Meltano's system database, migrated by Meltano."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    settings.warehouse.mkdir(parents=True)
    env = settings.stage_env() | {"MELTANO_SYS_DIR_ROOT": str(settings.warehouse / "sys")}
    subprocess.run([str(MELTANO), "state", "list"], cwd=settings.meltano_dir, env=env, check=True, capture_output=True)
    return settings.meltano_db


def _insert(db: Path, job: str, state: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "insert into runs (job_name, state, started_at, last_heartbeat_at, payload, payload_flags, run_id, "
            "trigger) values (?, ?, '2026-12-07 13:54:25.636189', '2026-12-07 13:54:30', '{}', 0, "
            "'01a250c8d6aa7c63ae6d862570c6d37f', 'cli')",
            (job, state),
        )


def test_only_the_jobs_running_state_rows_are_failed(meltano_db):
    job = "dev:tap-landing-to-target-lake"
    _insert(meltano_db, job, "RUNNING")
    _insert(meltano_db, job, "SUCCESS")
    _insert(meltano_db, "dev:tap-vehicle-values-to-target-lake", "RUNNING")
    cleared = clear_stale_jobs(meltano_db, job, cleared_by="20261207T140224Z-1192")
    assert [item.started_at for item in cleared] == ["2026-12-07 13:54:25"]
    assert "cleared a stale Meltano job dev:tap-landing-to-target-lake" in cleared[0].note()
    with sqlite3.connect(meltano_db) as conn:
        states = conn.execute("select job_name, state, ended_at is not null, payload from runs order by id").fetchall()
    assert states[0][:3] == (job, "FAIL", 1) and "20261207T140224Z-1192" in states[0][3]
    assert states[1][:2] == (job, "SUCCESS")
    assert states[2][:2] == ("dev:tap-vehicle-values-to-target-lake", "RUNNING")  # another job: not ours to clear
    assert clear_stale_jobs(meltano_db, job, cleared_by="again") == []


def test_no_system_database_yet_is_nothing_to_clear(tmp_path):
    assert clear_stale_jobs(tmp_path / "meltano.db", "dev:x-to-y", cleared_by="r") == []
