"""Clickstream: web and app sessions walking the funnel session_start → page_view → product_view → add_to_cart
→ checkout → purchase.

Every web and mobile order has a purchase session that reaches the end and whose purchase event carries the
order_id, at the order's timestamp. Browsing sessions drop off along the way (most never reach the cart). A
session stays within its day, so an event's file is the day and hour of its timestamp.
"""

from __future__ import annotations

import json

import duckdb

from data_stack.generate import defects
from data_stack.generate.customers import signed_up_before_sql
from data_stack.generate.demand import SLOTS
from data_stack.generate.orders import daily_volume_sql
from data_stack.generate.plan import Plan
from data_stack.generate.timeline import ID_DAY, ITEMS_PER_ORDER, PURCHASE_SESSION_SEQUENCE
from data_stack.generate.vocab import CATEGORIES, DEVICE_PROFILES, REFERRERS, sql_list, weighted_slots

COLUMNS = ["event_id", "event_type", "event_ts", "session_id", "customer_id", "product_id", "order_id", "context"]
EVENT_TYPES = ["session_start", "page_view", "product_view", "add_to_cart", "checkout", "purchase"]
SITE = "https://shop.northwind.example"
# browsing sessions end after 1..5 steps: bounce, a category page, a product, the cart, an abandoned checkout
DEPTH_SLOTS = weighted_slots([30, 25, 25, 12, 8], slots=100)
CATEGORY_SLUGS = [category.lower().replace(" & ", "-").replace(" ", "-") for category in CATEGORIES]
BROWSE_GAP_SECONDS = 75  # browsing steps are 75 s apart on average: a session lasts under 10 minutes


def _profile_slots(device_types: set[str]) -> list[int]:
    """Slots of DEVICE_PROFILES indexes for sessions on these device types, in proportion to their shares."""
    chosen = [index for index, profile in enumerate(DEVICE_PROFILES) if profile[0] in device_types]
    return [chosen[slot] for slot in weighted_slots([DEVICE_PROFILES[index][3] for index in chosen])]


def _pick_profile_sql(device_types: set[str], key: str) -> str:
    slots = _profile_slots(device_types)
    return f"{sql_list(slots)}[1 + pick({key}, 'device', {len(slots)})]"


def build_sessions(conn: duckdb.DuckDBPyConnection, plan: Plan, products_per_category: list[int]) -> None:
    """`sessions`: one row per session with what its events need, sorted by day (each day is read apart)."""
    volume = daily_volume_sql(plan.sizes.browse_sessions_per_day, "days")
    customers_known = signed_up_before_sql(plan, "days.day_no")
    conn.execute(
        f"""
        create or replace table sessions as
        with purchase as (
            select
                orders.day_no,
                orders.day_no * {ID_DAY} + {PURCHASE_SESSION_SEQUENCE} + (orders.order_id - orders.day_no * {ID_DAY})
                    as session_no,
                orders.customer_id,
                orders.order_id,
                greatest(orders.day_no * 86400, orders.order_t - 120 - pick(orders.order_id, 'session length', 1500))
                    as started_t,
                orders.order_t as ended_t,
                6 as depth,
                items.product_id,
                case when orders.channel = 'mobile' then {_pick_profile_sql({"mobile"}, "orders.order_id")}
                    else {_pick_profile_sql({"desktop", "tablet"}, "orders.order_id")} end as profile_index
            from order_headers as orders
            inner join order_items as items on items.order_item_id = orders.order_id * {ITEMS_PER_ORDER} + 1
            where orders.channel in ('web', 'mobile') and not orders.is_late
        ),
        browse_base as (
            select days.day_no, days.week_no, days.day_no * {ID_DAY} + sequence + 1 as session_no,
                {customers_known} as customers_known
            from days, range({volume}) as seq(sequence)
        ),
        browse_categorised as (
            select browse_base.*, category_slots.category_index
            from browse_base
            inner join category_slots
                on category_slots.week_no = browse_base.week_no
                and category_slots.slot = pick(browse_base.session_no, 'category', {SLOTS})
        ),
        browse as (
            select
                browse.day_no,
                browse.session_no,
                case when u(browse.session_no, 'signed in') < 0.35
                    then 1 + pick(browse.session_no, 'customer', greatest(browse.customers_known, 1)) end
                    as customer_id,
                null::bigint as order_id,
                browse.day_no * 86400 + least(time_of_day(browse.session_no, 'session start'), 86400 - 600)
                    as started_t,
                null::bigint as ended_t,
                1 + {sql_list(DEPTH_SLOTS)}[1 + pick(browse.session_no, 'depth', {len(DEPTH_SLOTS)})] as depth,
                category_products.product_id,
                {_pick_profile_sql({"desktop", "mobile", "tablet"}, "browse.session_no")} as profile_index
            from browse_categorised as browse
            inner join category_products
                on category_products.category_index = browse.category_index
                and category_products.rank = floor({sql_list(products_per_category)}[browse.category_index + 1]
                    * pow(u(browse.session_no, 'product'), 1.8))::bigint
        ),
        all_sessions as (select * from purchase union all select * from browse)
        select
            all_sessions.*,
            products.category_index,
            -- external referrer of the first page, -1 when the visitor came directly
            case when u(session_no, 'referrer') < 0.3 then -1
                else pick(session_no, 'referrer source', {len(REFERRERS)}) end as referrer_index
        from all_sessions
        inner join products on products.product_id = all_sessions.product_id
        order by all_sessions.day_no, all_sessions.session_no
        """
    )


