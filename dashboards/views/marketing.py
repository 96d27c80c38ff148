"""Marketing: revenue by channel, the clickstream funnel, customer segments and cohorts."""

import altair as alt
import pandas as pd
import streamlit as st

from data_stack.dashboards import charts, fmt, ui
from data_stack.dashboards.queries import marketing

ctx = ui.page_context()
f = ctx.filters
st.title("Marketing")

st.subheader("Revenue by channel")
channels = ui.load(ctx, marketing.revenue_by_channel(f))
st.altair_chart(
    charts.area(channels, "order_date", "revenue", "channel", x_title="Order date", y_title="Revenue (USD)"),
    width="stretch",
)

st.subheader("Session funnel")
st.caption("Share of the period's sessions reaching each step. The clickstream carries no region.")
funnel = ui.load(ctx, marketing.funnel(f)).iloc[0]
steps = pd.DataFrame(
    {
        "step": ["Sessions", "Product views", "Add to cart", "Checkout", "Orders"],
        "sessions": [funnel.sessions, funnel.product_views, funnel.add_to_cart, funnel.checkout, funnel.purchase],
    }
).fillna(0)
steps["share"] = steps["sessions"] / steps["sessions"].iloc[0] if steps["sessions"].iloc[0] else 0.0
cols = st.columns(len(steps))
for col, step in zip(cols, steps.itertuples(index=False), strict=True):
    col.metric(
        step.step, fmt.count(step.sessions), fmt.pct(step.share) + " of sessions", delta_color="off", delta_arrow="off"
    )
funnel_chart = (
    alt.Chart(steps)
    .mark_bar()
    .encode(
        x=alt.X("sessions:Q", title="Sessions"),
        y=alt.Y("step:N", title=None, sort=list(steps["step"])),
        tooltip=["step", alt.Tooltip("sessions:Q", format=","), alt.Tooltip("share:Q", format=".1%")],
    )
    .properties(height=200)
)
left, right = st.columns([2, 1])
left.altair_chart(funnel_chart, width="stretch")
devices = ui.load(ctx, marketing.conversion_by_device(f))
right.altair_chart(
    charts.bars(
        devices,
        "device_type",
        "conversion_rate",
        category_title="Device",
        value_title="Sessions ending in an order",
        value_format=".1%",
    ),
    width="stretch",
)

st.subheader("Customer segments")
st.caption("As of the published run: vip, repeat, new, lapsed (no order for a while) and prospect (no order yet).")
segments = ui.load(ctx, marketing.segments(f))
left, right = st.columns([1, 1])
left.altair_chart(
    charts.bars(
        segments,
        "customer_segment",
        "customers",
        category_title="Segment",
        value_title="Customers",
        value_format=",.0f",
    ),
    width="stretch",
)
right.dataframe(
    segments,
    hide_index=True,
    column_config={
        "customer_segment": "Segment",
        "customers": st.column_config.NumberColumn("Customers", format="%d"),
        "lifetime_value": st.column_config.NumberColumn("Lifetime value (USD)", format="dollar"),
        "orders_per_customer": st.column_config.NumberColumn("Orders per customer", format="%.2f"),
    },
)

st.subheader("Weekly cohorts")
st.caption("Customers by the week of their first order in the period; the share ordering again N weeks later.")
cohorts = ui.load(ctx, marketing.cohorts(f))
if cohorts.empty:
    st.info("No customer placed a first order in this period.")
else:
    cohorts["cohort"] = pd.to_datetime(cohorts["cohort_week"]).dt.strftime("%d %b %Y")
    heat = alt.Chart(cohorts).encode(
        x=alt.X("weeks_since_first_order:O", title="Weeks since first order", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cohort:N", title="Cohort (week of first order)", sort=None),
    )
    st.altair_chart(
        (
            heat.mark_rect().encode(
                color=alt.Color(
                    "retention:Q", title="Ordering", scale=alt.Scale(scheme="blues"), legend=alt.Legend(format=".0%")
                ),
                tooltip=[
                    "cohort",
                    "weeks_since_first_order",
                    alt.Tooltip("cohort_size:Q", title="Cohort size"),
                    alt.Tooltip("retention:Q", format=".1%"),
                ],
            )
            + heat.mark_text(fontSize=11).encode(text=alt.Text("retention:Q", format=".0%"))
        ).properties(height=alt.Step(32)),
        width="stretch",
    )
