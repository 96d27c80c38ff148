"""Orders and their items: the nightly export of the shop's order system.

Order ids are `day number * ID_DAY + sequence`, item ids `order_id * ITEMS_PER_ORDER + line`: unique across
drops. Daily volume follows the weekday and the week's consumer confidence; what is bought follows the week's
category demand (demand.py) and a popularity ranking within the category. An order's status is its state at
the end of the generated window (from its shipment, see shipments.py).
"""

from __future__ import annotations

import duckdb

from data_stack.generate import defects
from data_stack.generate.customers import signed_up_before_sql
from data_stack.generate.demand import SLOTS, confidence_sql
from data_stack.generate.plan import Plan
from data_stack.generate.products import list_price_sql
from data_stack.generate.timeline import ID_DAY, ITEMS_PER_ORDER, LATE_SEQUENCE, ORPHAN_BASE, week_sql
from data_stack.generate.vocab import WEEKDAY_FACTORS, sql_list, weighted_slots

ORDER_COLUMNS = ["order_id", "customer_id", "order_ts", "status", "channel", "currency", "shipping_fee"]
# the drifted export: the same columns in another order, plus one the contract does not know
DRIFTED_ORDER_COLUMNS = [
    "order_id",
    "status",
    "order_ts",
    "customer_id",
    "channel",
    "shipping_fee",
    "currency",
    "coupon_code",
]
ITEM_COLUMNS = ["order_item_id", "order_id", "product_id", "quantity", "unit_price", "discount_pct"]
LINE_SLOTS = weighted_slots([15, 25, 25, 17, 10, 8], slots=100)  # 1..6 lines per order, ≈ 3 on average


def late_order_count(plan: Plan) -> int:
    """Orders missed by earlier exports and delivered in the last day's file."""
    if plan.defect_rate <= 0:
        return 0
    return max(1, round(plan.defect_rate * plan.sizes.orders_per_day * 5))


def daily_volume_sql(mean: float, days: str) -> str:
    """Orders (or sessions) on a day of the `days` table: the mean, by weekday and the week's confidence."""
    return (
        f"round({mean!r}::double * {sql_list(WEEKDAY_FACTORS)}[{days}.day_of_week + 1]"
        f" * (0.9 + 0.2 * {confidence_sql(f'{days}.week_no')}))::bigint"
    )


