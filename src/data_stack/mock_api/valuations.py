"""What the mock vendor answers: a valuation derived from a hash of plate + state, so every call agrees."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

# The 50 states and DC; anything else is an unknown registration state (404).
_STATES = """
AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO
MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY
"""
STATE_CODES = frozenset(_STATES.split())
MAKES = ("Ford", "Mercedes-Benz", "Ram", "Chevrolet", "Rivian", "Isuzu", "Nissan", "Volkswagen")
VALUED_FROM = datetime(2026, 1, 1, tzinfo=UTC)
SOURCE = "northwind-mock-vmv"


def normalize(license_plate: str, state_code: str) -> tuple[str, str]:
    return license_plate.strip().upper(), state_code.strip().upper()


def valuation(license_plate: str, state_code: str) -> dict[str, Any]:
    """The vendor's answer for a known state; the same plate and state always give the same payload."""
    plate, state = normalize(license_plate, state_code)
    digest = hashlib.sha256(f"{plate}|{state}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    valued_at = VALUED_FROM + timedelta(days=number % 90)
    return {
        "license_plate": plate,
        "state_code": state,
        "make": MAKES[number % len(MAKES)],
        "model_year": 2016 + (number >> 8) % 10,
        "valuation_usd": round(8_000 + (number >> 16) % 7_700_000 / 100, 2),
        "currency": "USD",
        "valued_at": valued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": SOURCE,
    }
