"""Quality gate: dbt tests plus Great Expectations suites on every gold data product."""

from __future__ import annotations

from data_stack.quality.gate import GateResult, run_gate

__all__ = ["GateResult", "run_gate"]
