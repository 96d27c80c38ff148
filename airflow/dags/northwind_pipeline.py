"""Northwind pipeline, daily: ingest → transform → check → publish → serve.

One task per stage, each calling the `data-stack` CLI for the run id every task of this DAG run shares, so a retried
task redoes its own stage of the same run. All tasks take the one-slot `duckdb_writer` pool: DuckDB has one writer
(ADR 0010). `publish` updates the `northwind_published_warehouse` Asset: schedule downstream work on it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import dag, task
from northwind_tasks.settings import DEFAULT_ARGS, PUBLISHED_WAREHOUSE, TIMEOUTS, WRITER_POOL


@dag(
    dag_id="northwind_pipeline",
    schedule="0 2 * * *",  # after the nightly exports land
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["northwind", "pipeline"],
    doc_md=__doc__,
)
def northwind_pipeline() -> None:
    @task(pool=WRITER_POOL, execution_timeout=TIMEOUTS["ingest"])
    def ingest() -> dict:
        """New landing files (and vendor valuations, when configured) into bronze Parquet."""
        from northwind_tasks.cli import run_stage

        return run_stage("ingest")

    @task(pool=WRITER_POOL, execution_timeout=TIMEOUTS["transform"])
    def transform() -> dict:
        """dbt builds silver and gold into this run's build database."""
        from northwind_tasks.cli import run_stage

        return run_stage("transform")

    @task(pool=WRITER_POOL, execution_timeout=TIMEOUTS["check"])
    def check() -> dict:
        """The quality gate: dbt tests and Great Expectations. A failure (exit 4) is not retried."""
        from northwind_tasks.cli import run_stage

        return run_stage("check")

    @task(pool=WRITER_POOL, execution_timeout=TIMEOUTS["publish"], outlets=[PUBLISHED_WAREHOUSE])
    def publish() -> dict:
        """Atomic rename of the checked build to current.duckdb."""
        from northwind_tasks.cli import run_stage

        return run_stage("publish", "--no-serve")

    @task(pool=WRITER_POOL, execution_timeout=TIMEOUTS["serve"])
    def serve() -> dict:
        """Gold marts into the Postgres serving layer in one transaction (a no-op without SERVING_DB_URL)."""
        from northwind_tasks.cli import run_stage

        return run_stage("serve")

    ingest() >> transform() >> check() >> publish() >> serve()


northwind_pipeline()
