{#- High-water mark of an incremental fact: the latest bronze `_loaded_at` already folded into it.
    Keys with bronze rows loaded after it are rebuilt from their full history (ADR 0005). -#}
{% macro loaded_at_watermark() -%}
    coalesce(
        (select max(existing._loaded_at) from {{ this }} as existing),
        cast('1970-01-01 00:00:00' as timestamp)
    )
{%- endmacro %}
