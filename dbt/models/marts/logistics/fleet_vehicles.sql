-- The delivery fleet with its shipment activity and latest vendor valuation. Vehicles that appear on
-- shipments but not in the fleet register are inferred members (is_in_fleet_register = false).
-- On time over delivered + overdue is the vehicle's unbiased on-time rate (see delivery_sla_daily).
with

vehicles as (
    select * from {{ ref('stg_fleet__vehicles') }}
),

valuations as (
    select * from {{ ref('stg_vehicles__valuations') }}
),

shipments as (
    select * from {{ ref('int_shipments_measured') }}
),

vehicle_shipments as (
    select
        shipments.vehicle_id,
        count(*) as shipment_count,
        sum(case when shipments.is_delivered then 1 else 0 end) as delivered_count,
        sum(case when shipments.is_on_time then 1 else 0 end) as on_time_count,
        sum(case when shipments.is_overdue then 1 else 0 end) as overdue_count,
        max(shipments.shipped_at) as last_shipped_at

    from shipments

    where shipments.vehicle_id is not null

    group by shipments.vehicle_id
),

all_vehicles as (
    select
        vehicles.vehicle_id,
        vehicles.license_plate,
        vehicles.state_code,
        vehicles.make,
        vehicles.model,
        vehicles.model_year,
        vehicles.vehicle_type,
        vehicles.capacity_kg,
        vehicles.depot_region,
        vehicles.in_service_date,
        true as is_in_fleet_register

    from vehicles

    union all

    select
        vehicle_shipments.vehicle_id,
        null as license_plate,
        null as state_code,
        null as make,
        null as model,
        null as model_year,
        'unknown' as vehicle_type,
        null as capacity_kg,
        null as depot_region,
        null as in_service_date,
        false as is_in_fleet_register

    from vehicle_shipments

    left join vehicles
        on vehicle_shipments.vehicle_id = vehicles.vehicle_id

    where vehicles.vehicle_id is null
),

final as (
    select
        all_vehicles.vehicle_id,
        all_vehicles.license_plate,
        all_vehicles.state_code,
        all_vehicles.make,
        all_vehicles.model,
        all_vehicles.model_year,
        all_vehicles.vehicle_type,
        all_vehicles.capacity_kg,
        all_vehicles.depot_region,
        all_vehicles.in_service_date,
        all_vehicles.is_in_fleet_register,
        cast(coalesce(vehicle_shipments.shipment_count, 0) as integer) as shipment_count,
        cast(coalesce(vehicle_shipments.delivered_count, 0) as integer) as delivered_count,
        cast(coalesce(vehicle_shipments.on_time_count, 0) as integer) as on_time_count,
        cast(coalesce(vehicle_shipments.overdue_count, 0) as integer) as overdue_count,
        vehicle_shipments.last_shipped_at,
        valuations.valuation_usd,
        valuations.valued_at

    from all_vehicles

    left join vehicle_shipments
        on all_vehicles.vehicle_id = vehicle_shipments.vehicle_id

    left join valuations
        on
            all_vehicles.license_plate = valuations.license_plate
            and all_vehicles.state_code = valuations.state_code
)

select * from final
