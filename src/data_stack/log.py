"""One configured logger for the package."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

LOGGER_NAME = "data_stack"


def configure(debug: bool = False) -> None:
    level = logging.DEBUG if debug else logging.INFO
    # Logs go to stderr: stdout carries the command's result (`--json` output is read by scripts and Airflow).
    handler = RichHandler(console=Console(stderr=True), show_path=debug, rich_tracebacks=debug, markup=False)
    logging.basicConfig(level=logging.WARNING, handlers=[handler], format="%(message)s", force=True)
    logging.getLogger(LOGGER_NAME).setLevel(level)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name if name.startswith(LOGGER_NAME) else f"{LOGGER_NAME}.{name}")
