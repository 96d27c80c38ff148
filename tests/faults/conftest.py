"""The fault rehearsal's ground: a data folder with one published run and one more day landed, the result a run
without faults publishes from it (the reference), and a fresh copy of that ground for every fault.

After each fault the same invariants hold (`assert_recovered`): readers saw the published file unchanged, the next
run succeeded without manual cleanup, and what it published, and every row in the lake, equals the reference.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest
from duckdb_s3 import enable_s3

from data_stack.generate import generate
from tests.e2e.conftest import content

CLI = str(Path(sys.executable).parent / "data-stack")
SCALE, DAYS = 0.01, 4
EXTRA_DAY = date(2026, 1, 5)  # the day after the first run's four


@dataclass
class Ground:
    root: Path
    extra_env: dict[str, str] | None = None

    @property
    def env(self) -> dict[str, str]:
        base = dict(os.environ, DATA_DIR=str(self.root), DBT_TARGET="ci", MELTANO_ENVIRONMENT="ci")
        base.pop("LANDING_URI", None)
        base.pop("LAKE_URI", None)
        return base | (self.extra_env or {})

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def current(self) -> Path:
        return self.warehouse / "current.duckdb"

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen:
        """A run in a process group of its own, as Airflow, a container or a shell job starts it."""
        return subprocess.Popen(
            [CLI, *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    def runs(self) -> list[dict]:
        result = self.cli("status", "--json", "--limit", "100")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


def kill_group(proc: subprocess.Popen) -> bool:
    """SIGKILL the whole process group (the CLI, Meltano, tap, target, dbt); False when it had already ended."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        proc.communicate()
        return False
    proc.communicate()
    return True


def wait_for(condition, timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def file_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def lake_rows(lake: str, s3: dict[str, str] | None = None) -> dict[str, int]:
    """Rows per bronze and quarantine stream folder: a record loaded twice or lost shows here."""
    conn = duckdb.connect()
    if s3:
        enable_s3(conn, env=s3)
    rows = conn.execute(
        f"select parse_dirpath(filename), count(*) from read_parquet('{lake}/*/*/*/*/*.parquet', "
        "union_by_name = true, filename = true, hive_partitioning = false) group by all"
    ).fetchall()
    counts: dict[str, int] = {}
    for folder, count in rows:
        stream = "/".join(folder.replace(lake, "").strip("/").split("/")[:3])  # zone/source/stream
        counts[stream] = counts.get(stream, 0) + count
    return counts


def meltano_jobs_running(ground: Ground) -> int:
    db = ground.warehouse / "meltano.db"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from runs where state = 'RUNNING'").fetchone()[0]


@dataclass(frozen=True)
class Reference:
    content: dict[str, list[tuple]]
    lake_rows: dict[str, int]


@pytest.fixture(scope="session")
def ground_template(tmp_path_factory) -> Path:
    """One published run over four days, and a fifth day landed since."""
    root = tmp_path_factory.mktemp("ground")
    generate(root / "landing", scale=SCALE, days=DAYS, defect_rate=0.02)
    ground = Ground(root)
    first = ground.cli("run")
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    generate(root / "landing", scale=SCALE, days=1, start_date=EXTRA_DAY, defect_rate=0.02)
    return root


@pytest.fixture(scope="session")
def reference(ground_template, tmp_path_factory) -> Reference:
    """What a run without faults publishes from the ground."""
    ground = copy_ground(ground_template, tmp_path_factory.mktemp("reference"))
    result = ground.cli("run")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return Reference(content(ground.current), lake_rows(str(ground.root / "lake")))


def copy_ground(template: Path, target: Path) -> Ground:
    shutil.copytree(template, target, symlinks=True, dirs_exist_ok=True)
    return Ground(target)


@pytest.fixture
def ground(ground_template, tmp_path) -> Ground:
    return copy_ground(ground_template, tmp_path / "data")


def assert_recovered(ground: Ground, reference: Reference, published_before: str | None, lake: str | None = None):
    """After a fault: the published file was untouched (or replaced whole by a run that passed its gate), the next
    run succeeds at once, and the result equals the reference, row for row, in the marts and in the lake."""
    after_fault = file_hash(ground.current)
    if after_fault != published_before:
        assert content(ground.current) == reference.content, "the published file changed, but not into a whole run"
    result = ground.cli("run", timeout=900)
    assert result.returncode == 0, f"the run after the fault failed:\n{result.stderr[-3000:]}"
    assert content(ground.current) == reference.content
    s3 = ground.extra_env if lake else None
    assert lake_rows(lake or str(ground.root / "lake"), s3) == reference.lake_rows, "a record was lost or loaded twice"
    runs = ground.runs()
    assert runs[0]["status"] == "success"
    assert all(run["status"] in ("success", "failed") for run in runs), "a run was left running or waiting"
    assert meltano_jobs_running(ground) == 0
    assert not list((ground.warehouse / "build").glob("*.duckdb*")), "a build file was left behind"
    return result
