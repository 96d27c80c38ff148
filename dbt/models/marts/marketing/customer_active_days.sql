-- One row per customer and day with a revenue order, with the customer's previous such day and week. It makes
-- "distinct customers active in a date range" a plain filtered count, which the dashboards need at any range:
-- a customer is active in [start, end] on exactly one row, its first day there (previous_order_date < start or
-- null). The same holds per week (previous_order_week < order_week), which gives the weekly cohorts.
-- Region is the customer's current region, as in revenue_daily.
with

orders as (
    select * from {{ ref('orders') }}
),

customers as (
    select * from {{ ref('customers') }}
),

active_days as (
    select distinct
        orders.customer_id,
        orders.order_date

    from orders

    where orders.is_revenue_order
),

sequenced as (
    select
        active_days.customer_id,
        active_days.order_date,
        lag(active_days.order_date) over (
            partition by active_days.customer_id order by active_days.order_date
        ) as previous_order_date,
        min(active_days.order_date) over (partition by active_days.customer_id) as first_order_date

    from active_days
),

final as (
    select
        sequenced.customer_id,
        coalesce(customers.region, 'Unknown') as region,
        sequenced.order_date,
        cast({{ dbt.date_trunc('week', 'sequenced.order_date') }} as date) as order_week,
        sequenced.previous_order_date,
        cast({{ dbt.date_trunc('week', 'sequenced.previous_order_date') }} as date) as previous_order_week,
        cast({{ dbt.date_trunc('week', 'sequenced.first_order_date') }} as date) as first_order_week

    from sequenced

    left join customers
        on sequenced.customer_id = customers.customer_id
)

-- stored by date: date-range filters then skip whole row groups
select * from final
order by order_date, customer_id
