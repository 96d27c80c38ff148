"""Customers: a sign-up timeline that depends only on scale and seed, with occasional profile changes.

Customer ids are handed out in sign-up order: `customers_at_anchor` of them sign up evenly between EPOCH and
ANCHOR, then `customers_per_90_days` every 90 days. So "customers signed up before day n" is a closed formula,
and every drop agrees on who exists. Each customer changes their profile (email, phone, address) every
365-1095 days on a fixed phase; the version of a profile at any day is a formula too.

Files: the start day's file holds everyone signed up by the end of that day, as of then; each later day's file
holds that day's sign-ups and profile changes.
"""

from __future__ import annotations

import duckdb

from data_stack.generate import defects
from data_stack.generate.plan import Plan
from data_stack.generate.timeline import ANCHOR, day_number
from data_stack.generate.vocab import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    REGION_CITIES,
    REGIONS,
    STREET_SUFFIXES,
    STREETS,
    sql_list,
    sql_pick,
)

COLUMNS = [
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "street_address",
    "city",
    "region",
    "country",
    "signed_up_at",
    "updated_at",
]
VERSIONS = 64  # key of a profile version: customer_id * VERSIONS + version


def signed_up_before_sql(plan: Plan, day_no: str) -> str:
    """Number of customers signed up before day `day_no` starts (ids 1..that are known)."""
    anchor, base, growth = day_number(ANCHOR), plan.sizes.customers_at_anchor, plan.sizes.customers_per_90_days
    return (
        f"(case when {day_no} <= {anchor} then ({base} * ({day_no})::bigint) // {anchor} "
        f"else {base} + ({growth} * (({day_no})::bigint - {anchor})) // 90 end)"
    )


def signup_day_sql(plan: Plan, customer_id: str) -> str:
    """The day number on which a customer signed up (the inverse of signed_up_before_sql)."""
    anchor, base, growth = day_number(ANCHOR), plan.sizes.customers_at_anchor, plan.sizes.customers_per_90_days
    return (
        f"(case when {customer_id} <= {base} then ({customer_id} * {anchor} + {base - 1}) // {base} - 1 "
        f"else {anchor} + (({customer_id} - {base}) * 90 + {growth - 1}) // {growth} - 1 end)"
    )


def region_index_sql(customer_id: str) -> str:
    return f"pick({customer_id}, 'region', {len(REGIONS)})"


def build(conn: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """`customer_rows(file_day_no, customer_id, signup_day_no, version, changed_day_no)`: one row per customer
    per file."""
    window = plan.window
    period = "(365 + pick(customer_id, 'period', 731))"
    conn.execute(
        f"""
        create or replace table customer_timeline as
        select
            customer_id,
            {signup_day_sql(plan, "customer_id")} as signup_day_no,
            {period} as period,
            pick(customer_id, 'phase', {period}) as phase
        from range(1, {signed_up_before_sql(plan, str(window.last_no + 1))} + 1) as ids(customer_id)
        """
    )
    # version at the end of day n: the number of change days c with signup < c <= n, c = phase (mod period)
    version = "(floor(({n} - phase) / period) - floor((signup_day_no - phase) / period))::bigint"
    last_change = "(phase + period * floor(({n} - phase) / period))::bigint"
    conn.execute(
        f"""
        create or replace table customer_rows as
        with population as (
            select {window.start_no} as file_day_no, customer_id, signup_day_no,
                {version.format(n=window.start_no)} as version,
                {last_change.format(n=window.start_no)} as changed_day_no
            from customer_timeline
            where customer_id <= {signed_up_before_sql(plan, str(window.start_no + 1))}
        ),
        signups as (
            select signup_day_no as file_day_no, customer_id, signup_day_no, 0 as version, null as changed_day_no
            from customer_timeline
            where signup_day_no > {window.start_no}
        ),
        change_days as (
            select customer_id, signup_day_no, period, phase,
                unnest(range(
                    (phase + period * (floor((greatest({window.start_no}, signup_day_no) - phase) / period) + 1))
                        ::bigint,
                    {window.last_no + 1},
                    period
                )) as change_day_no
            from customer_timeline
        ),
        changes as (
            select change_day_no as file_day_no, customer_id, signup_day_no,
                {version.format(n="change_day_no")} as version, change_day_no as changed_day_no
            from change_days
        )
        select file_day_no, customer_id, signup_day_no, version,
            case when version > 0 then changed_day_no end as changed_day_no
        from (select * from population union all select * from signups union all select * from changes)
        order by file_day_no, customer_id
        """
    )


def output_sql(plan: Plan) -> str:
    """The landing rows, formatted, with defects: `file_day_no`, `sort_key`, COLUMNS, `_defect`, `_duplicate`."""
    rate = plan.defect_rate
    key = "(customer_id * 100000 + file_day_no)"
    profile = f"(customer_id * {VERSIONS} + version)"
    phone_key = f"(customer_id * {VERSIONS} + version // 2)"
    defect = defects.choose_sql(key, rate, [(defects.NULL_REQUIRED, 1 / 3), (defects.INVALID_EMAIL, 3.0)])
    invalid_email = (
        f"case pick({key}, 'bad email', 4) "
        "when 0 then local_part || ' at ' || domain "  # no @
        "when 1 then local_part || '@' || split_part(domain, '.', 1) "  # no top-level domain
        "when 2 then local_part || '@@' || domain "  # two @
        "else replace(local_part, '.', ' ') || '@' || domain end"  # a space
    )
    return f"""
        with profiles as (
            select
                file_day_no, customer_id, signup_day_no, version, changed_day_no,
                {sql_pick(FIRST_NAMES, "customer_id", "first name")} as first_name,
                {sql_pick(LAST_NAMES, "customer_id", "last name")} as last_name,
                {sql_pick(EMAIL_DOMAINS, profile, "email domain")} as domain,
                {region_index_sql("customer_id")} as region_index,
                {defect} as _defect
            from customer_rows
        ),
        named as (
            select *,
                lower(first_name) || '.' || lower(last_name) || customer_id::varchar
                    || case when version > 0 then '.' || version::varchar else '' end as local_part
            from profiles
        )
        select
            file_day_no,
            customer_id as sort_key,
            customer_id,
            first_name,
            last_name,
            case when _defect = '{defects.INVALID_EMAIL}' then {invalid_email}
                else local_part || '@' || domain end as email,
            format('({{}}) {{}}-{{}}', 201 + pick({phone_key}, 'area', 780), 200 + pick({phone_key}, 'exchange', 800),
                lpad(pick({phone_key}, 'line', 10000)::varchar, 4, '0')) as phone,
            (1 + pick({profile}, 'house', 9899))::varchar || ' ' || {sql_pick(STREETS, profile, "street")} || ' '
                || {sql_pick(STREET_SUFFIXES, profile, "suffix")} as street_address,
            {sql_list(REGION_CITIES)}[region_index + 1][1 + pick({profile}, 'city', {len(REGION_CITIES[0])})] as city,
            {sql_list(REGIONS)}[region_index + 1] as region,
            'US' as country,
            case when _defect = '{defects.NULL_REQUIRED}' then null
                else iso(signup_day_no * 86400 + time_of_day(customer_id, 'signup')) end as signed_up_at,
            iso(case when version = 0 then signup_day_no * 86400 + time_of_day(customer_id, 'signup')
                else changed_day_no * 86400 + time_of_day({profile}, 'update') end) as updated_at,
            _defect,
            _defect is null and {defects.duplicate_sql(key, rate)} as _duplicate
        from named
    """
