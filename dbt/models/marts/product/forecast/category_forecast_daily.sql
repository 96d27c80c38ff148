-- Daily revenue and units per category (and for all categories together): every observed day (model
-- 'actual', the series the methods were trained on), then the 28 days after the last order date as
-- forecast by the model and by the seasonal-naive baseline, with 80% and 95% prediction intervals.
-- is_shown marks what to draw: the observed days, and of the two forecasts the model's only where it
-- beat the baseline in the backtest (category_forecast_accuracy), the baseline's everywhere else.
with

forecasts as (
    select * from {{ ref('int_category_sales_forecasted') }}
),

backtests as (
    select * from {{ ref('int_category_forecasts_backtested') }}
),

shown as (
    select
        forecasts.*,
        case
            when forecasts.model = 'actual' then true
            when backtests.beats_baseline then forecasts.model = backtests.model
            else forecasts.model = backtests.baseline
        end as is_shown

    from forecasts

    inner join backtests
        on
            forecasts.category = backtests.category
            and forecasts.measure = backtests.measure
),

final as (
    select
        category,
        measure,
        model,
        cast(sales_date as date) as sales_date,
        cast(horizon_days as integer) as horizon_days,
        cast(round(value, 2) as double) as value,
        cast(round(lower_80, 2) as double) as lower_80,
        cast(round(upper_80, 2) as double) as upper_80,
        cast(round(lower_95, 2) as double) as lower_95,
        cast(round(upper_95, 2) as double) as upper_95,
        is_shown,
        cast(trained_through as date) as trained_through

    from shown
)

select * from final
