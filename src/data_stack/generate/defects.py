"""Defect kinds and the SQL that injects them (docs/generator.md has the table of what each looks like).

A row gets at most one defect: consecutive ranges of one uniform draw per row, so counts are exact and a
quarantined row is quarantined for one reason. Only rows without a defect are duplicated, so every duplicate
is loaded and every quarantined row appears once.
"""

from __future__ import annotations

from collections.abc import Sequence

DUPLICATE_ROW = "duplicate_row"
NULL_REQUIRED = "null_required"
UNTYPEABLE_VALUE = "untypeable_value"
INVALID_EMAIL = "invalid_email"
NEGATIVE_QUANTITY = "negative_quantity"
ORPHAN_KEY = "orphan_key"
LATE_ROW = "late_row"
DRIFTED_FILE = "drifted_file"
KINDS = (
    DUPLICATE_ROW,
    NULL_REQUIRED,
    UNTYPEABLE_VALUE,
    INVALID_EMAIL,
    NEGATIVE_QUANTITY,
    ORPHAN_KEY,
    LATE_ROW,
    DRIFTED_FILE,
)
QUARANTINED = (NULL_REQUIRED, UNTYPEABLE_VALUE)  # rejected by ingest; every other kind is loaded

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def choose_sql(key: str, rate: float, shares: Sequence[tuple[str, float]]) -> str:
    """SQL naming the defect of a row, or null: kind i when the row's draw falls in its range (share x rate)."""
    if rate <= 0:
        return "null::varchar"
    whens, upper = [], 0.0
    for kind, share in shares:
        upper += share * rate
        whens.append(f"when u({key}, 'defect') < {upper!r}::double then '{kind}'")
    return f"case {' '.join(whens)} end"


def duplicate_sql(key: str, rate: float) -> str:
    """True for a clean row written twice (an exact duplicate line in the same file)."""
    return f"(u({key}, 'duplicate') < {rate!r}::double)" if rate > 0 else "false"


def malformed_timestamp_sql(iso_text: str) -> str:
    """An ISO timestamp with hour 25: looks like a timestamp, cannot be typed as one."""
    return f"(left({iso_text}, 11) || '25' || substr({iso_text}, 14))"


def orphan_id_sql(key: str, salt: str, base: int) -> str:
    return f"({base} + pick({key}, '{salt}', 1000000))"
