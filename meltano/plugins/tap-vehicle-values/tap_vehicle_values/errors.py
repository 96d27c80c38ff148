"""Conditions that stop the sync. The message is the one line the user sees: what happened, what to do."""

from __future__ import annotations


class SyncStopped(BaseException):
    """The tap stops and exits non-zero, so the pipeline marks the run failed.

    A BaseException, like SystemExit: it is a decision to stop, not an error to handle, so the SDK's generic
    `except Exception` handlers neither log it again nor wrap it; `tap.main` prints it as one line.
    """


class CircuitOpen(SyncStopped):
    pass


class ApiKeyRejected(SyncStopped):
    pass


class RetryAfterTooLong(SyncStopped):
    pass
