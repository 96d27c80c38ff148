"""Metrics from the run ledger: runs by status, the last run's outcome, stages, rows and quality results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from prometheus_client.core import Metric

from data_stack.ledger import Ledger, RunRecord
from data_stack.metrics.families import counter, epoch, gauge
from data_stack.settings import Settings

FINISHED = ("success", "failed")
IN_PROGRESS = ("running", "waiting")
ROW_KINDS = ("landed", "loaded", "quarantined")
RESULTS = ("passed", "failed", "warned")


def read_runs(settings: Settings) -> list[RunRecord]:
    """The ledger's runs, newest first: read once per scrape, shared by the ledger and serving metrics."""
    if not settings.ledger_db.exists():
        return []
    ledger = Ledger(settings.ledger_db)
    runs = ledger.runs(files=False)  # every run, for the counters; file lists only for the newest that ingested
    newest = next((run for run in runs if run.streams and run.command != "valuations"), None)
    if newest is not None:
        newest.files = (ledger.get(newest.run_id) or newest).files
    return runs


def ledger_metrics(runs: list[RunRecord]) -> Iterator[Metric]:
    pipeline = [run for run in runs if run.command != "valuations"]  # a valuations refresh publishes nothing

    by_status = counter("runs", "Finished pipeline runs by final status.", ["status"])
    for status in FINISHED:
        by_status.add_metric([status], sum(1 for run in pipeline if run.status == status))
    yield by_status
    active = gauge(
        "runs_in_progress", "Pipeline runs not finished: running now, or waiting for their next stage.", ["status"]
    )
    for status in IN_PROGRESS:
        active.add_metric([status], sum(1 for run in pipeline if run.status == status))
    yield active

    finished = sorted((run for run in pipeline if run.status in FINISHED), key=lambda run: run.finished_at or "")
    if finished:
        last = finished[-1]
        yield _single(
            "last_run_success", "1 if the newest finished pipeline run succeeded, else 0.", last.status == "success"
        )
        yield _single(
            "last_run_finished_timestamp_seconds",
            "When the newest finished pipeline run ended.",
            epoch(last.finished_at),
        )
        yield _single(
            "last_run_noop",
            "1 if the newest finished pipeline run found nothing new and ran no stage (the published run stands), "
            "else 0.",
            _is_noop(last),
        )
    # A run with nothing new runs no stage: the durations stay those of the newest run that did work.
    worked = [run for run in finished if run.stage_seconds]
    if worked:
        stages = gauge(
            "last_run_stage_duration_seconds",
            "Seconds per stage of the newest finished run that ran stages.",
            ["stage"],
        )
        for stage, seconds in worked[-1].stage_seconds.items():
            stages.add_metric([stage], seconds)
        yield stages
    successes = [run for run in finished if run.status == "success"]
    if successes:
        yield _single(
            "last_success_timestamp_seconds",
            "When the newest successful pipeline run ended.",
            epoch(successes[-1].finished_at),
        )

    yield from _rows(pipeline, runs)
    yield from _files(pipeline)
    yield from _quality(pipeline)

    published = next((run for run in runs if run.published), None)
    if published is not None:
        yield _single(
            "published_run_started_timestamp_seconds",
            "When the run now published in current.duckdb started.",
            epoch(published.started_at),
        )


def _is_noop(run: RunRecord) -> bool:
    """A run that found nothing new (pipeline/noop.py): it succeeded without running a stage."""
    return run.status == "success" and not run.stage_seconds


FILE_STATUSES = ("ingested", "quarantined", "waiting", "unrecognised", "refused")


def _files(pipeline: list[RunRecord]) -> Iterator[Metric]:
    """Landing files of the newest run that ingested, by what became of them (docs/sources.md)."""
    last = next((run for run in pipeline if run.streams), None)
    files = gauge("last_run_landing_files", "Landing files of the newest run that ingested, by status.", ["status"])
    redelivered = gauge("last_run_redelivered_files", "Files the newest ingesting run read again as a new version.")
    if last is not None:
        for status in FILE_STATUSES:
            files.add_metric([status], sum(1 for item in last.files if item["status"] == status))
        redelivered.add_metric([], sum(1 for item in last.files if (item.get("version") or 1) > 1))
    yield files
    yield redelivered


def _rows(pipeline: list[RunRecord], runs: list[RunRecord]) -> Iterator[Metric]:
    last = next((run for run in pipeline if run.streams), None)
    current = gauge("last_run_rows", "Rows of the newest run that ingested, per stream and kind.", ["stream", "kind"])
    if last is not None:
        for stream, counts in sorted(last.streams.items()):
            for kind in ROW_KINDS:
                current.add_metric([stream, kind], getattr(counts, kind))
    yield current
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for run in runs:
        for stream, counts in run.streams.items():
            for kind in ROW_KINDS:
                totals[(stream, kind)] += getattr(counts, kind)
    total = counter(
        "rows", "Rows over all runs, per stream and kind (landed, loaded, quarantined).", ["stream", "kind"]
    )
    for (stream, kind), value in sorted(totals.items()):
        total.add_metric([stream, kind], value)
    yield total


def _quality(pipeline: list[RunRecord]) -> Iterator[Metric]:
    gated = next((run for run in pipeline if run.gate_passed is not None), None)
    if gated is None:
        return
    yield _single("last_run_gate_passed", "1 if the newest quality gate passed, else 0.", gated.gate_passed)
    for name, counts, what in (
        ("last_run_dbt_tests", gated.dbt_tests, "dbt tests"),
        ("last_run_gx_expectations", gated.gx_expectations, "Great Expectations expectations"),
    ):
        family = gauge(name, f"{what} of the newest quality gate, by result.", ["result"])
        for result in RESULTS:
            family.add_metric([result], counts.get(result) or 0)
        yield family


def _single(name: str, doc: str, value: float | bool | None) -> Metric:
    family = gauge(name, doc)
    family.add_metric([], float(value or 0))
    return family
