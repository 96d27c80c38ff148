"""Constants the DAG files wire together: the writer pool, timeouts, retries and the published-warehouse Asset."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from airflow.sdk import Asset

# One slot: DuckDB has one writer, and every stage writes the lake, the warehouse or the ledger (ADR 0010).
WRITER_POOL = "duckdb_writer"

# Transient failures (a vendor 5xx, a busy object store) are retried with exponential backoff; a failed quality
# gate (exit 4) or a refused lock (exit 3) fails the task at once (northwind_tasks.cli).
DEFAULT_ARGS = {
    "owner": "data-platform",
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=10),
}

TIMEOUTS = {
    "ingest": timedelta(minutes=60),
    "transform": timedelta(minutes=60),
    "check": timedelta(minutes=30),
    "publish": timedelta(minutes=5),
    "serve": timedelta(minutes=20),
    "valuations": timedelta(minutes=30),
}


def _published_uri() -> str:
    warehouse = os.environ.get("WAREHOUSE_DIR") or str(Path(os.environ.get("DATA_DIR") or "data") / "warehouse")
    return Path(warehouse).absolute().joinpath("current.duckdb").as_uri()


# Downstream work schedules on this Asset, not on a guessed time: it changes exactly when a publish succeeds.
PUBLISHED_WAREHOUSE = Asset(name="northwind_published_warehouse", uri=_published_uri())
