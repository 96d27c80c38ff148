{#- A table on DuckDB, not a view: it aggregates the largest stream, and as a view every model and data test that
    read it deduplicated and grouped all events again; built once per run, they read it instead (ADR 0005,
    docs/performance.md). Other engines keep the view. -#}
{{ config(materialized=('table' if target.type == 'duckdb' else 'view')) }}

-- One row per clickstream session with the furthest funnel step it reached. A later step implies the
-- earlier ones (a checkout without a tracked add_to_cart still passed the cart), so the funnel is
-- monotone: every session counted at a step is counted at all steps before it.
with

events as (
    select * from {{ ref('stg_clickstream__events') }}
),

sessions as (
    select
        events.session_id,
        max(events.customer_id) as customer_id,
        min(events.device_type) as device_type,
        min(events.event_at) as session_started_at,
        max(events.event_at) as session_ended_at,
        count(*) as event_count,
        max(
            case events.event_type
                when 'product_view' then 1
                when 'add_to_cart' then 2
                when 'checkout' then 3
                when 'purchase' then 4
                else 0
            end
        ) as funnel_step,
        count(distinct case when events.event_type = 'purchase' then events.order_id end) as order_count

    from events

    group by events.session_id
),

final as (
    select
        session_id,
        customer_id,
        device_type,
        session_started_at,
        cast(session_started_at as date) as session_date,
        session_ended_at,
        cast(event_count as integer) as event_count,
        funnel_step >= 1 as has_product_view,
        funnel_step >= 2 as has_add_to_cart,
        funnel_step >= 3 as has_checkout,
        funnel_step >= 4 as has_purchase,
        cast(order_count as integer) as order_count

    from sessions
)

select * from final
