{#- Custom schemas are used as given (`marketing`, not `main_marketing`): readers and the quality
    gate address gold tables as <domain>.<model>. On Athena the schemas are the Glue databases the Terraform
    declares (macros/engines/athena.sql). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ adapter.dispatch('custom_schema_name')(custom_schema_name | trim) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__custom_schema_name(custom_schema_name) -%}
    {{ custom_schema_name }}
{%- endmacro %}
