"""The run ledger: every run, its stages, rows per stream and quality results."""

from __future__ import annotations

from data_stack.ledger.store import Ledger, RunRecord, StreamCounts

__all__ = ["Ledger", "RunRecord", "StreamCounts"]
