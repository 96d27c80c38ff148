"""`data-stack analyze`: profile a landing file, glob or mart; one standalone HTML report, `--json` for agents."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from data_stack.analyze.engine import DEFAULT_MEMORY_LIMIT


def register(app: typer.Typer) -> None:
    app.command()(analyze)


def analyze(
    source: str = typer.Option(
        ...,
        "--source",
        help="A landing file or glob (CSV, JSON, JSON lines; .gz/.zst too), relative to here or to the landing "
        "folder, or a published mart (marketing.orders, or just orders).",
    ),
    output: Path | None = typer.Option(
        None, "--output", help="Where to write the HTML report (default: <DATA_DIR>/reports/<source>.html)."
    ),
    memory_limit: str = typer.Option(
        DEFAULT_MEMORY_LIMIT, "--memory-limit", help="DuckDB's memory cap; beyond it DuckDB spills to disk."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the profile as JSON (the report is written too)."),
) -> None:
    """Profile a source before it is modelled: types, nulls, distinct values, quantiles, top values, charts,
    outliers, key candidates and a suggested contract."""
    from data_stack.analyze import analyze as run_analysis
    from data_stack.analyze import default_report_path, write_report
    from data_stack.settings import get_settings

    settings = get_settings()
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("profiling", total=None)
        profile = run_analysis(
            source,
            settings,
            memory_limit=memory_limit,
            on_column=lambda name: progress.update(task, description=f"profiled {name}"),
        )
    path = write_report(profile, output or default_report_path(settings, str(profile.source["slug"])))
    profile.report = str(path)
    if as_json:
        typer.echo(json.dumps(profile.to_json(), indent=2, ensure_ascii=False))
        return
    shape = f"{_count(profile.rows, 'row')}, {_count(len(profile.columns), 'column')}"
    typer.echo(f"{profile.source['name']}: {shape}; key candidates: {profile.keys_shown()}")
    if near := profile.near_keys_shown():
        typer.echo(f"almost keys: {near}")
    for note in profile.notes:
        typer.echo(note)
    typer.echo(f"report: {path}")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
