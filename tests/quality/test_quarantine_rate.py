from __future__ import annotations

from data_stack.ledger import StreamCounts
from data_stack.quality.gate import GateResult
from data_stack.quality.quarantine_rate import quarantine_breaches


def test_a_stream_above_the_limit_is_named_with_its_rate():
    streams = {
        "orders__orders": StreamCounts(1000, 920, 80),
        "customers__customers": StreamCounts(200, 190, 10),  # exactly 5%: allowed
        "market__indicators": StreamCounts(0, 0, 0),
        "logistics__shipments": StreamCounts(99, 0, 99),  # too few rows to judge a rate
    }
    assert quarantine_breaches(streams, 0.05) == [
        "orders__orders quarantined 8.0% of 1,000 landed rows (limit 5.0%, QUARANTINE_RATE_MAX)"
    ]
    assert quarantine_breaches(streams, 0.1) == []
    assert len(quarantine_breaches(streams, 0.0)) == 2


def test_a_breach_fails_the_gate_and_comes_first():
    class Passed:
        failed, failures, warnings = 0, [], []

    gate = GateResult(dbt=Passed(), gx=Passed(), quarantine=["orders__orders quarantined 8.0% …"])
    assert not gate.passed and gate.failures()[0].startswith("orders__orders quarantined")
    assert GateResult(dbt=Passed(), gx=Passed()).passed
