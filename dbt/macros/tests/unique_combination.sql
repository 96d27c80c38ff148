{#- Composite primary key: no two rows share the same values of `combination_of_columns`. -#}
{% test unique_combination(model, combination_of_columns) %}

with

validation as (
    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
)

select * from validation

{% endtest %}
