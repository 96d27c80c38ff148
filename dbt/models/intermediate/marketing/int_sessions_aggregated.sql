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
{%- set touched_sessions -%}
    select events.session_id
    from {{ ref('stg_clickstream__events') }} as events
    where {{ built_this_run('events') }}

    union

    select replaced_events.session_id
    from {{ replaced_rows(ref('stg_clickstream__events')) }} as replaced_events
{%- endset -%}
{#- When the touched sessions' events happened: the events this run wrote or replaced, and the span each touched
    session had before. Read first, so the events are found by a range DuckDB prunes by row-group statistics. -#}
{%- set window_query -%}
    select cast(min(window_start) as varchar), cast(max(window_end) as varchar)
    from (
        select min(events.event_at) as window_start, max(events.event_at) as window_end
        from {{ ref('stg_clickstream__events') }} as events
        where {{ built_this_run('events') }}

        union all

        select min(replaced_events.event_at), max(replaced_events.event_at)
        from {{ replaced_rows(ref('stg_clickstream__events')) }} as replaced_events

        union all

        select min(existing.session_started_at), max(existing.session_ended_at)
        from {{ this }} as existing
        where existing.session_id in ({{ touched_sessions }})
    ) as spans
{%- endset -%}
{%- set window = run_query(window_query).rows[0] if execute else [none, none] -%}
touched_sessions as (
    {{ touched_sessions }}
),

touched_events as (
    select events.*

    from events

    where
        {% if window[0] is none %}
        false
        {% else %}
        (events.event_at between timestamp '{{ window[0] }}' and timestamp '{{ window[1] }}' or events.event_at is null)
        and events.session_id in (select touched_sessions.session_id from touched_sessions)
        {% endif %}
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

    from {{ 'touched_events' if is_incremental() else 'events' }} as events

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
