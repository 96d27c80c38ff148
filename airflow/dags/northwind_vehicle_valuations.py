"""Vehicle valuations, every morning: refresh the fleet's market values from the vendor API into bronze.

Its own schedule because the vendor is rate-limited and its answers are cached for days; the next pipeline run
picks the new values up. A no-op when VEHICLE_API_URL is not set.
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import dag, task
from northwind_tasks.settings import DEFAULT_ARGS, TIMEOUTS, WRITER_POOL


@dag(
    dag_id="northwind_vehicle_valuations",
    schedule="0 1 * * *",
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["northwind", "logistics", "vendor-api"],
    doc_md=__doc__,
)
def northwind_vehicle_valuations() -> None:
    @task(pool=WRITER_POOL, execution_timeout=TIMEOUTS["valuations"])
    def refresh_valuations() -> dict:
        """`data-stack valuations`: backoff on 429, circuit breaker, cache and audit log (docs/vehicle-api.md)."""
        from northwind_tasks.cli import run_stage

        return run_stage("valuations")

    refresh_valuations()


northwind_vehicle_valuations()
