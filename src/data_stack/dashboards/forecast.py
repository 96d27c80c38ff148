"""The forecast beside the actuals, as the Overview and Product pages draw it: history, the line to show and its
80% and 95% bands, the measured accuracy, and a note wherever the model does not beat the seasonal-naive baseline
(product.category_forecast_daily and product.category_forecast_accuracy, docs/forecast.md)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data_stack.dashboards import charts, fmt

LINES = {  # model -> legend label, colour, dash
    "actual": ("Actual", "#1f77b4", [1, 0]),
    "weekday_trend": ("Forecast: weekday + trend model", "#ff7f0e", [6, 3]),
    "seasonal_naive": ("Forecast: baseline (same weekday last week)", "#7f7f7f", [6, 3]),
}
MIN_MEASURED_DAYS = 35  # 28 days to train the model, a week to test it (data_stack.forecast.backtest)
ACCURACY_COLUMNS = {
    "category": "Category",
    "measure": "Measure",
    "model_smape": st.column_config.NumberColumn("Model sMAPE", format="percent", help="Backtest, lower is better."),
    "baseline_smape": st.column_config.NumberColumn("Baseline sMAPE", format="percent", help="Same weekday last week."),
    "beats_baseline": st.column_config.CheckboxColumn("Beats baseline"),
    "model_coverage_80": st.column_config.NumberColumn(
        "Model 80% interval held", format="percent", help="Share of backtest days inside it; 80% if calibrated."
    ),
    "baseline_coverage_80": st.column_config.NumberColumn("Baseline 80% interval held", format="percent"),
    "fold_count": st.column_config.NumberColumn("Folds", format="%d"),
    "horizon_days": st.column_config.NumberColumn("Days per fold", format="%d"),
}


def chart(frame: pd.DataFrame, *, y_title: str, money: bool) -> alt.Chart:
    """`frame`: rows of category_forecast_daily for one measure; one panel per category."""
    shown = [model for model in LINES if model in set(frame["model"])]
    labels = [LINES[model][0] for model in shown]
    data = frame.assign(line=frame["model"].map(lambda model: LINES[model][0]))
    value_format = charts.MONEY if money else ",.0f"
    color = alt.Color(
        "line:N",
        title=None,
        scale=alt.Scale(domain=labels, range=[LINES[m][1] for m in shown]),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
    )
    x = alt.X("sales_date:T", title="Date")
    y = alt.Y("value:Q", title=y_title, axis=alt.Axis(format=charts.MONEY_AXIS if money else ",.0f"))
    bands = [
        alt.Chart()
        .transform_filter(f"isValid(datum.lower_{level})")
        .mark_area(opacity=opacity)
        .encode(x=x, y=alt.Y(f"lower_{level}:Q", title=y_title), y2=f"upper_{level}:Q", color=color)
        for level, opacity in ((95, 0.15), (80, 0.3))
    ]
    line = (
        alt.Chart()
        .mark_line()
        .encode(
            x=x,
            y=y,
            color=color,
            strokeDash=alt.StrokeDash("line:N", scale=alt.Scale(domain=labels, range=[LINES[m][2] for m in shown])),
            tooltip=[
                alt.Tooltip("sales_date:T", title="Date"),
                alt.Tooltip("line:N", title="Line"),
                alt.Tooltip("value:Q", title=y_title, format=value_format),
                alt.Tooltip("lower_80:Q", title="80% from", format=value_format),
                alt.Tooltip("upper_80:Q", title="80% to", format=value_format),
            ],
        )
    )
    layered = alt.layer(*bands, line, data=data)
    if data["category"].nunique() > 1:
        return (
            layered.properties(height=160).facet(row=alt.Row("category:N", title=None)).resolve_scale(y="independent")
        )
    return layered.properties(height=300)


def forecast_total(frame: pd.DataFrame, measure: str) -> float | None:
    """Sum of the shown forecast over the next 28 days (the intervals of daily values do not add up)."""
    future = frame[(frame["measure"] == measure) & (frame["model"] != "actual")]
    return None if future.empty else float(future["value"].sum())


def accuracy_caption(row: pd.Series) -> str:
    if not row["fold_count"]:
        return f"Accuracy not measured: {row['history_days']} days of history ({MIN_MEASURED_DAYS} needed)."
    return (
        f"Backtest sMAPE {fmt.pct(row['model_smape'])} for the model against {fmt.pct(row['baseline_smape'])} for "
        f"the seasonal-naive baseline ({row['fold_count']} folds of {row['horizon_days']} days); the model's 80% "
        f"interval held {fmt.pct(row['model_coverage_80'], 0)} of the days."
    )


def baseline_notes(accuracy: pd.DataFrame) -> list[str]:
    """One line per shown series whose model does not beat the baseline: the page shows the baseline's line."""
    notes = []
    for row in accuracy.itertuples(index=False):
        if row.beats_baseline:
            continue
        label = f"{row.category}, {row.measure}"
        if not row.fold_count:
            notes.append(
                f"{label}: {row.history_days} days of history are too few to measure the model "
                f"({MIN_MEASURED_DAYS} needed), so the line is the baseline: the same weekday last week."
            )
        else:
            notes.append(
                f"{label}: the model does not beat the seasonal-naive baseline (backtest sMAPE "
                f"{fmt.pct(row.model_smape)} against {fmt.pct(row.baseline_smape)}), so the line is the baseline: "
                "the same weekday last week, with its own intervals."
            )
    return notes


def show_notes(accuracy: pd.DataFrame) -> None:
    notes = baseline_notes(accuracy)
    if notes:
        st.warning("**No confident model line here.**\n\n" + "\n".join(f"- {note}" for note in notes))
