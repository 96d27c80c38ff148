{#- The few functions dbt's cross-database macros do not cover. The default__ implementations are DuckDB's; Athena's
    and Spark's are in macros/engines/ (docs/engines.md). -#}

{% macro regexp_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
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

{#- DuckDB, keyed by one column: most keys arrive once, so only the keys that arrive more than once take the window,
    whose sort carries every column of the row; the others pass through. The same rows as the window over all of
    them (a null key is a key like any other), at about the cost of reading them: 33.6M events in 42 s instead of
    75 s (docs/performance.md). A key of several expressions takes the plain window. -#}
{% macro duckdb__deduplicate(relation, partition_by, order_by) -%}
    {%- if ',' in partition_by or '(' in partition_by -%}
        {{ return(default__deduplicate(relation, partition_by, order_by)) }}
    {%- endif -%}
    with

    deduplicate_rows as not materialized (
        select * from {{ relation }}
    ),

    deduplicate_repeated as (
        select {{ partition_by }} as repeated_key
        from deduplicate_rows
        group by 1
        having count(*) > 1
    )

    select *
    from deduplicate_rows
    where not exists (
        select 1 from deduplicate_repeated
        where deduplicate_repeated.repeated_key is not distinct from deduplicate_rows.{{ partition_by }}
    )

    union all

    select *
    from deduplicate_rows
    where exists (
        select 1 from deduplicate_repeated
        where deduplicate_repeated.repeated_key is not distinct from deduplicate_rows.{{ partition_by }}
    )
    qualify row_number() over (partition by {{ partition_by }} order by {{ order_by }}) = 1
{%- endmacro %}

{#- The mean of values with `scale` decimals, summed exactly as decimals. A parallel avg over doubles adds partial
    sums in whatever order the threads finish and rounds differently from run to run, so two runs over the same
    data would not publish the same marts. Every mean in the models goes through this macro (a test checks). -#}
{% macro exact_avg(expression, scale) -%}
    avg(cast({{ expression }} as decimal(38, {{ scale }})))
{%- endmacro %}

{#- How an incremental fact replaces the rows of its changed keys: delete+insert on DuckDB, a merge into the Iceberg
    table on Athena, an overwrite on Spark (macros/engines/spark.sql keeps the unchanged rows). -#}
{% macro incremental_strategy() -%}
    {{ return(adapter.dispatch('incremental_strategy')()) }}
{%- endmacro %}

{% macro default__incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{#- Delete the rows of `relation` that match `condition` (a post-hook). -#}
{% macro delete_rows(relation, condition) -%}
    {{ return(adapter.dispatch('delete_rows')(relation, condition)) }}
{%- endmacro %}

{% macro default__delete_rows(relation, condition) -%}
    delete from {{ relation }} where {{ condition }}
{%- endmacro %}

{#- A TIMESTAMP WITH TIME ZONE as the UTC wall-clock TIMESTAMP, whatever the session time zone. -#}
{% macro utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('utc_timestamp')(expression)) }}
{%- endmacro %}

{% macro default__utc_timestamp(expression) -%}
    timezone('UTC', {{ expression }})
{%- endmacro %}

{% macro type_timestamp_tz() -%}
    {{ return(adapter.dispatch('type_timestamp_tz')()) }}
{%- endmacro %}

{% macro default__type_timestamp_tz() -%}
    timestamptz
{%- endmacro %}

{#- Whether a source has bronze files yet (the vehicle API is optional). On DuckDB the glob is looked at; on Athena
    and Spark the bronze table is registered either way (Glue, spark/register_bronze.py) and is empty until loaded. -#}
{% macro has_bronze(source_name, table_name) -%}
    {{ return(adapter.dispatch('has_bronze')(source_name, table_name)) }}
{%- endmacro %}

{% macro default__has_bronze(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set bronze_glob = env_var('LAKE_URI') ~ '/bronze/' ~ source_name ~ '/' ~ table_name ~ '/*/*.parquet' -%}
    {{ return(run_query("select count(*) from glob('" ~ bronze_glob ~ "')").columns[0].values()[0] > 0) }}
{%- endmacro %}

{#- An amount divided by a count, for a mean to the cent. DuckDB divides a decimal as a double, and its cast to
    decimal(18, 2) rounds the double times 100 half away from zero: 621.93 / 2 is 310.96 there. Spark and Trino divide
    decimals exactly and round half up (310.97). Athena's and Spark's implementations do DuckDB's arithmetic, so the
    marts agree to the cent. -#}
{% macro money_per(amount, count) -%}
    {{ return(adapter.dispatch('money_per')(amount, count)) }}
{%- endmacro %}

{% macro default__money_per(amount, count) -%}
    {{ amount }} / {{ count }}
{%- endmacro %}
