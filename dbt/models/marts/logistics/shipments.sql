{{
    config(
        materialized='incremental',
        unique_key='shipment_id',
        incremental_strategy=incremental_strategy(),
        on_schema_change='fail',
    )
}}

-- Shipments of loaded orders. Incremental: a shipment is rebuilt when it or its order was loaded
-- after the high-water mark, so a shipment whose order arrives late joins then.
with

shipments as (
    select * from {{ ref('int_shipments_measured') }}
),

shipments_to_build as (
    select *

    from shipments

    where
        shipments.has_known_order
        {% if is_incremental() %}
        and (
            shipments._loaded_at > {{ loaded_at_watermark() }}
            or shipments.order_loaded_at > {{ loaded_at_watermark() }}
        )
        {% endif %}
),

final as (
    select
        shipment_id,
        order_id,
        vehicle_id,
        carrier,
        service_level,
        destination_region,
        status,
        shipped_at,
        ship_date,
        promised_at,
        delivered_at,
        delivery_date,
        is_delivered,
        is_on_time,
        is_lost,
        lead_time_hours,
        promised_lead_time_hours,
        greatest(_loaded_at, order_loaded_at) as _loaded_at

    from shipments_to_build
)

select * from final
