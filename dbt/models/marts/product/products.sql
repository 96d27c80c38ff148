-- Product 360: the current catalog entry with lifetime sales, cost and margin. Products sold but
-- missing from the catalog are inferred members (is_in_catalog = false, category 'unknown', no cost).
-- Cost uses the current catalog unit cost.
with

products as (
    select * from {{ ref('stg_catalog__products') }}
),

order_items as (
    select * from {{ ref('order_items') }}
),

orders as (
    select * from {{ ref('orders') }}
),

product_sales as (
    select
        order_items.product_id,
        sum(order_items.quantity) as units_sold,
        count(distinct order_items.order_id) as order_count,
        sum(order_items.net_amount) as revenue

    from order_items

    inner join orders
        on order_items.order_id = orders.order_id

    where orders.is_revenue_order

    group by order_items.product_id
),

inferred_products as (
    select distinct
        order_items.product_id

    from order_items

    left join products
        on order_items.product_id = products.product_id

    where products.product_id is null
),

all_products as (
    select
        products.product_id,
        products.sku,
        products.product_name,
        coalesce(products.category, 'unknown') as category,
        products.subcategory,
        products.supplier,
        products.color,
        products.weight_kg,
        products.unit_cost,
        products.list_price,
        products.is_active,
        true as is_in_catalog,
        products.updated_at as catalog_updated_at

    from products

    union all

    select
        inferred_products.product_id,
        null as sku,
        'unknown product' as product_name,
        'unknown' as category,
        null as subcategory,
        null as supplier,
        null as color,
        null as weight_kg,
        null as unit_cost,
        null as list_price,
        false as is_active,
        false as is_in_catalog,
        null as catalog_updated_at

    from inferred_products
),

measured as (
    select
        all_products.*,
        coalesce(product_sales.units_sold, 0) as units_sold,
        coalesce(product_sales.order_count, 0) as order_count,
        coalesce(product_sales.revenue, 0) as revenue,
        coalesce(product_sales.units_sold, 0) * all_products.unit_cost as cost

    from all_products

    left join product_sales
        on all_products.product_id = product_sales.product_id
),

final as (
    select
        product_id,
        sku,
        product_name,
        category,
        subcategory,
        supplier,
        color,
        weight_kg,
        cast(unit_cost as decimal(18, 2)) as unit_cost,
        cast(list_price as decimal(18, 2)) as list_price,
        is_active,
        is_in_catalog,
        catalog_updated_at,
        cast(units_sold as integer) as units_sold,
        cast(order_count as integer) as order_count,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(cost as decimal(18, 2)) as cost,
        cast(revenue - cost as decimal(18, 2)) as margin,
        cast(round((revenue - cost) / nullif(revenue, 0), 4) as double) as margin_pct

    from measured
)

select * from final
