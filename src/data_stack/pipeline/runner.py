"""Run stages for one run id under the run lock, recording each in the ledger.

A failed or interrupted run never touches `current.duckdb`: only the publish stage replaces it, and only after the
gate passed for that same build. A run's stages may come from separate commands for the same run id (one Airflow
task per stage): each redoes its own stage, so a retried stage gives the same result.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from data_stack.diagnose import cause_of, low_space
from data_stack.errors import GateFailed, StageFailed, UserError
from data_stack.ingest import count_run_rows, run_meltano, run_vehicle_api
from data_stack.ingest.drift import quarantine_reasons, schema_drift
from data_stack.ingest.files import FileRecord, account_files, check_balance
from data_stack.ledger import Ledger, StreamCounts
from data_stack.log import get_logger
from data_stack.pipeline import noop
from data_stack.pipeline.landing import require_landing_files
from data_stack.pipeline.lock import run_lock
from data_stack.pipeline.run_id import check_run_id, new_run_id
from data_stack.publish import publish_build
from data_stack.quality import GateResult, preload_gx, run_gate
from data_stack.serving import serve_published
from data_stack.settings import Settings
from data_stack.transform import (
    cancel_ahead,
    forget_copies,
    prepare_build_db,
    run_models,
    start_copy_ahead,
    start_models_ahead,
)

log = get_logger(__name__)

STAGES = ("ingest", "transform", "check", "publish", "serve")  # serve runs only with SERVING_DB_URL set
VALUATIONS = ("valuations",)  # the vendor API refreshed on its own schedule: a run of its own, nothing published
QUARANTINE_REASONS_SHOWN = 8  # in the run summary
QUARANTINE_REASONS_KEPT = 100  # in the ledger, for the data quality dashboard


@dataclass
class RunOutcome:
    run_id: str
    stage_seconds: dict[str, float] = field(default_factory=dict)
    streams: dict[str, StreamCounts] = field(default_factory=dict)
    gate: GateResult | None = None
    published: Path | None = None
    schema_drift: dict[str, list[str]] = field(default_factory=dict)
    quarantine_reasons: list[tuple[str, str, int]] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    status: str = "running"
    notes: list[str] = field(default_factory=list)


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
    if {"ingest", "transform"} & set(stages):
        settings.require_secret_salt()  # before anything runs: a refused run changes nothing
    if "ingest" in stages:
        require_landing_files(settings)
    ledger = Ledger(settings.ledger_db)
    with run_lock(settings.lock_file):
        interrupted = ledger.fail_interrupted()
        if interrupted:
            log.warning("marked interrupted runs as failed: %s", ", ".join(interrupted))
        run_id = run_id or _default_run_id(settings, ledger, stages)
        outcome = RunOutcome(run_id=run_id)
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
                        return _nothing_to_do(ledger, outcome, same)
            for stage in stages:
                if stage == "serve" and not settings.serving_db_url:
                    continue
                _start_next_ahead(settings, outcome, stages, stage, full_refresh)
                _timed(
                    settings,
                    ledger,
                    outcome,
                    stage,
                    lambda stage=stage: _STAGE_FUNCS[stage](settings, outcome, full_refresh),
                )
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
        outcome.status = "success" if {"publish", "serve", "valuations"} & set(stages) else "waiting"
        ledger.finish(run_id, outcome.status)
        return outcome


def _start_next_ahead(
    settings: Settings, outcome: RunOutcome, stages: tuple[str, ...], stage: str, full_refresh: bool
) -> None:
    """While a stage runs, the next stage gets ready: during the ingest `dbt build` loads (imports and parses the
    project) and the published file is copied for the build; during the build Great Expectations is imported."""
    if stage == "ingest" and "transform" in stages:
        start_models_ahead(settings, outcome.run_id, full_refresh=full_refresh)
        start_copy_ahead(settings, outcome.run_id, full_refresh=full_refresh)
    elif stage == "transform" and "check" in stages:
        threading.Thread(target=preload_gx, name="import-great-expectations", daemon=True).start()


def _nothing_to_do(ledger: Ledger, outcome: RunOutcome, published: str) -> RunOutcome:
    """No new landing file, no unpublished rows, the same models and settings: the published run stands."""
    note = (
        f"nothing new since run {published} (landing files, models and settings unchanged): no stage ran, "
        "readers keep the published warehouse"
    )
    log.info("run: %s", note)
    outcome.notes.append(note)
    outcome.status = "success"
    ledger.record_note(outcome.run_id, note)
    ledger.finish(outcome.run_id, "success")
    return outcome


def _timed(settings: Settings, ledger: Ledger, outcome: RunOutcome, stage: str, func: Callable[[], None]) -> None:
    started = time.perf_counter()
    log.info("%s: started (run %s)", stage, outcome.run_id)
    try:
        func()
    except BaseException as exc:
        seconds = time.perf_counter() - started
        log.info("%s: failed in %.1fs", stage, seconds)
        outcome.stage_seconds[stage] = seconds
        error = _explained(settings, exc)  # before space is freed: the figures are those of the failure
        _free_space_if_full(settings, outcome.run_id)
        with contextlib.suppress(sqlite3.Error):  # the failure itself is what the caller reports
            ledger.record_stage(outcome.run_id, stage, seconds, "failed")
        if error is not exc:
            raise error from exc
        raise
    seconds = time.perf_counter() - started
    log.info("%s: success in %.1fs", stage, seconds)
    outcome.stage_seconds[stage] = seconds
    ledger.record_stage(outcome.run_id, stage, seconds, "success")


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


def _ingest(settings: Settings, outcome: RunOutcome, full_refresh: bool) -> None:
    _note(settings, outcome, run_meltano(settings, outcome.run_id))
    outcome.files = account_files(settings, outcome.run_id)
    Ledger(settings.ledger_db).record_files(outcome.run_id, [item.to_json() for item in outcome.files])
    for item in outcome.files:
        if item.status in ("unrecognised", "waiting") or item.notes:
            log.warning("landing file %s: %s (%s)", item.path, item.status, "; ".join(item.notes))
    _account(settings, outcome)
    check_balance(outcome.files)


def _valuations(settings: Settings, outcome: RunOutcome, full_refresh: bool) -> None:
    notes = run_vehicle_api(settings, outcome.run_id)
    if notes is None:
        outcome.notes.append("VEHICLE_API_URL is not set: no valuations to refresh")
        return
    _note(settings, outcome, notes)
    _account(settings, outcome)


def _note(settings: Settings, outcome: RunOutcome, notes: list[str]) -> None:
    """Notes shown in the run's summary and kept in the ledger (`data-stack status`)."""
    if notes:
        outcome.notes.extend(notes)
        Ledger(settings.ledger_db).record_note(outcome.run_id, "; ".join(outcome.notes))


