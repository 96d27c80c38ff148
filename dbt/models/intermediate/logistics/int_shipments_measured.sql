-- Every current shipment with its delivery measures: on time means delivered no later than promised;
-- lead time is shipped -> delivered in hours. Shipments whose order is not loaded yet are kept here
-- (the SLA counts them) and flagged for the shipments fact.
with

shipments as (
    select * from {{ ref('stg_logistics__shipments') }}
),

orders as (
    select * from {{ ref('stg_orders__orders') }}
),

final as (
    select
        shipments.shipment_id,
        shipments.order_id,
        shipments.vehicle_id,
        shipments.carrier,
        shipments.service_level,
        shipments.destination_region,
        shipments.status,
        shipments.shipped_at,
        cast(shipments.shipped_at as date) as ship_date,
        shipments.promised_at,
        shipments.delivered_at,
        cast(shipments.delivered_at as date) as delivery_date,
        shipments.delivered_at is not null as is_delivered,
        coalesce(shipments.delivered_at <= shipments.promised_at, false) as is_on_time,
        coalesce(shipments.status = 'lost', false) as is_lost,
        cast(
            round({{ dbt.datediff('shipments.shipped_at', 'shipments.delivered_at', 'minute') }} / 60.0, 2)
            as double
        ) as lead_time_hours,
        cast(
            round({{ dbt.datediff('shipments.shipped_at', 'shipments.promised_at', 'minute') }} / 60.0, 2)
            as double
        ) as promised_lead_time_hours,
        orders.order_id is not null as has_known_order,
        shipments._loaded_at,
        orders._loaded_at as order_loaded_at

    from shipments

    left join orders
        on shipments.order_id = orders.order_id
)

select * from final
