"""Logistics: on-time rate and lead times by carrier and region, and the fleet with its valuations."""

from __future__ import annotations

from data_stack.dashboards.filters import Filters, Query, between, one_of, where

LEAD_TIME_BUCKET_HOURS = 12


def kpis(f: Filters) -> Query:
    clause, params = where(between("ship_date", f.start, f.end), one_of("destination_region", f.regions))
    return Query(
        "select sum(shipment_count) as shipments, sum(delivered_count) as delivered, sum(lost_count) as lost, "
        "cast(sum(on_time_count) as double precision) / nullif(sum(delivered_count), 0) as on_time_rate "
        f"from logistics.delivery_sla_daily {clause}",
        tuple(params),
    )


def on_time_by_carrier_region(f: Filters) -> Query:
    clause, params = where(between("ship_date", f.start, f.end), one_of("destination_region", f.regions))
    return Query(
        "select carrier, destination_region, sum(delivered_count) as delivered, "
        "cast(sum(on_time_count) as double precision) / nullif(sum(delivered_count), 0) as on_time_rate "
        f"from logistics.delivery_sla_daily {clause} "
        "group by carrier, destination_region order by carrier, destination_region",
        tuple(params),
    )


def lead_time_distribution(f: Filters) -> Query:
    """Delivered shipments per carrier and 12-hour lead-time bucket (shipped -> delivered)."""
    clause, params = where(
        between("ship_date", f.start, f.end),
        one_of("destination_region", f.regions),
        ("is_delivered", []),
    )
    bucket = LEAD_TIME_BUCKET_HOURS
    return Query(
        f"select carrier, cast(floor(lead_time_hours / {bucket}) * {bucket} as integer) as lead_time_bucket_hours, "
        f"count(*) as shipments from logistics.shipments {clause} "
        "group by 1, 2 order by 1, 2",
        tuple(params),
    )


def lead_time_by_carrier(f: Filters) -> Query:
    clause, params = where(
        between("ship_date", f.start, f.end),
        one_of("destination_region", f.regions),
        ("is_delivered", []),
    )
    return Query(
        "select carrier, count(*) as delivered, "
        "percentile_cont(0.5) within group (order by lead_time_hours) as median_lead_time_hours, "
        "percentile_cont(0.9) within group (order by lead_time_hours) as p90_lead_time_hours, "
        "cast(sum(case when is_on_time then 1 else 0 end) as double precision) / count(*) as on_time_rate "
        f"from logistics.shipments {clause} group by carrier order by carrier",
        tuple(params),
    )


def fleet(f: Filters) -> Query:
    """The fleet register (regions filter the depot), busiest first, with the vendor valuation."""
    clause, params = where(one_of("depot_region", f.regions))
    return Query(
        "select vehicle_id, make, model, model_year, vehicle_type, depot_region, shipment_count, "
        "cast(on_time_count as double precision) / nullif(delivered_count, 0) as on_time_rate, "
        "valuation_usd, valued_at, is_in_fleet_register "
        f"from logistics.fleet_vehicles {clause} order by shipment_count desc, vehicle_id",
        tuple(params),
    )


QUERIES = (kpis, on_time_by_carrier_region, lead_time_distribution, lead_time_by_carrier, fleet)
