"""Small helpers to build metric families: one `data_stack_` prefix, base units, no run-id labels."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

PREFIX = "data_stack_"


def gauge(name: str, doc: str, labels: Iterable[str] = ()) -> GaugeMetricFamily:
    return GaugeMetricFamily(PREFIX + name, doc, labels=list(labels))


def counter(name: str, doc: str, labels: Iterable[str] = ()) -> CounterMetricFamily:
    # prometheus-client appends `_total` to a counter's samples.
    return CounterMetricFamily(PREFIX + name, doc, labels=list(labels))


def epoch(value: str | datetime | None) -> float | None:
    """Seconds since the epoch for the ledger's ISO-8601 UTC strings (or a datetime)."""
    if value is None:
        return None
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return stamp.timestamp()
