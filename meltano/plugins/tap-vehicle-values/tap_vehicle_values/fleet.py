"""Which vehicles to value: the fleet register as loaded to bronze, latest load per vehicle_id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb

from tap_vehicle_values.lake import glob, literal


@dataclass(frozen=True)
class Vehicle:
    license_plate: str
    state_code: str

    @property
    def key(self) -> str:
        """A stable, non-identifying key for logs and the audit log."""
        return hashlib.sha256(f"{self.license_plate}|{self.state_code}".encode()).hexdigest()[:16]

    @property
    def context(self) -> dict[str, str]:
        return {"license_plate": self.license_plate, "state_code": self.state_code}


def fleet_vehicles(conn: duckdb.DuckDBPyConnection, lake_uri: str) -> list[Vehicle]:
    """Distinct (plate, state) of the current register, sorted; empty when fleet/vehicles has no bronze yet."""
    files = glob(conn, f"{lake_uri.rstrip('/')}/bronze/fleet/vehicles/*/*.parquet")
    if not files:
        return []
    query = f"""
        with latest as (
            select
                upper(trim(cast(license_plate as varchar))) as license_plate,
                upper(trim(cast(state_code as varchar))) as state_code
            from read_parquet({literal(files)}, union_by_name = true)
            where vehicle_id is not null
            qualify row_number() over (partition by vehicle_id order by _loaded_at desc) = 1
        )
        select distinct license_plate, state_code
        from latest
        where coalesce(license_plate, '') <> '' and coalesce(state_code, '') <> ''
        order by all
    """
    return [Vehicle(plate, state) for plate, state in conn.execute(query).fetchall()]
