"""Overview: the business at a glance, each KPI against the previous period of the same length."""

import altair as alt
import streamlit as st

from data_stack.dashboards import charts, fmt, ui
from data_stack.dashboards import forecast as fc
from data_stack.dashboards.queries import overview
from data_stack.dashboards.queries.product import ALL_CATEGORIES

ctx = ui.page_context()
f = ctx.filters
st.title("Overview")
period = f"{f.start:%d %b %Y} – {f.end:%d %b %Y} ({f.days} days)"
comparable = ctx.first_date is not None and f.previous().start >= ctx.first_date
if comparable:
    st.caption(f"{period}; changes are against the {f.days} days before.")
else:
    st.caption(f"{period}. No changes shown: the {f.days} days before begin before the data ({ctx.first_date}).")


def change(current: float, previous: float, *, points: bool = False) -> str | None:
    return fmt.change(current, previous, points=points) if comparable else None


kpis = ui.load(ctx, overview.kpis(f)).set_index("period")
now, before = kpis.loc["current"], kpis.loc["previous"]
cards = st.columns(5)
cards[0].metric(
    "Revenue",
    fmt.money(now.revenue),
    change(now.revenue, before.revenue),
    help="Net of line discounts, excluding shipping; orders not cancelled or returned (marketing.revenue_daily).",
)
cards[1].metric(
    "Orders",
    fmt.count(now.orders),
    change(now.orders, before.orders),
    help="Orders not cancelled or returned (marketing.revenue_daily).",
)
cards[2].metric(
    "Average order value",
    fmt.money(now.average_order_value, cents=True),
    change(now.average_order_value, before.average_order_value),
    help="Revenue / orders.",
)
cards[3].metric(
    "Active customers",
    fmt.count(now.active_customers),
    change(now.active_customers, before.active_customers),
    help="Distinct customers with at least one revenue order in the period (marketing.orders).",
)
cards[4].metric(
    "On-time delivery",
    fmt.pct(now.on_time_rate),
    change(now.on_time_rate, before.on_time_rate, points=True),
    help="Delivered by the promised time / (delivered + overdue), by ship date: a shipment past its promise and not "
    "delivered counts as late, one not due yet is left out (logistics.delivery_sla_daily).",
)

st.subheader("Revenue per day")
trend = ui.load(ctx, overview.revenue_trend(f))
st.altair_chart(
    charts.line(trend, "order_date", "revenue", x_title="Order date", y_title="Revenue (USD)"),
    width="stretch",
)

left, right = st.columns(2)
with left:
    st.subheader("Revenue by customer region")
    regions = ui.load(ctx, overview.revenue_by_region(f))
    st.altair_chart(
        charts.bars(regions, "region", "revenue", category_title="Region", value_title="Revenue (USD)"),
        width="stretch",
    )
with right:
    st.subheader(
        "On-time delivery per day",
        help="Only ship days whose rate is final: none of their shipments is still pending (not delivered, not due "
        "yet). The Logistics page shows the pending ones.",
    )
    on_time = ui.load(ctx, overview.on_time_trend(f))
    st.altair_chart(
        charts.line(
            on_time, "ship_date", "on_time_rate", x_title="Ship date", y_title="Delivered on time", y_format=".0%"
        ).encode(
            y=alt.Y(
                "on_time_rate:Q", title="Delivered on time", axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False)
            )
        ),
        width="stretch",
    )

st.subheader("Revenue forecast: the next 28 days", help="docs/forecast.md: the method, its backtest and its limits.")
predicted = ui.load(ctx, overview.revenue_forecast(f))
accuracy = ui.load(ctx, overview.revenue_forecast_accuracy(f))
total = accuracy[accuracy["category"] == ALL_CATEGORIES]
if predicted.empty or (predicted["model"] == "actual").all() or total.empty:
    st.info("No revenue forecast: it needs at least a week of order history.")
else:
    st.caption(
        "All regions and categories (the forecast is not split by region, so the region filter does not apply). "
        "Bands: 80% and 95% prediction intervals. " + fc.accuracy_caption(total.iloc[0])
    )
    st.metric(
        "Revenue forecast, next 28 days",
        fmt.money(fc.forecast_total(predicted, "revenue")),
        help="Sum of the daily forecast shown (product.category_forecast_daily).",
    )
    fc.show_notes(total)
    st.altair_chart(fc.chart(predicted, y_title="Revenue (USD)", money=True), width="stretch")
    with st.expander("Forecast accuracy per category (revenue)"):
        fc.show_notes(accuracy[accuracy["category"] != ALL_CATEGORIES])
        st.dataframe(
            accuracy[list(fc.ACCURACY_COLUMNS)], hide_index=True, width="stretch", column_config=fc.ACCURACY_COLUMNS
        )
