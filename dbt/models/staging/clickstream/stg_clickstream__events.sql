{{
    config(
        materialized=silver_materialized(),
        unique_key='event_id',
        incremental_strategy='replace_by_key',
        on_schema_change='fail',
    )
}}

-- Silver on DuckDB (ADR 0023): each run deduplicates only the bronze loaded since the build it starts from and
-- replaces those keys; the latest load wins, as over all of bronze.
with

source as (
    {{ deduplicate(
        bronze_since_built(source('clickstream', 'events')),
        partition_by='event_id',
        order_by='_loaded_at desc, _source_file desc',
    ) }}
),

renamed as (
    select
        ---------- ids
        trim(event_id) as event_id,
        trim(session_id) as session_id,
        cast(customer_id as bigint) as customer_id,
        cast(product_id as bigint) as product_id,
        cast(order_id as bigint) as order_id,

        ---------- text
        lower(trim(event_type)) as event_type,
        context.page.url as page_url,
        context.page.referrer as referrer_url,
        coalesce(lower(context.device.type), 'unknown') as device_type,
        context.device.os as device_os,
        context.device.browser as browser,

        ---------- timestamps
        cast(event_ts as timestamp) as event_at,
        cast(event_ts as date) as event_date,

        ---------- lineage
        _source_file,
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id,
        {{ run_marker() }} as _built_run_id

    from source
)

select * from renamed
