"""Pipeline runs: the run ledger with status, seconds per stage over time and rows per stream."""

import altair as alt
import pandas as pd
import streamlit as st

from data_stack.dashboards import fmt, ledger_view, ui

CHART_RUNS = 30

ctx = ui.page_context(needs_snapshot=False)
st.title("Pipeline runs")
runs = ledger_view.runs(ctx.settings)
if runs.empty:
    ui.empty_state(ctx.settings)
    st.stop()

latest = runs.iloc[0]
cards = st.columns(4)
cards[0].metric("Latest run", latest.status, latest.run_id, delta_color="off", delta_arrow="off")
cards[1].metric("Duration", f"{latest.seconds:,.0f} s" if latest.seconds == latest.seconds else "running")
cards[2].metric(
    "Runs", fmt.count(len(runs)), f"{(runs.status == 'failed').sum()} failed", delta_color="off", delta_arrow="off"
)
published = runs[runs["run_id"] == ctx.published_run]
cards[3].metric(
    "Readers see",
    f"{published.iloc[0].started_at:%Y-%m-%d %H:%M} UTC" if not published.empty else "nothing yet",
    ctx.published_run,
    delta_color="off",
    delta_arrow="off",
    help="The run whose marts are published (current.duckdb).",
)

st.subheader("Seconds per stage")
stages = ledger_view.stages(ctx.settings, limit=CHART_RUNS)
st.altair_chart(
    alt.Chart(stages)
    .mark_bar()
    .encode(
        x=alt.X("run_id:N", title="Run", sort=alt.SortField("started_at"), axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("seconds:Q", title="Seconds", stack="zero"),
        color=alt.Color("stage:N", title="Stage", sort=["ingest", "transform", "check", "publish", "serve"]),
        tooltip=["run_id", "stage", "status", alt.Tooltip("seconds:Q", format=".1f")],
    )
    .properties(height=300),
    width="stretch",
)

st.subheader("Runs")
st.dataframe(
    runs[
        [
            "run_id",
            "command",
            "status",
            "started_at",
            "seconds",
            "landed",
            "loaded",
            "quarantined",
            "published",
            "error",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "run_id": "Run",
        "command": "Command",
        "status": "Status",
        "started_at": st.column_config.DatetimeColumn("Started (UTC)", format="YYYY-MM-DD HH:mm:ss"),
        "seconds": st.column_config.NumberColumn("Seconds", format="%.1f"),
        "landed": st.column_config.NumberColumn("Landed", format="%d"),
        "loaded": st.column_config.NumberColumn("Loaded", format="%d"),
        "quarantined": st.column_config.NumberColumn("Quarantined", format="%d"),
        "published": st.column_config.CheckboxColumn("Published"),
        "error": "Error",
    },
)

st.subheader("Rows per stream")
# The newest run that ingested: the vehicle-valuations DAG writes runs of its own, with no streams, in between.
ingested = [index for index, landed in enumerate(runs["landed"]) if pd.notna(landed)]
run_id = st.selectbox("Run", list(runs["run_id"]), index=ingested[0] if ingested else 0, key="runs_run")
streams = ledger_view.streams(ctx.settings, run_id)
if streams.empty:
    st.info(f"Run {run_id} did not ingest (it ran `{runs.loc[runs.run_id == run_id, 'command'].iloc[0]}`).")
else:
    long = streams.melt(id_vars="stream", value_vars=["loaded", "quarantined"], var_name="outcome", value_name="rows")
    st.altair_chart(
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("rows:Q", title="Rows", axis=alt.Axis(format="~s")),
            y=alt.Y("stream:N", title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.Color(
                "outcome:N",
                title="Outcome",
                scale=alt.Scale(domain=["loaded", "quarantined"], range=["#1f77b4", "#ff7f0e"]),
            ),
            tooltip=["stream", "outcome", alt.Tooltip("rows:Q", format=",")],
        )
        .properties(height=max(160, 30 * len(streams))),
        width="stretch",
    )
    st.dataframe(streams, hide_index=True, width="stretch")
    files = ledger_view.landing_files(ctx.settings, run_id)
    st.subheader("Landing files to look at")
    if files.empty:
        st.caption("Every landing file of this run was ingested as delivered.")
    else:
        st.caption(
            "Not ingested (quarantined whole, waiting, unrecognised, refused), delivered again, or read with a note. "
            "docs/runbooks/quarantined-file.md says what to do."
        )
        st.dataframe(files, hide_index=True, width="stretch")
