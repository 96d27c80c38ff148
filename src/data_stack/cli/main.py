"""`data-stack` CLI: a thin layer; every command calls one stage module."""

from __future__ import annotations

import sys

import click
import typer

from data_stack.cli import analyze, aws, data, diff, mcp, metrics, mock_api, pipeline, status, validate
from data_stack.diagnose import Cause, cause_of
from data_stack.errors import StageFailed, UserError
from data_stack.log import configure
from data_stack.settings import get_settings

app = typer.Typer(
    name="data-stack",
    help="Northwind Trading's data stack: generate → ingest → transform → check → publish.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Verbose logs and full tracebacks."),
) -> None:
    configure(debug)


data.register(app)
pipeline.register(app)
status.register(app)
mock_api.register(app)
metrics.register(app)
aws.register(app)
validate.register(app)
mcp.register(app)
analyze.register(app)
diff.register(app)


def main() -> None:
    debug = "--debug" in sys.argv
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)  # a command's typer.Exit(code): click returns it instead of raising outside standalone mode
    except UserError as exc:
        if debug:
            raise
        typer.secho(f"error: {exc}", err=True, fg="red")
        sys.exit(exc.exit_code)
    except (click.exceptions.Exit, typer.Exit) as exc:
        sys.exit(exc.exit_code)
    except (click.ClickException, typer.TyperException) as exc:
        # typer vendors its own click: a mistyped command or option is its UsageError (usage line, message, exit 2)
        if hasattr(exc, "show"):
            exc.show()
        else:
            typer.secho(f"error: {exc.format_message()}", err=True, fg="red")
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort, typer.Abort):
        typer.secho("error: interrupted. The published warehouse is unchanged.", err=True, fg="red")
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        cause = _known_fault(exc)
        if cause is not None:
            typer.secho(f"error: {cause.reason}. {cause.action}.", err=True, fg="red")
            sys.exit(StageFailed.exit_code)
        typer.secho(
            f"error: unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}. "
            "Re-run with --debug for the traceback.",
            err=True,
            fg="red",
        )
        sys.exit(1)


def _known_fault(exc: Exception) -> Cause | None:
    """A full disk or an unreachable object store behind an unexpected error (e.g. `status` on a full disk)."""
    try:
        return cause_of(exc, get_settings())
    except Exception:  # the settings themselves are broken: the original error stands
        return None


if __name__ == "__main__":
    main()
