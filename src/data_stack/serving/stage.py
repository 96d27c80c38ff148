"""The serving step of publish: load what `current.duckdb` now holds into the Postgres serving database."""

from __future__ import annotations

from data_stack.errors import UserError
from data_stack.ledger import Ledger
from data_stack.serving.contract import primary_keys
from data_stack.serving.load import ServingError, ServingLoad, load_published
from data_stack.settings import Settings


def serve_published(settings: Settings, run_id: str) -> ServingLoad:
    """Runs after the DuckDB publish, which stays if this fails: DuckDB readers already have the gated run."""
    if not settings.serving_db_url:
        raise ValueError("serve_published needs SERVING_DB_URL")
    require_published(settings, run_id)
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


def published_run(settings: Settings) -> str | None:
    """The run `current.duckdb` holds: the newest run the ledger marks published."""
    if not settings.published_db.exists():
        return None
    return next((run.run_id for run in Ledger(settings.ledger_db).runs(files=False) if run.published), None)


def require_published(settings: Settings, run_id: str) -> None:
    """Postgres is loaded from `current.duckdb`: serving any other run's id would label this data as that run's."""
    current = published_run(settings)
    if current is None:
        raise UserError("No published run to serve", "Run `data-stack run` (or `data-stack publish`) first")
    if run_id != current:
        raise UserError(
            f"Run {run_id} is not the published run: current.duckdb holds run {current}, the only data Postgres "
            "can be loaded from",
            f"Run `data-stack serve` to serve run {current}; to change the data, publish a new run "
            "(docs/runbooks/serving.md#roll-back)",
        )
