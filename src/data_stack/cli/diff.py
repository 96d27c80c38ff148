"""`data-stack diff`: what a build changes in the marts against the published warehouse (or another build)."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command()(diff)


def diff(
    build: Path = typer.Option(..., "--build", help="The warehouse file to compare (a build, or any .duckdb)."),
    against: Path | None = typer.Option(
        None, "--against", help="The warehouse to compare with. Default: the published current.duckdb."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the diff as JSON."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the diff as Markdown (a pull request summary)."),
) -> None:
    """Per mart: schema changes, rows added / removed / changed by key, values changed per column, measure totals."""
    from data_stack.diff import diff_warehouses
    from data_stack.diff.render import to_json, to_markdown, to_text
    from data_stack.errors import UserError
    from data_stack.serving.contract import primary_keys
    from data_stack.settings import get_settings

    settings = get_settings()
    against = against or settings.published_db
    for path, what in ((build, "--build"), (against, "--against")):
        if not path.is_file():
            hint = "Run `data-stack run` to publish one" if path == settings.published_db else "Name an existing file"
            raise UserError(f"{what}: no warehouse at {path}", hint)
    result = diff_warehouses(build, against, primary_keys(settings.dbt_dir))
    if as_json:
        typer.echo(json.dumps(to_json(result), indent=2, default=str))
    elif markdown:
        typer.echo(to_markdown(result), nl=False)
    else:
        typer.echo(to_text(result))
