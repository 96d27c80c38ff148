with

source as (
    {{ deduplicate(
        source('catalog', 'products'),
        partition_by='product_id',
        order_by='_loaded_at desc, updated_at desc nulls last, _source_file desc',
    ) }}
),

renamed as (
    select
        ---------- ids
        cast(product_id as bigint) as product_id,
        trim(sku) as sku,

        ---------- text
        trim(product_name) as product_name,
        lower(trim(category)) as category,
        lower(trim(subcategory)) as subcategory,
        trim(supplier) as supplier,
        attributes.color as color,

        ---------- numerics
        cast(unit_cost as decimal(10, 2)) as unit_cost,
        cast(list_price as decimal(10, 2)) as list_price,
        cast(attributes.weight_kg as double) as weight_kg,

        ---------- booleans
        coalesce(cast(is_active as boolean), true) as is_active,

        ---------- timestamps
        cast(updated_at as timestamp) as updated_at,

        ---------- lineage
        _source_file,
        cast(_loaded_at as timestamp) as _loaded_at,
        _run_id

    from source
)

select * from renamed
