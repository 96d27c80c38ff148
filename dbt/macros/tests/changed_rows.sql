{#- A gate on what changed (ADR 0023). Row-wise tests (not null, accepted values, expressions, the child side of a
    relationship) of a silver table judge only the rows this pipeline run wrote into it: the other rows passed them
    when their run was gated and have not changed since. Tests that need the whole table (unique, the parent side
    of a relationship, reconciliations) read it whole. Outside a pipeline run (a `dbt test` by hand, where
    `pipeline_run_id` is null) every row is judged. -#}

{% macro changed_rows(model) -%}
    {%- if is_silver(model) -%}
        (
            select * from {{ model }}
            where getvariable('pipeline_run_id') is null or _built_run_id = getvariable('pipeline_run_id')
        )
    {%- else -%}
        {{ model }}
    {%- endif -%}
{%- endmacro %}

{#- Whether `relation` is an incremental silver model that stamps its rows with `_built_run_id`. -#}
{% macro is_silver(relation) -%}
    {%- if not execute or target.type != 'duckdb' or relation is string or relation.identifier is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model'
            and node.alias == relation.identifier
            and node.schema == relation.schema
            and node.config.materialized == 'incremental'
            and '_built_run_id' in node.columns -%}
            {{ return(true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}

{#- Whether a silver table holds rows an earlier run wrote, asked of the database when the test compiles (the
    marker is stored by row group, so the answer reads little). Outside a pipeline run: no (every row is judged). A
    table not built yet (a compile on its own) is taken to hold some. -#}
{% macro holds_earlier_rows(model) -%}
    {%- if not execute or not table_exists(model) -%}{{ return(true) }}{%- endif -%}
    {%- set earlier_sql -%}
        select count(*) from (
            select 1 from {{ model }} where _built_run_id <> getvariable('pipeline_run_id') limit 1
        ) as earlier
    {%- endset -%}
    {{ return(run_query(earlier_sql).columns[0].values()[0] > 0) }}
{%- endmacro %}

{#- dbt's generic tests, on the changed rows of a silver table (dispatch finds this project's before dbt's). -#}
{% macro default__test_not_null(model, column_name) -%}
    {{ return(dbt.default__test_not_null(changed_rows(model), column_name)) }}
{%- endmacro %}

{% macro default__test_accepted_values(model, column_name, values, quote=True) -%}
    {{ return(dbt.default__test_accepted_values(changed_rows(model), column_name, values, quote)) }}
{%- endmacro %}

{% macro default__test_relationships(model, column_name, to, field) -%}
    {{ return(dbt.default__test_relationships(changed_rows(model), column_name, to, field)) }}
{%- endmacro %}

{#- Unique over the whole table, looked for among the keys this run wrote: earlier rows were unique when their run
    was gated, so a duplicate can only involve a key written now. A semi-join on the keys instead of grouping all;
    when every row was written now (a first build, a full refresh) the semi-join would select them all, so the
    table is grouped as it is. -#}
{% macro default__test_unique(model, column_name) -%}
    {%- if not is_silver(model) or not holds_earlier_rows(model) -%}
        {{ return(dbt.default__test_unique(model, column_name)) }}
    {%- endif -%}
    select
        {{ column_name }} as unique_field,
        count(*) as n_records

    from {{ model }}

    where {{ column_name }} in (select changed.{{ column_name }} from {{ changed_rows(model) }} as changed)

    group by {{ column_name }}

    having count(*) > 1
{%- endmacro %}
