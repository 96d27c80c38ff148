"""How numbers read on the dashboards: full figures with separators, units in the label or the value."""

from __future__ import annotations

import math

NONE = "n/a"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, cents: bool = False) -> str:
    if _missing(value):
        return NONE
    return f"${value:,.2f}" if cents else f"${value:,.0f}"


def count(value: float | None) -> str:
    return NONE if _missing(value) else f"{value:,.0f}"


def pct(value: float | None, digits: int = 1) -> str:
    return NONE if _missing(value) else f"{value * 100:.{digits}f}%"


def hours(value: float | None) -> str:
    return NONE if _missing(value) else f"{value:,.1f} h"


def change(current: float | None, previous: float | None, *, points: bool = False) -> str | None:
    """The delta shown under a metric: relative change, or percentage points for rates."""
    if _missing(current) or _missing(previous):
        return None
    if points:
        return f"{(current - previous) * 100:+.1f} pp"
    if previous == 0:
        return None
    return f"{(current - previous) / abs(previous) * 100:+.1f}%"
