"""Serving layer: copy the published gold marts into Postgres in one transaction, for dashboards."""

from __future__ import annotations

from data_stack.serving.load import SERVED_SCHEMAS, ServingError, ServingLoad, load_published
from data_stack.serving.reader import connect_dashboard, connect_readonly, served_run
from data_stack.serving.stage import serve_published

__all__ = [
    "SERVED_SCHEMAS",
    "ServingError",
    "ServingLoad",
    "connect_dashboard",
    "connect_readonly",
    "load_published",
    "serve_published",
    "served_run",
]
