"""How big each source is at a given scale. Scale 1 is the demo: 90 days ≈ 50k orders, 150k order items,
500k clickstream events, 10k customers, 1k products, 200 vehicles."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    customers_at_anchor: int  # signed up before timeline.ANCHOR
    customers_per_90_days: int  # sign-ups after it
    products: int
    vehicles: int
    orders_per_day: float  # mean; the daily count varies with weekday and consumer confidence
    browse_sessions_per_day: float  # sessions without a purchase (purchase sessions follow orders)

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        if not scale > 0:
            raise ValueError(f"scale must be positive, got {scale}")
        root = math.sqrt(scale)
        return cls(
            customers_at_anchor=max(40, round(8_500 * scale)),
            customers_per_90_days=max(3, round(1_500 * scale)),
            products=max(24, round(1_000 * root)),  # dimensions grow slower than facts
            vehicles=max(10, round(200 * root)),
            orders_per_day=max(3.0, 50_000 * scale / 90),
            browse_sessions_per_day=max(5.0, 1_150 * scale),
        )
