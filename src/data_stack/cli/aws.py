"""AWS commands: `cost` (and `promote`, docs/aws.md)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from data_stack.promote.cost import estimate
from data_stack.settings import PROJECT_ROOT

console = Console()


def register(app: typer.Typer) -> None:
    app.command()(cost)


def cost(
    env: str = typer.Option("dev", "--env", help="Environment: dev, stage or prod (aws/cost/usage-<env>.yml)."),
    with_optional: list[str] = typer.Option([], "--with", help="Add an optional part: mwaa, run_log (off by default)."),
    as_json: bool = typer.Option(False, "--json", help="Print the estimate as JSON."),
) -> None:
    """Monthly cost of an environment for its stated usage, from the price table in aws/cost/."""
    result = estimate(PROJECT_ROOT / "aws" / "cost", env, tuple(with_optional))
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=2))
        return
    table = Table(title=f"{env}: monthly cost ({result.currency}, {result.region}, prices of {result.recorded})")
    table.add_column("item", overflow="fold")
    table.add_column("quantity", justify="right")
    table.add_column("unit")
    table.add_column("$/month", justify="right")
    for line in result.lines:
        table.add_row(line.item, f"{line.quantity:g}", line.unit, f"{line.monthly:,.2f}")
    table.add_row("total", "", "", f"{result.total:,.2f}", style="bold")
    console.print(table)
    verdict = "within" if result.within_budget else "over"
    console.print(f"{verdict} the ${result.budget:.0f}/month budget; prices: aws/cost/prices.yml")
