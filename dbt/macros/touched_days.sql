{#- The days a run touched, per mart by day (ADR 0023): each is a query of one column, `day` (nothing when the
    model is not built incrementally: hooks render their arguments either way). -#}

{#- Session days: of the sessions this run wrote, and the days the sessions it replaced counted on before. -#}
{% macro session_days_touched() -%}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif -%}
    select sessions.session_date as day
    from {{ ref('int_sessions_aggregated') }} as sessions
    where {{ built_this_run('sessions') }}

    union

    select replaced.session_date as day
    from {{ replaced_rows(ref('int_sessions_aggregated')) }} as replaced
{%- endmacro %}

{#- Ship days: of the shipments this run wrote or replaced, and every day of `this` still waiting on a shipment
    (`waiting`: a condition on its rows), since the as-of instant that decides pending or overdue has moved. Should
    the as-of instant move back (a correction), every day is rebuilt. -#}
{% macro ship_days_touched(waiting) -%}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif -%}
    select cast(shipments.shipped_at as date) as day
    from {{ ref('stg_logistics__shipments') }} as shipments
    where {{ built_this_run('shipments') }}

    union

    select cast(replaced.shipped_at as date) as day
    from {{ replaced_rows(ref('stg_logistics__shipments')) }} as replaced

    union

    select existing.ship_date as day
    from {{ this }} as existing
    where
        {{ waiting }}
        -- the as-of instant moved back only if a replaced shipment held it
        or exists (
            select 1
            from {{ replaced_rows(ref('stg_logistics__shipments')) }} as replaced
            where
                greatest(
                    coalesce(replaced.shipped_at, replaced.delivered_at),
                    coalesce(replaced.delivered_at, replaced.shipped_at)
                ) > (
                    select max(greatest(current_shipments.shipped_at, current_shipments.delivered_at))
                    from {{ ref('stg_logistics__shipments') }} as current_shipments
                )
        )
{%- endmacro %}
