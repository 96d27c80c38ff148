{#- Silver kept up to date (ADR 0022, docs/performance.md). On DuckDB the large staging and intermediate models are
    tables each run updates by what changed: a staging model reads only the bronze loaded since the build it starts
    from, deduplicates that batch with the usual ordering and replaces rows by natural key. Every row a run writes
    carries `_built_run_id`, the run's marker; the rows a key replacement removed are kept in `<model>__replaced`
    for that run, so a model downstream can rebuild what the old rows touched (a day that lost its last row).
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

{#- Rows this run wrote into an incremental silver model. -#}
{% macro built_this_run(relation_alias) -%}
    {{ relation_alias }}._built_run_id = {{ run_marker() }}
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

{#- `<model>__replaced`: the rows of `relation` the current run replaced, or none. -#}
{% macro replaced_rows(relation) -%}
    {%- set replaced = relation.incorporate(path={'identifier': relation.identifier ~ '__replaced'}) -%}
    {%- if execute and adapter.get_relation(database=relation.database, schema=relation.schema, identifier=replaced.identifier) is not none -%}
        (select * from {{ replaced.include(database=false) }} where _replaced_by_run_id = {{ run_marker() }})
    {%- else -%}
        (select * from {{ relation }} where false)
    {%- endif -%}
{%- endmacro %}

{#- A custom incremental strategy: delete+insert by unique key that first keeps the rows it deletes, with the run
    that replaced them, in `<model>__replaced` (created on first use, emptied of earlier runs' rows). -#}
{% macro get_incremental_replace_by_key_sql(arg_dict) -%}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set temp_relation = arg_dict['temp_relation'] -%}
    {%- set unique_key = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set replaced = target_relation.incorporate(path={'identifier': target_relation.identifier ~ '__replaced'}) -%}
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
