"""Build the run's DuckDB file: start from the published file (so incremental models continue), run dbt."""

from __future__ import annotations

import shutil

import duckdb

from data_stack.errors import StageFailed
from data_stack.log import get_logger
from data_stack.proc import run_tool, tool
from data_stack.settings import Settings
from data_stack.transform.dbt_cli import dbt_command, last_error

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


def run_models(settings: Settings, run_id: str, *, full_refresh: bool) -> None:
    args = ["run"] + (["--full-refresh"] if full_refresh else [])
    result = run_tool(
        [tool("dbt"), *dbt_command(settings, args)],
        cwd=settings.dbt_dir,
        env=settings.stage_env(run_id) | dbt_paths(settings),
        label="transform: dbt run",
        log_file=settings.warehouse / "logs" / run_id / "dbt-run.log",
    )
    if result.returncode != 0:
        raise StageFailed(
            f"dbt run failed: {last_error(result.tail)}",
            f"See {result.log_file}; fix the model and run `data-stack run` again",
        )


def dbt_paths(settings: Settings) -> dict[str, str]:
    """Keep dbt's artefacts with the warehouse so two data dirs never share them."""
    return {
        "DBT_TARGET_PATH": str(settings.warehouse / "dbt" / "target"),
        "DBT_LOG_PATH": str(settings.warehouse / "dbt" / "logs"),
    }
