{#- Where a source lives on each engine. On DuckDB the source's external_location (read_parquet over the lake) is
    used as dbt-duckdb resolves it; Athena and Spark read a registered table per bronze stream,
    <source>__<stream>: the Glue tables of aws/terraform/modules/catalog on Athena, the tables of
    spark/register_bronze.py on Spark (macros/engines/). -#}
{% macro source(source_name, table_name) %}
    {%- set relation = builtins.source(source_name, table_name) -%}
    {{ return(adapter.dispatch('source_relation')(relation, source_name, table_name)) }}
{% endmacro %}

{% macro default__source_relation(relation, source_name, table_name) -%}
    {{ return(relation) }}
{%- endmacro %}
