"""Product: top products and categories with margin, weekly sales against the market indicators, and the category
forecast beside the actuals with its measured accuracy."""

import altair as alt
import pandas as pd
import streamlit as st

from data_stack.dashboards import charts, fmt, ui
from data_stack.dashboards import forecast as fc
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

series = ", ".join(product.forecast_series(f))
st.subheader("Forecast: the next 28 days", help="docs/forecast.md: the method, its backtest and its limits.")
predicted = ui.load(ctx, product.forecast(f))
accuracy = ui.load(ctx, product.forecast_accuracy(f))
if predicted.empty or (predicted["model"] == "actual").all():
    st.info(f"No forecast for {series}: it needs at least a week of order history.")
else:
    first_day = pd.Timestamp(predicted.loc[predicted["model"] != "actual", "sales_date"].min())
    trained_through = (first_day - pd.Timedelta(days=1)).strftime("%d %b %Y")
    st.caption(
        f"{series}, daily. The actuals follow the dates; the forecast starts the day after the last order date "
        f"({trained_through}). Bands: 80% and 95% prediction intervals. The line is the weekday + trend model where "
        "it beat the seasonal-naive baseline in the backtest, the baseline where it did not."
    )
    cards = st.columns(2)
    cards[0].metric(
        "Revenue forecast, next 28 days",
        fmt.money(fc.forecast_total(predicted, "revenue")),
        help="Sum of the daily forecast shown below (product.category_forecast_daily).",
    )
    cards[1].metric(
        "Units forecast, next 28 days",
        fmt.count(fc.forecast_total(predicted, "units")),
        help="Sum of the daily forecast shown below (product.category_forecast_daily).",
    )
    fc.show_notes(accuracy)
    left, right = st.columns(2)
    for column, measure, title in ((left, "revenue", "Revenue (USD)"), (right, "units", "Units")):
        with column:
            st.altair_chart(
                fc.chart(predicted[predicted["measure"] == measure], y_title=title, money=measure == "revenue"),
                width="stretch",
            )
    st.dataframe(
        accuracy[list(fc.ACCURACY_COLUMNS)], hide_index=True, width="stretch", column_config=fc.ACCURACY_COLUMNS
    )
