"""Every DAG imports cleanly and is wired the way the stack needs: tags, retries with backoff, timeouts, the writer
pool, no catch-up, one run at a time, and nothing heavy at import time."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import timedelta

from .conftest import DAGS

PIPELINE_STAGES = ["ingest", "transform", "check", "publish", "serve"]


def test_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == {"northwind_pipeline", "northwind_vehicle_valuations"}


def test_every_dag_is_tagged_scheduled_and_not_catching_up(dagbag):
    for dag in dagbag.dags.values():
        assert dag.tags, dag.dag_id
        assert dag.catchup is False, dag.dag_id
        assert dag.max_active_runs == 1, dag.dag_id
        assert type(dag.timetable).__name__ == "CronTriggerTimetable", dag.dag_id  # a cron schedule
        assert dag.doc_md, dag.dag_id


def test_every_task_retries_with_backoff_has_a_timeout_and_takes_the_writer_pool(dagbag):
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            name = f"{dag.dag_id}.{task.task_id}"
            assert task.retries >= 1, name
            assert task.retry_exponential_backoff > 1, name
            assert task.max_retry_delay is not None, name
            assert task.execution_timeout is not None and task.execution_timeout <= timedelta(hours=2), name
            assert task.pool == "duckdb_writer", name


def test_pipeline_runs_one_task_per_stage_in_order(dagbag):
    dag = dagbag.dags["northwind_pipeline"]
    assert [task.task_id for task in dag.topological_sort()] == PIPELINE_STAGES
    for upstream, downstream in itertools.pairwise(PIPELINE_STAGES):
        assert dag.get_task(downstream).upstream_task_ids == {upstream}


def test_publish_updates_the_published_warehouse_asset(dagbag):
    dag = dagbag.dags["northwind_pipeline"]
    (asset,) = dag.get_task("publish").outlets
    assert asset.name == "northwind_published_warehouse"
    assert asset.uri.startswith("file:///") and asset.uri.endswith("/current.duckdb")
    assert all(not dag.get_task(name).outlets for name in PIPELINE_STAGES if name != "publish")


def test_dag_files_import_nothing_heavy():
    """Parsing must stay cheap: no project package, DuckDB, dbt or subprocess work at import time."""
    code = (
        "import sys; sys.path.append(sys.argv[1]); import runpy\n"
        "for name in ('northwind_pipeline', 'northwind_vehicle_valuations'):\n"
        "    runpy.run_path(f'{sys.argv[1]}/{name}.py')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('data_stack', 'duckdb', 'dbt', 'pandas', "
        "'meltano', 'great_expectations', 'northwind_tasks.cli'))\n"
        "print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(DAGS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
