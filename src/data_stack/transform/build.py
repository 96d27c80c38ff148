"""Build the run's DuckDB file: start from the published file (so silver and the incremental marts continue), then
one `dbt build`, models and their data tests interleaved (ADR 0023).

The copy of the published file grows with silver. It starts when the run does, in a thread, while the ingest runs
(the ingest never reads it); the transform waits for it. A failed or killed run leaves `current.duckdb` untouched:
the copy is written under the build's own name, which only the publish renames.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import duckdb

from data_stack.log import get_logger
from data_stack.settings import Settings
from data_stack.transform.dbt_cli import dbt_failed, dbt_paths, run_dbt, start_ahead

log = get_logger(__name__)

# The gate judges the data. dbt's unit tests judge model logic on fixed fixture rows, so they change only when the
# models do: `make test` runs them (tests/dbt: `dbt build`), a pipeline run does not (dbt's advice for production).
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]
_MODEL_TYPES = ("model", "seed", "snapshot")


class _Copy:
    """`current.duckdb` copied to the run's build file in a thread."""

    def __init__(self, source: Path, target: Path) -> None:
        self.source, self.target = source, target
        self.error: BaseException | None = None
        self.seconds = 0.0
        self._thread = threading.Thread(target=self._run, name="copy-published-build", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            shutil.copyfile(self.source, self.target)
        except BaseException as exc:  # raised where the transform waits for it
            self.error = exc
        self.seconds = time.perf_counter() - started

    def join(self) -> None:
        self._thread.join()

    def wait(self) -> None:
        self.join()
        if self.error is not None:
            raise self.error


_copies: dict[Path, _Copy] = {}


def start_copy_ahead(settings: Settings, run_id: str, *, full_refresh: bool) -> None:
    """Copy the published file for this run's build while the ingest runs (prepare_build_db waits for it)."""
    target = settings.build_db(run_id)
    if full_refresh or not settings.published_db.exists() or target in _copies:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    _copies[target] = _Copy(settings.published_db, target)


def prepare_build_db(settings: Settings, run_id: str, *, full_refresh: bool) -> None:
    """Create `build/<run_id>.duckdb`: a copy of the published file, or empty on a full refresh."""
    target = settings.build_db(run_id)
    ahead = _copies.pop(target, None)
    if ahead is not None:
        ahead.wait()
        log.info("build database copied from the published file in %.1f s, beside the ingest", ahead.seconds)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    if settings.published_db.exists() and not full_refresh:
        started = time.perf_counter()
        shutil.copyfile(settings.published_db, target)
        log.info("build database copied from the published file in %.1f s", time.perf_counter() - started)
    else:
        duckdb.connect(str(target)).close()


def forget_copies() -> None:
    """Wait for copies no stage took (the run failed before its transform): their files are the run's to remove."""
    while _copies:
        _, copy = _copies.popitem()
        copy.join()


def build_args(full_refresh: bool) -> list[str]:
    return BUILD_ARGS + (["--full-refresh"] if full_refresh else [])


def start_models_ahead(settings: Settings, run_id: str, *, full_refresh: bool) -> None:
    """`dbt build` for this run, imported and its project parsed while the ingest runs (run_models then uses it)."""
    start_ahead(settings, run_id, build_args(full_refresh), parse=True)


def run_models(settings: Settings, run_id: str, *, full_refresh: bool) -> None:
    """`dbt build`: fails the stage when a model does not build; failing data tests are the gate's to judge (their
    results are kept in Settings.dbt_build_results)."""
    results_file = Path(dbt_paths(settings)["DBT_TARGET_PATH"]) / "run_results.json"
    results_file.unlink(missing_ok=True)
    kept = settings.dbt_build_results(run_id)
    kept.unlink(missing_ok=True)
    result = run_dbt(
        settings,
        run_id,
        build_args(full_refresh),
        label="transform: dbt build",
        log_file=settings.warehouse / "logs" / run_id / "dbt-build.log",
    )
    if not results_file.exists():
        raise dbt_failed(settings, result, "dbt build failed", "; fix the model and run `data-stack run` again")
    results = json.loads(results_file.read_text())
    broken = [
        item["unique_id"].split(".", 2)[-1]
        for item in results.get("results", [])
        if item["unique_id"].split(".", 1)[0] in _MODEL_TYPES and item["status"] == "error"
    ]
    if broken or (result.returncode != 0 and not _tests_ran(results)):
        what = f"dbt build failed (model {broken[0]})" if broken else "dbt build failed"
        raise dbt_failed(settings, result, what, "; fix the model and run `data-stack run` again")
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(json.dumps(results))


def _tests_ran(results: dict) -> bool:
    return any(item["unique_id"].startswith("test.") for item in results.get("results", []))
