"""`data-stack run | ingest | transform | check | publish`."""

from __future__ import annotations

import typer

from data_stack.cli.render import print_summary
from data_stack.pipeline import STAGES, run_stages
from data_stack.settings import get_settings


def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(ingest)
    app.command()(transform)
    app.command()(check)
    app.command()(publish)


def run(
    full_refresh: bool = typer.Option(False, "--full-refresh", help="Rebuild every model from all of bronze."),
    generate_if_empty: bool = typer.Option(
        True, "--generate-if-empty/--no-generate", help="Generate demo data when landing is empty."
    ),
) -> None:
    """The whole pipeline: ingest → transform → check → publish."""
    settings = get_settings()
    outcome = run_stages(
        settings,
        STAGES,
        command="run",
        full_refresh=full_refresh,
        generate_if_empty=generate_if_empty,
    )
    print_summary(settings, outcome)


def ingest() -> None:
    """Ingest new landing files into bronze Parquet (Meltano)."""
    settings = get_settings()
    print_summary(settings, run_stages(settings, ("ingest",), command="ingest"))


def transform(
    full_refresh: bool = typer.Option(False, "--full-refresh", help="Rebuild every model from all of bronze."),
) -> None:
    """Build silver and gold into a new build database (dbt)."""
    settings = get_settings()
    outcome = run_stages(settings, ("transform",), command="transform", full_refresh=full_refresh)
    print_summary(settings, outcome)


def check(
    run_id: str | None = typer.Option(None, help="Build to check (default: newest)."),
) -> None:
    """Run the quality gate (dbt tests + Great Expectations) on a build."""
    settings = get_settings()
    print_summary(settings, run_stages(settings, ("check",), command="check", run_id=run_id))


def publish(
    run_id: str | None = typer.Option(None, help="Build to publish (default: newest)."),
) -> None:
    """Atomically publish a build that passed the gate as current.duckdb (and to Postgres with SERVING_DB_URL)."""
    settings = get_settings()
    print_summary(settings, run_stages(settings, ("publish", "serve"), command="publish", run_id=run_id))
