"""How big each source is at a given scale. Scale 1 is the demo data set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

EPOCH = date(2020, 1, 1)  # ids embed the day number since this date, so later drops never collide
ID_DAY_FACTOR = 1_000_000
POPULATION_DATE = date(2025, 12, 31)  # customers and fleet snapshot file date


@dataclass(frozen=True)
class Sizes:
    customers: int
    products: int
    vehicles: int
    orders_per_day: int
    sessions_per_day: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        return cls(
            customers=max(50, round(10_000 * scale)),
            products=max(20, round(1_000 * scale**0.5)),
            vehicles=max(5, round(200 * scale**0.5)),
            orders_per_day=max(5, round(50_000 * scale / 90)),
            sessions_per_day=max(10, round(50_000 * scale / 90 * 2)),
        )


def day_number(day: date) -> int:
    return (day - EPOCH).days
