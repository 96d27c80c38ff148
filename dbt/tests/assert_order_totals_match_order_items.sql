-- Every order's net amount is the sum of its lines in the order_items fact: the two incremental
-- facts stay consistent with each other.
with

orders as (
    select * from {{ ref('orders') }}
),

order_items as (
    select * from {{ ref('order_items') }}
),

line_totals as (
    select
        order_items.order_id,
        sum(order_items.net_amount) as net_amount,
        count(*) as item_count

    from order_items

    group by order_items.order_id
),

final as (
    select
        orders.order_id,
        orders.net_amount,
        orders.item_count,
        line_totals.net_amount as line_net_amount,
        line_totals.item_count as line_item_count

    from orders

    left join line_totals
        on orders.order_id = line_totals.order_id

    where
        orders.net_amount != coalesce(line_totals.net_amount, 0)
        or orders.item_count != coalesce(line_totals.item_count, 0)
)

select * from final
