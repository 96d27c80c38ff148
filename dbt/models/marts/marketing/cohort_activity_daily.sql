-- Weekly cohorts, ready to sum: per cohort (the ISO week of a customer's first revenue order), active week,
-- day and region, the customers whose first active day in that week is that day. Summing over days up to a date
-- gives the customers of a cohort active in a week up to that date, for any region filter.
with

active_days as (
    select * from {{ ref('customer_active_days') }}
),

first_in_week as (
    select
        active_days.first_order_week,
        active_days.order_week,
        active_days.order_date,
        active_days.region

    from active_days

    where
        active_days.previous_order_week is null
        or active_days.previous_order_week < active_days.order_week
),

final as (
    select
        first_order_week,
        order_week,
        order_date,
        region,
        cast(count(*) as integer) as customer_count

    from first_in_week

    group by
        first_order_week,
        order_week,
        order_date,
        region
)

select * from final
