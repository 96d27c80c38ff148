-- Delivered shipments per ship date, carrier, destination region and whole hour of lead time (shipped ->
-- delivered), over every reported shipment like delivery_sla_daily. Lead-time distributions and percentiles
-- (to the hour) for any filter, without scanning the shipment fact.
with

shipments as (
    select * from {{ ref('int_shipments_measured') }}
),

final as (
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
)

select * from final
