{#- A table on DuckDB, built once per run: both forecast models and its tests read it, and as a view each of them
    joined its inputs again (ADR 0023: checks run on tables, never on views that re-derive). Other engines keep
    the view. -#}
{{ config(materialized=('table' if target.type == 'duckdb' else 'view')) }}

-- Revenue and units per order date and product category, the series the forecast is trained on. Every
-- category has a row on every order date (zero when it sold nothing), so a quiet day is a zero, not a gap.
-- Revenue as in product_market_weekly: valid lines of revenue orders, net of discounts.
with

order_items as (
    select * from {{ ref('order_items') }}
),

orders as (
    select * from {{ ref('orders') }}
),

products as (
    select * from {{ ref('products') }}
),

order_dates as (
    select distinct orders.order_date

    from orders
),

categories as (
    select distinct products.category

    from products
),

daily_sales as (
    select
        orders.order_date,
        products.category,
        sum(order_items.quantity) as units_sold,
        sum(order_items.net_amount) as revenue

    from order_items

    inner join orders
        on order_items.order_id = orders.order_id

    inner join products
        on order_items.product_id = products.product_id

    where orders.is_revenue_order

    group by
        orders.order_date,
        products.category
),

category_days as (
    select
        order_dates.order_date,
        categories.category

    from order_dates

    cross join categories
),

final as (
    select
        category_days.order_date,
        category_days.category,
        cast(coalesce(daily_sales.units_sold, 0) as integer) as units_sold,
        cast(coalesce(daily_sales.revenue, 0) as decimal(18, 2)) as revenue

    from category_days

    left join daily_sales
        on
            category_days.order_date = daily_sales.order_date
            and category_days.category = daily_sales.category
)

select * from final
