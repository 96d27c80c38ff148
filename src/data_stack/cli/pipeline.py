"""`data-stack run | ingest | transform | check | publish | serve | valuations`.

Every stage command takes `--run-id`, so an orchestrator runs each stage of one run as its own task (and a retried
task redoes its stage of that same run), and `--json` for a machine-readable summary.
"""

from __future__ import annotations

import typer

from data_stack.cli.render import print_outcome
from data_stack.ingest.meltano import vehicle_api_settings
from data_stack.pipeline import STAGES, VALUATIONS, run_stages
from data_stack.serving.stage import require_published
from data_stack.settings import get_settings

RUN_ID_NEW = "Run id for this stage: continue that run (default: a new run)."
RUN_ID_BUILD = "Run whose build to use (default: the newest build)."
JSON = typer.Option(False, "--json", help="Print the run summary as JSON.")


def register(app: typer.Typer) -> None:
    for command in (run, ingest, transform, check, publish, serve, valuations):
        app.command()(command)


def run(
    full_refresh: bool = typer.Option(False, "--full-refresh", help="Rebuild every model from all of bronze."),
    run_id: str | None = typer.Option(None, help="Run id (default: a new one)."),
    as_json: bool = JSON,
) -> None:
    """The whole pipeline: ingest → transform → check → publish (→ serve)."""
    settings = get_settings()
    outcome = run_stages(
        settings,
        STAGES,
        command="run",
        run_id=run_id,
        full_refresh=full_refresh,
    )
    print_outcome(settings, outcome, as_json)


def ingest(run_id: str | None = typer.Option(None, help=RUN_ID_NEW), as_json: bool = JSON) -> None:
    """Ingest new landing files into bronze Parquet (Meltano)."""
    settings = get_settings()
    print_outcome(settings, run_stages(settings, ("ingest",), command="ingest", run_id=run_id), as_json)


def transform(
    full_refresh: bool = typer.Option(False, "--full-refresh", help="Rebuild every model from all of bronze."),
    run_id: str | None = typer.Option(None, help=RUN_ID_NEW),
    as_json: bool = JSON,
) -> None:
    """Build silver and gold into a new build database (dbt)."""
    settings = get_settings()
    outcome = run_stages(settings, ("transform",), command="transform", run_id=run_id, full_refresh=full_refresh)
    print_outcome(settings, outcome, as_json)


def check(run_id: str | None = typer.Option(None, help=RUN_ID_BUILD), as_json: bool = JSON) -> None:
    """Run the quality gate (dbt tests + Great Expectations) on a build."""
    settings = get_settings()
    print_outcome(settings, run_stages(settings, ("check",), command="check", run_id=run_id), as_json)


def publish(
    run_id: str | None = typer.Option(None, help=RUN_ID_BUILD),
    serve_too: bool = typer.Option(True, "--serve/--no-serve", help="Also load Postgres (with SERVING_DB_URL)."),
    as_json: bool = JSON,
) -> None:
    """Atomically publish a build that passed the gate as current.duckdb (and to Postgres with SERVING_DB_URL)."""
    settings = get_settings()
    stages = ("publish", "serve") if serve_too else ("publish",)
    print_outcome(settings, run_stages(settings, stages, command="publish", run_id=run_id), as_json)


def serve(
    run_id: str | None = typer.Option(None, help="The published run (the default); any other run is refused."),
    as_json: bool = JSON,
) -> None:
    """Load the published run's gold marts (current.duckdb) into Postgres in one transaction (needs SERVING_DB_URL)."""
    settings = get_settings()
    if not settings.serving_db_url:
        _nothing_to_do("SERVING_DB_URL is not set: nothing to serve", as_json)
        return
    if run_id is not None:
        require_published(settings, run_id)  # before the run is reopened: a refusal leaves the ledger as it was
    print_outcome(settings, run_stages(settings, ("serve",), command="serve", run_id=run_id), as_json)


def valuations(run_id: str | None = typer.Option(None, help=RUN_ID_NEW), as_json: bool = JSON) -> None:
    """Refresh vehicle valuations from the vendor API into bronze (a run of its own; needs VEHICLE_API_URL)."""
    settings = get_settings()
    if not vehicle_api_settings().url:
        _nothing_to_do("VEHICLE_API_URL is not set: no valuations to refresh", as_json)
        return
    print_outcome(settings, run_stages(settings, VALUATIONS, command="valuations", run_id=run_id), as_json)


def _nothing_to_do(message: str, as_json: bool) -> None:
    import json

    typer.echo(json.dumps({"skipped": True, "reason": message}) if as_json else message)
