"""Every page renders from the published marts, and its numbers equal SQL written independently here."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pytest

from data_stack.dashboards import source
from data_stack.dashboards.filters import Filters
from data_stack.dashboards.queries import logistics, marketing, overview

from .apptest import PAGES, charts, deltas, metrics, number, open_page, problems

pytestmark = pytest.mark.slow

EXPECTED = {
    "overview": (
        {"Revenue", "Orders", "Average order value", "Active customers", "On-time delivery"}
        | {"Revenue forecast, next 28 days"},
        4,
    ),
    "marketing": ({"Sessions", "Product views", "Add to cart", "Checkout", "Orders"}, 5),
    "product": (
        {"Lifetime revenue", "Units sold", "Margin", "Margin rate"}
        | {"Revenue forecast, next 28 days", "Units forecast, next 28 days"},
        6,
    ),
    "logistics": (
        {"Shipments", "On-time delivery", "Overdue", "Pending", "Median lead time", "Lost", "Vehicles", "Fleet value"},
        3,
    ),
    "quality": ({"Latest gate", "dbt tests failed", "GX expectations failed", "Rows quarantined"}, 2),
    "runs": ({"Latest run", "Duration", "Runs", "Readers see"}, 2),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_its_metrics_and_charts(app_env, page):
    at = open_page(page)
    assert not problems(at), problems(at)
    labels, chart_count = EXPECTED[page]
    assert labels <= set(metrics(at)), metrics(at)
    assert charts(at) >= chart_count


def window(wh, days: int = 28) -> tuple:
    last = wh.scalar("select max(order_date) from marketing.orders")
    return last - timedelta(days=days - 1), last


# Each shipment's outcome, from staging and the rule as the docs state it: "now" is the latest shipped or delivered
# time; not delivered and (lost or past the promise) is overdue, otherwise not delivered is pending.
OUTCOMES = """
    with as_of as (
        select greatest(max(shipped_at), max(delivered_at)) as now from staging.stg_logistics__shipments
    )
    select cast(shipped_at as date) as ship_date,
           case
               when delivered_at <= promised_at then 'on_time'
               when delivered_at is not null then 'late'
               when status = 'lost' or promised_at < as_of.now then 'overdue'
               else 'pending'
           end as outcome
    from staging.stg_logistics__shipments, as_of
