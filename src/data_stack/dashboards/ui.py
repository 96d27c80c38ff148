"""Streamlit glue shared by the pages: the sidebar (snapshot and filters), cached loading, the empty state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from data_stack.dashboards import ledger_view, source
from data_stack.dashboards.filters import Filters, Query
from data_stack.dashboards.queries import shared
from data_stack.errors import UserError
from data_stack.settings import Settings, get_settings

DEFAULT_DAYS = 28
CONTEXT_KEY = "dashboard_context"
CACHE_ENTRIES = 512


@dataclass(frozen=True)
class Context:
    settings: Settings
    snapshot: source.Snapshot | None
    filters: Filters | None
    published_run: str | None
    problem: str | None = None  # a UserError message (bad backend setting, Postgres unreachable)
    first_date: date | None = None  # the first order date in the published data


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached(token: str, backend: str, location: str, sql: str, params: tuple) -> pd.DataFrame:
    return source.run(source.Snapshot(backend, token, location), Query(sql, params))


def load(ctx: Context, query: Query) -> pd.DataFrame:
    """Run a page query once per published snapshot: a new publish changes the token, so fresh data appears."""
    snap = ctx.snapshot
    assert snap is not None
    try:
        return _cached(snap.token, snap.backend, snap.location, query.sql, tuple(query.params))
    except UserError as exc:  # Postgres went away, or two publishes landed during this page: one line, no trace
        st.error(str(exc))
        st.stop()
        raise  # not reached: st.stop() ends the script


def sidebar() -> Context:
    """Find the published snapshot, draw the filters and remember both for the page (call once, in app.py)."""
    settings = get_settings()
    published_run = _published_run(settings)
    try:
        snapshot = source.current(settings)
    except UserError as exc:
        ctx = Context(settings, None, None, published_run, problem=str(exc))
        st.session_state[CONTEXT_KEY] = ctx
        return ctx
    filters, first_date = None, None
    if snapshot is not None:
        options = load(Context(settings, snapshot, None, None), shared.filter_options())
        filters = _filter_widgets(options)
        first_date = None if pd.isna(options.iloc[0]["first_date"]) else _as_date(options.iloc[0]["first_date"])
        run = snapshot.run_id or published_run
        st.sidebar.caption(f"Published run `{run or 'unknown'}` · {snapshot.backend}")
    ctx = Context(settings, snapshot, filters, published_run, first_date=first_date)
    st.session_state[CONTEXT_KEY] = ctx
    return ctx


def page_context(*, needs_snapshot: bool = True) -> Context:
    """The context app.py computed; stops the page with the empty state when there is nothing to show."""
    ctx: Context | None = st.session_state.get(CONTEXT_KEY)
    if ctx is None:
        ctx = sidebar()
    if ctx.problem:
        if needs_snapshot:
            st.error(ctx.problem)
            st.stop()
        st.warning(ctx.problem)  # the ledger pages still work
    if needs_snapshot and (ctx.snapshot is None or ctx.filters is None):
        empty_state(ctx.settings)
        st.stop()
    if not needs_snapshot and not ledger_view.exists(ctx.settings):
        empty_state(ctx.settings)
        st.stop()
    return ctx


def empty_state(settings: Settings) -> None:
    st.info(
        "**No published data yet.** The dashboards read the published warehouse, and no pipeline run has "
        "published one here.\n\n"
        "Run the pipeline (it generates a demo data set when the landing zone is empty), then reload this page:\n\n"
        "```\nmake pipeline\n```\n\n"
        f"Looking for `{settings.published_db}`.",
        icon=":material/hourglass_empty:",
    )


def _filter_widgets(options: pd.DataFrame) -> Filters | None:
    row = options.iloc[0]
    if pd.isna(row["first_date"]) or pd.isna(row["last_date"]):
        return None
    first, last = _as_date(row["first_date"]), _as_date(row["last_date"])
    default_start = max(first, last - timedelta(days=DEFAULT_DAYS - 1))
    st.sidebar.header("Filters")
    picked = st.sidebar.date_input(
        "Order dates",
        value=(default_start, last),
        min_value=first,
        max_value=last,
        key="dates",
        help="Compared with the period of the same length just before it.",
    )
    start, end = _date_range(picked, default_start, last)
    regions = st.sidebar.multiselect(
        "Regions",
        _split(row["regions"]),
        key="regions",
        placeholder="All regions",
        help="Customer region for sales, destination region for deliveries, depot region for the fleet.",
    )
    categories = st.sidebar.multiselect(
        "Categories",
        _split(row["categories"]),
        key="categories",
        placeholder="All categories",
        help="Product category (Product page).",
    )
    return Filters(start, end, tuple(regions), tuple(categories))


def _date_range(picked: object, default_start: date, last: date) -> tuple[date, date]:
    if isinstance(picked, (tuple, list)):
        if len(picked) == 2:
            return picked[0], picked[1]
        if len(picked) == 1:  # the second click of a range pick has not happened yet
            return picked[0], picked[0]
        return default_start, last
    if isinstance(picked, date):
        return picked, picked
    return default_start, last


def _split(joined: object) -> list[str]:
    return [value for value in str(joined).split("|") if value] if isinstance(joined, str) else []


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()


def _published_run(settings: Settings) -> str | None:
    return ledger_view.latest_published(settings) if ledger_view.exists(settings) else None
