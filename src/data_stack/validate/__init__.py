"""`data-stack validate`: is the configuration sound and is every configured part reachable?

Each check gives one line: `ok`, `fail` (with what to do) or `skip` (not configured, or nothing to look at yet).
Checks only read: nothing is created, and every network call has a short timeout.
"""

from __future__ import annotations

from data_stack.validate.checks import Check, run_checks

__all__ = ["Check", "run_checks"]
