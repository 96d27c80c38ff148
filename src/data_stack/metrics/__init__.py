"""Prometheus metrics, read at scrape time from the run ledger, the published warehouse, the lake and Postgres.

Nothing is pushed: a killed run cannot leave a stale value behind, and what Prometheus sees is what the ledger says.
"""

from __future__ import annotations

from data_stack.metrics.collector import StackCollector, exposition
from data_stack.metrics.server import serve

__all__ = ["StackCollector", "exposition", "serve"]