"""


def shipment_outcomes(wh, start, end) -> dict[str, int]:
    rows = wh.sql(
        f"select outcome, count(*) from ({OUTCOMES}) where ship_date between ? and ? group by outcome", [start, end]
    )
    return {"on_time": 0, "late": 0, "overdue": 0, "pending": 0} | dict(rows)


def unbiased_rate(outcomes: dict[str, int]) -> float:
    return outcomes["on_time"] / (outcomes["on_time"] + outcomes["late"] + outcomes["overdue"])


def test_overview_kpis_equal_sql_on_the_marts(app_env):
    wh = app_env
    start, end = window(wh, days=14)
    prev_start, prev_end = start - timedelta(days=14), start - timedelta(days=1)
    sales = (
        "select sum(net_amount), count(*), count(distinct customer_id) from marketing.orders "
        "where is_revenue_order and order_date between ? and ?"
    )
    revenue, orders, active = wh.sql(sales, [start, end])[0]
    prev_revenue, _, _ = wh.sql(sales, [prev_start, prev_end])[0]
    on_time = unbiased_rate(shipment_outcomes(wh, start, end))
    at = open_page("overview")
    at.sidebar.date_input(key="dates").set_value((start, end))
    at.run()
    shown = metrics(at)
    assert number(shown["Revenue"]) == pytest.approx(float(revenue), abs=0.5)
    assert number(shown["Orders"]) == orders
    assert number(shown["Average order value"]) == pytest.approx(float(revenue) / orders, abs=0.005)
    assert number(shown["Active customers"]) == active
    assert number(shown["On-time delivery"]) == pytest.approx(on_time * 100, abs=0.05)
    change = (float(revenue) - float(prev_revenue)) / float(prev_revenue) * 100
    assert deltas(at)["Revenue"] == f"{change:+.1f}%"


def test_no_change_is_shown_against_a_period_before_the_data(app_env):
    at = open_page("overview")  # default: the last 28 of the fixture's 45 days, so the 28 before start too early
    assert not problems(at)
    assert not any(deltas(at).values())
    assert "No changes shown" in at.caption[0].value


def test_region_and_date_filters_run_in_sql(app_env):
    wh = app_env
    start, end = window(wh, days=10)
    at = open_page("overview")
    at.sidebar.date_input(key="dates").set_value((start, end))
    at.sidebar.multiselect(key="regions").set_value(["West", "Midwest"])
    at.run()
    assert not problems(at)
    revenue, orders = wh.sql(
        "select sum(orders.net_amount), count(*) from marketing.orders "
        "join marketing.customers on customers.customer_id = orders.customer_id "
        "where orders.is_revenue_order and orders.order_date between ? and ? "
        "and customers.region in ('West', 'Midwest')",
        [start, end],
    )[0]
    shown = metrics(at)
    assert number(shown["Revenue"]) == pytest.approx(float(revenue), abs=0.5)
    assert number(shown["Orders"]) == orders
    assert "10 days" in at.caption[0].value


def test_marketing_funnel_equals_sql(app_env):
    wh = app_env
    start, end = window(wh)
    sessions, views, carts, checkouts, purchases = wh.sql(
        "select sum(session_count), sum(product_view_session_count), sum(add_to_cart_session_count), "
        "sum(checkout_session_count), sum(purchase_session_count) from marketing.funnel_daily "
        "where session_date between ? and ?",
        [start, end],
    )[0]
    shown = metrics(open_page("marketing"))
    assert [number(shown[k]) for k in ("Sessions", "Product views", "Add to cart", "Checkout", "Orders")] == [
        sessions,
        views,
        carts,
        checkouts,
        purchases,
    ]


def test_product_revenue_equals_order_lines_and_follows_the_category_filter(app_env):
    wh = app_env
    lines = (
        "select sum(order_items.net_amount) from product.order_items "
        "join marketing.orders on orders.order_id = order_items.order_id "
        "join product.products on products.product_id = order_items.product_id where orders.is_revenue_order"
    )
    at = open_page("product")
    assert number(metrics(at)["Lifetime revenue"]) == pytest.approx(float(wh.scalar(lines)), abs=0.5)
    category = wh.scalar("select category from product.products order by revenue desc limit 1")
    at.sidebar.multiselect(key="categories").set_value([category])
    at.run()
    expected = wh.scalar(lines + " and products.category = ?", [category])
    assert number(metrics(at)["Lifetime revenue"]) == pytest.approx(float(expected), abs=0.5)
    assert not problems(at)


def test_logistics_numbers_equal_sql(app_env):
    wh = app_env
    start, end = window(wh)
    shipments, lost = wh.sql(
        "select sum(shipment_count), sum(lost_count) from logistics.delivery_sla_daily where ship_date between ? and ?",
        [start, end],
    )[0]
    outcomes = shipment_outcomes(wh, start, end)
    shown = metrics(open_page("logistics"))
    assert number(shown["Shipments"]) == shipments
    assert number(shown["Lost"]) == lost
    assert number(shown["Overdue"]) == outcomes["overdue"]
    assert number(shown["Pending"]) == outcomes["pending"]
    assert number(shown["On-time delivery"]) == pytest.approx(unbiased_rate(outcomes) * 100, abs=0.05)
    assert number(shown["Vehicles"]) == wh.scalar("select count(*) from logistics.fleet_vehicles")


def test_the_fixture_has_overdue_and_pending_shipments_on_the_last_days(app_env):
    """Otherwise the on-time tests below would not tell the unbiased rate from on time / delivered."""
    start, end = window(app_env)
    outcomes = shipment_outcomes(app_env, start, end)
    assert outcomes["overdue"] > 0, outcomes
    assert outcomes["pending"] > 0, outcomes
    biased = outcomes["on_time"] / (outcomes["on_time"] + outcomes["late"])
    assert unbiased_rate(outcomes) < biased


def test_outcomes_per_day_partition_the_shipments(app_env):
    wh = app_env
    start, end = window(wh)
    expected = {
        (day, outcome): count
        for day, outcome, count in wh.sql(
            f"select ship_date, outcome, count(*) from ({OUTCOMES}) where ship_date between ? and ? group by all",
            [start, end],
        )
    }
    days = source.run(source.current(), logistics.outcomes_by_day(Filters(start, end)))
    got = {
        (row.ship_date.date(), outcome): int(getattr(row, column))
        for row in days.itertuples(index=False)
        for outcome, column in (
            ("on_time", "on_time"),
            ("late", "delivered_late"),
            ("overdue", "overdue"),
            ("pending", "pending"),
        )
        if getattr(row, column)
    }
    assert got == expected


def test_a_ship_day_with_pending_shipments_publishes_no_rate(app_env):
    """The mart itself says a rate is not final (what an analyst, Postgres and an agent read), and the daily
    outcomes give a rate only to days with nothing pending."""
    wh = app_env
    start, end = window(wh)
    pending, unfinished, rated = wh.sql(
        "select count(*), count(*) filter (where not is_final), count(on_time_rate) "
        "from logistics.delivery_sla_daily where pending_count > 0"
    )[0]
    assert pending > 0 and unfinished == pending and rated == 0
    assert wh.scalar("select bool_and(is_final) from logistics.delivery_sla_daily where pending_count = 0")
    days = source.run(source.current(), logistics.outcomes_by_day(Filters(start, end)))
    open_days = days[days["pending"] > 0]
    assert not open_days.empty and not open_days["is_final"].any() and open_days["on_time_rate"].isna().all()
    closed = days[days["pending"] == 0]
    assert closed["is_final"].all() and closed["on_time_rate"].notna().all()


def test_the_daily_on_time_line_shows_only_days_without_pending_shipments(app_env):
    wh = app_env
    start, end = window(wh)
    final = {
        day: on_time / decided
        for day, on_time, decided in wh.sql(
            f"select ship_date, count(*) filter (where outcome = 'on_time'), count(*) from ({OUTCOMES}) "
            "where ship_date between ? and ? group by ship_date "
            "having count(*) filter (where outcome = 'pending') = 0",
            [start, end],
        )
    }
    trend = source.run(source.current(), overview.on_time_trend(Filters(start, end)))
    shown = {row.ship_date.date(): row.on_time_rate for row in trend.itertuples(index=False)}
    assert shown.keys() == final.keys()
    assert max(shown) < end, "the last ship days have pending shipments: the line must stop before them"
    for day, rate in final.items():
        assert shown[day] == pytest.approx(rate), day


def test_quality_page_counts_what_the_lake_quarantined(app_env):
    wh = app_env
    run_id = _latest_run(wh)
    lake_rows = duckdb.sql(
        f"select count(*) from read_parquet('{wh.root}/lake/quarantine/*/*/*/{run_id}-*.parquet')"
    ).fetchone()[0]
    assert lake_rows > 0  # the fixture generates defects
    at = open_page("quality")
    assert number(metrics(at)["Rows quarantined"]) == lake_rows
    assert metrics(at)["Latest gate"] == "passed"
    reasons = at.dataframe[-1].value
    assert reasons["rows"].sum() == lake_rows
    assert "(other reasons)" not in set(reasons["reason"])
    assert any("required column" in reason for reason in reasons["reason"])


def test_runs_page_lists_the_ledger(app_env):
    at = open_page("runs")
    assert metrics(at)["Latest run"] == "success"
    assert number(metrics(at)["Runs"]) >= 1
    assert metrics(at)["Readers see"] != "nothing yet"


def _latest_run(wh) -> str:
    import sqlite3

    with sqlite3.connect(wh.root / "warehouse" / "ledger.sqlite") as conn:
        return conn.execute("select run_id from runs where published = 1 order by started_at desc").fetchone()[0]


def test_lead_time_percentiles_are_within_the_hour_of_exact_ones(app_env):
    """Both over every delivered shipment the carriers reported (as delivery_sla_daily counts them)."""
    wh = app_env
    start, end = window(wh)
    exact = {
        carrier: (median, p90)
        for carrier, median, p90 in wh.sql(
            "select carrier, quantile_cont(lead_time_hours, 0.5), quantile_cont(lead_time_hours, 0.9) "
            "from intermediate.int_shipments_measured where is_delivered and ship_date between ? and ? "
            "group by carrier",
            [start, end],
        )
    }
    delivered = wh.scalar(
        "select sum(delivered_count) from logistics.delivery_sla_daily where ship_date between ? and ?", [start, end]
    )
    at = open_page("logistics")
    table = next(frame.value for frame in at.dataframe if "median_lead_time_hours" in frame.value.columns)
    assert table["delivered"].sum() == delivered
    for row in table.itertuples(index=False):
        median, p90 = exact[row.carrier]
        assert abs(row.median_lead_time_hours - median) <= 1.0, row
        assert abs(row.p90_lead_time_hours - p90) <= 1.0, row


def test_cohorts_equal_distinct_counts_on_orders(app_env):
    wh = app_env
    start, end = window(wh)
    # the heat map is a chart: check the query behind it
    cohorts = source.run(source.current(), marketing.cohorts(Filters(start, end)))
    assert not cohorts.empty
    expected = dict(
        ((cohort, weeks), (size, active))
        for cohort, weeks, size, active in wh.sql(
            "with firsts as (select customer_id, cast(date_trunc('week', first_order_at) as date) as cohort "
            "from marketing.customers where first_order_at >= date_trunc('week', ?::date) "
            "and cast(first_order_at as date) <= ?), "
            "sizes as (select cohort, count(*) as size from firsts group by cohort), "
            "activity as (select distinct firsts.customer_id, firsts.cohort, "
            "(cast(date_trunc('week', orders.order_date) as date) - firsts.cohort) // 7 as weeks "
            "from marketing.orders join firsts on firsts.customer_id = orders.customer_id "
            "where orders.is_revenue_order and orders.order_date <= ?) "
            "select activity.cohort, activity.weeks, sizes.size, count(*) from activity "
            "join sizes on sizes.cohort = activity.cohort where activity.weeks < 8 group by all",
            [start, end, end],
        )
    )
    got = {
        (row.cohort_week.date(), row.weeks_since_first_order): (row.cohort_size, row.active_customers)
        for row in cohorts.itertuples(index=False)
    }
    assert got == expected


def test_rows_per_stream_opens_on_the_newest_run_that_ingested(app_env, tmp_path, monkeypatch):
    """A valuations run (its own DAG, no streams) after the pipeline's must not hide the stream chart."""
    import shutil

    from data_stack.ledger.store import Ledger

    copy = tmp_path / "data"
    shutil.copytree(app_env.root, copy, symlinks=True, ignore=shutil.ignore_patterns("run.lock"))
    monkeypatch.setenv("DATA_DIR", str(copy))
    ingested = _latest_run(app_env)
    ledger = Ledger(copy / "warehouse" / "ledger.sqlite")
    ledger.start("20991231T000000Z-valuation", "valuations", pid=1)
    ledger.finish("20991231T000000Z-valuation", "success")
    at = open_page("runs")
    assert at.selectbox(key="runs_run").value == ingested
    assert charts(at) == 2 and not problems(at)
