-- Customer 360. Customers referenced by orders but missing from the customer export are kept as
-- inferred members (has_profile = false) so their revenue stays attributed; they fill in when the
-- export delivers them.
with

customers as (
    select * from {{ ref('stg_customers__customers') }}
),

orders as (
    select * from {{ ref('orders') }}
),

customer_orders as (
    select
        orders.customer_id,
        count(*) as order_count,
        sum(orders.net_amount) as lifetime_value,
        min(orders.ordered_at) as first_order_at,
        max(orders.ordered_at) as last_order_at,
        max(orders.order_date) as last_order_date

    from orders

    where orders.is_revenue_order

    group by orders.customer_id
),

as_of as (
    select max(orders.order_date) as as_of_date

    from orders
),

inferred_customers as (
    select distinct
        orders.customer_id

    from orders

    left join customers
        on orders.customer_id = customers.customer_id

    where customers.customer_id is null
),

all_customers as (
    select
        customers.customer_id,
        customers.email_hash,
        customers.email_domain,
        customers.is_email_valid,
        customers.city,
        coalesce(customers.region, 'Unknown') as region,
        customers.country_code,
        customers.signed_up_at,
        true as has_profile

    from customers

    union all

    select
        inferred_customers.customer_id,
        null as email_hash,
        null as email_domain,
        false as is_email_valid,
        null as city,
        'Unknown' as region,
        null as country_code,
        null as signed_up_at,
        false as has_profile

    from inferred_customers
),

segmented as (
    select
        all_customers.*,
        coalesce(customer_orders.order_count, 0) as order_count,
        coalesce(customer_orders.lifetime_value, 0) as lifetime_value,
        customer_orders.first_order_at,
        customer_orders.last_order_at,
        case
            when customer_orders.order_count is null
                then 'prospect'
            when {{ dbt.datediff('customer_orders.last_order_date', 'as_of.as_of_date', 'day') }}
                > {{ var('lapsed_after_days') }}
                then 'lapsed'
            when customer_orders.lifetime_value >= {{ var('vip_lifetime_value') }}
                or customer_orders.order_count >= {{ var('vip_order_count') }}
                then 'vip'
            when customer_orders.order_count >= 2
                then 'repeat'
            else 'new'
        end as customer_segment

    from all_customers

    left join customer_orders
        on all_customers.customer_id = customer_orders.customer_id

    cross join as_of
),

final as (
    select
        customer_id,
        email_hash,
        email_domain,
        is_email_valid,
        city,
        region,
        country_code,
        signed_up_at,
        cast(signed_up_at as date) as signup_date,
        has_profile,
        cast(order_count as integer) as order_count,
        cast(lifetime_value as decimal(18, 2)) as lifetime_value,
        cast({{ money_per('lifetime_value', 'nullif(order_count, 0)') }} as decimal(18, 2)) as average_order_value,
        first_order_at,
        last_order_at,
        customer_segment

    from segmented
)

select * from final
