{#- The few functions dbt's cross-database macros do not cover; duckdb is the default, athena the
    promotion target. -#}

{% macro regexp_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro athena__regexp_full_match(expression, pattern) -%}
    regexp_like({{ expression }}, '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro athena__percentile(expression, fraction) -%}
    approx_percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- Keep one row per partition: the first by order_by. Used in the `source` CTE of staging models. -#}
{% macro deduplicate(relation, partition_by, order_by) -%}
    {{ return(adapter.dispatch('deduplicate')(relation, partition_by, order_by)) }}
{%- endmacro %}

{% macro default__deduplicate(relation, partition_by, order_by) -%}
    select *
    from {{ relation }}
    qualify row_number() over (partition by {{ partition_by }} order by {{ order_by }}) = 1
{%- endmacro %}

{% macro athena__deduplicate(relation, partition_by, order_by) -%}
    select *
    from (
        select
            source_rows.*,
            row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as dedupe_rank
        from {{ relation }} as source_rows
    ) as ranked
    where ranked.dedupe_rank = 1
{%- endmacro %}

{#- The mean of values with `scale` decimals, summed exactly as decimals. A parallel avg over doubles adds partial
    sums in whatever order the threads finish and rounds differently from run to run, so two runs over the same
    data would not publish the same marts. Every mean in the models goes through this macro (a test checks). -#}
{% macro exact_avg(expression, scale) -%}
    avg(cast({{ expression }} as decimal(38, {{ scale }})))
{%- endmacro %}
