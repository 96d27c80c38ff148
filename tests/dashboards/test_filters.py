"""Filters become SQL predicates with bound parameters; the previous period has the same length."""

from __future__ import annotations

from datetime import date

import duckdb

from data_stack.dashboards import fmt
from data_stack.dashboards.filters import Filters, between, one_of, where
from data_stack.dashboards.queries import PAGES


def test_previous_period_is_the_same_length_just_before():
    f = Filters(date(2026, 3, 4), date(2026, 3, 31), ("West",), ("toys",))
    prev = f.previous()
    assert (prev.start, prev.end) == (date(2026, 2, 4), date(2026, 3, 3))
    assert prev.days == f.days == 28
    assert (prev.regions, prev.categories) == (("West",), ("toys",))


def test_where_binds_values_and_skips_empty_selections():
    clause, params = where(between("d", date(2026, 1, 1), date(2026, 1, 2)), one_of("region", ()))
    assert clause == "where (d between ? and ?)"
    assert params == [date(2026, 1, 1), date(2026, 1, 2)]
    clause, params = where(one_of("region", ("West", "O'Hare")))
    assert clause == "where (region in (?, ?))" and params == ["West", "O'Hare"]
    clause, _ = where(("a is null or a < 1", []), ("b = 2", []))
    assert clause == "where (a is null or a < 1) and (b = 2)"  # an OR cannot escape its predicate
    assert where(one_of("region", ())) == ("", [])


def test_a_value_with_a_quote_cannot_change_the_query():
    conn = duckdb.connect()
    conn.execute("create table t as select * from (values ('West'), ('x'' or ''1''=''1')) as v (region)")
    clause, params = where(one_of("region", ("x' or '1'='1",)))
    assert conn.execute(f"select count(*) from t {clause}", params).fetchone()[0] == 1


def test_every_page_query_has_as_many_parameters_as_placeholders():
    f = Filters(date(2026, 3, 4), date(2026, 3, 31), ("West", "Midwest"), ("toys",))
    for queries in PAGES.values():
        for make in queries:
            for filters in (f, Filters(f.start, f.end)):
                query = make(filters)
                assert query.sql.count("?") == len(query.params), make.__name__


def test_formatting():
    assert fmt.money(1234567.891) == "$1,234,568"
    assert fmt.money(456.499, cents=True) == "$456.50"
    assert fmt.pct(0.90302) == "90.3%"
    assert fmt.change(110, 100) == "+10.0%"
    assert fmt.change(0.91, 0.90, points=True) == "+1.0 pp"
    assert fmt.change(5, 0) is None and fmt.change(None, 1) is None
    assert fmt.money(None) == fmt.NONE and fmt.count(float("nan")) == fmt.NONE