def _path_sql(step: str) -> str:
    return (
        f"case {step} when 1 then '/' when 2 then '/c/' || {sql_list(CATEGORY_SLUGS)}[category_index + 1] "
        "when 3 then '/p/' || product_id::varchar when 4 then '/cart' when 5 then '/checkout' "
        "else '/checkout/confirmation' end"
    )


def _json_text(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def day_events_sql(plan: Plan, day_no: int) -> str:
    """One day's events as JSON lines, in file order: `hour`, `copy` (1 for a duplicate), `_defect`, `line`.

    The JSON text is assembled in SQL with one concat() per line: DuckDB's JSON writer is several times slower and
    these are by far the largest files. Every text value comes from the vocabulary, ids or timestamps, none of
    which needs JSON escaping; per-profile and per-referrer fragments are constants.
    """
    rate = plan.defect_rate
    key = "(session_no * 10 + step)"
    defect = defects.choose_sql(key, rate, [(defects.NULL_REQUIRED, 1 / 3), (defects.UNTYPEABLE_VALUE, 1 / 4)])
    devices = sql_list(
        [_json_text(dict(zip(("type", "os", "browser"), profile[:3], strict=True))) for profile in DEVICE_PROFILES]
    )
    referrers = sql_list([_json_text(None), *(_json_text(referrer) for referrer in REFERRERS)])
    parts = [
        "'{\"event_id\":\"evt_'", "session_no::varchar", "'_'", "step::varchar",
        "'\",\"event_type\":\"'", f"{sql_list(EVENT_TYPES)}[step]",
        "'\",\"event_ts\":\"'",
        f"case when _defect = '{defects.UNTYPEABLE_VALUE}' then {defects.malformed_timestamp_sql('iso(event_t)')} "
        "else iso(event_t) end",
        "'\",\"session_id\":'",
        f"case when _defect = '{defects.NULL_REQUIRED}' then 'null' else '\"ses_' || session_no::varchar || '\"' end",
        "',\"customer_id\":'", "coalesce(customer_id::varchar, 'null')",
        "',\"product_id\":'", "case when step in (3, 4) then product_id::varchar else 'null' end",
        "',\"order_id\":'", "case when step = 6 then order_id::varchar else 'null' end",
        f"',\"context\":{{\"page\":{{\"url\":\"{SITE}'", _path_sql("step"),
        "'\",\"referrer\":'",
        f"case when step > 1 then '\"{SITE}' || {_path_sql('step - 1')} || '\"' "
        f"else {referrers}[referrer_index + 2] end",
        "'},\"device\":'", f"{devices}[profile_index + 1]",
        "'}}'", "chr(10)",
    ]  # fmt: skip
    line = f"concat({', '.join(parts)})"
    return f"""
        with steps as (
            select
                sessions.*,
                steps.step,
                case when sessions.order_id is not null
                    then started_t + (ended_t - started_t) * (steps.step - 1) // 5
                    else started_t + (steps.step - 1) * {BROWSE_GAP_SECONDS}
                        + pick(session_no * 10 + steps.step, 'gap', {BROWSE_GAP_SECONDS})
                end as event_t,
                {defect} as _defect
            from sessions, range(1, sessions.depth + 1) as steps(step)
            where sessions.day_no = {day_no}
        ),
        lines as materialized (
            select
                (event_t % 86400) // 3600 as hour,
                event_t,
                session_no * 10 + step as sort_no,
                _defect,
                _defect is null and {defects.duplicate_sql(key, rate)} as _duplicate,
                {line} as line
            from steps
        )
        select hour, event_t, sort_no, 0 as copy, _defect, line from lines
        union all
        select hour, event_t, sort_no, 1 as copy, _defect, line from lines where _duplicate
        order by hour, event_t, sort_no, copy
    """
