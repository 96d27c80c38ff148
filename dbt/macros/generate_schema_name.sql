{#- Custom schemas are used as given (`marketing`, not `main_marketing`): readers and the quality
    gate address gold tables as <domain>.<model>. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
