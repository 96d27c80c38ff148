{#- An accepted value in the spelling the contract lists (docs/sources.md): the tap accepts it ignoring case and
    surrounding spaces, so bronze may hold ` NORTHEAST `; staging gives every reader `Northeast`. A value outside
    the list (only in loads older than the rule) is kept, trimmed, for the accepted_values test to report. -#}
{% macro canonical_value(expression, values) -%}
    case lower(trim({{ expression }}))
        {%- for value in values %}
        when '{{ value | lower }}' then '{{ value }}'
        {%- endfor %}
        else trim({{ expression }})
    end
{%- endmacro %}
