"""Data quality: per run, dbt tests and GX expectations passed/failed, quarantined rows by reason, Data Docs."""

import altair as alt
import pandas as pd
import streamlit as st

from data_stack.dashboards import fmt, ledger_view, ui

CHART_RUNS = 30

ctx = ui.page_context(needs_snapshot=False)
st.title("Data quality")
runs = ledger_view.runs(ctx.settings)
checked = runs[runs["gate_passed"].notna()].copy()

if checked.empty:
    st.info("No run has reached the quality gate yet. `make pipeline` runs it.")
else:
    latest = checked.iloc[0]
    cards = st.columns(4)
    cards[0].metric(
        "Latest gate", "passed" if latest.gate_passed else "failed", latest.run_id, delta_color="off", delta_arrow="off"
    )
    cards[1].metric(
        "dbt tests failed",
        fmt.count(latest.dbt_tests_failed),
        f"{fmt.count(latest.dbt_tests_passed)} passed",
        delta_color="off",
        delta_arrow="off",
    )
    cards[2].metric(
        "GX expectations failed",
        fmt.count(latest.gx_expectations_failed),
        f"{fmt.count(latest.gx_expectations_passed)} passed",
        delta_color="off",
        delta_arrow="off",
    )
    cards[3].metric("Rows quarantined", fmt.count(latest.quarantined), help="At ingest, with a reason (below).")

    st.subheader("Checks per run")
    recent = checked.head(CHART_RUNS)
    checks = pd.concat(
        [
            recent[["run_id", "started_at"]].assign(check="dbt tests", outcome="passed", n=recent.dbt_tests_passed),
            recent[["run_id", "started_at"]].assign(check="dbt tests", outcome="failed", n=recent.dbt_tests_failed),
            recent[["run_id", "started_at"]].assign(
                check="GX expectations", outcome="passed", n=recent.gx_expectations_passed
            ),
            recent[["run_id", "started_at"]].assign(
                check="GX expectations", outcome="failed", n=recent.gx_expectations_failed
            ),
        ]
    ).fillna({"n": 0})
    st.altair_chart(
        alt.Chart(checks)
        .mark_bar()
        .encode(
            x=alt.X("run_id:N", title="Run", sort=alt.SortField("started_at"), axis=alt.Axis(labelAngle=-30)),
            y=alt.Y("n:Q", title="Checks"),
            color=alt.Color(
                "outcome:N", title="Outcome", scale=alt.Scale(domain=["passed", "failed"], range=["#2ca02c", "#d62728"])
            ),
            column=alt.Column("check:N", title=None),
            tooltip=["run_id", "check", "outcome", "n"],
        )
        .properties(height=220, width=380),
    )
    table = checked.assign(data_docs=[ledger_view.data_docs_link(ctx.settings, p) for p in checked.data_docs])
    st.dataframe(
        table[
            [
                "run_id",
                "started_at",
                "gate_passed",
                "dbt_tests_passed",
                "dbt_tests_failed",
                "dbt_tests_warned",
                "gx_expectations_passed",
                "gx_expectations_failed",
                "quarantined",
                "data_docs",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "run_id": "Run",
            "started_at": st.column_config.DatetimeColumn("Started (UTC)", format="YYYY-MM-DD HH:mm"),
            "gate_passed": st.column_config.CheckboxColumn("Gate passed"),
            "dbt_tests_passed": st.column_config.NumberColumn("dbt passed", format="%d"),
            "dbt_tests_failed": st.column_config.NumberColumn("dbt failed", format="%d"),
            "dbt_tests_warned": st.column_config.NumberColumn("dbt warned", format="%d"),
            "gx_expectations_passed": st.column_config.NumberColumn("GX passed", format="%d"),
            "gx_expectations_failed": st.column_config.NumberColumn("GX failed", format="%d"),
            "quarantined": st.column_config.NumberColumn("Quarantined rows", format="%d"),
            "data_docs": st.column_config.LinkColumn("Data Docs", display_text="open"),
        },
    )

st.subheader("Quarantined rows by reason")
ingested = runs[runs["landed"].notna()]
if ingested.empty:
    st.info("No run has ingested data yet.")
else:
    run_id = st.selectbox("Run", list(ingested["run_id"]), key="quality_run")
    reasons = ledger_view.quarantine_reasons(ctx.settings, run_id)
    if reasons.empty:
        st.success(f"Run {run_id} quarantined no rows.")
    else:
        st.caption(
            "Values inside a reason are masked (…) so that rows with the same problem group together. "
            f"The rows themselves are in `{ctx.settings.lake}/quarantine`."
        )
        st.altair_chart(
            alt.Chart(reasons)
            .mark_bar()
            .encode(
                x=alt.X("rows:Q", title="Rows quarantined"),
                y=alt.Y("reason:N", title=None, sort="-x", axis=alt.Axis(labelLimit=420)),
                color=alt.Color("stream:N", title="Stream"),
                tooltip=["stream", "reason", alt.Tooltip("rows:Q", format=",")],
            )
            .properties(height=max(140, 28 * len(reasons))),
            width="stretch",
        )
        st.dataframe(
            reasons,
            hide_index=True,
            width="stretch",
            column_config={"rows": st.column_config.NumberColumn("Rows", format="%d")},
        )
    docs = runs.loc[runs["run_id"] == run_id, "data_docs"].iloc[0]
    link = ledger_view.data_docs_link(ctx.settings, docs)
    if link:
        st.markdown(f"Data Docs for this run: [{link}]({link})")
