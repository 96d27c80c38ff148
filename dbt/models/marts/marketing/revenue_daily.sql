-- Revenue counts orders that are not cancelled or returned (orders.is_revenue_order), net of line
-- discounts and excluding shipping fees. Region is the customer's current region.
with

orders as (
    select * from {{ ref('orders') }}
),

customers as (
    select * from {{ ref('customers') }}
),

orders_with_region as (
    select
        orders.order_date,
        orders.channel,
        orders.customer_id,
        orders.net_amount,
        orders.is_revenue_order,
        coalesce(customers.region, 'Unknown') as region

    from orders

    left join customers
        on orders.customer_id = customers.customer_id
),

daily as (
    select
        orders_with_region.order_date,
        orders_with_region.region,
        orders_with_region.channel,
        count(*) as order_count,
        sum(case when orders_with_region.is_revenue_order then 1 else 0 end) as revenue_order_count,
        sum(
            case when orders_with_region.is_revenue_order then orders_with_region.net_amount else 0 end
        ) as revenue,
        count(
            distinct case when orders_with_region.is_revenue_order then orders_with_region.customer_id end
        ) as active_customer_count

    from orders_with_region

    group by
        orders_with_region.order_date,
        orders_with_region.region,
        orders_with_region.channel
),

final as (
    select
        order_date,
        region,
        channel,
        cast(order_count as integer) as order_count,
        cast(revenue_order_count as integer) as revenue_order_count,
        cast(revenue as decimal(18, 2)) as revenue,
        cast({{ money_per('revenue', 'nullif(revenue_order_count, 0)') }} as decimal(18, 2)) as average_order_value,
        cast(active_customer_count as integer) as active_customer_count

    from daily
)

select * from final
