with

source as (
    {{ deduplicate(
        source('fleet', 'vehicles'),
        partition_by='vehicle_id',
        order_by='_loaded_at desc, _source_file desc',
    ) }}
),

renamed as (
    select
        ---------- ids
        cast(vehicle_id as bigint) as vehicle_id,

        ---------- text
        upper(trim(license_plate)) as license_plate,
        upper(trim(state_code)) as state_code,
        trim(make) as make,
        trim(model) as model,
        lower(trim(vehicle_type)) as vehicle_type,
        {{ canonical_value('depot_region', var('regions')) }} as depot_region,

        ---------- numerics
        cast(model_year as integer) as model_year,
        cast(capacity_kg as integer) as capacity_kg,

        ---------- dates
        cast(in_service_date as date) as in_service_date,

        ---------- lineage
        _source_file,
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id

    from source
)

select * from renamed
