"""Calendar and id layout shared by every source.

Ids embed the day number since EPOCH, so a drop generated for a later start date continues the id sequences
instead of colliding with earlier drops; populations (customers, products, vehicles) depend only on scale and
seed, so every drop references the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

EPOCH = date(2020, 1, 1)  # day numbers, ids and the customer timeline count from here
DAY_SECONDS = 86_400
EPOCH_UNIX = (EPOCH - date(1970, 1, 1)).days * DAY_SECONDS
ANCHOR = date(2026, 1, 1)  # customers signed up before this date form the base population

ID_DAY = 10_000_000  # order_id = day number * ID_DAY + sequence of the day
LATE_SEQUENCE = 9_000_000  # sequences of late-arriving orders start here
PURCHASE_SESSION_SEQUENCE = 5_000_000  # session number = day number * ID_DAY + this + order sequence
ITEMS_PER_ORDER = 100  # order_item_id = order_id * ITEMS_PER_ORDER + line
ORPHAN_BASE = 900_000_000  # orphan customer and product ids start here: never part of a population


def day_number(day: date) -> int:
    return (day - EPOCH).days


def week_number(day_no: int) -> int:
    """Weeks since EPOCH's ISO week, starting on Mondays (EPOCH is a Wednesday)."""
    return (day_no + EPOCH.weekday()) // 7


def week_sql(day_no: str) -> str:
    """SQL of week_number()."""
    return f"(({day_no}) + {EPOCH.weekday()}) // 7"


def monday_sql(week_no: str) -> str:
    """SQL: the day number of a week's Monday."""
    return f"(({week_no}) * 7 - {EPOCH.weekday()})"


@dataclass(frozen=True)
class Window:
    """The days a generation covers: one nightly drop per day."""

    start: date
    days: int

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError(f"days must be at least 1, got {self.days}")
        if self.start < EPOCH:
            raise ValueError(f"start_date must be on or after {EPOCH.isoformat()}, got {self.start.isoformat()}")

    @property
    def last(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    @property
    def start_no(self) -> int:
        return day_number(self.start)

    @property
    def last_no(self) -> int:
        return day_number(self.last)

    @property
    def end_seconds(self) -> int:
        """Seconds since EPOCH at the end of the last day: what the exports know about."""
        return (self.last_no + 1) * DAY_SECONDS

    @property
    def drift_day(self) -> date:
        return self.start + timedelta(days=self.days // 2)

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range(self.days)]

    def weekly_dates(self) -> list[date]:
        """Days with a weekly drop (catalog snapshot, market indicators): the first day, then every 7 days."""
        return [day for offset, day in enumerate(self.dates()) if offset % 7 == 0]
