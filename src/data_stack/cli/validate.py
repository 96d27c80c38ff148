"""`data-stack validate`: the configuration and every configured part, one line per check."""

from __future__ import annotations

import json

import typer


def register(app: typer.Typer) -> None:
    app.command()(validate)


def validate(
    all_services: bool = typer.Option(
        False, "--all-services", help="Also check the Airflow API, Prometheus and Grafana (the compose stack)."
    ),
    skip: list[str] = typer.Option(
        [], "--skip", metavar="CHECK", help="Leave a check out, e.g. --skip grafana where the stack runs without it."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON."),
) -> None:
    """Check settings, landing, lake, the published warehouse, Postgres serving and the vendor API key."""
    from data_stack.validate import run_checks

    checks = run_checks(all_services, skip=set(skip))
    failed = [check for check in checks if check.failed]
    if as_json:
        typer.echo(json.dumps({"ok": not failed, "checks": [check.to_json() for check in checks]}, indent=2))
    else:
        for check in checks:
            line = f"{check.status:<4}  {check.name:<11}  {check.detail}"
            if check.action and check.status != "ok":
                line += f". {check.action}."
            typer.secho(line, fg={"ok": "green", "fail": "red"}.get(check.status))
        typer.echo(f"{len(failed)} of {len(checks)} checks failed" if failed else f"all {len(checks)} checks passed")
    if failed:
        raise typer.Exit(1)
