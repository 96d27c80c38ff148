"""Human-readable output: the end-of-run summary and the ledger table."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from data_stack.ledger import RunRecord
from data_stack.pipeline import RunOutcome
from data_stack.settings import Settings

console = Console()


def print_outcome(settings: Settings, outcome: RunOutcome, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(outcome_json(settings, outcome), indent=2))
    else:
        print_summary(settings, outcome)


def outcome_json(settings: Settings, outcome: RunOutcome) -> dict[str, object]:
    """The run summary for scripts and orchestrators (fields documented in docs/orchestration.md)."""
    gate = outcome.gate
    return {
        "run_id": outcome.run_id,
        "status": outcome.status,
        "stage_seconds": {stage: round(seconds, 3) for stage, seconds in outcome.stage_seconds.items()},
        "streams": {name: asdict(counts) for name, counts in outcome.streams.items()},
        "gate": None
        if gate is None
        else {
            "passed": gate.passed,
            "dbt_tests": gate.dbt.counts(),
            "gx_expectations": gate.gx.counts(),
            "quarantine_rate_breaches": gate.quarantine,
            "data_docs": str(gate.data_docs) if gate.data_docs else None,
        },
        "published": str(outcome.published) if outcome.published else None,
        "schema_drift": outcome.schema_drift,
        "files": [item.to_json() for item in outcome.files],
        "quarantine_reasons": [
            {"stream": stream, "reason": reason, "rows": rows} for stream, reason, rows in outcome.quarantine_reasons
        ],
        "notes": outcome.notes,
        "ledger": str(settings.ledger_db),
    }


def print_summary(settings: Settings, outcome: RunOutcome) -> None:
    table = Table(title=f"run {outcome.run_id}", title_justify="left")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    table.add_column("rows")
    for stage, seconds in outcome.stage_seconds.items():
        table.add_row(stage, f"{seconds:.1f}", _rows(stage, outcome))
    table.add_row("total", f"{sum(outcome.stage_seconds.values()):.1f}", "", style="bold")
    console.print(table)
    if outcome.streams:
        streams = Table(title="rows per stream", title_justify="left")
        for column in ("stream", "landed", "loaded", "quarantined"):
            streams.add_column(column, justify="left" if column == "stream" else "right")
        for name, counts in outcome.streams.items():
            streams.add_row(name, f"{counts.landed:,}", f"{counts.loaded:,}", f"{counts.quarantined:,}")
        console.print(streams)
    for stream, columns in outcome.schema_drift.items():
        console.print(f"[yellow]schema drift[/]: {stream} has new column(s) {', '.join(columns)} (kept in bronze)")
    _print_files(outcome)
    if outcome.quarantine_reasons:
        reasons = Table(title="quarantined this run (top reasons)", title_justify="left")
        for column in ("stream", "reason", "rows"):
            reasons.add_column(column, justify="right" if column == "rows" else "left")
        for stream, reason, rows in outcome.quarantine_reasons:
            reasons.add_row(stream, reason, f"{rows:,}")
        console.print(reasons)
    for note in outcome.notes:
        console.print(note)
    if outcome.published:
        console.print(f"published warehouse: {outcome.published}")
    if outcome.gate and outcome.gate.data_docs:
        console.print(f"data docs:           {outcome.gate.data_docs}")
    console.print(f"quarantine:          {settings.lake}/quarantine")
    console.print(f"run ledger:          data-stack status ({settings.ledger_db})")


FILES_SHOWN = 20
ERRORS_SHOWN = 3  # runs among the newest whose error (or note) `status` prints under its table


def _print_files(outcome: RunOutcome) -> None:
    """One line of counts per file status, then the files that need a look (new version, warning, not ingested)."""
    if not outcome.files:
        return
    counts: dict[str, int] = {}
    for item in outcome.files:
        counts[item.status] = counts.get(item.status, 0) + 1
    console.print("landing files: " + ", ".join(f"{n:,} {status}" for status, n in sorted(counts.items())))
    notable = [item for item in outcome.files if item.status != "ingested" or item.notes]
    if not notable:
        return
    table = Table(title="landing files to look at", title_justify="left")
    for column in ("file", "status", "note"):
        table.add_column(column, overflow="fold")
    for item in notable[:FILES_SHOWN]:
        table.add_row(item.path, item.status, "; ".join(item.notes))
    console.print(table)
    if len(notable) > FILES_SHOWN:
        console.print(f"... and {len(notable) - FILES_SHOWN} more: data-stack status --json (`files` of the run)")


def _rows(stage: str, outcome: RunOutcome) -> str:
    if stage == "ingest":
        landed = sum(c.landed for c in outcome.streams.values())
        loaded = sum(c.loaded for c in outcome.streams.values())
        quarantined = sum(c.quarantined for c in outcome.streams.values())
        return f"{landed:,} landed, {loaded:,} loaded, {quarantined:,} quarantined"
    if stage == "check" and outcome.gate:
        dbt, gx = outcome.gate.dbt, outcome.gate.gx
        return (
            f"dbt tests {dbt.passed} passed/{dbt.failed} failed/{dbt.warned} warned; "
            f"GX {gx.passed} passed/{gx.failed} failed/{gx.warned} warned"
        )
    if stage == "publish" and outcome.published:
        return "current.duckdb replaced"
    if stage == "serve" and "serve" in outcome.stage_seconds:
        return "Postgres serving schemas swapped"
    return ""


def print_runs(runs: list[RunRecord]) -> None:
    """One line per run that fits an 80-column terminal; seconds per stage and files are in `status --json`."""
    if not runs:
        console.print("No runs yet. Run `make pipeline` (or `data-stack run`).")
        return
    table = Table(
        title="pipeline runs (newest first)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for column in ("run_id", "status", "secs", "loaded", "quar.", "dbt", "GX"):
        table.add_column(column, justify="left" if column in ("run_id", "status") else "right", no_wrap=True)
    for run in runs:
        seconds = f"{sum(run.stage_seconds.values()):.0f}" if run.stage_seconds else ""
        loaded = quarantined = ""
        if "ingest" in run.stage_seconds:
            loaded = f"{sum(c.loaded for c in run.streams.values()):,}"
            quarantined = f"{sum(c.quarantined for c in run.streams.values()):,}"
        style = {"failed": "red", "running": "yellow", "waiting": "cyan"}.get(run.status)
        table.add_row(
            run.run_id,
            run.status,
            seconds,
            loaded,
            quarantined,
            _pf(run.dbt_tests, warn=True),
            _pf(run.gx_expectations),
            style=style,
        )
    console.print(table)
    for run in runs[:ERRORS_SHOWN]:
        if run.status == "failed" and run.error:
            console.print(f"[red]{run.run_id}[/]: {run.error}")
        elif run.note:  # e.g. nothing new, or a stale Meltano job a killed run left that this run cleared
            console.print(f"[dim]{run.run_id}: {run.note}[/]")
    console.print("secs: all stages; loaded/quar.: bronze rows; dbt: tests passed/failed/warned; GX: passed/failed")
    console.print("seconds per stage, rows per stream, files and errors: data-stack status --json")


def _pf(counts: dict[str, int | None], warn: bool = False) -> str:
    if counts.get("passed") is None:
        return ""
    text = f"{counts['passed']}/{counts['failed']}"
    return f"{text}/{counts.get('warned') or 0}" if warn else text