def _account(settings: Settings, outcome: RunOutcome) -> None:
    """The run's rows per stream in the ledger; fails the stage when a stream does not balance."""
    outcome.streams = count_run_rows(settings, outcome.run_id)
    outcome.schema_drift = schema_drift(settings, outcome.run_id)
    reasons = quarantine_reasons(settings, outcome.run_id, limit=QUARANTINE_REASONS_KEPT)
    outcome.quarantine_reasons = reasons[:QUARANTINE_REASONS_SHOWN]
    ledger = Ledger(settings.ledger_db)
    ledger.record_streams(outcome.run_id, outcome.streams)
    ledger.record_quarantine_reasons(outcome.run_id, reasons)
    ledger.record_drift(outcome.run_id, outcome.schema_drift)
    for stream, columns in outcome.schema_drift.items():
        log.warning("schema drift in %s: new column(s) %s kept in bronze", stream, ", ".join(columns))
    unbalanced = {
        name: counts for name, counts in outcome.streams.items() if counts.landed != counts.loaded + counts.quarantined
    }
    if unbalanced:
        detail = "; ".join(
            f"{name}: landed {c.landed} != loaded {c.loaded} + quarantined {c.quarantined}"
            for name, c in unbalanced.items()
        )
        raise StageFailed(f"Rows unaccounted for after ingest ({detail})", "See docs/runbooks/quarantined-file.md")


def _transform(settings: Settings, outcome: RunOutcome, full_refresh: bool) -> None:
    prepare_build_db(settings, outcome.run_id, full_refresh=full_refresh)
    run_models(settings, outcome.run_id, full_refresh=full_refresh)


def _check(settings: Settings, outcome: RunOutcome, full_refresh: bool) -> None:
    _require_build(settings, outcome.run_id)
    record = Ledger(settings.ledger_db).get(outcome.run_id)
    gate = run_gate(settings, outcome.run_id, streams=record.streams if record else {})
    outcome.gate = gate
    Ledger(settings.ledger_db).record_quality(
        outcome.run_id,
        gate_passed=gate.passed,
        dbt_tests=gate.dbt.counts(),
        gx_expectations=gate.gx.counts(),
        data_docs=str(gate.data_docs) if gate.data_docs else None,
    )
    if not gate.passed:
        first = gate.failures()[0] if gate.failures() else "see the Data Docs"
        raise GateFailed(
            f"Quality gate failed ({len(gate.failures())} failing checks, first: {first}); nothing was published",
            f"Open {gate.data_docs} and the dbt log, fix the data or model, and run again",
        )


def _publish(settings: Settings, outcome: RunOutcome, full_refresh: bool) -> None:
    ledger = Ledger(settings.ledger_db)
    record = ledger.get(outcome.run_id)
    if record is not None and record.published:
        # A retried publish: the rename already happened (the build file is gone); publishing again is a no-op.
        outcome.notes.append(f"run {outcome.run_id} was already published")
        outcome.published = settings.published_db
        return
    if record is None or record.gate_passed is not True:
        raise GateFailed(
            f"Run {outcome.run_id} has not passed the quality gate",
            "Run `data-stack check` for it first",
        )
    _require_build(settings, outcome.run_id)
    publish_build(settings.build_db(outcome.run_id), settings.published_db)
    ledger.mark_published(outcome.run_id)
    outcome.published = settings.published_db


def _serve(settings: Settings, outcome: RunOutcome, full_refresh: bool) -> None:
    # After the DuckDB publish, which stays if serving fails (ADR 0006); the ledger then shows the run failed
    # with `published` set and a failed `serve` stage.
    record = Ledger(settings.ledger_db).get(outcome.run_id)
    if record is None or not record.published:
        raise StageFailed(f"Run {outcome.run_id} is not published", "Run `data-stack publish` for it first")
    serve_published(settings, outcome.run_id)


_STAGE_FUNCS: dict[str, Callable[[Settings, RunOutcome, bool], None]] = {
    "ingest": _ingest,
    "transform": _transform,
    "check": _check,
    "publish": _publish,
    "serve": _serve,
    "valuations": _valuations,
}


def _require_build(settings: Settings, run_id: str) -> None:
    if not settings.build_db(run_id).exists():
        raise StageFailed(
            f"No build database for run {run_id}",
            "Run `data-stack transform` first (or `data-stack run`)",
        )


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
