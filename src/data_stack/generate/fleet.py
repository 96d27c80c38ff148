"""The delivery fleet (scale + seed): vans, box trucks and cargo bikes spread over the regional depots."""

from __future__ import annotations

import duckdb

from data_stack.generate.plan import Plan
from data_stack.generate.vocab import REGION_STATES, REGIONS, VEHICLE_MODELS, sql_list, weighted_slots

COLUMNS = [
    "vehicle_id",
    "license_plate",
    "state_code",
    "make",
    "model",
    "model_year",
    "vehicle_type",
    "capacity_kg",
    "depot_region",
    "in_service_date",
]
# vans are most of the fleet, then box trucks, then cargo bikes
MODEL_SLOTS = weighted_slots([14, 10, 16, 12, 8, 12, 8, 10], slots=100)


def build(conn: duckdb.DuckDBPyConnection, plan: Plan) -> list[int]:
    """Create `vehicles` and `region_vehicles(region_index, rank, vehicle_id)`; return vehicles per region."""
    makes = sql_list([make for make, _, _, _ in VEHICLE_MODELS])
    models = sql_list([model for _, model, _, _ in VEHICLE_MODELS])
    types = sql_list([kind for _, _, kind, _ in VEHICLE_MODELS])
    low = sql_list([low for _, _, _, (low, _) in VEHICLE_MODELS])
    high = sql_list([high for _, _, _, (_, high) in VEHICLE_MODELS])
    letter = "chr(65 + pick(vehicle_id, 'plate {n}', 26)::integer)"
    conn.execute(
        f"""
        create or replace table vehicles as
        with base as (
            select
                vehicle_id,
                (vehicle_id - 1) % {len(REGIONS)} as region_index,  -- every depot has vehicles
                {sql_list(MODEL_SLOTS)}[1 + pick(vehicle_id, 'model', {len(MODEL_SLOTS)})] + 1 as model_index,
                2016 + pick(vehicle_id, 'model year', 10) as model_year
            from range(1, {plan.sizes.vehicles + 1}) as ids(vehicle_id)
        )
        select
            vehicle_id,
            region_index,
            {letter.format(n=1)} || {letter.format(n=2)} || {letter.format(n=3)} || '-'
                || lpad((vehicle_id % 10000)::varchar, 4, '0') as license_plate,
            {sql_list(REGION_STATES)}[region_index + 1][1 + pick(vehicle_id, 'state', {len(REGION_STATES[0])})]
                as state_code,
            {makes}[model_index] as make,
            {models}[model_index] as model,
            model_year::integer as model_year,
            {types}[model_index] as vehicle_type,
            ({low}[model_index]
                + 50 * pick(vehicle_id, 'capacity', ({high}[model_index] - {low}[model_index]) // 50 + 1))::integer
                as capacity_kg,
            {sql_list(REGIONS)}[region_index + 1] as depot_region,
            make_date(model_year::bigint, 1, 1) + pick(vehicle_id, 'in service', 365)::integer as in_service_date
        from base
        """
    )
    conn.execute(
        """
        create or replace table region_vehicles as
        select region_index, row_number() over (partition by region_index order by vehicle_id) - 1 as rank, vehicle_id
        from vehicles
        """
    )
    counts = dict(conn.execute("select region_index, count(*) from region_vehicles group by all").fetchall())
    return [counts.get(index, 0) for index in range(len(REGIONS))]


def output_sql() -> str:
    return f"""
        select {", ".join(COLUMNS[:-1])}, strftime(in_service_date, '%Y-%m-%d') as in_service_date
        from vehicles
    """
