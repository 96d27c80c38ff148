-- revenue_daily adds up to the revenue orders of the orders fact, per day.
with

orders as (
    select * from {{ ref('orders') }}
),

revenue_daily as (
    select * from {{ ref('revenue_daily') }}
),

order_revenue as (
    select
        orders.order_date,
        sum(case when orders.is_revenue_order then orders.net_amount else 0 end) as revenue,
        count(*) as order_count

    from orders

    group by orders.order_date
),

reported_revenue as (
    select
        revenue_daily.order_date,
        sum(revenue_daily.revenue) as revenue,
        sum(revenue_daily.order_count) as order_count

    from revenue_daily

    group by revenue_daily.order_date
),

final as (
    select
        order_revenue.order_date,
        order_revenue.revenue,
        reported_revenue.revenue as reported_revenue

    from order_revenue

    full outer join reported_revenue
        on order_revenue.order_date = reported_revenue.order_date

    where
        order_revenue.revenue is distinct from reported_revenue.revenue
        or order_revenue.order_count is distinct from reported_revenue.order_count
)

select * from final
