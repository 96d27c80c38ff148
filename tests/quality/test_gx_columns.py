"""The gate reads only the columns a suite's expectations name (all rows, so results stay exact)."""

from __future__ import annotations

import duckdb

from data_stack.quality.expectations import SuiteSpec, load_suites
from data_stack.quality.gx_suites import KeysWritten, _columns, _frame, _parts


def spec(*expectations: tuple[str, dict]) -> list[tuple[str, dict]]:
    return list(expectations)


def test_named_columns_in_first_mention_order_once_each():
    suite = spec(
        ("expect_table_row_count_to_be_between", {"min_value": 1}),
        ("expect_column_values_to_be_unique", {"column": "b"}),
        ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "a", "column_B": "b"}),
        ("expect_compound_columns_to_be_unique", {"column_list": ["c", "a"]}),
    )
    assert _columns(suite) == '"b", "a", "c"'


def test_table_level_column_expectations_and_row_conditions_read_every_column():
    assert _columns(spec(("expect_table_columns_to_match_set", {"column_set": ["a"]}))) == "*"
    assert _columns(spec(("expect_column_values_to_not_be_null", {"column": "a", "row_condition": "b > 1"}))) == "*"


def test_a_row_count_only_suite_reads_one_constant_column():
    assert _columns(spec(("expect_table_row_count_to_be_between", {"min_value": 1}))) == "1 as _row"


def test_every_shipped_suite_names_its_columns():
    for suite in load_suites():
        selected = _columns(suite.expectations)
        assert selected != "*", suite.model
        for _name, kwargs in suite.expectations:
            if "column" in kwargs:
                assert f'"{kwargs["column"]}"' in selected, (suite.model, kwargs)


def test_a_quoted_name_is_escaped():
    assert _columns(spec(("expect_column_values_to_be_unique", {"column": 'we"ird'}))) == '"we""ird"'


def test_an_incremental_build_splits_row_by_row_expectations_from_whole_table_ones():
    suite = SuiteSpec(
        model="m",
        domain="d",
        expectations=spec(
            ("expect_table_row_count_to_be_between", {"min_value": 1}),
            ("expect_column_values_to_be_unique", {"column": "a"}),
            ("expect_column_values_to_not_be_null", {"column": "a"}),
            ("expect_column_values_to_be_in_set", {"column": "b", "value_set": ["x"]}),
        ),
    )
    assert _parts(suite, None) == [("table", suite.expectations, None)]
    table, changed, keys = _parts(suite, "day in (1)")
    assert table == ("table", suite.expectations[:1], None)
    assert changed == ("rows written by this run", suite.expectations[2:], "day in (1)")
    assert keys == (
        "rows holding a key (a) written by this run",
        suite.expectations[1:2],
        KeysWritten(("a",), "day in (1)"),
    )


def test_a_pair_of_columns_is_judged_row_by_row_and_each_key_on_the_rows_holding_a_written_key():
    suite = SuiteSpec(
        model="m",
        domain="d",
        expectations=spec(
            ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "a", "column_B": "b"}),
            ("expect_compound_columns_to_be_unique", {"column_list": ["a", "b"]}),
            ("expect_column_values_to_be_unique", {"column": "c"}),
        ),
    )
    changed, keys, more_keys = _parts(suite, "x > 1")
    assert changed == ("rows written by this run", suite.expectations[:1], "x > 1")
    assert keys == (
        "rows holding a key (a, b) written by this run",
        suite.expectations[1:2],
        KeysWritten(("a", "b"), "x > 1"),
    )
    assert more_keys == (
        "rows holding a key (c) written by this run",
        suite.expectations[2:],
        KeysWritten(("c",), "x > 1"),
    )


def test_a_key_repeated_by_a_written_row_is_read_with_every_row_holding_it():
    """An earlier row and this run's row share key 1: both are read, so the uniqueness expectation sees the repeat;
    a null key written now is read with the earlier null. Row counts read no column."""
    with duckdb.connect() as conn:
        conn.execute(
            "create table t as select * from (values (1, 0), (1, 5), (2, 0), (3, 0), (null, 0), (null, 5)) v(k, run)"
        )
        frame = _frame(
            conn, "t", [("expect_column_values_to_be_unique", {"column": "k"})], KeysWritten(("k",), "run = 5")
        )
        assert sorted(frame["k"].fillna(-1).tolist()) == [-1, -1, 1, 1]
        counted = _frame(conn, "t", [("expect_table_row_count_to_be_between", {"min_value": 1})], None)
        assert len(counted) == 6 and list(counted.columns) == []
