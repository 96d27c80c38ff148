"""Build every source as a DuckDB table (typed, defects injected), before it is written to files.

All randomness is `u(key, salt)` from random_sql: a hash, so results do not depend on threads or run order.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from data_stack.generate.sizes import ID_DAY_FACTOR, POPULATION_DATE, Sizes, day_number
from data_stack.generate.vocab import (
    ADJECTIVES,
    BROWSERS,
    CARRIERS,
    CATEGORIES,
    CITIES,
    COLORS,
    DEVICES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    MAKES_MODELS,
    NOUNS,
    OSES,
    REFERRERS,
    REGION_STATES,
    REGIONS,
    STREET_SUFFIXES,
    STREETS,
    SUBCATEGORIES,
    SUPPLIERS,
    TAGS,
    VEHICLE_TYPES,
    sql_list,
    sql_pick,
)

ORPHAN_BASE = 90_000_000


def build_days(conn: duckdb.DuckDBPyConnection, start: date, days: int) -> None:
    conn.execute(
        f"""
        create or replace table days as
        select
            offs as day_offset,
            date '{start.isoformat()}' + cast(offs as integer) as day,
            {day_number(start)} + offs as day_no
        from range({days}) as r(offs)
        """
    )


def build_customers(conn: duckdb.DuckDBPyConnection, sizes: Sizes, rate: float) -> None:
    states = sql_list([REGION_STATES[region][0] for region in REGIONS])
    conn.execute(
        f"""
        create or replace table customers_pop as
        with base as (
            select
                i as customer_id,
                {sql_pick(FIRST_NAMES, "i", "fn")} as first_name,
                {sql_pick(LAST_NAMES, "i", "ln")} as last_name,
                {sql_pick(REGIONS, "i", "region")} as region,
                timestamp '{POPULATION_DATE.isoformat()} 00:00:00'
                    - to_days(cast(pick(i, 'age', 900) as integer))
                    + to_seconds(pick(i, 'agesec', 86400)) as signed_up_at
            from range(1, {sizes.customers} + 1) as r(i)
        )
        select
            customer_id,
            first_name,
            last_name,
            case when u(customer_id, 'bad_email') < {rate * 3}
                then lower(first_name) || '.' || lower(last_name) || customer_id || ' at example'
                else lower(first_name) || '.' || lower(last_name) || customer_id || '@'
                    || {sql_pick(EMAIL_DOMAINS, "customer_id", "dom")}
            end as email,
            format('({{}}) {{}}-{{}}', 201 + pick(customer_id, 'p1', 790), 200 + pick(customer_id, 'p2', 799),
                   lpad(cast(pick(customer_id, 'p3', 10000) as varchar), 4, '0')) as phone,
            cast(1 + pick(customer_id, 'no', 9899) as varchar) || ' '
                || {sql_pick(STREETS, "customer_id", "street")} || ' '
                || {sql_pick(STREET_SUFFIXES, "customer_id", "suffix")} as street_address,
            {sql_pick(CITIES, "customer_id", "city")} as city,
            region,
            'US' as country,
            signed_up_at,
            signed_up_at as updated_at,
            {states}[list_position({sql_list(REGIONS)}, region)] as state_code
        from base
        """
    )


def build_customer_changes(conn: duckdb.DuckDBPyConnection, sizes: Sizes) -> None:
    per_day = max(1, sizes.customers // 500)
    conn.execute(
        f"""
        create or replace table customer_changes as
        with picked as (
            select distinct
                days.day,
                1 + pick(days.day_no * 1000 + j, 'chg', {sizes.customers}) as customer_id
            from days, range({per_day}) as r(j)
        )
        select
            picked.day,
            pop.customer_id,
            pop.first_name,
            pop.last_name,
            replace(pop.email, '@', '+' || strftime(picked.day, '%m%d') || '@') as email,
            pop.phone,
            cast(1 + pick(pop.customer_id * 7 + epoch(picked.day), 'move', 9899) as varchar) || ' '
                || {sql_pick(STREETS, "pop.customer_id + epoch(picked.day)", "st2")} || ' St' as street_address,
            pop.city,
            pop.region,
            pop.country,
            pop.signed_up_at,
            cast(picked.day as timestamp) + to_seconds(pick(pop.customer_id, 'chgsec', 86400)) as updated_at
        from picked
        inner join customers_pop as pop on pop.customer_id = picked.customer_id
        """
    )


def build_products(conn: duckdb.DuckDBPyConnection, sizes: Sizes) -> None:
    conn.execute(
        f"""
        create or replace table products_pop as
        select
            i as product_id,
            'NW-' || lpad(cast(i as varchar), 6, '0') as sku,
            {sql_pick(ADJECTIVES, "i", "adj")} || ' ' || {sql_pick(NOUNS, "i", "noun")} || ' '
                || cast(i as varchar) as product_name,
            {sql_pick(CATEGORIES, "i", "cat")} as category,
            {sql_pick(SUBCATEGORIES, "i", "sub")} as subcategory,
            cast(round(4 + u(i, 'cost') * 150, 2) as decimal(10, 2)) as unit_cost,
            {sql_pick(SUPPLIERS, "i", "sup")} as supplier,
            u(i, 'inactive') > 0.04 as is_active,
            {{
                'color': {sql_pick(COLORS, "i", "color")},
                'weight_kg': round(0.1 + u(i, 'kg') * 20, 2),
                'tags': [{sql_pick(TAGS, "i", "t1")}, {sql_pick(TAGS, "i", "t2")}]
            }} as attributes,
            1.25 + u(i, 'markup') * 0.75 as markup
        from range(1, {sizes.products} + 1) as r(i)
        """
    )


def build_catalog(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        """
        create or replace table catalog as
        select
            days.day,
            p.product_id, p.sku, p.product_name, p.category, p.subcategory, p.unit_cost,
            cast(round(p.unit_cost * p.markup * (0.98 + u(p.product_id * 100000 + days.day_no, 'drift') * 0.04), 2)
                as decimal(10, 2)) as list_price,
            p.supplier, p.is_active,
            cast(days.day as timestamp) as updated_at,
            p.attributes
        from days, products_pop as p
        where days.day_offset % 7 = 0
        """
    )


def build_vehicles(conn: duckdb.DuckDBPyConnection, sizes: Sizes) -> None:
    makes = sql_list([make for make, _ in MAKES_MODELS])
    models = sql_list([model for _, model in MAKES_MODELS])
    states = sql_list([state for region in REGIONS for state in REGION_STATES[region]])
    conn.execute(
        f"""
        create or replace table vehicles as
        with base as (
            select i as vehicle_id, 1 + pick(i, 'mm', {len(MAKES_MODELS)}) as mm,
                   1 + pick(i, 'state', {len(REGIONS) * 4}) as st
            from range(1, {sizes.vehicles} + 1) as r(i)
        )
        select
            vehicle_id,
            chr(65 + cast(pick(vehicle_id, 'l1', 26) as integer))
                || chr(65 + cast(pick(vehicle_id, 'l2', 26) as integer))
                || chr(65 + cast(pick(vehicle_id, 'l3', 26) as integer)) || '-'
                || lpad(cast(pick(vehicle_id, 'num', 10000) as varchar), 4, '0') as license_plate,
            {states}[st] as state_code,
            {makes}[mm] as make,
            {models}[mm] as model,
            cast(2015 + pick(vehicle_id, 'year', 11) as integer) as model_year,
            case when {makes}[mm] = 'Urban Arrow' then 'cargo_bike'
                 else {sql_pick(VEHICLE_TYPES[:5], "vehicle_id", "vt")} end as vehicle_type,
            cast(case when {makes}[mm] = 'Urban Arrow' then 150 else 800 + pick(vehicle_id, 'cap', 30) * 100 end
                as integer) as capacity_kg,
            {sql_list(REGIONS)}[1 + (st - 1) // 4] as depot_region,
            date '2019-01-01' + cast(pick(vehicle_id, 'svc', 2000) as integer) as in_service_date
        from base
        """
    )


def build_orders(conn: duckdb.DuckDBPyConnection, sizes: Sizes, rate: float, last_day: date) -> None:
    late_per_day = round(rate * sizes.orders_per_day * 3)
    conn.execute(
        f"""
        create or replace table orders as
        with regular as (
            select days.day, days.day_no, days.day as order_day,
                   days.day_no * {ID_DAY_FACTOR} + j + 1 as order_id
            from days, range({int(sizes.orders_per_day * 1.15) + 1}) as r(j)
            where j < {sizes.orders_per_day} * (0.85 + 0.3 * u(days.day_no, 'volume'))
        ),
        late as (
            -- late-arriving rows: orders from earlier days, exported in the last day's file
            select days.day, days.day_no,
                   days.day - cast(3 + pick(days.day_no * 1000 + j, 'lateday', greatest(days.day_offset - 2, 1))
                       as integer) as order_day,
                   days.day_no * {ID_DAY_FACTOR} + 900000 + j as order_id
            from days, range({late_per_day}) as r(j)
            where days.day = date '{last_day.isoformat()}' and days.day_offset >= 5
        ),
        all_orders as (select *, false as is_late from regular union all select *, true from late)
        select
            day as file_day,
            order_id,
            case when u(order_id, 'orphan_c') < {rate / 2} then {ORPHAN_BASE} + pick(order_id, 'oc', 1000)
                 else 1 + pick(order_id, 'cust', {sizes.customers}) end as customer_id,
            cast(order_day as timestamp) + to_seconds(
                cast(6 * 3600 + pick(order_id, 'sec', 16 * 3600) as bigint)) as order_ts,
            case when u(order_id, 'status') < 0.04 then 'cancelled'
                 when u(order_id, 'status') < 0.07 then 'returned'
                 when order_day >= date '{last_day.isoformat()}' - 1 then 'placed'
                 when order_day >= date '{last_day.isoformat()}' - 4 then 'shipped'
                 else 'delivered' end as status,
            case when u(order_id, 'chan') < 0.55 then 'web' when u(order_id, 'chan') < 0.85 then 'mobile'
                 else 'marketplace' end as channel,
            'USD' as currency,
            cast(case when u(order_id, 'fee') < 0.45 then 0 when u(order_id, 'fee') < 0.85 then 4.99 else 9.99 end
                as decimal(10, 2)) as shipping_fee,
            is_late
        from all_orders
        """
    )


def build_order_items(conn: duckdb.DuckDBPyConnection, sizes: Sizes, rate: float) -> None:
    conn.execute(
        f"""
        create or replace table order_items as
        with lines as (
            select o.file_day, o.order_id, o.order_id * 10 + line as order_item_id,
                   cast(floor({sizes.products} * pow(u(o.order_id * 10 + line, 'prod'), 1.6)) as bigint) + 1
                       as product_id
            from orders as o, range(1, 7) as r(line)
            where line <= 1 + pick(o.order_id, 'nlines', 5) + (u(o.order_id, 'big') < 0.1)::int
        )
        select
            lines.file_day,
            lines.order_item_id,
            lines.order_id,
            case when u(lines.order_item_id, 'orphan_p') < {rate / 2}
                 then {ORPHAN_BASE} + pick(lines.order_item_id, 'op', 1000) else lines.product_id end as product_id,
            cast(1 + floor(pow(u(lines.order_item_id, 'qty'), 3) * 4) as integer) as quantity,
            cast(round(catalog_base.list_price * 1.0, 2) as decimal(10, 2)) as unit_price,
            cast(case when u(lines.order_item_id, 'disc') < 0.2
                 then round(u(lines.order_item_id, 'discpct') * 0.3, 4) else 0 end as decimal(5, 4)) as discount_pct
        from lines
        inner join (
            select product_id, cast(round(unit_cost * markup, 2) as decimal(10, 2)) as list_price
            from products_pop
        ) as catalog_base on catalog_base.product_id = lines.product_id
        """
    )


def build_shipments(conn: duckdb.DuckDBPyConnection, sizes: Sizes, last_day: date) -> None:
    cutoff = (last_day + timedelta(days=1)).isoformat()
    carrier_penalty = "[0.0, 0.08, 0.15, 0.04]"
    conn.execute(
        f"""
        create or replace table shipments as
        with base as (
            select
                o.file_day, o.order_id, o.order_id * 10 + 1 as shipment_id,
                {sql_pick(CARRIERS, "o.order_id", "carrier")} as carrier,
                1 + pick(o.order_id, 'carrier', {len(CARRIERS)}) as carrier_no,
                case when u(o.order_id, 'express') < 0.25 then 'express' else 'standard' end as service_level,
                coalesce(c.region, {sql_pick(REGIONS, "o.order_id", "dest")}) as destination_region,
                1 + pick(o.order_id, 'veh', {sizes.vehicles}) as vehicle_id,
                o.order_ts + to_seconds(cast(3600 * (4 + pick(o.order_id, 'ship', 30)) as bigint)) as shipped_at
            from orders as o
            left join customers_pop as c on c.customer_id = o.customer_id
            where o.status <> 'cancelled' and not o.is_late
        ),
        timed as (
            select *,
                shipped_at + to_seconds(cast(3600 * case when service_level = 'express' then 24 else 72 end
                    as bigint)) as promised_at,
                shipped_at + to_seconds(cast(3600 * (case when service_level = 'express' then 18 else 54 end)
                    * (0.55 + u(order_id, 'lead') * (0.62 + {carrier_penalty}[carrier_no]
                        + case when destination_region = 'West' then 0.06 else 0 end)) as bigint)) as eta
            from base
        )
        select
            file_day, shipment_id, order_id, carrier, service_level, destination_region, vehicle_id,
            shipped_at, promised_at,
            case when u(order_id, 'lost') < 0.003 or eta >= timestamp '{cutoff}' then null else eta end
                as delivered_at,
            case when u(order_id, 'lost') < 0.003 then 'lost'
                 when eta >= timestamp '{cutoff}' then 'in_transit' else 'delivered' end as status
        from timed
        """
    )


def build_clickstream(conn: duckdb.DuckDBPyConnection, sizes: Sizes) -> None:
    steps = sql_list(["session_start", "page_view", "product_view", "add_to_cart", "checkout", "purchase"])
    conn.execute(
        f"""
        create or replace table sessions as
        select
            o.file_day, 's' || cast(o.order_id as varchar) as session_id, o.customer_id,
            o.order_ts - to_seconds(360) as started_at, 6 as depth, o.order_id,
            (select min(i.product_id) from order_items as i where i.order_id = o.order_id) as product_id,
            o.order_id as key
        from orders as o
        where o.channel in ('web', 'mobile') and not o.is_late and o.order_ts is not null
        union all
        select
            days.day, 'b' || cast(days.day_no * {ID_DAY_FACTOR} + j as varchar),
            case when u(days.day_no * {ID_DAY_FACTOR} + j, 'known') < 0.4
                 then 1 + pick(days.day_no * {ID_DAY_FACTOR} + j, 'bc', {sizes.customers}) end,
            cast(days.day as timestamp) + to_seconds(pick(days.day_no * {ID_DAY_FACTOR} + j, 'bsec', 86000)),
            case when u(days.day_no * {ID_DAY_FACTOR} + j, 'depth') < 0.30 then 1
                 when u(days.day_no * {ID_DAY_FACTOR} + j, 'depth') < 0.55 then 2
                 when u(days.day_no * {ID_DAY_FACTOR} + j, 'depth') < 0.80 then 3
                 when u(days.day_no * {ID_DAY_FACTOR} + j, 'depth') < 0.92 then 4 else 5 end,
            null,
            1 + pick(days.day_no * {ID_DAY_FACTOR} + j, 'bp', {sizes.products}),
            days.day_no * {ID_DAY_FACTOR} + j
        from days, range({sizes.sessions_per_day}) as r(j)
        """
    )
    conn.execute(
        f"""
        create or replace table events as
        select
            s.file_day,
            cast(hour(s.started_at) as integer) as file_hour,
            s.session_id || '-' || cast(step as varchar) as event_id,
            {steps}[step] as event_type,
            s.started_at + to_seconds(cast((step - 1) * 60 + pick(s.key * 10 + step, 'jit', 50) as bigint))
                as event_ts,
            s.session_id,
            s.customer_id,
            case when step >= 3 then s.product_id end as product_id,
            case when step = 6 then s.order_id end as order_id,
            {{
                'page': {{
                    'url': case when step >= 3 then '/p/' || cast(s.product_id as varchar)
                                when step = 1 then '/' else '/c/' || cast(pick(s.key, 'cat', 8) as varchar) end,
                    'referrer': {sql_pick(REFERRERS, "s.key", "ref")}
                }},
                'device': {{
                    'type': {sql_pick(DEVICES, "s.key", "dev")},
                    'os': {sql_pick(OSES, "s.key", "os")},
                    'browser': {sql_pick(BROWSERS, "s.key", "br")}
                }}
            }} as context,
            s.key * 10 + step as sort_key
        from sessions as s, range(1, 7) as r(step)
        where step <= s.depth
        """
    )


def build_market(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        f"""
        create or replace table market as
        with cats as (select unnest({sql_list(CATEGORIES)}) as category),
        weeks as (select day, day_no from days where day_offset % 7 = 0),
        sales as (
            select date_trunc('week', o.order_ts) as week, p.category, sum(i.quantity * i.unit_price) as revenue
            from order_items as i
            inner join orders as o on o.order_id = i.order_id
            inner join products_pop as p on p.product_id = i.product_id
            group by all
        ),
        avg_sales as (select category, avg(revenue) as avg_revenue from sales group by all)
        select weeks.day as file_day, weeks.day as indicator_date, cats.category, ind.indicator_name,
            round(case ind.indicator_name
                when 'category_demand_index' then 100 * coalesce(sales.revenue / nullif(avg_sales.avg_revenue, 0), 1)
                    + (u(weeks.day_no * 31 + hash(cats.category) % 1000, 'noise') - 0.5) * 10
                when 'avg_competitor_price' then 20 + (hash(cats.category) % 80)
                    + (u(weeks.day_no + hash(cats.category) % 1000, 'cp') - 0.5) * 4
                else 95 + (u(weeks.day_no, 'cc') - 0.5) * 12 end, 3) as value,
            ind.unit
        from weeks
        cross join cats
        cross join (values ('category_demand_index', 'index'), ('avg_competitor_price', 'USD'),
                    ('consumer_confidence', 'index')) as ind(indicator_name, unit)
        left join sales on sales.category = cats.category and sales.week = date_trunc('week', weeks.day)
        left join avg_sales on avg_sales.category = cats.category
        """
    )
