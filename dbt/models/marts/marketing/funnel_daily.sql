{{
    config(
        materialized=silver_materialized('table'),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_days('session_date', session_days_touched()) }}",
    )
}}

-- Session funnel per day (the session's first event) and device: sessions -> product view -> add to
-- cart -> checkout -> purchase. Each rate is the share of the day's sessions that reached the step.
-- On DuckDB a run rebuilds only the days its sessions touched (ADR 0023).
with

sessions as (
    select * from {{ ref('int_sessions_aggregated') }}
),

daily as (
    select
        sessions.session_date,
        sessions.device_type,
        count(*) as session_count,
        sum(case when sessions.has_product_view then 1 else 0 end) as product_view_session_count,
        sum(case when sessions.has_add_to_cart then 1 else 0 end) as add_to_cart_session_count,
        sum(case when sessions.has_checkout then 1 else 0 end) as checkout_session_count,
        sum(case when sessions.has_purchase then 1 else 0 end) as purchase_session_count,
        sum(sessions.order_count) as order_count

    from sessions

    {% if is_incremental() %}
    where {{ in_touched_days('sessions.session_date') }}
    {% endif %}

    group by
        sessions.session_date,
        sessions.device_type
),

final as (
    select
        session_date,
        device_type,
        cast(session_count as integer) as session_count,
        cast(product_view_session_count as integer) as product_view_session_count,
        cast(add_to_cart_session_count as integer) as add_to_cart_session_count,
        cast(checkout_session_count as integer) as checkout_session_count,
        cast(purchase_session_count as integer) as purchase_session_count,
        cast(order_count as integer) as order_count,
        cast(product_view_session_count as double) / session_count as product_view_rate,
        cast(add_to_cart_session_count as double) / session_count as add_to_cart_rate,
        cast(checkout_session_count as double) / session_count as checkout_rate,
        cast(purchase_session_count as double) / session_count as conversion_rate

    from daily
)

select * from final
