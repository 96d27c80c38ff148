"""The request log for audit: one JSON line per request attempt, `<lake>/audit/vehicle_api/<run_id>.jsonl`.

Fields: at (UTC), run_id, vehicle_key (a hash of plate and state, not the plate), attempt, status (HTTP status, null
when no response), latency_ms, outcome, retry_in_s (the wait before the next attempt), error, circuit_opened (true
on the request after which the circuit breaker stopped the run). Never the API key, headers or URLs.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from tap_vehicle_values.lake import glob, write_rows

COLUMNS = {
    "at": "VARCHAR",
    "run_id": "VARCHAR",
    "vehicle_key": "VARCHAR",
    "attempt": "INTEGER",
    "status": "INTEGER",
    "latency_ms": "DOUBLE",
    "outcome": "VARCHAR",
    "retry_in_s": "DOUBLE",
    "error": "VARCHAR",
    "circuit_opened": "BOOLEAN",
}


class AuditLog:
    def __init__(self, conn: duckdb.DuckDBPyConnection, lake_uri: str, run_id: str) -> None:
        self.conn = conn
        self.root = f"{lake_uri.rstrip('/')}/audit/vehicle_api"
        self.run_id = run_id
        self.entries: list[dict] = []

    def record(
        self,
        *,
        vehicle_key: str,
        attempt: int,
        status: int | None,
        latency_ms: float | None,
        outcome: str,
        error: str | None = None,
    ) -> dict:
        entry = {
            "at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "run_id": self.run_id,
            "vehicle_key": vehicle_key,
            "attempt": attempt,
            "status": status,
            "latency_ms": None if latency_ms is None else round(latency_ms, 1),
            "outcome": outcome,
            "retry_in_s": None,
            "error": error,
            "circuit_opened": False,
        }
        self.entries.append(entry)
        return entry

    def count(self, outcome: str) -> int:
        return sum(1 for entry in self.entries if entry["outcome"] == outcome)

    def save(self) -> str | None:
        if not self.entries:
            return None
        existing = set(glob(self.conn, f"{self.root}/{self.run_id}*.jsonl"))
        path, n = f"{self.root}/{self.run_id}.jsonl", 1
        while path in existing:
            n += 1
            path = f"{self.root}/{self.run_id}-{n}.jsonl"
        write_rows(self.conn, path, self.entries, COLUMNS, "json")
        return path
