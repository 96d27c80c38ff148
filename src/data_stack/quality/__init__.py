"""Quality gate: dbt tests plus Great Expectations suites on every gold data product."""

from __future__ import annotations

from data_stack.quality.gate import GateResult, run_gate
from data_stack.quality.gx_suites import preload_gx

__all__ = ["GateResult", "preload_gx", "run_gate"]
