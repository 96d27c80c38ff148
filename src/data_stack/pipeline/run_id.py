from __future__ import annotations

import secrets
from datetime import UTC, datetime


def new_run_id() -> str:
    """Sortable, unique, safe in file names: `20261122T101500Z-3fa9`."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"
