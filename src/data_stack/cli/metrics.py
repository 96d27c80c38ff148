"""`data-stack metrics`: the Prometheus exporter (docs/monitoring.md)."""

from __future__ import annotations

import sys

import typer

from data_stack.errors import UserError
from data_stack.settings import get_settings


def register(app: typer.Typer) -> None:
    app.command()(metrics)


def metrics(
    host: str = typer.Option("127.0.0.1", help="Interface to bind (0.0.0.0 inside a container)."),
    port: int = typer.Option(9108, help="Port to listen on (0 picks a free one)."),
    once: bool = typer.Option(False, "--once", help="Print the metrics once (Prometheus text format) and exit."),
) -> None:
    """Serve data_stack_* metrics from the run ledger, the published warehouse, the lake and Postgres."""
    from data_stack.metrics import exposition, serve

    settings = get_settings()
    if once:
        sys.stdout.buffer.write(exposition(settings))
        return
    try:
        serve(settings, host, port)
    except OSError as exc:
        raise UserError(f"Cannot listen on {host}:{port} ({exc.strerror})", "Pick another --port") from None
