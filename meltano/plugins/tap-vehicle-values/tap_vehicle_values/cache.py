"""The response cache in the lake: answers already received are not requested again within the TTL.

`<lake>/cache/vehicle_values/<run_id>-<n>.parquet`, one row per answer (license_plate, state_code, http_status,
fetched_at, run_id). An entry counts only if its run's rows reached the lake (bronze or quarantine of
`vehicles/valuations`), so a run whose target failed after the tap fetched is fetched again, not skipped for a week.
"""

from __future__ import annotations

import posixpath
from datetime import datetime, timedelta

import duckdb

from tap_vehicle_values.fleet import Vehicle
from tap_vehicle_values.lake import glob, is_local, literal, remove, write_rows

COLUMNS = {
    "license_plate": "VARCHAR",
    "state_code": "VARCHAR",
    "http_status": "INTEGER",
    "fetched_at": "TIMESTAMP",  # UTC
    "run_id": "VARCHAR",
}


class ResponseCache:
    def __init__(self, conn: duckdb.DuckDBPyConnection, lake_uri: str, run_id: str, ttl_hours: float) -> None:
        self.conn = conn
        self.lake = lake_uri.rstrip("/")
        self.root = f"{self.lake}/cache/vehicle_values"
        self.run_id = run_id
        self.ttl = timedelta(hours=ttl_hours)
        self.entries: list[dict] = []

    def fresh(self, now: datetime) -> set[tuple[str, str]]:
        """(plate, state) answered within the TTL by a run whose rows are in the lake."""
        if self.ttl <= timedelta(0):
            return set()
        files = glob(self.conn, f"{self.root}/*.parquet")
        landed = sorted(self._landed_runs())
        if not files or not landed:
            return set()
        rows = self.conn.execute(
            f"select distinct license_plate, state_code from read_parquet({literal(files)}, union_by_name = true) "
            f"where fetched_at >= {literal(now - self.ttl)} and list_contains({literal(landed)}, run_id)"
        ).fetchall()
        return {(plate, state) for plate, state in rows}

    def add(self, vehicle: Vehicle, http_status: int, fetched_at: datetime) -> None:
        self.entries.append(
            {
                "license_plate": vehicle.license_plate,
                "state_code": vehicle.state_code,
                "http_status": http_status,
                "fetched_at": fetched_at,
                "run_id": self.run_id,
            }
        )

    def save(self, now: datetime) -> None:
        existing = glob(self.conn, f"{self.root}/*.parquet")
        if self.entries:
            n = 1
            while f"{self.root}/{self.run_id}-{n}.parquet" in existing:
                n += 1
            write_rows(self.conn, f"{self.root}/{self.run_id}-{n}.parquet", self.entries, COLUMNS, "parquet")
            self.entries = []
        self._prune(existing, now)

    def _prune(self, files: list[str], now: datetime) -> None:
        """Files with no entry younger than the TTL can never answer again (local lake; on S3 use a lifecycle rule)."""
        if not files or not is_local(self.root) or self.ttl <= timedelta(0):
            return
        stale = self.conn.execute(
            f"select filename from read_parquet({literal(files)}, filename = true, union_by_name = true) "
            f"group by filename having max(fetched_at) < {literal(now - self.ttl)}"
        ).fetchall()
        for (filename,) in stale:
            remove(filename)

    def _landed_runs(self) -> set[str]:
        names = []
        for zone in ("bronze", "quarantine"):
            names += glob(self.conn, f"{self.lake}/{zone}/vehicles/valuations/*/*.parquet")
        return {posixpath.basename(name).removesuffix(".parquet").rsplit("-", 1)[0] for name in names}
