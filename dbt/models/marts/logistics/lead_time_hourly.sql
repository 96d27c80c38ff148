{{
    config(
        materialized=silver_materialized('table'),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_days('ship_date', ship_days_touched('not existing.is_final')) }}",
    )
}}

-- Delivered shipments per ship date, carrier, destination region and whole hour of lead time (shipped ->
-- delivered), over every reported shipment like delivery_sla_daily. Lead-time distributions and percentiles
-- (to the hour) for any filter, without scanning the shipment fact.
--
-- is_final is delivery_sla_daily's: the ship date, carrier and region have no pending shipment. Until then
-- their slowest shipments are still on the road, so the distribution of a recent day is short of its tail.
--
-- On DuckDB a run rebuilds only the ship days it touched, and the days still waiting on a shipment, whose pending
-- or overdue status the moving as-of instant decides; a final day cannot change without one of its shipments
-- changing (ADR 0023).-- depends_on: {{ ref('stg_logistics__shipments') }}
with

shipments as (
    select * from {{ ref('int_shipments_measured') }}

    {% if is_incremental() %}
    where {{ in_touched_days('ship_date') }}
    {% endif %}
),

finality as (
    select
        shipments.ship_date,
        shipments.carrier,
        shipments.destination_region,
        sum(case when shipments.is_pending then 1 else 0 end) = 0 as is_final

    from shipments

    group by
        shipments.ship_date,
        shipments.carrier,
        shipments.destination_region
),

delivered as (
    select
        shipments.ship_date,
        shipments.carrier,
        shipments.destination_region,
        cast(floor(shipments.lead_time_hours) as integer) as lead_time_hour,
        cast(count(*) as integer) as delivered_count,
        cast(sum(case when shipments.is_on_time then 1 else 0 end) as integer) as on_time_count

    from shipments

    where shipments.is_delivered

    group by
        shipments.ship_date,
        shipments.carrier,
        shipments.destination_region,
        cast(floor(shipments.lead_time_hours) as integer)
),

final as (
    select
        delivered.ship_date,
        delivered.carrier,
        delivered.destination_region,
        delivered.lead_time_hour,
        delivered.delivered_count,
        delivered.on_time_count,
        finality.is_final

    from delivered

    inner join finality
        on
            delivered.ship_date = finality.ship_date
            and delivered.carrier = finality.carrier
            and delivered.destination_region = finality.destination_region
)

select * from final
