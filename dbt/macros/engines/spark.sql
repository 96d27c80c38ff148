{#- Spark implementations of the dispatched macros in macros/*.sql, for dbt-spark's session method
    (docs/engines.md). Spark SQL unescapes backslashes in ordinary string literals, so regular expressions are raw
    literals (r'...'). -#}

{% macro spark__regexp_full_match(expression, pattern) -%}
    regexp_like({{ expression }}, r'^(?:{{ pattern }})$')
{%- endmacro %}

{#- Exact, linear interpolation between the closest ranks: the same definition as DuckDB's quantile_cont. -#}
{% macro spark__percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- Spark has no QUALIFY: the same subquery as Athena's. -#}
{% macro spark__deduplicate(relation, partition_by, order_by) -%}
    {{ return(athena__deduplicate(relation, partition_by, order_by)) }}
{%- endmacro %}

{#- The salt is the Spark conf value spark.data_stack.pii_hash_salt (dbt/profiles.yml, from PII_HASH_SALT), put in by
    Spark's variable substitution when a statement is parsed: dbt's compiled SQL and logs carry only the
    placeholder. Spark stores a view's text after substitution, so the metastore holds the salted view. -#}
{% macro spark__pii_salt() -%}
    '${spark.data_stack.pii_hash_salt}'
{%- endmacro %}

{#- An unset conf value is left as the literal placeholder: stop rather than hash with it. -#}
{% macro spark__require_pii_salt() -%}
    select raise_error('PII salt not set: set spark.data_stack.pii_hash_salt in the dbt profile')
    where '${spark.data_stack.pii_hash_salt}' = concat('$', '{spark.data_stack.pii_hash_salt}')
{%- endmacro %}

{% macro spark__hash_pii(expression) -%}
    sha2(concat({{ pii_salt() }}, nullif(trim({{ expression }}), '')), 256)
{%- endmacro %}

{% macro spark__phone_digits(column) -%}
    nullif(regexp_replace({{ column }}, '[^0-9]', ''), '')
{%- endmacro %}

{% macro spark__incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{% macro spark__utc_timestamp(expression) -%}
    cast({{ expression }} as timestamp)
{%- endmacro %}

{% macro spark__type_timestamp_tz() -%}
    timestamp
{%- endmacro %}

{% macro spark__has_bronze(source_name, table_name) -%}
    {{ return(true) }}
{%- endmacro %}

{% macro spark__source_relation(relation, source_name, table_name) -%}
    {{ return(api.Relation.create(schema='bronze', identifier=source_name ~ '__' ~ table_name)) }}
{%- endmacro %}

{#- dbt.datediff as DuckDB counts it: the number of day / hour / minute / second boundaries crossed. dbt-spark's
    rounds the elapsed seconds up instead, and raises on a null (an undelivered shipment). -#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set micros = {'hour': 3600000000, 'minute': 60000000, 'second': 1000000} -%}
    {%- if datepart == 'day' -%}
        datediff(cast({{ second_date }} as date), cast({{ first_date }} as date))
    {%- elif datepart in micros -%}
        (unix_micros(cast({{ second_date }} as timestamp)) div {{ micros[datepart] }}
            - unix_micros(cast({{ first_date }} as timestamp)) div {{ micros[datepart] }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff by " ~ datepart ~ " is not implemented for Spark") }}
    {%- endif -%}
{%- endmacro %}

{#- Rewrite `relation` as the rows of `select_sql`. Spark cannot overwrite a table it is reading in the same
    statement, so the rows go through a scratch table first; what is returned drops it (the caller's statement). -#}
{% macro spark_rewrite_table(relation, select_sql) -%}
    {%- set scratch = relation.incorporate(path={"identifier": relation.identifier ~ '__dbt_keep'}) -%}
    {%- if execute -%}
        {%- do run_query("drop table if exists " ~ scratch) -%}
        {%- do run_query("create table " ~ scratch ~ " using parquet as " ~ select_sql) -%}
        {%- do run_query("insert overwrite table " ~ relation ~ " select * from " ~ scratch) -%}
    {%- endif -%}
    drop table if exists {{ scratch }}
{%- endmacro %}

{#- insert_overwrite by unique_key, which is what delete+insert does on DuckDB: the existing rows whose key is not
    among the new rows, plus the new rows. dbt-spark's own (without partition_by) would replace the whole table by the
    new rows only. -#}
{% macro get_insert_overwrite_sql(source_relation, target_relation, existing_relation) -%}
    {%- set unique_key = config.get('unique_key') -%}
    {%- if unique_key is none or unique_key is not string -%}
        {{ exceptions.raise_compiler_error("insert_overwrite here needs a single-column unique_key") }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(target_relation) | map(attribute='quoted') | join(', ') -%}
    {%- set kept_and_new -%}
        select {{ columns }} from {{ target_relation }} as kept
        where not exists (
            select 1 from {{ source_relation }} as changed where changed.{{ unique_key }} = kept.{{ unique_key }}
        )
        union all
        select {{ columns }} from {{ source_relation }}
    {%- endset -%}
    {{ spark_rewrite_table(target_relation, kept_and_new) }}
{%- endmacro %}

{% macro spark__delete_rows(relation, condition) -%}
    {{ spark_rewrite_table(relation, "select * from " ~ relation ~ " where not coalesce((" ~ condition ~ "), false)") }}
{%- endmacro %}

{#- dbt.cast, which the contract check uses on the data_type of every gold column: Spark takes VARCHAR only with a
    length, and the contracts say varchar (DuckDB's and Trino's name for an unbounded string). -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ 'string' if type | trim | lower == 'varchar' else type }})
{%- endmacro %}

{#- DuckDB's arithmetic (macros/cross_db.sql): a double quotient, rounded to the cent half away from zero. -#}
{% macro spark__money_per(amount, count) -%}
    round(cast({{ amount }} as double) / {{ count }} * 100) / 100
{%- endmacro %}
