-- How well the category forecast did on a rolling-origin backtest: the model and the seasonal-naive
-- baseline on the same folds, their sMAPE and interval coverage, and whether the model beats the
-- baseline (docs/forecast.md). One row per category (and all categories together) and measure.
with

backtests as (
    select * from {{ ref('int_category_forecasts_backtested') }}
),

final as (
    select
        category,
        measure,
        model,
        baseline,
        cast(round(model_smape, 4) as double) as model_smape,
        cast(round(baseline_smape, 4) as double) as baseline_smape,
        beats_baseline,
        cast(round(model_coverage_80, 4) as double) as model_coverage_80,
        cast(round(model_coverage_95, 4) as double) as model_coverage_95,
        cast(round(baseline_coverage_80, 4) as double) as baseline_coverage_80,
        cast(round(baseline_coverage_95, 4) as double) as baseline_coverage_95,
        cast(horizon_days as integer) as horizon_days,
        cast(fold_count as integer) as fold_count,
        cast(history_days as integer) as history_days,
        cast(trained_through as date) as trained_through

    from backtests
)

select * from final
