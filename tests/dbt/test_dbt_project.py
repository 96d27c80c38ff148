"""The dbt project on hand-made bronze: builds, reports defects, hides PII, and stays incremental-safe."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date

import duckdb
import pytest

from .bronze_fixture import PII_VALUES, RAW_EMAILS_AND_PHONES
from .conftest import PROJECT_DIR, SALT, Scenario

GOLD_SCHEMAS = {"marketing", "product", "logistics"}
INCREMENTAL_FACTS = {"orders", "order_items", "shipments"}
DAILY_MARTS = {"funnel_daily", "delivery_sla_daily", "lead_time_hourly"}  # rebuilt by the days a run touched
GOLD_MARTS = 15  # 13 SQL marts and the forecast's two tables (docs/forecast.md)
# The forecast's published contract, as its consumers (the dashboards, analysts) read it.
FORECAST_CONTRACT = {
    "product.category_forecast_daily": [
        ("category", "VARCHAR"),
        ("measure", "VARCHAR"),
        ("model", "VARCHAR"),
        ("sales_date", "DATE"),
        ("horizon_days", "INTEGER"),
        ("value", "DOUBLE"),
        ("lower_80", "DOUBLE"),
        ("upper_80", "DOUBLE"),
        ("lower_95", "DOUBLE"),
        ("upper_95", "DOUBLE"),
        ("is_shown", "BOOLEAN"),
        ("trained_through", "DATE"),
    ],
    "product.category_forecast_accuracy": [
        ("category", "VARCHAR"),
        ("measure", "VARCHAR"),
        ("model", "VARCHAR"),
        ("baseline", "VARCHAR"),
        ("model_smape", "DOUBLE"),
        ("baseline_smape", "DOUBLE"),
        ("beats_baseline", "BOOLEAN"),
        ("model_coverage_80", "DOUBLE"),
        ("model_coverage_95", "DOUBLE"),
        ("baseline_coverage_80", "DOUBLE"),
        ("baseline_coverage_95", "DOUBLE"),
        ("horizon_days", "INTEGER"),
        ("fold_count", "INTEGER"),
        ("history_days", "INTEGER"),
        ("trained_through", "DATE"),
    ],
}


def test_build_passes_every_test_and_unit_test(scenario: Scenario):
    for invocation in (scenario.first_build, scenario.second_build, scenario.full_build):
        statuses = invocation.statuses()
        assert not {uid: s for uid, s in statuses.items() if s in ("error", "fail")}
        unit_tests = [uid for uid in statuses if uid.startswith("unit_test.")]
        assert len(unit_tests) >= 8
        assert all(statuses[uid] == "pass" for uid in unit_tests)
    assert len(scenario.gold_tables()) == GOLD_MARTS


@pytest.mark.parametrize(
    "test_fragment",
    [
        "expression_is_true_stg_orders__order_items_quantity",  # negative quantity
        "expression_is_true_stg_orders__order_items_discount_pct",  # discount out of range
        "relationships_stg_orders__order_items_product_id",  # product missing from the catalog
        "relationships_stg_orders__order_items_order_id",  # line before its order
        "relationships_stg_orders__orders_customer_id",  # customer missing from the export
        "expression_is_true_stg_customers__customers_is_email_valid",  # invalid emails
        "relationships_stg_logistics__shipments_vehicle_id",  # vehicle missing from the fleet register
    ],
)
def test_staging_reports_business_defects_as_warnings(scenario: Scenario, test_fragment: str):
    statuses = scenario.first_build.statuses()
    matching = {uid: status for uid, status in statuses.items() if test_fragment in uid}
    assert matching, f"no test on {test_fragment}"
    assert set(matching.values()) == {"warn"}


def test_no_raw_pii_anywhere_after_staging(scenario: Scenario):
    """Every VARCHAR column of every table and view, gold and silver, is free of fixture PII."""
    long_values = {value.strip().lower() for value in PII_VALUES if " " in value.strip() or "@" in value}
    long_values |= {value.strip().lower() for value in RAW_EMAILS_AND_PHONES}
    names = {value.strip().lower() for value in PII_VALUES} - long_values
    checked = 0
    with duckdb.connect(str(scenario.incremental.db), read_only=True) as conn:
        columns = conn.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_catalog = current_database()"
        ).fetchall()
        assert {schema for schema, *_ in columns} >= GOLD_SCHEMAS | {"staging", "intermediate"}
        for schema, table, column in columns:
            values = conn.execute(
                f'select distinct lower(trim("{column}")) from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall()
            for (value,) in values:
                checked += 1
                assert value not in names, f"{schema}.{table}.{column} holds a raw name"
                leaked = [raw for raw in long_values if raw in value]
                assert not leaked, f"{schema}.{table}.{column} holds raw PII {leaked}"
    assert checked > 100


def test_email_identity_is_a_salted_hash(scenario: Scenario):
    expected = hashlib.sha256(f"{SALT}ada.lovelace@example.com".encode()).hexdigest()
    with duckdb.connect(str(scenario.incremental.db), read_only=True) as conn:
        rows = conn.execute(
            "select customer_id, email_hash, email_domain, is_email_valid from marketing.customers "
            "where customer_id in (1, 2, 3) order by 1"
        ).fetchall()
    assert rows[0] == (1, expected, "example.com", True)
    assert rows[1] == (2, None, None, False)  # invalid email: no identity
    assert rows[2][2:] == ("example.org", True)  # trimmed and lower-cased before validation


def test_incremental_build_equals_full_refresh(scenario: Scenario):
    with duckdb.connect() as conn:
        conn.execute(f"attach '{scenario.incremental.db}' as incremental (read_only)")
        conn.execute(f"attach '{scenario.full.db}' as full_refresh (read_only)")
        for table in scenario.gold_tables():
            count = conn.execute(f"select count(*) from full_refresh.{table}").fetchone()[0]
            assert count > 0, table
            for left, right in (("incremental", "full_refresh"), ("full_refresh", "incremental")):
                extra = conn.execute(
                    f"select * from {left}.{table} except all select * from {right}.{table}"
                ).fetchall()
                assert not extra, f"{table}: rows in {left} but not in {right}: {extra[:3]}"


def test_second_load_exercised_the_incremental_paths(scenario: Scenario):
    """The second build ran delete+insert, and the late and re-delivered rows landed where expected."""
    run_dir = scenario.incremental.target / "run" / "northwind" / "models" / "marts"
    for path in run_dir.rglob("*.sql"):
        if path.stem in INCREMENTAL_FACTS:
            assert "delete from" in path.read_text().lower(), path
    with duckdb.connect(str(scenario.incremental.db), read_only=True) as conn:
        late_order = conn.execute("select order_date, item_count from marketing.orders where order_id = 150").fetchone()
        line_ids = {row[0] for row in conn.execute("select order_item_id from product.order_items").fetchall()}
        shipment = conn.execute(
            "select status, is_on_time, lead_time_hours from logistics.shipments where shipment_id = 5002"
        ).fetchone()
        late_customer = conn.execute(
            "select has_profile, region from marketing.customers where customer_id = 9"
        ).fetchone()
    assert str(late_order[0]) == "2026-01-02" and late_order[1] == 2  # late order joined its early lines
    assert 1015 in line_ids and 1005 in line_ids  # waiting line joined; corrected line came back
    assert 1002 not in line_ids  # re-delivered with a negative quantity: removed
    assert shipment == ("delivered", True, 23.0)
    assert late_customer == (True, "West")  # inferred member filled in by the late export


def test_daily_marts_rebuilt_only_the_days_the_second_load_touched(scenario: Scenario):
    """A late event moved session s5 to the day before: the tablet row of the day it left is gone (equal to the full
    build: test_incremental_build_equals_full_refresh). The rerun with no new bronze rebuilt no day at all."""
    with duckdb.connect(str(scenario.incremental.db), read_only=True) as conn:
        funnel = conn.execute(
            "select session_date, device_type, session_count from marketing.funnel_daily order by 1, 2"
        ).fetchall()
        days = conn.execute("select session_date from incremental_state.marketing__funnel_daily__days")
        rebuilt = {row[0] for row in days.fetchall()}
    tablet = {str(day): count for day, device, count in funnel if device == "tablet"}
    assert tablet == {"2026-01-08": 1}
    assert rebuilt == set()


def test_rerun_without_new_bronze_changes_nothing(scenario: Scenario):
    assert scenario.after_rerun == scenario.after_second


def test_gold_models_have_enforced_contracts(scenario: Scenario):
    manifest = scenario.incremental.manifest()
    gold = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["path"].startswith("marts/")
    ]
    assert len(gold) == GOLD_MARTS
    with duckdb.connect(str(scenario.incremental.db), read_only=True) as conn:
        for node in gold:
            config = node["config"]
            assert config["contract"]["enforced"] is True, node["name"]
            assert node["access"] == "public", node["name"]
            assert node["group"] in GOLD_SCHEMAS and node["schema"] == node["group"], node["name"]
            if config["materialized"] == "incremental":
                assert config["on_schema_change"] == "fail", node["name"]
            documented = node["columns"]
            assert all(column["description"] and column["data_type"] for column in documented.values())
            actual = [row[0] for row in conn.execute(f"describe {node['schema']}.{node['alias']}").fetchall()]
            assert actual == list(documented), node["name"]
    incremental = {node["name"] for node in gold if node["config"]["materialized"] == "incremental"}
    assert incremental == INCREMENTAL_FACTS | DAILY_MARTS
    assert set(manifest["groups"]) == {f"group.northwind.{name}" for name in GOLD_SCHEMAS}
    assert all(group["owner"].get("email") for group in manifest["groups"].values())


def test_published_copy_of_the_build_still_resolves_its_views(scenario: Scenario, tmp_path):
    """Publishing renames build/<run_id>.duckdb: views must not name the build file's catalog."""
    published = tmp_path / "current.duckdb"
    shutil.copyfile(scenario.incremental.db, published)
    with duckdb.connect(str(published), read_only=True) as conn:
        views = conn.execute("select schema_name, view_name from duckdb_views() where not internal").fetchall()
        assert len(views) >= 4  # the large staging models and shared intermediates are tables (ADR 0023)
        for schema, view in views:
            conn.execute(f'select count(*) from "{schema}"."{view}"').fetchone()


