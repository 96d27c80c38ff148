{{
    config(
        materialized='incremental',
        unique_key='order_item_id',
        incremental_strategy=incremental_strategy(),
        on_schema_change='fail',
        post_hook=[
            "{{ delete_rows(this, 'order_item_id in (select rejected.order_item_id from ' ~ ref('int_order_items_validated') ~ ' as rejected where not rejected.is_valid)') }}",
        ],
    )
}}

-- Valid order lines only (see int_order_items_validated). Incremental: a line is rebuilt when it or
-- its order was loaded after the high-water mark (a line whose order arrives late joins then). The
-- post-hook drops a line whose re-delivered version became invalid, which delete+insert alone
-- would keep.
with

order_items as (
    select * from {{ ref('int_order_items_validated') }}
),

order_items_to_build as (
    select *

    from order_items

    where
        order_items.is_valid
        {% if is_incremental() %}
        and (
            order_items._loaded_at > {{ loaded_at_watermark() }}
            or order_items.order_loaded_at > {{ loaded_at_watermark() }}
        )
        {% endif %}
),

final as (
    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        discount_pct,
        gross_amount,
        discount_amount,
        net_amount,
        greatest(_loaded_at, order_loaded_at) as _loaded_at

    from order_items_to_build
)

select * from final
