-- Category sales per ISO week (Monday start) beside the vendor's market indicators for that week.
-- A week and category appears when it has sales or indicators.
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

indicators as (
    select * from {{ ref('stg_market__indicators') }}
),

weekly_sales as (
    select
        cast({{ dbt.date_trunc('week', 'orders.order_date') }} as date) as week_start_date,
        products.category,
        sum(order_items.quantity) as units_sold,
        sum(order_items.net_amount) as revenue,
        count(distinct order_items.order_id) as order_count

    from order_items

    inner join orders
        on order_items.order_id = orders.order_id

    inner join products
        on order_items.product_id = products.product_id

    where orders.is_revenue_order

    group by 1, 2
),

weekly_indicators as (
    select
        cast({{ dbt.date_trunc('week', 'indicators.indicator_date') }} as date) as week_start_date,
        indicators.category,
        {{ exact_avg("case when indicators.indicator_name = 'category_demand_index' then indicators.indicator_value end", 6) }}
            as category_demand_index,
        {{ exact_avg("case when indicators.indicator_name = 'avg_competitor_price' then indicators.indicator_value end", 6) }}
            as avg_competitor_price,
        {{ exact_avg("case when indicators.indicator_name = 'consumer_confidence' then indicators.indicator_value end", 6) }}
            as consumer_confidence

    from indicators

    group by 1, 2
),

joined as (
    select
        coalesce(weekly_sales.week_start_date, weekly_indicators.week_start_date) as week_start_date,
        coalesce(weekly_sales.category, weekly_indicators.category) as category,
        coalesce(weekly_sales.units_sold, 0) as units_sold,
        coalesce(weekly_sales.revenue, 0) as revenue,
        coalesce(weekly_sales.order_count, 0) as order_count,
        weekly_indicators.category_demand_index,
        weekly_indicators.avg_competitor_price,
        weekly_indicators.consumer_confidence

    from weekly_sales

    full outer join weekly_indicators
        on
            weekly_sales.week_start_date = weekly_indicators.week_start_date
            and weekly_sales.category = weekly_indicators.category
),

final as (
    select
        week_start_date,
        category,
        cast(units_sold as integer) as units_sold,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(order_count as integer) as order_count,
        cast(round({{ money_per('revenue', 'nullif(units_sold, 0)') }}, 2) as double) as average_selling_price,
        cast(category_demand_index as double) as category_demand_index,
        cast(avg_competitor_price as double) as avg_competitor_price,
        cast(consumer_confidence as double) as consumer_confidence,
        cast(
            round(revenue / nullif(units_sold, 0) / nullif(avg_competitor_price, 0), 4) as double
        ) as price_index

    from joined
)

select * from final
