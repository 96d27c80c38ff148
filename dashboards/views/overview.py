"""Overview: the business at a glance, each KPI against the previous period of the same length."""

import altair as alt
import streamlit as st

from data_stack.dashboards import charts, fmt, ui
from data_stack.dashboards.queries import overview

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
