"""`data-stack status`: the run ledger, newest first."""

from __future__ import annotations

import typer

from data_stack.cli.render import print_runs
from data_stack.ledger import Ledger
from data_stack.ledger.store import dumps
from data_stack.settings import get_settings


def register(app: typer.Typer) -> None:
    app.command()(status)


def status(
    as_json: bool = typer.Option(False, "--json", help="Print the ledger as JSON."),
    limit: int = typer.Option(20, help="How many runs to show."),
) -> None:
    """Show recent runs: status, seconds per stage, rows per stream, test results."""
    settings = get_settings()
    runs = Ledger(settings.ledger_db).runs(limit=limit) if settings.ledger_db.exists() else []
    if as_json:
        typer.echo(dumps(runs))
    else:
        print_runs(runs)
