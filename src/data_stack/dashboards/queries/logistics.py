"""Logistics: on-time rate and lead times by carrier and region, and the fleet with its valuations.

Every on-time rate is on time / (delivered + overdue): an undelivered shipment past its promise counts as late,
one not due yet (pending) is left out (dbt/models/marts/logistics/delivery_sla_daily.sql). A rate per ship day is
shown only once the day is final (is_final: none pending); rates over a period sum the decided shipments."""

from __future__ import annotations

from data_stack.dashboards.filters import Filters, Query, between, one_of, where

LEAD_TIME_BUCKET_HOURS = 12
ON_TIME_RATE = "cast(sum(on_time_count) as double precision) / nullif(sum(delivered_count) + sum(overdue_count), 0)"


def kpis(f: Filters) -> Query:
    clause, params = where(between("ship_date", f.start, f.end), one_of("destination_region", f.regions))
    return Query(
        "select sum(shipment_count) as shipments, sum(delivered_count) as delivered, sum(lost_count) as lost, "
        f"sum(overdue_count) as overdue, sum(pending_count) as pending, {ON_TIME_RATE} as on_time_rate, "
        f"max(as_of_at) as as_of_at from logistics.delivery_sla_daily {clause}",
        tuple(params),
    )


def on_time_by_carrier_region(f: Filters) -> Query:
    clause, params = where(between("ship_date", f.start, f.end), one_of("destination_region", f.regions))
    return Query(
        f"select carrier, destination_region, sum(delivered_count) as delivered, {ON_TIME_RATE} as on_time_rate "
        f"from logistics.delivery_sla_daily {clause} "
        "group by carrier, destination_region order by carrier, destination_region",
        tuple(params),
    )


def outcomes_by_day(f: Filters) -> Query:
    """Shipments per ship date by outcome as of the data's latest event: on time, delivered late, overdue, pending;
    the day's on-time rate only once it is final (the mart's is_final on every row of the day)."""
    clause, params = where(between("ship_date", f.start, f.end), one_of("destination_region", f.regions))
    return Query(
        "select ship_date, sum(on_time_count) as on_time, sum(delivered_count) - sum(on_time_count) as delivered_late, "
        "sum(overdue_count) as overdue, sum(pending_count) as pending, bool_and(is_final) as is_final, "
        f"case when bool_and(is_final) then {ON_TIME_RATE} end as on_time_rate "
        f"from logistics.delivery_sla_daily {clause} group by ship_date order by ship_date",
        tuple(params),
    )


def lead_time_distribution(f: Filters) -> Query:
    """Delivered shipments per carrier and 12-hour lead-time bucket (shipped -> delivered)."""
    clause, params = where(between("ship_date", f.start, f.end), one_of("destination_region", f.regions))
    bucket = LEAD_TIME_BUCKET_HOURS
    return Query(
        f"select carrier, cast(floor(lead_time_hour / {bucket}.0) * {bucket} as integer) as lead_time_bucket_hours, "
        f"sum(delivered_count) as shipments from logistics.lead_time_hourly {clause} "
        "group by 1, 2 order by 1, 2",
        tuple(params),
    )


def lead_time_by_carrier(f: Filters) -> Query:
    """Median and 90th percentile lead time per carrier, to the hour: interpolated inside the hour where the
    running count of delivered shipments passes half (nine tenths) of the carrier's total. The on-time rate is
    the carrier's over delivered and overdue shipments (delivery_sla_daily), not over delivered ones only."""
    clause, params = where(between("ship_date", f.start, f.end), one_of("destination_region", f.regions))
    sql = f"""
        with hours as (
            select carrier, lead_time_hour, sum(delivered_count) as n
            from logistics.lead_time_hourly {clause}
            group by carrier, lead_time_hour
        ),
        running as (
            select carrier, lead_time_hour, n,
                   sum(n) over (partition by carrier order by lead_time_hour) as through,
                   sum(n) over (partition by carrier) as total
            from hours
        ),
        percentiles as (
            select carrier, max(total) as delivered,
                   max(case when through >= 0.5 * total and through - n < 0.5 * total
                       then lead_time_hour + (0.5 * total - (through - n)) / n end) as median_lead_time_hours,
                   max(case when through >= 0.9 * total and through - n < 0.9 * total
                       then lead_time_hour + (0.9 * total - (through - n)) / n end) as p90_lead_time_hours
            from running
            group by carrier
        ),
        rates as (
            select carrier, {ON_TIME_RATE} as on_time_rate
            from logistics.delivery_sla_daily {clause}
            group by carrier
        )
        select percentiles.carrier, percentiles.delivered, percentiles.median_lead_time_hours,
               percentiles.p90_lead_time_hours, rates.on_time_rate
        from percentiles
        left join rates on rates.carrier = percentiles.carrier
        order by percentiles.carrier
    """
    return Query(sql, (*params, *params))


def fleet(f: Filters) -> Query:
    """The fleet register (regions filter the depot), busiest first, with the vendor valuation."""
    clause, params = where(one_of("depot_region", f.regions))
    return Query(
        "select vehicle_id, make, model, model_year, vehicle_type, depot_region, shipment_count, "
        "cast(on_time_count as double precision) / nullif(delivered_count + overdue_count, 0) as on_time_rate, "
        "valuation_usd, valued_at, is_in_fleet_register "
        f"from logistics.fleet_vehicles {clause} order by shipment_count desc, vehicle_id",
        tuple(params),
    )


QUERIES = (kpis, on_time_by_carrier_region, outcomes_by_day, lead_time_distribution, lead_time_by_carrier, fleet)
