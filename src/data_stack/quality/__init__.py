"""Quality gate: dbt tests plus Great Expectations suites on every gold data product."""

from __future__ import annotations

from data_stack.quality.dbt_tests import start_tests_ahead
from data_stack.quality.gate import GateResult, run_gate

__all__ = ["GateResult", "run_gate", "start_tests_ahead"]
