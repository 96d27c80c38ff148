"""Pipeline: the stages in order, one writer at a time, every run in the ledger."""

from __future__ import annotations

from data_stack.pipeline.runner import STAGES, RunOutcome, run_stages

__all__ = ["STAGES", "RunOutcome", "run_stages"]
