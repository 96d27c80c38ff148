"""The stages of a run, each an object: its name, what it does with the run's context, and what it can get ready
while the stage before it runs (dbt loading and the build file's copy during the ingest, Great Expectations during
the build)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from data_stack.errors import GateFailed, StageFailed
from data_stack.ingest import count_run_rows, run_meltano, run_vehicle_api
from data_stack.ingest.drift import quarantine_reasons, schema_drift
from data_stack.ingest.files import account_files, check_balance
from data_stack.log import get_logger
from data_stack.pipeline.context import RunContext
from data_stack.publish import publish_build
from data_stack.quality import preload_gx, run_gate
from data_stack.serving import serve_published
from data_stack.transform import prepare_build_db, run_models, start_copy_ahead, start_models_ahead

log = get_logger(__name__)

QUARANTINE_REASONS_SHOWN = 8  # in the run summary
QUARANTINE_REASONS_KEPT = 100  # in the ledger, for the data quality dashboard


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[RunContext], None]
    ready: Callable[[RunContext], None] | None = None  # started when the stage before it starts
    needs_salt: bool = False  # refused with a public PII salt outside dev, before anything runs

    def skipped(self, ctx: RunContext) -> bool:
        return self.name == "serve" and not ctx.settings.serving_db_url


def _ingest(ctx: RunContext) -> None:
    ctx.note(run_meltano(ctx.settings, ctx.run_id))
    ctx.outcome.files = account_files(ctx.settings, ctx.run_id)
    ctx.ledger.record_files(ctx.run_id, [item.to_json() for item in ctx.outcome.files])
    for item in ctx.outcome.files:
        if item.status in ("unrecognised", "waiting") or item.notes:
            log.warning("landing file %s: %s (%s)", item.path, item.status, "; ".join(item.notes))
    _account(ctx)
    check_balance(ctx.outcome.files)


def _valuations(ctx: RunContext) -> None:
    notes = run_vehicle_api(ctx.settings, ctx.run_id)
    if notes is None:
        ctx.outcome.notes.append("VEHICLE_API_URL is not set: no valuations to refresh")
        return
    ctx.note(notes)
    _account(ctx)


def _account(ctx: RunContext) -> None:
    """The run's rows per stream in the ledger; fails the stage when a stream does not balance."""
    outcome = ctx.outcome
    outcome.streams = count_run_rows(ctx.settings, ctx.run_id)
    outcome.schema_drift = schema_drift(ctx.settings, ctx.run_id)
    reasons = quarantine_reasons(ctx.settings, ctx.run_id, limit=QUARANTINE_REASONS_KEPT)
    outcome.quarantine_reasons = reasons[:QUARANTINE_REASONS_SHOWN]
    ctx.ledger.record_streams(ctx.run_id, outcome.streams)
    ctx.ledger.record_quarantine_reasons(ctx.run_id, reasons)
    ctx.ledger.record_drift(ctx.run_id, outcome.schema_drift)
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


def _ready_transform(ctx: RunContext) -> None:
    """While the ingest runs: `dbt build` imports and parses the project, and the published file is copied."""
    start_models_ahead(ctx.settings, ctx.run_id, full_refresh=ctx.full_refresh)
    start_copy_ahead(ctx.settings, ctx.run_id, full_refresh=ctx.full_refresh)


def _transform(ctx: RunContext) -> None:
    prepare_build_db(ctx.settings, ctx.run_id, full_refresh=ctx.full_refresh)
    run_models(ctx.settings, ctx.run_id, full_refresh=ctx.full_refresh)


def _ready_check(ctx: RunContext) -> None:
    """While the models build: Great Expectations imports (seconds) in this process."""
    threading.Thread(target=preload_gx, name="import-great-expectations", daemon=True).start()


def _check(ctx: RunContext) -> None:
    require_build(ctx)
    record = ctx.ledger.get(ctx.run_id)
    gate = run_gate(ctx.settings, ctx.run_id, streams=record.streams if record else {})
    ctx.outcome.gate = gate
    ctx.ledger.record_quality(
        ctx.run_id,
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


def _publish(ctx: RunContext) -> None:
    record = ctx.ledger.get(ctx.run_id)
    if record is not None and record.published:
        # A retried publish: the rename already happened (the build file is gone); publishing again is a no-op.
        ctx.outcome.notes.append(f"run {ctx.run_id} was already published")
        ctx.outcome.published = ctx.settings.published_db
        return
    if record is None or record.gate_passed is not True:
        raise GateFailed(f"Run {ctx.run_id} has not passed the quality gate", "Run `data-stack check` for it first")
    require_build(ctx)
    publish_build(ctx.settings.build_db(ctx.run_id), ctx.settings.published_db)
    ctx.ledger.mark_published(ctx.run_id)
    ctx.outcome.published = ctx.settings.published_db


def _serve(ctx: RunContext) -> None:
    # After the DuckDB publish, which stays if serving fails (ADR 0006); the ledger then shows the run failed
    # with `published` set and a failed `serve` stage.
    record = ctx.ledger.get(ctx.run_id)
    if record is None or not record.published:
        raise StageFailed(f"Run {ctx.run_id} is not published", "Run `data-stack publish` for it first")
    serve_published(ctx.settings, ctx.run_id)


def require_build(ctx: RunContext) -> None:
    if not ctx.settings.build_db(ctx.run_id).exists():
        raise StageFailed(
            f"No build database for run {ctx.run_id}",
            "Run `data-stack transform` first (or `data-stack run`)",
        )


STAGES_BY_NAME: dict[str, Stage] = {
    stage.name: stage
    for stage in (
        Stage("ingest", _ingest, needs_salt=True),
        Stage("transform", _transform, ready=_ready_transform, needs_salt=True),
        Stage("check", _check, ready=_ready_check),
        Stage("publish", _publish),
        Stage("serve", _serve),
        Stage("valuations", _valuations),
    )
}
