from __future__ import annotations

import re

from data_stack.settings import Settings

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def dbt_command(settings: Settings, args: list[str]) -> list[str]:
    return [
        *args,
        "--project-dir",
        str(settings.dbt_dir),
        "--profiles-dir",
        str(settings.dbt_dir),
        "--target",
        settings.dbt_target,
    ]


def last_error(tail: list[str]) -> str:
    """The most telling line of a failed dbt run, for a one-line error."""
    lines = [_ANSI.sub("", line).strip() for line in tail]
    for marker in (
        "Runtime Error",
        "Compilation Error",
        "Database Error",
        "Error in model",
        "ERROR",
    ):
        for index, line in enumerate(lines):
            if marker in line:
                detail = next((nxt for nxt in lines[index + 1 : index + 4] if nxt), "")
                return f"{line} {detail}".strip()[:300]
    return (lines[-1] if lines else "no output")[:300]
