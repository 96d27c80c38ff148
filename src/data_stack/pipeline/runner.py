"""Run stages for one run id under the run lock, recording each in the ledger.

A failed or interrupted run never touches `current.duckdb`: only the publish stage replaces it, and only after the
gate passed for that same build. A run's stages may come from separate commands for the same run id (one Airflow
task per stage): each redoes its own stage, so a retried stage gives the same result. The stages themselves are in
pipeline/stages.py.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time

from data_stack.diagnose import cause_of, low_space
from data_stack.errors import StageFailed, UserError
from data_stack.ledger import Ledger
from data_stack.log import get_logger
from data_stack.pipeline import noop
from data_stack.pipeline.context import RunContext, RunOutcome
from data_stack.pipeline.landing import require_landing_files
from data_stack.pipeline.lock import run_lock
from data_stack.pipeline.run_id import check_run_id, new_run_id
from data_stack.pipeline.stages import STAGES_BY_NAME, Stage
from data_stack.settings import Settings
from data_stack.transform import cancel_ahead, forget_copies

log = get_logger(__name__)

STAGES = ("ingest", "transform", "check", "publish", "serve")  # serve runs only with SERVING_DB_URL set
VALUATIONS = ("valuations",)  # the vendor API refreshed on its own schedule: a run of its own, nothing published

__all__ = ["STAGES", "VALUATIONS", "RunOutcome", "run_stages"]


def run_stages(
    settings: Settings,
    stages: tuple[str, ...] = STAGES,
    *,
    command: str = "run",
    run_id: str | None = None,
    full_refresh: bool = False,
) -> RunOutcome:
    if run_id is not None:
        check_run_id(run_id)
    chosen = [STAGES_BY_NAME[name] for name in stages]
    if any(stage.needs_salt for stage in chosen):
        settings.require_secret_salt()  # before anything runs: a refused run changes nothing
    if "ingest" in stages:
        require_landing_files(settings)
    ledger = Ledger(settings.ledger_db)
    with run_lock(settings.lock_file):
        interrupted = ledger.fail_interrupted()
        if interrupted:
            log.warning("marked interrupted runs as failed: %s", ", ".join(interrupted))
        run_id = run_id or _default_run_id(settings, ledger, stages)
        ctx = RunContext(settings, ledger, RunOutcome(run_id=run_id), full_refresh)
        if "transform" in stages:
            _remove_stale_builds(settings, keep=run_id)
        if ledger.get(run_id) is None:
            ledger.start(run_id, command, os.getpid())
        else:
            ledger.reopen(run_id)
        try:
            if "transform" in stages:
                current = noop.fingerprint(settings)
                ledger.record_fingerprint(run_id, current)
                if stages == STAGES and not full_refresh:
                    same = noop.nothing_new(settings, ledger, current, run_id)
                    if same is not None:
                        return _nothing_to_do(ctx, same)
            runnable = [stage for stage in chosen if not stage.skipped(ctx)]
            for index, stage in enumerate(runnable):
                following = runnable[index + 1] if index + 1 < len(runnable) else None
                if following is not None and following.ready is not None:
                    following.ready(ctx)
                _timed(ctx, stage)
        except BaseException as exc:
            error = _explained(settings, exc)
            reason = str(error) if isinstance(error, UserError) else f"{type(exc).__name__}: {exc}"
            _record_failure(ledger, run_id, reason or type(exc).__name__)
            if error is not exc:
                raise error from exc
            raise
        finally:
            cancel_ahead()
            forget_copies()
        # A run is done when it published (or is a valuations refresh); earlier stages leave it waiting for the rest.
        ctx.outcome.status = "success" if {"publish", "serve", "valuations"} & set(stages) else "waiting"
        ledger.finish(run_id, ctx.outcome.status)
        return ctx.outcome


def _nothing_to_do(ctx: RunContext, published: str) -> RunOutcome:
    """No new landing file, no unpublished rows, the same models and settings: the published run stands."""
    note = (
        f"nothing new since run {published} (landing files, models and settings unchanged): no stage ran, "
        "readers keep the published warehouse"
    )
    log.info("run: %s", note)
    ctx.outcome.notes.append(note)
    ctx.outcome.status = "success"
    ctx.ledger.record_note(ctx.run_id, note)
    ctx.ledger.finish(ctx.run_id, "success")
    return ctx.outcome


def _timed(ctx: RunContext, stage: Stage) -> None:
    started = time.perf_counter()
    log.info("%s: started (run %s)", stage.name, ctx.run_id)
    try:
        stage.run(ctx)
    except BaseException as exc:
        seconds = time.perf_counter() - started
        log.info("%s: failed in %.1fs", stage.name, seconds)
        ctx.outcome.stage_seconds[stage.name] = seconds
        error = _explained(ctx.settings, exc)  # before space is freed: the figures are those of the failure
        _free_space_if_full(ctx.settings, ctx.run_id)
        with contextlib.suppress(sqlite3.Error):  # the failure itself is what the caller reports
            ctx.ledger.record_stage(ctx.run_id, stage.name, seconds, "failed")
        if error is not exc:
            raise error from exc
        raise
    seconds = time.perf_counter() - started
    log.info("%s: success in %.1fs", stage.name, seconds)
    ctx.outcome.stage_seconds[stage.name] = seconds
    ctx.ledger.record_stage(ctx.run_id, stage.name, seconds, "success")


def _explained(settings: Settings, exc: BaseException) -> BaseException:
    """An unexpected exception behind which a known fault stands (a full disk, an object store gone) becomes the
    one-line error that names it; anything else stays as it is."""
    if isinstance(exc, UserError) or not isinstance(exc, Exception):
        return exc
    cause = cause_of(exc, settings)
    return exc if cause is None else StageFailed(cause.reason, cause.action)


def _free_space_if_full(settings: Settings, run_id: str) -> None:
    """On a full disk this run's partial build is worthless and in the way: without it the ledger can record why
    the run failed, and the next run has room. The published file is never touched."""
    if low_space(settings):
        for path in settings.build_dir.glob(f"{run_id}.duckdb*"):
            log.warning("the disk is full: removing this run's partial build %s", path)
            path.unlink(missing_ok=True)


def _record_failure(ledger: Ledger, run_id: str, reason: str) -> None:
    try:
        ledger.finish(run_id, "failed", error=reason)
    except sqlite3.Error as exc:  # e.g. a full disk: the error still reaches the user; the next run marks this one
        log.error("could not record the failure of run %s in the ledger (%s): %s", run_id, exc, reason)


def _default_run_id(settings: Settings, ledger: Ledger, stages: tuple[str, ...]) -> str:
    """check/publish alone continue the newest build, serve the newest published run; ingest or transform start a
    new run."""
    if {"ingest", "transform", "valuations"} & set(stages):
        return new_run_id()
    if stages == ("serve",):
        published = [run.run_id for run in ledger.runs() if run.published]
        if not published:
            raise StageFailed("No published run to serve", "Run `data-stack run` (or `data-stack publish`) first")
        return published[0]
    builds = sorted(settings.build_dir.glob("*.duckdb"))
    if not builds:
        raise StageFailed("No build to check or publish", "Run `data-stack transform` first")
    return builds[-1].stem


def _remove_stale_builds(settings: Settings, keep: str) -> None:
    """Builds left by failed or killed runs. Safe: we hold the lock, so no run is using them."""
    if not settings.build_dir.exists():
        return
    for path in settings.build_dir.glob("*.duckdb*"):
        if not path.name.startswith(keep):
            path.unlink(missing_ok=True)
