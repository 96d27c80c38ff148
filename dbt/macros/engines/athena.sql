{#- Athena (Trino) implementations of the dispatched macros in macros/*.sql (docs/engines.md). -#}

{% macro athena__regexp_full_match(expression, pattern) -%}
    regexp_like({{ expression }}, '^(?:{{ pattern }})$')
{%- endmacro %}

{#- Approximate (a t-digest): the one mean-free statistic that may differ from DuckDB's exact quantile_cont. -#}
{% macro athena__percentile(expression, fraction) -%}
    approx_percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- Trino has no QUALIFY: rank in a subquery. The extra dedupe_rank column is not selected by staging. -#}
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

{#- Athena has no session variables: the salt is inlined into the compiled SQL, so keep dbt's target dir and the
    workgroup's query history private there (docs/engines.md). -#}
{% macro athena__pii_salt() -%}
    '{{ env_var("PII_HASH_SALT", "northwind") | replace("'", "''") }}'
{%- endmacro %}

{% macro athena__require_pii_salt() -%}
    select 1
{%- endmacro %}

{% macro athena__hash_pii(expression) -%}
    lower(to_hex(sha256(to_utf8({{ pii_salt() }} || nullif(trim({{ expression }}), '')))))
{%- endmacro %}

{% macro athena__phone_digits(column) -%}
    nullif(regexp_replace({{ column }}, '[^0-9]', ''), '')
{%- endmacro %}

{#- Silver and gold are Iceberg tables on Athena (dbt_project.yml: table_type), which take MERGE. -#}
{% macro athena__incremental_strategy() -%}
    {{ return('merge') }}
{%- endmacro %}

{#- at_timezone() is Trino's `AT TIME ZONE`, spelled as sqlglot writes it back (athena/dialect_check.py). -#}
{% macro athena__utc_timestamp(expression) -%}
    cast(at_timezone({{ expression }}, 'UTC') as timestamp)
{%- endmacro %}

{% macro athena__type_timestamp_tz() -%}
    timestamp(6) with time zone
{%- endmacro %}

{% macro athena__has_bronze(source_name, table_name) -%}
    {{ return(true) }}
{%- endmacro %}

{#- Bronze is the Glue database <name>_bronze (aws/terraform/modules/catalog), one table per stream. Without
    ATHENA_BRONZE_DATABASE it is named after the target schema, <name>_silver. -#}
{% macro athena__source_relation(relation, source_name, table_name) -%}
    {%- set bronze = env_var('ATHENA_BRONZE_DATABASE', target.schema | replace('_silver', '_bronze')) -%}
    {{ return(api.Relation.create(database=target.database, schema=bronze, identifier=source_name ~ '__' ~ table_name)) }}
{%- endmacro %}

{#- The Glue databases of aws/terraform/modules/catalog: staging and intermediate in <name>_silver (the target
    schema), the domains' gold marts in <name>_gold (model names are unique across domains). -#}
{% macro athena__custom_schema_name(custom_schema_name) -%}
    {%- if custom_schema_name in ('staging', 'intermediate') -%}
        {{ target.schema }}
    {%- else -%}
        {{ env_var('ATHENA_GOLD_DATABASE', target.schema | replace('_silver', '_gold')) }}
    {%- endif -%}
{%- endmacro %}

{#- DuckDB's arithmetic (macros/cross_db.sql): a double quotient, rounded to the cent half away from zero. -#}
{% macro athena__money_per(amount, count) -%}
    round(cast({{ amount }} as double) / {{ count }} * 100) / 100
{%- endmacro %}
