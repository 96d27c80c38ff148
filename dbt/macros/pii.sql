{#- PII is hashed in staging and never leaves it raw (ADR 0005). The salt comes from PII_HASH_SALT: on DuckDB as a
    session variable set by the data_stack.transform.salt dbt plugin, so the secret is never written into compiled
    SQL, dbt's logs or the warehouse's view definitions. require_pii_salt (on-run-start) stops any dbt command whose
    connection lacks it: inside a view DuckDB would give a null hash rather than raise. Spark reads it from a Spark
    conf value, Athena from the compiled SQL (macros/engines/, docs/engines.md). -#}

{% macro pii_salt() -%}
    {{ return(adapter.dispatch('pii_salt')()) }}
{%- endmacro %}

{% macro default__pii_salt() -%}
    getvariable('pii_hash_salt')
{%- endmacro %}

{% macro require_pii_salt() -%}
    {{ return(adapter.dispatch('require_pii_salt')()) }}
{%- endmacro %}

{% macro default__require_pii_salt() -%}
    select error('PII salt not set: add the data_stack.transform.salt plugin to the dbt profile')
    where getvariable('pii_hash_salt') is null
{%- endmacro %}

{#- Salted SHA-256 as lowercase hex; null and blank values stay null. -#}
{% macro hash_pii(expression) -%}
    {{ return(adapter.dispatch('hash_pii')(expression)) }}
{%- endmacro %}

{% macro default__hash_pii(expression) -%}
    sha256({{ pii_salt() }} || nullif(trim({{ expression }}), ''))
{%- endmacro %}

{% macro normalized_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{#- A pragmatic syntax check (local@domain.tld), not RFC 5322: enough to keep junk out of campaigns. -#}
{% macro is_valid_email(column) -%}
    coalesce({{ regexp_full_match(normalized_email(column), "^[a-z0-9._%+-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$") }}, false)
{%- endmacro %}

{% macro email_domain(column) -%}
    case
        when {{ is_valid_email(column) }}
            then split_part({{ normalized_email(column) }}, '@', 2)
    end
{%- endmacro %}

{#- Phone numbers are compared as digits only, so "(555) 010-0001" and "555.010.0001" hash alike. -#}
{% macro phone_digits(column) -%}
    {{ return(adapter.dispatch('phone_digits')(column)) }}
{%- endmacro %}

{% macro default__phone_digits(column) -%}
    nullif(regexp_replace({{ column }}, '[^0-9]', '', 'g'), '')
{%- endmacro %}
