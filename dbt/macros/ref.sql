{#- References are rendered without the database (catalog) name. DuckDB names the catalog after the
    file, and a run builds into build/<run_id>.duckdb that is later renamed to current.duckdb: a view
    that named its catalog would break after the rename. Unqualified schema.table resolves in
    whatever file is open. -#}
{% macro ref() %}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if relation is string -%}
        {{ return(relation) }}
    {%- endif -%}
    {{ return(relation.include(database=false)) }}
{% endmacro %}
