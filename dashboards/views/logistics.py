"""Logistics: on-time rate and lead times by carrier and region; the fleet with its valuations."""

import altair as alt
import pandas as pd
import streamlit as st

from data_stack.dashboards import charts, fmt, ui
from data_stack.dashboards.queries import logistics

# outcome column -> legend label and colour, in stacking order
OUTCOMES = {
    "on_time": ("On time", "#4c9a5b"),
    "delivered_late": ("Delivered late", "#e8a33d"),
    "overdue": ("Overdue", "#c8453b"),
    "pending": ("Pending", "#b8b8b8"),
}
RATE_HELP = (
    "On time / (delivered + overdue). A shipment past its promised time and not delivered is overdue and counts "
    "as late; a lost one too. A pending one (not delivered, promise not passed yet) is left out until it arrives "
    "or becomes overdue."
)

ctx = ui.page_context()
f = ctx.filters
st.title("Logistics")
kpis = ui.load(ctx, logistics.kpis(f)).iloc[0]
as_of = "" if pd.isna(kpis.as_of_at) else f" Overdue and pending as of {kpis.as_of_at:%d %b %Y %H:%M} UTC."
st.caption(f"Shipments by ship date, {f.start:%d %b %Y} – {f.end:%d %b %Y}; regions are destination regions.{as_of}")

carriers = ui.load(ctx, logistics.lead_time_by_carrier(f))
cards = st.columns(6)
cards[0].metric("Shipments", fmt.count(kpis.shipments), help="logistics.delivery_sla_daily")
cards[1].metric("On-time delivery", fmt.pct(kpis.on_time_rate), help=RATE_HELP)
cards[2].metric("Overdue", fmt.count(kpis.overdue), help="Not delivered and past the promised time, or lost.")
cards[3].metric(
    "Pending",
    fmt.count(kpis.pending),
    help="Not delivered and not due yet: outside the on-time rate. 'Now' is the latest shipped or delivered time "
    "in the data, not the clock.",
)
cards[4].metric(
    "Median lead time",
    fmt.hours(carriers["median_lead_time_hours"].median() if not carriers.empty else None),
    help="Median over carriers of the shipped → delivered hours (logistics.shipments).",
)
cards[5].metric("Lost", fmt.count(kpis.lost), help="Shipments the carrier reported lost (counted as overdue).")

st.subheader("Shipments per ship date by outcome", help=RATE_HELP)
days = ui.load(ctx, logistics.outcomes_by_day(f))
outcomes = days.melt(
    id_vars=["ship_date", "is_final", "on_time_rate"],
    value_vars=list(OUTCOMES),
    var_name="outcome",
    value_name="shipments",
)
outcomes["rank"] = outcomes["outcome"].map(list(OUTCOMES).index)
outcomes["outcome"] = outcomes["outcome"].map(lambda key: OUTCOMES[key][0])
st.altair_chart(
    alt.Chart(outcomes)
    .mark_bar()
    .encode(
        x=alt.X("ship_date:T", title="Ship date"),
        y=alt.Y("shipments:Q", title="Shipments", stack="zero"),
        color=alt.Color(
            "outcome:N",
            title="Outcome",
            scale=alt.Scale(
                domain=[label for label, _ in OUTCOMES.values()], range=[colour for _, colour in OUTCOMES.values()]
            ),
        ),
        order=alt.Order("rank:Q"),
        tooltip=[
            alt.Tooltip("ship_date:T", title="Ship date"),
            alt.Tooltip("outcome:N", title="Outcome"),
            alt.Tooltip("shipments:Q", title="Shipments", format=","),
            alt.Tooltip("is_final:N", title="Final"),
            alt.Tooltip("on_time_rate:Q", title="On-time rate of the day", format=".1%"),
        ],
    )
    .properties(height=260),
    width="stretch",
)
st.caption(
    "Grey shipments are pending: a day with any is not final yet and has no rate of its own (only its early "
    "arrivals are decided so far); the Overview's daily line leaves it out."
)

left, right = st.columns([3, 2])
with left:
    st.subheader("On-time rate by carrier and region")
    grid = ui.load(ctx, logistics.on_time_by_carrier_region(f))
    st.altair_chart(
        charts.heatmap(
            grid,
            "destination_region",
            "carrier",
            "on_time_rate",
            x_title="Destination region",
            y_title="Carrier",
            value_title="On time",
        ),
        width="stretch",
    )
with right:
    st.subheader("Lead time by carrier")
    st.dataframe(
        carriers,
        hide_index=True,
        column_config={
            "carrier": "Carrier",
            "delivered": st.column_config.NumberColumn("Delivered", format="%d"),
            "median_lead_time_hours": st.column_config.NumberColumn("Median (h)", format="%.1f"),
            "p90_lead_time_hours": st.column_config.NumberColumn("p90 (h)", format="%.1f"),
            "on_time_rate": st.column_config.NumberColumn("On time", format="percent", help=RATE_HELP),
        },
    )

st.subheader("Lead-time distribution")
distribution = ui.load(ctx, logistics.lead_time_distribution(f))
st.altair_chart(
    alt.Chart(distribution)
    .mark_bar()
    .encode(
        x=alt.X(
            "lead_time_bucket_hours:O",
            title=f"Lead time, shipped → delivered (hours, {logistics.LEAD_TIME_BUCKET_HOURS} h buckets)",
        ),
        y=alt.Y("shipments:Q", title="Delivered shipments"),
        color=alt.Color("carrier:N", title="Carrier"),
        xOffset="carrier:N",
        tooltip=["carrier", "lead_time_bucket_hours", alt.Tooltip("shipments:Q", format=",")],
    )
    .properties(height=300),
    width="stretch",
)

st.subheader("Fleet")
fleet = ui.load(ctx, logistics.fleet(f))
valued = fleet["valuation_usd"].notna()
cards = st.columns(3)
cards[0].metric("Vehicles", fmt.count(len(fleet)), help="Fleet register plus vehicles seen only on shipments.")
cards[1].metric("Valued by the vendor API", fmt.count(valued.sum()))
cards[2].metric(
    "Fleet value",
    fmt.money(fleet.loc[valued, "valuation_usd"].sum() if valued.any() else None),
    help="Sum of the latest vendor valuations (logistics.fleet_vehicles).",
)
if not valued.any():
    st.caption(
        "No valuations yet: they come from the vehicle-valuation API source, ingested when VEHICLE_API_URL is set "
        "(docs/vehicle-api.md)."
    )
st.dataframe(
    fleet,
    hide_index=True,
    width="stretch",
    column_config={
        "vehicle_id": "Vehicle",
        "make": "Make",
        "model": "Model",
        "model_year": st.column_config.NumberColumn("Year", format="%d"),
        "vehicle_type": "Type",
        "depot_region": "Depot region",
        "shipment_count": st.column_config.NumberColumn("Shipments", format="%d"),
        "on_time_rate": st.column_config.NumberColumn("On time", format="percent", help=RATE_HELP),
        "valuation_usd": st.column_config.NumberColumn("Valuation (USD)", format="dollar"),
        "valued_at": st.column_config.DatetimeColumn("Valued at"),
        "is_in_fleet_register": st.column_config.CheckboxColumn("In register"),
    },
)
