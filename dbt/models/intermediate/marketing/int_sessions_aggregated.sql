{#- Silver on DuckDB (ADR 0023): a table each run updates for the sessions its events touched (their events now, and
    the sessions of events a re-delivery moved away), instead of grouping every event again. Other engines keep the
    view. -#}
{{
    config(
        materialized=silver_materialized(),
        unique_key='session_id',
        incremental_strategy='replace_by_key',
        on_schema_change='fail',
    )
}}

-- One row per clickstream session with the furthest funnel step it reached. A later step implies the
-- earlier ones (a checkout without a tracked add_to_cart still passed the cart), so the funnel is
-- monotone: every session counted at a step is counted at all steps before it.
with

events as (
    select * from {{ ref('stg_clickstream__events') }}
),

{% if is_incremental() %}
touched_sessions as (
    select events.session_id
    from events
    where {{ built_this_run('events') }}

    union

    select replaced_events.session_id
    from {{ replaced_rows(ref('stg_clickstream__events')) }} as replaced_events
),
{% endif %}

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

    {% if is_incremental() %}
    where events.session_id in (select touched_sessions.session_id from touched_sessions)
    {% endif %}

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
        cast(order_count as integer) as order_count,
        {{ run_marker() }} as _built_run_id

    from sessions
)

select * from final