def test_every_mean_is_exact():
    """A bare avg() over doubles rounds differently from run to run when DuckDB aggregates in parallel; the models
    take means through the exact_avg macro (decimals, summed exactly), so the same data publishes the same marts."""
    import re

    models = sorted((PROJECT_DIR / "models").rglob("*.sql"))
    bare = [
        f"{path.relative_to(PROJECT_DIR)}: {line.strip()}"
        for path in models
        for line in path.read_text().splitlines()
        if re.search(r"(?<![\w.])(avg|mean|stddev\w*|var_\w+|variance)\s*\(", line, re.IGNORECASE)
        and not line.lstrip().startswith("--")
    ]
    assert models and not bare, bare


def test_a_profile_without_the_salt_plugin_stops_dbt(scenario: Scenario, tmp_path):
    """Without the plugin the salt variable is unset, and DuckDB would hash to null inside a view: on-run-start
    stops the run instead."""
    import subprocess

    from .conftest import DBT

    profiles = tmp_path / "profiles"
    profiles.mkdir()
    text = (PROJECT_DIR / "profiles.yml").read_text()
    assert "module: data_stack.transform.salt" in text
    (profiles / "profiles.yml").write_text(
        "\n".join(line for line in text.splitlines() if "module: data_stack.transform.salt" not in line)
    )
    env = scenario.incremental.env() | {"DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path)}
    result = subprocess.run(
        [
            DBT,
            "run",
            "--select",
            "stg_customers__customers",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(profiles),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "PII salt not set" in result.stdout + result.stderr


def test_the_forecast_tables_publish_their_contract(scenario: Scenario):
    with duckdb.connect(str(scenario.incremental.db), read_only=True) as conn:
        for table, expected in FORECAST_CONTRACT.items():
            assert [(row[0], row[1]) for row in conn.execute(f"describe {table}").fetchall()] == expected, table


def test_a_history_too_short_to_measure_shows_the_baseline_and_says_so(scenario: Scenario):
    """The fixture's orders span little more than a week: no model line and no backtest, so the baseline is shown
    (without intervals: fewer than two weeks) and the accuracy says it was not measured."""
    with duckdb.connect(str(scenario.incremental.db), read_only=True) as conn:
        days = conn.execute("select max(order_date) - min(order_date) + 1 from marketing.orders").fetchone()[0]
        lines = conn.execute(
            "select model, bool_and(is_shown), count(*), count(lower_80) from product.category_forecast_daily "
            "where category = 'All categories' and measure = 'revenue' group by model order by model"
        ).fetchall()
        measured = conn.execute(
            "select distinct fold_count, model_smape, beats_baseline, history_days "
            "from product.category_forecast_accuracy"
        ).fetchall()
    assert 7 <= days < 14, days
    assert lines == [("actual", True, days, 0), ("seasonal_naive", True, 28, 0)]
    assert measured == [(0, None, False, days)]


def test_the_delivery_rate_is_published_only_once_the_day_is_final(scenario: Scenario):
    """After the second load one shipment (5008, promised 13 Jan) is pending at the data's as-of instant: its row
    says it is not final and has no rate; every other row has none pending and carries its rate."""
    with duckdb.connect(str(scenario.incremental.db), read_only=True) as conn:
        rows = conn.execute(
            "select ship_date, carrier, destination_region, pending_count, is_final, on_time_rate, on_time_count, "
            "delivered_count + overdue_count from logistics.delivery_sla_daily order by all"
        ).fetchall()
        hourly = conn.execute(
            "select distinct ship_date, carrier, destination_region, is_final from logistics.lead_time_hourly"
        ).fetchall()
    pending = [row[:6] for row in rows if row[3]]
    assert pending == [(date(2026, 1, 10), "FedEx", "Southeast", 1, False, None)]
    final = [row for row in rows if not row[3]]
    assert final and all(row[4] is True for row in final)
    assert all(row[5] == pytest.approx(row[6] / row[7]) for row in final if row[7])
    finality = {row[:3]: row[4] for row in rows}
    assert hourly and all(finality[row[:3]] == row[3] for row in hourly)


def test_a_bad_row_arriving_in_an_incremental_run_fails_its_test(scenario: Scenario, tmp_path):
    """The gate on what changed still sees a defect that arrives later: a third load brings an event without a
    session into the incremental build, and the row-wise test that now judges only that load's rows fails."""
    from datetime import datetime

    from .bronze_fixture import EVENTS, _event, _table, _write
    from .conftest import Lane

    lane = Lane(tmp_path, "third", tmp_path / "lake")
    shutil.copytree(scenario.incremental.lake, lane.lake)
    shutil.copyfile(scenario.incremental.db, lane.db)
    bad = _event("e90", "page_view", "2026-01-11T08:00:00", None, device="desktop")
    lineage = ("clickstream/events_2026-01-11.jsonl", datetime(2026, 1, 12, 2, 0, 5), "run-3")
    _write(lane.lake, "clickstream", "events", "2026-01-12", "run-3-1.parquet", _table(EVENTS, [bad], lineage))

    build = lane.run("build", "--exclude-resource-type", "unit_test")
    failed = {uid for uid, status in build.statuses().items() if status in ("fail", "error")}
    assert failed == {next(uid for uid in build.statuses() if "not_null_stg_clickstream__events_session_id" in uid)}
    with duckdb.connect(str(lane.db), read_only=True) as conn:
        marked = conn.execute(
            "select count(*), count(*) filter (where session_id is null) from staging.stg_clickstream__events "
            "where _built_run_id = 'third-1'"
        ).fetchone()
    assert marked == (1, 1)  # the run wrote exactly that row
