"""AWS commands: `promote` and `cost` (docs/aws.md)."""

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
    app.command()(promote)


def promote(
    env: str = typer.Option("dev", "--env", help="Environment: aws/envs/<env> (dev, stage, prod)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Rehearse against moto's server even with credentials."),
    yes: bool = typer.Option(False, "--yes", help="Apply the Terraform plan without asking."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Checks, then the promotion to AWS — or, without credentials or with --dry-run, its rehearsal on moto."""
    from data_stack.promote.run import promote as run_promote
    from data_stack.settings import get_settings

    outcome = run_promote(get_settings(), env, dry_run=dry_run, yes=yes)
    if as_json:
        typer.echo(json.dumps(outcome.to_json(), indent=2))
        return
    title = "rehearsal on moto's server (no AWS account touched)" if outcome.mode == "rehearsal" else "on AWS"
    console.print(f"[bold]promote {env}: {title}[/]")
    for check, result in outcome.checks.items():
        console.print(f"  check {check}: {result}")
    table = Table(title="done", title_justify="left")
    table.add_column("step", overflow="fold")
    table.add_column("count", justify="right")
    for step in outcome.steps:
        table.add_row(str(step["action"]), f"{step['count']:,}" if step["count"] else "")
    console.print(table)
    if outcome.planned:
        console.print("[bold]the promotion with AWS credentials would:[/]")
        for number, line in enumerate(outcome.planned, start=1):
            console.print(f"  {number}. {line}")


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
