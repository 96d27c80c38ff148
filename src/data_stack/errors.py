"""User-facing errors: one line, "reason. what to do."."""

from __future__ import annotations


class UserError(Exception):
    """An error the user can act on. The CLI prints `reason. action.` and exits non-zero."""

    exit_code = 1

    def __init__(self, reason: str, action: str) -> None:
        super().__init__(f"{reason.rstrip('.')}. {action.rstrip('.')}.")
        self.reason = reason
        self.action = action


class RunLocked(UserError):
    exit_code = 3


class GateFailed(UserError):
    exit_code = 4


class StageFailed(UserError):
    exit_code = 2
