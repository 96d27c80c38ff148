"""Shipments: the logistics system's nightly export, one file per shipping day.

Every non-cancelled order of the window ships a few hours after it is placed, by a vehicle of the destination
region's depot, with a promise of 20:00 one day (express) or three days (standard) after shipping. The share
delivered late depends on the carrier and the region (vocab.CARRIER_LATE_SHARE, REGION_LATE_SHARE). A row
shows the shipment's state at the end of the generated window: deliveries after it are `in_transit`.
"""

from __future__ import annotations

import duckdb

from data_stack.generate import defects
from data_stack.generate.customers import region_index_sql
from data_stack.generate.plan import Plan
from data_stack.generate.vocab import CARRIER_LATE_SHARE, CARRIERS, REGION_LATE_SHARE, REGIONS, sql_list

COLUMNS = [
    "shipment_id",
    "order_id",
    "carrier",
    "service_level",
    "destination_region",
    "vehicle_id",
    "shipped_at",
    "promised_at",
    "delivered_at",
    "status",
]
LOST_SHARE = 0.003
LOST_AFTER_DAYS = 7  # a shipment this long past its promise is declared lost


def build(conn: duckdb.DuckDBPyConnection, plan: Plan, vehicles_per_region: list[int]) -> None:
    end = plan.window.end_seconds
    conn.execute(
        f"""
        create or replace table shipments as
        with base as (
            select
                order_id,
                order_id * 10 + 1 as shipment_id,
                pick(order_id, 'carrier', {len(CARRIERS)}) as carrier_index,
                {region_index_sql("customer_id")} as region_index,
                is_express,
                order_t + case when is_express then 3600 + pick(order_id, 'picking', 7 * 3600)
                    else 4 * 3600 + pick(order_id, 'picking', 26 * 3600) end as shipped_t
            from order_headers
            where not is_cancelled and not is_late
        ),
        promised as (
            select *,
                (shipped_t // 86400 + case when is_express then 1 else 3 end) * 86400 + 20 * 3600 as promised_t,
                u(order_id, 'late delivery')
                    < {sql_list(CARRIER_LATE_SHARE)}[carrier_index + 1]
                        + {sql_list(REGION_LATE_SHARE)}[region_index + 1]
                    as is_delivered_late,
                u(order_id, 'lost') < {LOST_SHARE} as is_lost
            from base
        ),
        delivered as (
            select *,
                case when is_delivered_late then promised_t + 3600 + pick(order_id, 'delay', 47 * 3600)
                    else shipped_t + ((promised_t - shipped_t) * (0.3 + 0.65 * u(order_id, 'transit')))::bigint
                end as arrival_t
            from promised
        )
        select
            shipped_t // 86400 as file_day_no,
            shipment_id,
            order_id,
            {sql_list(CARRIERS)}[carrier_index + 1] as carrier,
            case when is_express then 'express' else 'standard' end as service_level,
            {sql_list(REGIONS)}[delivered.region_index + 1] as destination_region,
            region_vehicles.vehicle_id,
            shipped_t,
            promised_t,
            case when not is_lost and arrival_t < {end} then arrival_t end as delivered_t,
            case when is_lost and promised_t + {LOST_AFTER_DAYS} * 86400 < {end} then 'lost'
                when not is_lost and arrival_t < {end} then 'delivered'
                else 'in_transit' end as status
        from delivered
        inner join region_vehicles
            on region_vehicles.region_index = delivered.region_index
            and region_vehicles.rank = pick(delivered.order_id, 'vehicle',
                {sql_list(vehicles_per_region)}[delivered.region_index + 1])
        where shipped_t < {end}  -- shipped after the window: not exported yet
        order by file_day_no, shipment_id
        """
    )


def output_sql(plan: Plan) -> str:
    rate = plan.defect_rate
    defect = defects.choose_sql("shipment_id", rate, [(defects.NULL_REQUIRED, 1 / 3)])
    return f"""
        with flagged as (select *, {defect} as _defect from shipments)
        select
            file_day_no,
            shipment_id as sort_key,
            shipment_id,
            order_id,
            case when _defect = '{defects.NULL_REQUIRED}' then null else carrier end as carrier,
            service_level,
            destination_region,
            vehicle_id,
            iso(shipped_t) as shipped_at,
            iso(promised_t) as promised_at,
            iso(delivered_t) as delivered_at,
            status,
            _defect,
            _defect is null and {defects.duplicate_sql("shipment_id", rate)} as _duplicate
        from flagged
    """
