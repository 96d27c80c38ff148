"""Overview: the business at a glance, each KPI against the previous period of the same length."""

import altair as alt
import streamlit as st

from data_stack.dashboards import charts, fmt, ui
from data_stack.dashboards.queries import overview

ctx = ui.page_context()
f = ctx.filters
st.title("Overview")
st.caption(f"{f.start:%d %b %Y} – {f.end:%d %b %Y} ({f.days} days) against the {f.days} days before.")

kpis = ui.load(ctx, overview.kpis(f)).set_index("period")
now, before = kpis.loc["current"], kpis.loc["previous"]
cards = st.columns(5)
versus = f"vs previous {f.days} days"
cards[0].metric(
    "Revenue",
    fmt.money(now.revenue),
    fmt.change(now.revenue, before.revenue),
    delta_description=versus,
    help="Net of line discounts, excluding shipping; orders not cancelled or returned (marketing.revenue_daily).",
)
cards[1].metric(
    "Orders",
    fmt.count(now.orders),
    fmt.change(now.orders, before.orders),
    delta_description=versus,
    help="Orders not cancelled or returned (marketing.revenue_daily).",
)
cards[2].metric(
    "Average order value",
    fmt.money(now.average_order_value, cents=True),
    fmt.change(now.average_order_value, before.average_order_value),
    delta_description=versus,
    help="Revenue / orders.",
)
cards[3].metric(
    "Active customers",
    fmt.count(now.active_customers),
    fmt.change(now.active_customers, before.active_customers),
    delta_description=versus,
    help="Distinct customers with at least one revenue order in the period (marketing.orders).",
)
cards[4].metric(
    "On-time delivery",
    fmt.pct(now.on_time_rate),
    fmt.change(now.on_time_rate, before.on_time_rate, points=True),
    delta_description=versus,
    help="Delivered by the promised time / delivered, by ship date (logistics.delivery_sla_daily).",
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
    st.subheader("On-time delivery per day")
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
