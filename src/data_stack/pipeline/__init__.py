"""Pipeline: the stages in order, one writer at a time, every run in the ledger."""

from __future__ import annotations

from data_stack.pipeline.context import RunOutcome
from data_stack.pipeline.runner import STAGES, VALUATIONS, run_stages

__all__ = ["STAGES", "VALUATIONS", "RunOutcome", "run_stages"]
