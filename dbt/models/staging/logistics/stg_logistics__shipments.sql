{{
    config(
        materialized=silver_materialized(),
        unique_key='shipment_id',
        incremental_strategy='replace_by_key',
        on_schema_change='fail',
    )
}}

-- Silver on DuckDB (ADR 0023): each run deduplicates only the bronze loaded since the build it starts from and
-- replaces those keys; the latest load wins, as over all of bronze.
with

source as (
    {{ deduplicate(
        bronze_since_built(source('logistics', 'shipments')),
        partition_by='shipment_id',
        order_by='_loaded_at desc, _source_file desc, delivered_at desc nulls last',
    ) }}
),

renamed as (
    select
        ---------- ids
        cast(shipment_id as bigint) as shipment_id,
        cast(order_id as bigint) as order_id,
        cast(vehicle_id as bigint) as vehicle_id,

        ---------- text
        trim(carrier) as carrier,
        lower(trim(service_level)) as service_level,
        {{ canonical_value('destination_region', var('regions')) }} as destination_region,
        lower(trim(status)) as status,

        ---------- timestamps
        cast(shipped_at as timestamp) as shipped_at,
        cast(promised_at as timestamp) as promised_at,
        cast(delivered_at as timestamp) as delivered_at,

        ---------- lineage
        _source_file,
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id,
        {{ run_marker() }} as _built_run_id

    from source
)

select * from renamed
