"""Product: top products and categories with margin, and weekly sales against the market indicators."""

import altair as alt
import pandas as pd
import streamlit as st

from data_stack.dashboards import charts, fmt, ui
from data_stack.dashboards.queries import product

ctx = ui.page_context()
f = ctx.filters
st.title("Product")

categories = ui.load(ctx, product.categories(f))
revenue, margin = categories["revenue"].sum(), categories["margin"].sum()
cards = st.columns(4)
cards[0].metric("Lifetime revenue", fmt.money(revenue), help="Revenue orders, net of discounts (product.products).")
cards[1].metric("Units sold", fmt.count(categories["units_sold"].sum()))
cards[2].metric("Margin", fmt.money(margin), help="Revenue minus units sold × current catalog unit cost.")
cards[3].metric("Margin rate", fmt.pct(margin / revenue if revenue else None), help="Margin / revenue.")
st.caption("Lifetime totals as of the published run, filtered by category; the weekly chart follows the dates.")

left, right = st.columns(2)
with left:
    st.subheader("Categories")
    st.altair_chart(
        charts.bars(categories, "category", "revenue", category_title="Category", value_title="Revenue (USD)"),
        width="stretch",
    )
with right:
    st.subheader("Margin rate by category")
    st.altair_chart(
        charts.bars(
            categories,
            "category",
            "margin_pct",
            category_title="Category",
            value_title="Margin / revenue",
            value_format=".0%",
        ),
        width="stretch",
    )

st.subheader(f"Top {product.TOP_N} products")
st.dataframe(
    ui.load(ctx, product.top_products(f)),
    hide_index=True,
    height=35 * (product.TOP_N + 1) + 3,  # every row, no inner scrolling
    width="stretch",
    column_config={
        "product_name": "Product",
        "category": "Category",
        "units_sold": st.column_config.NumberColumn("Units", format="%d"),
        "revenue": st.column_config.NumberColumn("Revenue (USD)", format="dollar"),
        "margin": st.column_config.NumberColumn("Margin (USD)", format="dollar"),
        "margin_pct": st.column_config.NumberColumn("Margin rate", format="percent"),
    },
)

st.subheader("Weekly sales against the market")
st.caption("Bars: our revenue per ISO week. Line: the vendor's category demand index for the same week.")
weekly = ui.load(ctx, product.weekly_market(f))
if weekly.empty:
    st.info("No sales or indicators in this period.")
else:
    totals = weekly.groupby("week_start_date", as_index=False).agg(
        revenue=("revenue", "sum"), demand_index=("category_demand_index", "mean")
    )
    totals["week"] = pd.to_datetime(totals["week_start_date"]).dt.strftime("%d %b %Y")
    base = alt.Chart(totals).encode(
        x=alt.X("week:O", title="Week starting (Monday)", sort=None, axis=alt.Axis(labelAngle=0))
    )
    st.altair_chart(
        alt.layer(
            base.mark_bar(opacity=0.7).encode(
                y=alt.Y("revenue:Q", title="Revenue (USD)", axis=alt.Axis(format=charts.MONEY_AXIS)),
                tooltip=["week", alt.Tooltip("revenue:Q", format="$,.0f")],
            ),
            base.mark_line(color="#d62728", point=True).encode(
                y=alt.Y("demand_index:Q", title="Category demand index"),
                tooltip=[alt.Tooltip("demand_index:Q", format=".1f")],
            ),
        )
        .resolve_scale(y="independent")
        .properties(height=300),
        width="stretch",
    )
    st.altair_chart(
        charts.line(
            weekly,
            "week_start_date",
            "price_index",
            x_title="Week starting",
            y_title="Our price / competitor price",
            color="category",
            y_format=".2f",
        ).encode(y=alt.Y("price_index:Q", title="Our price / competitor price", scale=alt.Scale(zero=False))),
        width="stretch",
    )
