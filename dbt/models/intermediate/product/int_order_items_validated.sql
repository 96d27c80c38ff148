{{
    config(
        materialized=silver_materialized(),
        unique_key='order_item_id',
        incremental_strategy='replace_by_key',
        on_schema_change='fail',
    )
}}

-- Every current order line with its amounts and the business rules it passes. Gold facts keep only
-- valid lines; the rest stay visible here with a rejection_reason (ADR 0005, "Defects").
-- Silver on DuckDB (ADR 0023): a run rebuilds the lines it wrote and the lines of the orders it wrote (an order
-- arriving after its lines joins them then).
with

order_items as (
    select * from {{ ref('stg_orders__order_items') }}
),

orders as (
    select * from {{ ref('stg_orders__orders') }}
),

{% if is_incremental() %}
order_items_to_build as (
    select order_items.*

    from order_items

    where
        {{ built_this_run('order_items') }}
        or order_items.order_id in (
            select orders.order_id from orders where {{ built_this_run('orders') }}
        )
),
{% endif %}

measured as (
    select
        order_items.order_item_id,
        order_items.order_id,
        order_items.product_id,
        order_items.quantity,
        order_items.unit_price,
        order_items.discount_pct,
        cast(order_items.quantity * order_items.unit_price as decimal(18, 2)) as gross_amount,
        cast(
            round(order_items.quantity * order_items.unit_price * order_items.discount_pct, 2)
            as decimal(18, 2)
        ) as discount_amount,
        orders.order_id is not null as has_known_order,
        order_items.quantity > 0 as has_valid_quantity,
        order_items.discount_pct between 0 and 0.5 as has_valid_discount,
        order_items._loaded_at,
        orders._loaded_at as order_loaded_at

    from {{ 'order_items_to_build' if is_incremental() else 'order_items' }} as order_items

    left join orders
        on order_items.order_id = orders.order_id
),

final as (
    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        discount_pct,
        gross_amount,
        discount_amount,
        cast(gross_amount - discount_amount as decimal(18, 2)) as net_amount,
        has_known_order,
        has_valid_quantity,
        has_valid_discount,
        has_known_order and has_valid_quantity and has_valid_discount as is_valid,
        case
            when not has_known_order then 'order not loaded'
            when not has_valid_quantity then 'quantity not positive'
            when not has_valid_discount then 'discount outside 0-0.5'
        end as rejection_reason,
        _loaded_at,
        order_loaded_at,
        {{ run_marker() }} as _built_run_id

    from measured
)

select * from final
