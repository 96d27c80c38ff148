"""The serving step of publish: load what `current.duckdb` now holds into the Postgres serving database."""

from __future__ import annotations

from data_stack.serving.contract import primary_keys
from data_stack.serving.load import ServingError, ServingLoad, load_published
from data_stack.settings import Settings


def serve_published(settings: Settings, run_id: str) -> ServingLoad:
    """Runs after the DuckDB publish, which stays if this fails: DuckDB readers already have the gated run."""
    if not settings.serving_db_url:
        raise ValueError("serve_published needs SERVING_DB_URL")
    try:
        return load_published(
            settings.serving_db_url,
            settings.published_db,
            run_id,
            primary_keys=primary_keys(settings.dbt_dir),
        )
    except ServingError as exc:
        raise ServingError(
            f"{exc.reason}; current.duckdb holds run {run_id}, Postgres still serves the previous run",
            exc.action,
        ) from exc
