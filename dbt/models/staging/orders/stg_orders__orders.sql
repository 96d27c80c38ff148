{{
    config(
        materialized=silver_materialized(),
        unique_key='order_id',
        incremental_strategy='replace_by_key',
        on_schema_change='fail',
    )
}}

-- Silver on DuckDB (ADR 0023): each run deduplicates only the bronze loaded since the build it starts from and
-- replaces those keys; the latest load wins, as over all of bronze.
with

source as (
    {{ deduplicate(
        bronze_since_built(source('orders', 'orders')),
        partition_by='order_id',
        order_by='_loaded_at desc, _source_file desc, status',
    ) }}
),

renamed as (
    select
        ---------- ids
        cast(order_id as bigint) as order_id,
        cast(customer_id as bigint) as customer_id,

        ---------- text
        lower(trim(status)) as status,
        lower(trim(channel)) as channel,
        upper(trim(currency)) as currency_code,

        ---------- numerics
        cast(shipping_fee as decimal(10, 2)) as shipping_fee,

        ---------- timestamps
        cast(order_ts as timestamp) as ordered_at,
        cast(order_ts as date) as order_date,

        ---------- lineage
        _source_file,
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id,
        {{ run_marker() }} as _built_run_id

    from source
)

select * from renamed
