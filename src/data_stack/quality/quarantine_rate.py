"""The gate's systemic check on ingestion: a stream that quarantined more than its share of the run's landed rows.

A few bad rows are quarantined and the good ones published; a high rate means something upstream broke (a changed
export, a wrong delimiter) and publishing the remainder would hide it.
"""

from __future__ import annotations

from data_stack.ledger import StreamCounts

# Below this many landed rows a rate says little (one bad row of a one-row drop is 100%): such a stream is left to
# the row-level quarantine and the QuarantineRateHigh alert.
MIN_LANDED_ROWS = 100


def quarantine_breaches(streams: dict[str, StreamCounts], limit: float) -> list[str]:
    """One line per stream whose quarantined / landed rows exceed `limit` (a share, 0..1), among streams that landed
    at least MIN_LANDED_ROWS rows in the run."""
    breaches = []
    for name, counts in sorted(streams.items()):
        if counts.landed >= MIN_LANDED_ROWS and counts.quarantined / counts.landed > limit:
            breaches.append(
                f"{name} quarantined {counts.quarantined / counts.landed:.1%} of {counts.landed:,} landed rows "
                f"(limit {limit:.1%}, QUARANTINE_RATE_MAX)"
            )
    return breaches
