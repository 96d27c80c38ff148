{#- Silver kept up to date (ADR 0023, docs/performance.md). On DuckDB the large staging and intermediate models are
    tables each run updates by what changed: a staging model reads only the bronze loaded since the build it starts
    from, deduplicates that batch with the usual ordering and replaces rows by natural key. Every row a run writes
    carries `_built_run_id`, the run's marker; the rows a key replacement removed are kept (`replaced` state) for
    that run, so a model downstream can rebuild what the old rows touched (a day that lost its last row).
    Other engines keep these models as views over all of bronze (ADR 0016). -#}

{% macro silver_materialized(default='view') -%}
    {{ return('incremental' if target.type == 'duckdb' else default) }}
{%- endmacro %}

{#- The run that wrote a row into the warehouse (the data_stack.transform.run_marker plugin sets it). -#}
{% macro run_marker() -%}
    {{ return(adapter.dispatch('run_marker')()) }}
{%- endmacro %}

{% macro default__run_marker() -%}
    getvariable('run_marker')
{%- endmacro %}

{% macro athena__run_marker() -%}
    '{{ invocation_id }}'
{%- endmacro %}

{% macro spark__run_marker() -%}
    '{{ invocation_id }}'
{%- endmacro %}

{#- Rows this run wrote into an incremental silver model. The marker is read from the session and written as a
    literal, so DuckDB skips the row groups of earlier runs by their statistics (a run's rows are appended last). -#}
{% macro built_this_run(relation_alias) -%}
    {%- if execute -%}
        {%- set marker = run_query("select getvariable('run_marker')").columns[0].values()[0] -%}
        {{ relation_alias }}._built_run_id = '{{ marker }}'
    {%- else -%}
        {{ relation_alias }}._built_run_id = {{ run_marker() }}
    {%- endif -%}
{%- endmacro %}

{#- The bronze of `relation` not yet in this model: rows loaded after the latest `_loaded_at` the model holds. The
    watermark is read before the model's SQL is compiled, so DuckDB prunes bronze by the `load_date` partition
    and by row-group statistics; an empty or new model reads all of bronze. -#}
{% macro bronze_since_built(relation) -%}
    {%- if not is_incremental() or not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set watermark = run_query('select cast(max(_loaded_at) as varchar) from ' ~ this).columns[0].values()[0] -%}
    {%- if watermark is none -%}
        {{ return(relation) }}
    {%- endif -%}
    (
        select *
        from {{ relation }}
        where
            load_date >= '{{ watermark[:10] }}'
            and cast(_loaded_at as timestamp) > timestamp '{{ watermark }}'
    )
{%- endmacro %}

{#- Where a model's bookkeeping for the current run lives: schema `incremental_state`, out of the gold schemas that
    serving and readers list (`<schema>__<model>__<what>`). The schema is created once, when the run starts: models
    building in parallel that each created it would conflict in DuckDB's catalog. -#}
{% macro create_state_schema() -%}
    {{ return(adapter.dispatch('create_state_schema')()) }}
{%- endmacro %}

{% macro default__create_state_schema() -%}
    create schema if not exists incremental_state
{%- endmacro %}

{% macro athena__create_state_schema() -%}
    select 1
{%- endmacro %}

{% macro spark__create_state_schema() -%}
    select 1
{%- endmacro %}

{% macro state_relation(relation, what) -%}
    {{ return(api.Relation.create(
        database=relation.database,
        schema='incremental_state',
        identifier=relation.schema ~ '__' ~ relation.identifier ~ '__' ~ what,
    )) }}
{%- endmacro %}

{#- Whether `relation` exists, asked of the database, not dbt's relation cache: the table may have been created
    earlier in this run, or not be built at all (a compile on its own). -#}
{% macro table_exists(relation) -%}
    {%- set exists_sql -%}
        select count(*) from information_schema.tables
        where table_schema = '{{ relation.schema }}' and table_name = '{{ relation.identifier }}'
    {%- endset -%}
    {{ return(run_query(exists_sql).columns[0].values()[0] > 0) }}
{%- endmacro %}

{#- The rows of `relation` the current run replaced (`replaced` state), or none. -#}
{% macro replaced_rows(relation) -%}
    {%- set replaced = state_relation(relation, 'replaced') -%}
    {%- if execute and target.type == 'duckdb' and table_exists(replaced) -%}
        (select * from {{ replaced.include(database=false) }} where _replaced_by_run_id = {{ run_marker() }})
    {%- else -%}
        (select * from {{ relation }} where false)
    {%- endif -%}
{%- endmacro %}

{#- A custom incremental strategy: delete+insert by unique key that first keeps the rows it deletes, with the run
    that replaced them, in its `replaced` state (created on first use, emptied of earlier runs' rows). -#}
{% macro get_incremental_replace_by_key_sql(arg_dict) -%}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set temp_relation = arg_dict['temp_relation'] -%}
    {%- set unique_key = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set replaced = state_relation(target_relation, 'replaced') -%}
    create table if not exists {{ replaced }} as
        select *, cast(null as varchar) as _replaced_by_run_id from {{ target_relation }} where false;
    delete from {{ replaced }};
    insert into {{ replaced }}
        select *, {{ run_marker() }}
        from {{ target_relation }}
        where {{ unique_key }} in (select {{ unique_key }} from {{ temp_relation }});
    delete from {{ target_relation }}
        where {{ unique_key }} in (select {{ unique_key }} from {{ temp_relation }});
    insert into {{ target_relation }} ({{ columns }})
        select {{ columns }} from {{ temp_relation }}
{%- endmacro %}

{#- Marts by day, rebuilt only for the days a run touched (ADR 0023): a pre-hook keeps the days to rebuild in
    its `days` state (`days`: a query of one column, `day`; kept under the mart's day column, which the gate's
    row-level expectations read) and deletes them; the model appends them again from the
    whole of silver, so a day that lost its last row is gone, as in a full build. Other engines and full refreshes
    build the whole table. -#}
{% macro delete_days(day_column, days) -%}
    {%- if is_incremental() -%}
        {%- set touched = state_relation(this, 'days') -%}
        create or replace table {{ touched }} as select distinct day as {{ day_column }} from ({{ days }}) as touched;
        delete from {{ this }} where {{ day_key(day_column) }} in (select {{ day_key('touched.' ~ day_column) }} from {{ touched }} as touched)
    {%- endif -%}
{%- endmacro %}

{#- The rows of a day the pre-hook deleted (a filter on `day_column`). -#}
{% macro in_touched_days(day_column) -%}
    {%- set touched = state_relation(this, 'days') -%}
    {{ day_key(day_column) }} in (
        select {{ day_key('touched.' ~ day_column.split('.')[-1]) }} from {{ touched.include(database=false) }} as touched
    )
{%- endmacro %}

{#- A day as a key that matches null too (rows without a date form a group of their own). -#}
{% macro day_key(expression) -%}
    coalesce({{ expression }}, date '0001-01-01')
{%- endmacro %}
