"""What the MCP server refuses, and the limits on what it returns."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import duckdb
import pytest
from mcp import Client, StdioServerParameters

from data_stack.mcp import build_server, query
from data_stack.pipeline.lock import run_lock

from .conftest import Session, settings_for

CLI = str(Path(sys.executable).parent / "data-stack")


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("insert into marketing.orders select * from marketing.orders", "INSERT is not allowed"),
        ("update marketing.customers set city = 'x'", "UPDATE is not allowed"),
        ("delete from marketing.orders", "DELETE is not allowed"),
        ("create table marketing.x as select 1", "CREATE is not allowed"),
        ("drop table marketing.orders", "DROP is not allowed"),
        ("copy marketing.customers to '/tmp/customers.csv'", "COPY is not allowed"),
        ("attach '/tmp/other.duckdb' as other", "ATTACH is not allowed"),
        ("install httpfs", "INSTALL is not allowed"),
        ("load httpfs", "LOAD is not allowed"),
        ("pragma database_list", "PRAGMA is not allowed"),
        ("set threads = 64", "SET is not allowed"),
        ("export database '/tmp/dump'", "EXPORT is not allowed"),
        ("call pragma_version()", "CALL is not allowed"),
        ("select 1; select 2", "The text holds 2 statements"),
        ("select 1; delete from marketing.orders", "DELETE is not allowed"),
        ("select * from read_csv('/etc/passwd')", "read_csv() is not allowed"),
        ("select * from read_parquet('lake/bronze/**/*.parquet')", "read_parquet() is not allowed"),
        ("select * from read_json('x.json')", "read_json() is not allowed"),
        ("select content from read_text('/etc/hostname')", "read_text() is not allowed"),
        ("select * from read_blob('/etc/hostname')", "read_blob() is not allowed"),
        ("select * from glob('/**')", "glob() is not allowed"),
        ("select * from marketing.orders where exists (select * from glob('/*'))", "glob() is not allowed"),
        ("select * from '/etc/passwd'", "'/etc/passwd' names a file"),
        ("select * from 'bronze.parquet'", "'bronze.parquet' names a file"),
        ("select * from duckdb_settings()", "duckdb_settings() is not allowed"),
        ("select count(*) from staging.stg_catalog__products", "reads files outside the warehouse"),
        ("selec 1", "The query does not parse"),
        ("", "The query is empty"),
    ],
)
def test_refused(session, sql, message):
    assert message in session.refused("query_warehouse", sql=sql)


def test_the_connection_is_a_second_wall(stack):
    """What the parser might miss, the connection refuses: no files, no attach, no settings, no writes."""
    with query._connect(stack.current) as conn:
        for sql in (
            "select * from read_csv('/etc/passwd')",
            "attach '/tmp/mcp-other.duckdb' as other",
            "set enable_external_access = true",
            "create table marketing.x as select 1",
        ):
            with pytest.raises(duckdb.Error):
                conn.execute(sql)


def test_row_limit(session):
    default = session.ok("query_warehouse", sql="select range as n from range(5000)")
    assert default["row_count"] == 200 and default["truncated"] == "row limit"
    assert default["rows"][-1] == [199]
    most = session.ok("query_warehouse", sql="select range as n from range(5000)", limit=1000)
    assert most["row_count"] == 1000
    assert "limit must be between 1 and 1000" in session.refused("query_warehouse", sql="select 1", limit=1001)
    exact = session.ok("query_warehouse", sql="select range as n from range(7)", limit=7)
    assert exact["row_count"] == 7 and exact["truncated"] is None


def test_output_size_cap(session):
    huge = session.ok("query_warehouse", sql="select repeat('x', 5000) as s from range(1000)", limit=1000)
    assert huge["truncated"] == "output size"
    assert 0 < huge["row_count"] < 30
    assert sum(len(row[0]) for row in huge["rows"]) <= query.OUTPUT_CHARS_MAX
    assert "larger than the 100,000-character output cap" in session.refused(
        "query_warehouse", sql="select repeat('x', 200000) as s"
    )


def test_slow_query_is_stopped(session, monkeypatch):
    monkeypatch.setattr(query, "TIME_LIMIT_SECONDS", 0.5)
    sql = "select count(*) from range(100000000) a, range(100000) b where a.range * b.range = -1"
    message = session.refused("query_warehouse", sql=sql)
    assert message == (
        "The query ran longer than 0.5 s and was stopped. Filter or aggregate more, or query a smaller table."
    )


def test_trigger_is_off_by_default(session):
    assert session.refused("trigger_run").startswith("Starting runs from an MCP client is off. Set MCP_ALLOW_TRIGGER")


def test_trigger_refused_while_locked_then_rate_limited(stack):
    fake_run = [sys.executable, "-c", "import sys; print('started', *sys.argv[1:])"]
    settings = settings_for(stack, mcp_allow_trigger=True, mcp_trigger_interval_seconds=600)
    enabled = Session(build_server(settings, trigger_command=fake_run))
    with run_lock(settings.lock_file):
        message = enabled.refused("trigger_run")
    assert message.startswith("Another pipeline run holds the lock (pid ")
    started = enabled.ok("trigger_run")
    assert started["started"] is True and started["run_id"]
    log = Path(started["log"])
    for _ in range(100):
        if log.exists() and "started" in log.read_text():
            break
        asyncio.run(asyncio.sleep(0.05))
    assert log.read_text().split() == ["started", "--run-id", started["run_id"]]
    assert "at most one per 600 s" in enabled.refused("trigger_run")


def test_stdio_server_subprocess(stack):
    """`data-stack mcp` as an MCP client starts it: list the data products, query a mart, be refused a write."""

    async def talk():
        params = StdioServerParameters(command=CLI, args=["mcp"], env=stack.env, cwd=str(stack.root))
        async with Client(params) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            products = await client.call_tool("list_data_products", {})
            counted = await client.call_tool("query_warehouse", {"sql": "select count(*) as n from marketing.orders"})
            write = await client.call_tool("query_warehouse", {"sql": "delete from marketing.orders"})
            return names, products, counted, write

    names, products, counted, write = asyncio.run(talk())
    assert "query_warehouse" in names
    assert not products.is_error and "marketing.orders" in products.content[0].text
    assert not counted.is_error and '"n"' in counted.content[0].text
    assert write.is_error and "DELETE is not allowed" in write.content[0].text
    with duckdb.connect(str(stack.current), read_only=True) as conn:
        assert conn.execute("select count(*) from marketing.orders").fetchone()[0] > 0
