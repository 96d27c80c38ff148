"""`data-stack generate`: synthetic Northwind landing files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from data_stack.errors import UserError
from data_stack.settings import get_settings


def register(app: typer.Typer) -> None:
    app.command()(generate)


def generate(
    scale: float = typer.Option(1.0, help="1 = demo size (~50k orders, 150k lines, 500k events)."),
    seed: int = typer.Option(42, help="Same seed and arguments give byte-identical files."),
    defect_rate: float = typer.Option(0.01, help="Share of rows with realistic defects (0 = clean)."),
    start_date: str = typer.Option("2026-01-01", help="First day of data (YYYY-MM-DD)."),
    days: int = typer.Option(90, help="Number of daily drops to write."),
    out: Path | None = typer.Option(None, help="Landing folder (default: LANDING_URI)."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when the landing folder already holds files."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Write synthetic Northwind source files into the landing zone."""
    if scale <= 0 or not 0 <= defect_rate <= 0.5 or days < 1:
        raise UserError(
            "Invalid arguments: scale must be > 0, defect-rate within 0..0.5, days >= 1",
            "Check the values and run again",
        )
    try:
        first_day = date.fromisoformat(start_date)
    except ValueError:
        raise UserError(f"Invalid --start-date {start_date!r}", "Use YYYY-MM-DD") from None
    from data_stack.generate import generate as run_generate

    settings = get_settings()
    if out is None and "://" in settings.landing:
        reason = f"LANDING_URI={settings.landing} is not a local folder"
        if not if_empty:
            raise UserError(reason, "Pass --out <folder> and upload the files")
        message = f"{reason}: nothing generated"  # `make pipeline` on a remote landing zone runs what is there
        typer.echo(
            json.dumps({"landing": settings.landing, "skipped": True, "reason": message}) if as_json else message
        )
        return
    landing = out or Path(settings.landing)
    if if_empty and landing.exists() and any(path.is_file() for path in landing.rglob("*")):
        message = f"{landing} already holds landing files: nothing generated"
        typer.echo(json.dumps({"landing": str(landing), "skipped": True, "reason": message}) if as_json else message)
        return
    report = run_generate(landing, scale=scale, seed=seed, defect_rate=defect_rate, start_date=first_day, days=days)
    rows = dict(getattr(report, "rows", {}) or {})
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "landing": str(landing),
                    "rows": rows,
                    "defects": dict(getattr(report, "defects", {}) or {}),
                },
                indent=2,
            )
        )
        return
    typer.echo(f"wrote {sum(rows.values()):,} rows in {len(getattr(report, 'files', []))} files to {landing}")
    for stream, count in sorted(rows.items()):
        typer.echo(f"  {stream:<24} {count:>12,}")
