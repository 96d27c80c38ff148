"""The pipeline DAG run in-process (`dag.test()`) on tiny generated data, against `data-stack run` on the same files.

- its published marts equal those of `data-stack run` (a task that crashed after doing its work is retried and
  gives the same result);
- a quality-gate failure fails the DAG run at once, without a retry, and leaves current.duckdb unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from .conftest import CLI

FAULTY_CLI = Path(__file__).with_name("faulty_cli.py")


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATA_DIR=str(data_dir))
    result = subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _gold(path: Path) -> dict[str, list[tuple]]:
    """Every gold table's rows without lineage columns (`_loaded_at`, `_run_id` differ between any two runs)."""
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' "
            "and table_schema in ('marketing', 'product', 'logistics') order by all"
        ).fetchall()
        content = {}
        for schema, name in tables:
            columns = [c for c, *_ in conn.execute(f'describe "{schema}"."{name}"').fetchall() if c[0] != "_"]
            quoted = ", ".join(f'"{column}"' for column in columns)
            rows = conn.execute(f'select {quoted} from "{schema}"."{name}"').fetchall()
            content[f"{schema}.{name}"] = sorted(rows, key=repr)
        return content


def _run_dag(dagbag, monkeypatch, data_dir: Path, fault: str = ""):
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("DATA_STACK_CLI", f"{sys.executable.rsplit('/', 1)[0]}/faulty-data-stack")
    monkeypatch.setenv("REAL_DATA_STACK_CLI", str(CLI))
    monkeypatch.setenv("FAULT", fault)
    monkeypatch.delenv("SERVING_DB_URL", raising=False)
    monkeypatch.delenv("VEHICLE_API_URL", raising=False)
    dag = dagbag.dags["northwind_pipeline"]
    for task in dag.tasks:
        task.retry_delay = timedelta(seconds=1)  # the DAG's 30 s, shortened for the test
    dag_run = dag.test()
    return dag_run, {ti.task_id: ti for ti in dag_run.get_task_instances()}


@pytest.fixture(scope="module")
def faulty_cli_on_path():
    """The fault-injecting CLI as an executable beside this interpreter."""
    target = Path(sys.executable).parent / "faulty-data-stack"
    target.write_text(f"#!{sys.executable}\nimport runpy\nrunpy.run_path({str(FAULTY_CLI)!r}, run_name='__main__')\n")
    target.chmod(0o755)
    yield target
    target.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("landing-source")
    _cli(root, "generate", "--scale", "0.03", "--days", "6", "--defect-rate", "0.02")
    return root / "landing"


@pytest.fixture(scope="module")
def reference(tmp_path_factory, landing) -> Path:
    """`data-stack run` on a copy of the landing files."""
    root = tmp_path_factory.mktemp("reference")
    shutil.copytree(landing, root / "landing")
    _cli(root, "run")
    return root / "warehouse" / "current.duckdb"


@pytest.fixture(scope="module")
def dag_root(tmp_path_factory, landing) -> Path:
    root = tmp_path_factory.mktemp("dag")
    shutil.copytree(landing, root / "landing")
    return root


def test_dag_run_publishes_the_same_marts_as_data_stack_run_with_a_retried_task(
    dagbag, metadata_db, faulty_cli_on_path, monkeypatch, dag_root, reference
):
    dag_run, tasks = _run_dag(dagbag, monkeypatch, dag_root, fault="transform-crash-once")
    assert dag_run.state == "success"
    assert {name: ti.state for name, ti in tasks.items()} == dict.fromkeys(
        ["ingest", "transform", "check", "publish", "serve"], "success"
    )
    assert tasks["transform"].try_number == 2  # crashed once after its work, retried, same run id
    assert tasks["ingest"].try_number == 1
    assert _gold(dag_root / "warehouse" / "current.duckdb") == _gold(reference)

    (run,) = json.loads(_cli(dag_root, "status", "--json").stdout)
    assert run["status"] == "success" and run["published"] and run["gate_passed"]
    assert set(run["stage_seconds"]) == {"ingest", "transform", "check", "publish"}
    assert run["run_id"].endswith(tasks["ingest"].xcom_pull(task_ids="ingest")["run_id"][-8:])
    streams = run["streams"]
    assert streams and all(c["landed"] == c["loaded"] + c["quarantined"] for c in streams.values())


def test_gate_failure_fails_the_dag_run_without_retry_and_keeps_current(
    dagbag, metadata_db, faulty_cli_on_path, monkeypatch, dag_root
):
    current = dag_root / "warehouse" / "current.duckdb"
    assert current.exists(), "runs after the successful DAG run"
    before = hashlib.sha256(current.read_bytes()).hexdigest()
    dag_run, tasks = _run_dag(dagbag, monkeypatch, dag_root, fault="break-build-before-check")
    assert dag_run.state == "failed"
    assert tasks["check"].state == "failed" and tasks["check"].try_number == 1  # exit 4: no retry
    assert tasks["publish"].state == "upstream_failed" and tasks["serve"].state == "upstream_failed"
    assert hashlib.sha256(current.read_bytes()).hexdigest() == before
    latest = json.loads(_cli(dag_root, "status", "--json").stdout)[0]
    assert latest["status"] == "failed" and latest["gate_passed"] is False and not latest["published"]
