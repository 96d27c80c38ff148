{{
    config(
        materialized=silver_materialized(),
        unique_key='order_item_id',
        incremental_strategy='replace_by_key',
        on_schema_change='fail',
    )
}}

-- Silver on DuckDB (ADR 0023): each run deduplicates only the bronze loaded since the build it starts from and
-- replaces those keys; the latest load wins, as over all of bronze.
with

source as (
    {{ deduplicate(
        bronze_since_built(source('orders', 'order_items')),
        partition_by='order_item_id',
        order_by='_loaded_at desc, _source_file desc, quantity desc',
    ) }}
),

renamed as (
    select
        ---------- ids
        cast(order_item_id as bigint) as order_item_id,
        cast(order_id as bigint) as order_id,
        cast(product_id as bigint) as product_id,

        ---------- numerics
        cast(quantity as integer) as quantity,
        cast(unit_price as decimal(10, 2)) as unit_price,
        cast(coalesce(discount_pct, 0) as decimal(5, 4)) as discount_pct,

        ---------- lineage
        _source_file,
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id,
        {{ run_marker() }} as _built_run_id

    from source
)

select * from renamed
