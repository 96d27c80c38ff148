"""Clean data hangs together: keys resolve, the funnel narrows, later drops continue the same world."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from data_stack.generate import generate
from data_stack.generate.customers import signed_up_before_sql, signup_day_sql
from data_stack.generate.plan import Plan
from data_stack.generate.sizes import Sizes
from data_stack.generate.timeline import Window

from .conftest import START, Landing


def _ids(landing: Landing, sql: str) -> set:
    return landing.values(sql)


def test_every_key_of_clean_data_resolves(clean):
    orders, items = clean.csv("orders/orders_*.csv"), clean.csv("orders/order_items_*.csv")
    shipments, customers = clean.csv("logistics/*.csv"), clean.csv("customers/*.csv")
    events, catalog, fleet = clean.jsonl(), clean.catalog(), clean.csv("fleet/*.csv")
    order_ids = _ids(clean, f"select order_id::bigint from {orders}")
    customer_ids = _ids(clean, f"select customer_id::bigint from {customers}")
    product_ids = _ids(clean, f"select product_id from {catalog}")
    assert _ids(clean, f"select order_id::bigint from {items}") == order_ids  # every order has items
    assert _ids(clean, f"select customer_id::bigint from {orders}") <= customer_ids
    assert _ids(clean, f"select product_id::bigint from {items}") <= product_ids
    assert _ids(clean, f"select order_id::bigint from {shipments}") <= order_ids
    assert _ids(clean, f"select vehicle_id::bigint from {shipments}") <= _ids(
        clean, f"select vehicle_id::bigint from {fleet}"
    )
    assert _ids(clean, f"select order_id from {events} where order_id is not null") <= order_ids
    assert _ids(clean, f"select customer_id from {events} where customer_id is not null") <= customer_ids
    assert _ids(clean, f"select product_id from {events} where product_id is not null") <= product_ids
    # primary keys are unique
    for table, key in (
        (orders, "order_id"),
        (items, "order_item_id"),
        (shipments, "shipment_id"),
        (events, "event_id"),
    ):
        assert clean.one(f"select count(*) - count(distinct {key}) from {table}") == 0, key
    # customers order only after signing up
    assert (
        clean.one(
            f"select count(*) from {orders} as orders inner join {customers} as customers using (customer_id) "
            "where orders.order_ts::timestamp < customers.signed_up_at::timestamp"
        )
        == 0
    )


def test_most_non_cancelled_orders_ship_and_shipments_follow_their_order(clean):
    orders, shipments = clean.csv("orders/orders_*.csv"), clean.csv("logistics/*.csv")
    with duckdb.connect() as conn:
        total, with_shipment, cancelled_shipped = conn.execute(
            f"select count(*) filter (where orders.status <> 'cancelled'), "
            "count(shipments.order_id) filter (where orders.status <> 'cancelled'), "
            "count(shipments.order_id) filter (where orders.status = 'cancelled') "
            f"from {orders} as orders left join {shipments} as shipments using (order_id)"
        ).fetchone()
        assert with_shipment / total > 0.8 and cancelled_shipped == 0
        bad = conn.execute(
            f"select count(*) from {shipments} as shipments inner join {orders} as orders using (order_id) "
            "where shipments.shipped_at::timestamp < orders.order_ts::timestamp "
            "or shipments.promised_at::timestamp <= shipments.shipped_at::timestamp "
            "or shipments.delivered_at::timestamp <= shipments.shipped_at::timestamp "
            "or (shipments.status = 'delivered') <> (shipments.delivered_at is not null) "
            "or (shipments.status = 'delivered' and orders.status not in ('delivered', 'returned'))"
        ).fetchone()[0]
        assert bad == 0
        file_day = "regexp_extract(filename, '(\\d{4}-\\d{2}-\\d{2})', 1)::date"
        assert conn.execute(f"select count(*) from {shipments} where shipped_at::date <> {file_day}").fetchone()[0] == 0


def test_the_funnel_narrows_and_purchases_carry_real_orders(clean):
    events, orders = clean.jsonl(), clean.csv("orders/orders_*.csv")
    with duckdb.connect() as conn:
        steps = dict(
            conn.execute(f"select event_type, count(distinct session_id) from {events} group by all").fetchall()
        )
        funnel = [steps[step] for step in ("session_start", "page_view", "product_view", "add_to_cart", "checkout")]
        assert funnel == sorted(funnel, reverse=True) and funnel[0] > funnel[-1] > steps["purchase"] > 0
        # one purchase session per web and mobile order, at the order's timestamp, for its customer
        mismatched = conn.execute(
            f"select count(*) from {events} as events full join "
            f"(select * from {orders} where channel in ('web', 'mobile')) as orders "
            "on events.order_id = orders.order_id::bigint "
            "where events.event_type = 'purchase' and (orders.order_id is null "
            "or events.event_ts <> orders.order_ts or events.customer_id <> orders.customer_id::bigint)"
        ).fetchone()[0]
        assert mismatched == 0
        assert (
            conn.execute(f"select count(*) from {events} where event_type = 'purchase'").fetchone()[0]
            == (conn.execute(f"select count(*) from {orders} where channel in ('web', 'mobile')").fetchone()[0])
        )
        # events of a session are in time order and in the session's own day
        disorder = conn.execute(
            f"select count(*) from (select session_id, event_ts, regexp_extract(event_id, '_(\\d+)$', 1)::int as step, "
            f"lag(event_ts) over (partition by session_id order by step) as previous, filename from {events}) "
            "where event_ts < previous or event_ts[1:10] <> regexp_extract(filename, '(\\d{4}-\\d{2}-\\d{2})', 1) "
            "or event_ts[12:13] <> regexp_extract(filename, 'events_(\\d{2})', 1)"
        ).fetchone()[0]
        assert disorder == 0


def test_a_later_drop_continues_ids_and_references_the_same_population(clean, next_drop):
    for pattern, key in (
        ("orders/orders_*.csv", "order_id"),
        ("orders/order_items_*.csv", "order_item_id"),
        ("logistics/*.csv", "shipment_id"),
    ):
        first = _ids(clean, f"select {key} from {clean.csv(pattern)}")
        later = _ids(next_drop, f"select {key} from {next_drop.csv(pattern)}")
        assert later and not first & later, key
    assert not _ids(clean, f"select event_id from {clean.jsonl()}") & _ids(
        next_drop, f"select event_id from {next_drop.jsonl()}"
    )
    assert not _ids(clean, f"select session_id from {clean.jsonl()}") & _ids(
        next_drop, f"select session_id from {next_drop.jsonl()}"
    )
    # same products, vehicles and customers
    assert _ids(clean, f"select product_id from {clean.catalog()}") == _ids(
        next_drop, f"select product_id from {next_drop.catalog()}"
    )
    assert (clean.root / f"fleet/vehicles_{START}.csv").read_bytes() == next(
        next_drop.root.glob("fleet/*.csv")
    ).read_bytes()
    known = _ids(clean, f"select customer_id::bigint from {clean.csv('customers/*.csv')}") | _ids(
        next_drop, f"select customer_id::bigint from {next_drop.csv('customers/*.csv')}"
    )
    assert _ids(next_drop, f"select customer_id::bigint from {next_drop.csv('orders/orders_*.csv')}") <= known


def test_a_later_drops_customer_snapshot_continues_the_daily_changes(clean, next_drop):
    """The next drop's first customers file equals the earlier drop's latest row per customer, except customers
    who sign up or change on the next day itself."""
    (snapshot,) = next_drop.root.glob("customers/*.csv")
    next_day = snapshot.stem.split("_")[1]
    with duckdb.connect() as conn:
        differences = conn.execute(
            f"""
            with snapshot as (select * from read_csv('{snapshot}', header = true, all_varchar = true)),
            changed as (select customer_id from snapshot where updated_at[1:10] = '{next_day}'),
            earlier as (
                select * exclude (filename) from {clean.csv("customers/*.csv")}
                where customer_id not in (select customer_id from changed)
                qualify row_number() over (partition by customer_id order by filename desc) = 1
            ),
            later as (select * from snapshot where customer_id not in (select customer_id from changed))
            (select * from earlier except select * from later)
            union all
            (select * from later except select * from earlier)
            """
        ).fetchall()
    assert differences == []


@pytest.mark.parametrize("scale", [0.01, 1.0, 67.0])
def test_signup_timeline_formulas_are_inverses(scale):
    plan = Plan(Path("unused"), Window(START, 1), Sizes.for_scale(scale), seed=1, defect_rate=0.0)
    with duckdb.connect() as conn:
        wrong = conn.execute(
            f"""
            select count(*) from (select customer_id, {signup_day_sql(plan, "customer_id")} as day_no
                from range(1, {signed_up_before_sql(plan, "3000")} + 1) as ids(customer_id))
            where not ({signed_up_before_sql(plan, "day_no")} < customer_id
                and customer_id <= {signed_up_before_sql(plan, "day_no + 1")})
            """
        ).fetchone()[0]
    assert wrong == 0


@pytest.fixture(scope="module")
def quarter(tmp_path_factory) -> Landing:
    """A larger clean sample for distributions: scale 0.2, four weeks."""
    root = tmp_path_factory.mktemp("quarter")
    return Landing(root, generate(root, scale=0.2, days=28, defect_rate=0.0))


def test_business_shape_on_time_rates_margins_and_market_indicators(quarter):
    shipments, items = quarter.csv("logistics/*.csv"), quarter.csv("orders/order_items_*.csv")
    with duckdb.connect() as conn:
        on_time = dict(
            conn.execute(
                f"select carrier, avg((delivered_at::timestamp <= promised_at::timestamp)::int) from {shipments} "
                "where status = 'delivered' group by all"
            ).fetchall()
        )
        assert len(on_time) == 4 and all(0.8 < rate < 0.96 for rate in on_time.values()), on_time
        assert max(on_time.values()) - min(on_time.values()) > 0.02  # carriers differ
        margin = conn.execute(
            f"select avg(items.unit_price::double * (1 - items.discount_pct::double) - products.unit_cost) "
            f"from {items} as items inner join (select distinct product_id, unit_cost from {quarter.catalog()}) "
            "as products on products.product_id = items.product_id::bigint"
        ).fetchone()[0]
        assert margin > 0
        # the vendor's demand index moves with the category's share of the week's sales
        correlation = conn.execute(
            f"""
            with sales as (
                select date_trunc('week', orders.order_ts::timestamp)::date as week, products.category,
                    sum(items.quantity::int * items.unit_price::double) as revenue
                from {items} as items
                inner join {quarter.csv("orders/orders_*.csv")} as orders using (order_id)
                inner join (select distinct product_id, category from {quarter.catalog()}) as products
                    on products.product_id = items.product_id::bigint
                group by all
            ),
            shares as (
                select week, category, revenue / sum(revenue) over (partition by week) as share from sales
            ),
            relative as (
                select week, category, share / avg(share) over (partition by category) as relative_share from shares
            )
            select corr(relative.relative_share, indicators.value::double)
            from relative
            inner join {quarter.csv("market/*.csv")} as indicators
                on indicators.indicator_date::date = relative.week and indicators.category = relative.category
            where indicators.indicator_name = 'category_demand_index'
            """
        ).fetchone()[0]
        assert correlation > 0.3
