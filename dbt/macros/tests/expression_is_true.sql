{#- Rows for which `expression` is not true fail (null counts as a failure). -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ changed_rows(model) }}
where not coalesce({{ expression }}, false)

{% endtest %}
