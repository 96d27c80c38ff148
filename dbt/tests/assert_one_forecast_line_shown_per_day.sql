-- The dashboards draw the shown forecast of each series: exactly one line per category, measure and day.
{{ config(enabled=target.type == 'duckdb') }}

with

forecasts as (
    select * from {{ ref('category_forecast_daily') }}
),

per_day as (
    select
        forecasts.category,
        forecasts.measure,
        forecasts.sales_date,
        sum(case when forecasts.is_shown then 1 else 0 end) as shown_count

    from forecasts

    where forecasts.model <> 'actual'

    group by
        forecasts.category,
        forecasts.measure,
        forecasts.sales_date
)

select * from per_day
where per_day.shown_count <> 1