def build_headers(conn: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """`order_headers`: every order of the window plus the late-arriving ones, without status."""
    window = plan.window
    volume = daily_volume_sql(plan.sizes.orders_per_day, "days")
    customers_known = signed_up_before_sql(plan, "day_no")
    conn.execute(
        f"""
        create or replace table order_headers as
        with regular as (
            select days.day_no as file_day_no, days.day_no, days.day_no * {ID_DAY} + sequence + 1 as order_id,
                false as is_late
            from days, range({volume}) as seq(sequence)
        ),
        late as (
            select {window.last_no} as file_day_no,
                {window.last_no} - 3 - pick(order_id, 'late by', 8) as day_no,
                order_id,
                true as is_late
            from (
                select {window.last_no}::bigint * {ID_DAY} + {LATE_SEQUENCE} + sequence + 1 as order_id
                from range({late_order_count(plan)}) as seq(sequence)
            )
        ),
        all_orders as (select * from regular union all select * from late)
        select
            file_day_no,
            day_no,
            order_id,
            is_late,
            {week_sql("day_no")} as week_no,
            -- earlier customers buy more often
            1 + floor(greatest({customers_known}, 1) * pow(u(order_id, 'customer'), 1.4))::bigint as customer_id,
            day_no * 86400 + time_of_day(order_id, 'order time') as order_t,
            case when u(order_id, 'channel') < 0.55 then 'web'
                when u(order_id, 'channel') < 0.85 then 'mobile' else 'marketplace' end as channel,
            case when u(order_id, 'shipping') < 0.45 then 0.00
                when u(order_id, 'shipping') < 0.82 then 4.99 else 9.99 end::decimal(10, 2) as shipping_fee,
            u(order_id, 'shipping') >= 0.82 as is_express,
            u(order_id, 'cancel') < 0.04 as is_cancelled,
            u(order_id, 'return') < 0.03 as is_returned
        from all_orders
        order by file_day_no, order_id
        """
    )


def build_items(conn: duckdb.DuckDBPyConnection, plan: Plan, products_per_category: list[int]) -> None:
    """`order_items`: 1-6 lines per order, products chosen by the week's category demand and popularity."""
    conn.execute(
        f"""
        create or replace table order_items as
        with lines as (
            select headers.file_day_no, headers.order_id, headers.week_no, headers.is_late,
                headers.order_id * {ITEMS_PER_ORDER} + line as order_item_id
            from order_headers as headers, range(1, 7) as lines(line)
            where line <= 1 + {sql_list(LINE_SLOTS)}[1 + pick(headers.order_id, 'lines', {len(LINE_SLOTS)})]
        ),
        categorised as (
            select lines.*, category_slots.category_index
            from lines
            inner join category_slots
                on category_slots.week_no = lines.week_no
                and category_slots.slot = pick(lines.order_item_id, 'category', {SLOTS})
        ),
        ranked as (
            select categorised.*,
                floor({sql_list(products_per_category)}[category_index + 1]
                    * pow(u(order_item_id, 'product'), 1.8))::bigint as rank
            from categorised
        )
        select
            ranked.file_day_no,
            ranked.order_item_id,
            ranked.order_id,
            ranked.is_late,
            products.product_id,
            (1 + floor(pow(u(ranked.order_item_id, 'quantity'), 3) * 4))::integer as quantity,
            {list_price_sql("products.unit_cost", "products.markup", "products.product_id", "ranked.week_no")}
                as unit_price,
            case when u(ranked.order_item_id, 'discount') < 0.2
                then 0.05 * (1 + pick(ranked.order_item_id, 'discount pct', 6)) else 0 end::decimal(5, 4)
                as discount_pct
        from ranked
        inner join category_products
            on category_products.category_index = ranked.category_index and category_products.rank = ranked.rank
        inner join products on products.product_id = category_products.product_id
        order by ranked.file_day_no, ranked.order_item_id
        """
    )


def build_orders(conn: duckdb.DuckDBPyConnection) -> None:
    """`orders`: headers with the status at the end of the window (needs `shipments`)."""
    conn.execute(
        """
        create or replace table orders as
        select
            headers.*,
            case
                when headers.is_cancelled then 'cancelled'
                when shipments.order_id is null then 'placed'  -- not shipped yet
                when shipments.status = 'delivered' and headers.is_returned then 'returned'
                when shipments.status = 'delivered' then 'delivered'
                else 'shipped'
            end as status
        from order_headers as headers
        left join shipments on shipments.order_id = headers.order_id
        order by headers.file_day_no, headers.order_id
        """
    )


def orders_output_sql(plan: Plan) -> str:
    rate = plan.defect_rate
    defect = defects.choose_sql(
        "order_id",
        rate,
        [(defects.NULL_REQUIRED, 1 / 3), (defects.UNTYPEABLE_VALUE, 1 / 4), (defects.ORPHAN_KEY, 1 / 2)],
    )
    return f"""
        with flagged as (
            select *, case when is_late then '{defects.LATE_ROW}' else {defect} end as _defect from orders
        )
        select
            file_day_no,
            order_id as sort_key,
            order_id,
            case when _defect = '{defects.NULL_REQUIRED}' then null
                when _defect = '{defects.ORPHAN_KEY}' then {defects.orphan_id_sql("order_id", "orphan", ORPHAN_BASE)}
                else customer_id end as customer_id,
            case when _defect = '{defects.UNTYPEABLE_VALUE}' then {defects.malformed_timestamp_sql("iso(order_t)")}
                else iso(order_t) end as order_ts,
            status,
            channel,
            'USD' as currency,
            shipping_fee,
            -- only the drifted file writes this column
            case when u(order_id, 'coupon') < 0.15
                then {sql_list(["WELCOME10", "SPRING15", "FREESHIP", "VIP20"])}[1 + pick(order_id, 'coupon code', 4)]
                end as coupon_code,
            _defect,
            _defect is null and {defects.duplicate_sql("order_id", rate)} as _duplicate
        from flagged
    """


def items_output_sql(plan: Plan) -> str:
    rate = plan.defect_rate
    defect = defects.choose_sql(
        "order_item_id",
        rate,
        [
            (defects.NULL_REQUIRED, 1 / 3),
            (defects.UNTYPEABLE_VALUE, 1 / 3),
            (defects.NEGATIVE_QUANTITY, 1.0),
            (defects.ORPHAN_KEY, 1 / 2),
        ],
    )
    return f"""
        with flagged as (
            select *, case when is_late then '{defects.LATE_ROW}' else {defect} end as _defect from order_items
        )
        select
            file_day_no,
            order_item_id as sort_key,
            order_item_id,
            order_id,
            case when _defect = '{defects.NULL_REQUIRED}' then null
                when _defect = '{defects.ORPHAN_KEY}'
                    then {defects.orphan_id_sql("order_item_id", "orphan", ORPHAN_BASE)}
                else product_id end as product_id,
            case when _defect = '{defects.UNTYPEABLE_VALUE}' then {sql_list(defects.NUMBER_WORDS)}[quantity + 1]
                when _defect = '{defects.NEGATIVE_QUANTITY}' then (-quantity)::varchar
                else quantity::varchar end as quantity,
            unit_price,
            discount_pct,
            _defect,
            _defect is null and {defects.duplicate_sql("order_item_id", rate)} as _duplicate
        from flagged
    """
