"""Every tool of `data-stack mcp` through the SDK's client, against a warehouse the real pipeline published."""

from __future__ import annotations

import duckdb

from data_stack.ledger import Ledger

TOOLS = {
    "list_runs", "run_detail", "data_product_freshness", "list_data_products", "model_lineage",
    "quarantine_summary", "query_warehouse", "trigger_run",
}  # fmt: skip


def test_the_tools_are_listed_with_descriptions(session):
    tools = session.tools()
    assert set(tools) == TOOLS
    assert all(len(description) > 40 for description in tools.values())


def test_list_runs_and_run_detail(session, stack):
    (run,) = session.ok("list_runs")["runs"]
    assert run["status"] == "success" and run["published"] is True and run["gate_passed"] is True
    assert set(run["stage_seconds"]) == {"ingest", "transform", "check", "publish"}
    assert "files" not in run
    detail = session.ok("run_detail", run_id=run["run_id"])
    assert detail["files_total"] == len(stack.runs()[0]["files"]) > 0
    assert detail["dbt_tests"]["failed"] == 0
    assert detail["quarantine_reasons"], "the generated data has defects"
    assert session.refused("run_detail", run_id="nope") == "No run 'nope' in the ledger. list_runs shows the run ids."
    assert "between 1 and 100" in session.refused("list_runs", limit=0)


def test_freshness_of_every_data_product(session, stack):
    freshness = session.ok("data_product_freshness")
    assert freshness["published_run"] == stack.runs()[0]["run_id"]
    products = {item["product"]: item for item in freshness["products"]}
    with duckdb.connect(str(stack.current), read_only=True) as conn:
        assert (
            products["marketing.orders"]["rows"] == conn.execute("select count(*) from marketing.orders").fetchone()[0]
        )
        newest = conn.execute("select max(order_date) from marketing.revenue_daily").fetchone()[0]
    assert products["marketing.revenue_daily"]["newest_record_at"].startswith(newest.isoformat())
    assert all(0 <= item["hours_since_refresh"] < 1 for item in products.values())


def test_data_products_from_the_manifest(session):
    products = {item["name"]: item for item in session.ok("list_data_products")["data_products"]}
    assert {"marketing.orders", "marketing.customers", "product.products", "logistics.delivery_sla_daily"} <= set(
        products
    )
    assert not any(name.split(".")[1].startswith(("stg_", "int_")) for name in products)
    orders = products["marketing.orders"]
    assert orders["group"] == "marketing" and orders["access"] == "public"
    assert orders["owner"]["email"] == "marketing-data@northwind.example"
    columns = {column["name"]: column for column in orders["columns"]}
    assert columns["order_id"]["data_type"] and columns["order_id"]["description"]
    assert all(column["data_type"] and column["description"] for column in orders["columns"])
    kinds = {(test["column"], test["kind"]) for test in orders["tests"]}
    assert {("order_id", "unique"), ("order_id", "not_null")} <= kinds


def test_lineage_of_a_model(session):
    lineage = session.ok("model_lineage", model="orders")
    assert lineage["model"] == "marketing.orders"
    assert "stg_orders__orders" in lineage["parents"]
    assert "marketing.revenue_daily" in lineage["children"]
    assert any(item.startswith("source:orders.") for item in lineage["upstream"])
    assert session.ok("model_lineage", model="marketing.orders") == lineage
    assert "No model or source named 'ordrs'" in session.refused("model_lineage", model="ordrs")


def test_quarantine_summary(session, stack):
    summary = session.ok("quarantine_summary")
    run = stack.runs()[0]
    assert summary["run_id"] == run["run_id"]
    assert summary["quarantined_total"] == sum(counts["quarantined"] for counts in run["streams"].values()) > 0
    reasons = Ledger(stack.root / "warehouse" / "ledger.sqlite").quarantine_reasons(run["run_id"])
    assert [(item["stream"], item["reason"], item["rows"]) for item in summary["reasons"]] == reasons
    assert summary["location"].endswith("/lake/quarantine")


def test_query_a_mart(session, stack):
    sql = "select region, sum(revenue) as revenue from marketing.revenue_daily group by region order by region"
    result = session.ok("query_warehouse", sql=sql)
    with duckdb.connect(str(stack.current), read_only=True) as conn:
        expected = conn.execute(sql).fetchall()
    assert [column["name"] for column in result["columns"]] == ["region", "revenue"]
    assert [tuple(row) for row in result["rows"]] == [(region, float(revenue)) for region, revenue in expected]
    assert result["truncated"] is None and result["row_count"] == len(expected)
    with_cte = session.ok("query_warehouse", sql="with o as (select * from marketing.orders) select count(*) from o")
    assert with_cte["rows"][0][0] > 0
