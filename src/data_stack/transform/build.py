"""Build the run's DuckDB file: start from the published file (so incremental models continue), run dbt."""

from __future__ import annotations

import shutil

import duckdb

from data_stack.log import get_logger
from data_stack.settings import Settings
from data_stack.transform.dbt_cli import dbt_failed, run_dbt, start_ahead

log = get_logger(__name__)


def prepare_build_db(settings: Settings, run_id: str, *, full_refresh: bool) -> None:
    """Create `build/<run_id>.duckdb`: a copy of the published file, or empty on a full refresh."""
    target = settings.build_db(run_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    if settings.published_db.exists() and not full_refresh:
        shutil.copyfile(settings.published_db, target)
        log.debug("build database starts from the published %s", settings.published_db)
    else:
        duckdb.connect(str(target)).close()


def run_args(full_refresh: bool) -> list[str]:
    return ["run"] + (["--full-refresh"] if full_refresh else [])


def start_models_ahead(settings: Settings, run_id: str, *, full_refresh: bool) -> None:
    """`dbt run` for this run, imported and its project parsed while the ingest runs (run_models then uses it)."""
    start_ahead(settings, run_id, run_args(full_refresh), parse=True)


def run_models(settings: Settings, run_id: str, *, full_refresh: bool) -> None:
    result = run_dbt(
        settings,
        run_id,
        run_args(full_refresh),
        label="transform: dbt run",
        log_file=settings.warehouse / "logs" / run_id / "dbt-run.log",
    )
    if result.returncode != 0:
        raise dbt_failed(settings, result, "dbt run failed", "; fix the model and run `data-stack run` again")
