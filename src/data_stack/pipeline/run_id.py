from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from data_stack.errors import UserError

# Run ids name files (builds, bronze Parquet, logs): letters, digits, `_`, `.`, `-` only.
_VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


def new_run_id() -> str:
    """Sortable, unique, safe in file names: `20261122T101500Z-3fa9`."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def check_run_id(run_id: str) -> str:
    if not _VALID.fullmatch(run_id):
        raise UserError(
            f"Invalid run id {run_id!r}",
            "Use up to 80 letters, digits, '_', '.' or '-', starting with a letter or digit",
        )
    return run_id
