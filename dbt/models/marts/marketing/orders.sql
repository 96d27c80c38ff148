{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy=incremental_strategy(),
        on_schema_change='fail',
    )
}}

-- Incremental: an order is rebuilt from its full history when its own row or any of its lines was
-- loaded after the high-water mark, so late and re-delivered rows give the same result as a full
-- refresh.
with

orders as (
    select * from {{ ref('stg_orders__orders') }}
),

order_items as (
    select * from {{ ref('int_order_items_validated') }}
),

orders_to_build as (
    select
        orders.order_id

    from orders

    {% if is_incremental() %}
    where
        orders._loaded_at > {{ loaded_at_watermark() }}
        or orders.order_id in (
            select changed_items.order_id
            from order_items as changed_items
            where changed_items._loaded_at > {{ loaded_at_watermark() }}
        )
    {% endif %}
),

order_totals as (
    select
        order_items.order_id,
        sum(case when order_items.is_valid then 1 else 0 end) as item_count,
        sum(case when order_items.is_valid then 0 else 1 end) as rejected_item_count,
        sum(case when order_items.is_valid then order_items.quantity else 0 end) as unit_count,
        sum(case when order_items.is_valid then order_items.gross_amount else 0 end) as gross_amount,
        sum(case when order_items.is_valid then order_items.discount_amount else 0 end) as discount_amount,
        sum(case when order_items.is_valid then order_items.net_amount else 0 end) as net_amount,
        max(order_items._loaded_at) as items_loaded_at

    from order_items

    inner join orders_to_build
        on order_items.order_id = orders_to_build.order_id

    group by order_items.order_id
),

final as (
    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.order_date,
        orders.status,
        coalesce(orders.channel, 'unknown') as channel,
        coalesce(orders.currency_code, 'USD') as currency_code,
        cast(coalesce(order_totals.item_count, 0) as integer) as item_count,
        cast(coalesce(order_totals.rejected_item_count, 0) as integer) as rejected_item_count,
        cast(coalesce(order_totals.unit_count, 0) as integer) as unit_count,
        cast(coalesce(order_totals.gross_amount, 0) as decimal(18, 2)) as gross_amount,
        cast(coalesce(order_totals.discount_amount, 0) as decimal(18, 2)) as discount_amount,
        cast(coalesce(order_totals.net_amount, 0) as decimal(18, 2)) as net_amount,
        cast(coalesce(orders.shipping_fee, 0) as decimal(18, 2)) as shipping_fee,
        cast(
            coalesce(order_totals.net_amount, 0) + coalesce(orders.shipping_fee, 0)
            as decimal(18, 2)
        ) as order_total,
        orders.status not in ('cancelled', 'returned') as is_revenue_order,
        greatest(orders._loaded_at, coalesce(order_totals.items_loaded_at, orders._loaded_at)) as _loaded_at

    from orders

    inner join orders_to_build
        on orders.order_id = orders_to_build.order_id

    left join order_totals
        on orders.order_id = order_totals.order_id
)

select * from final
