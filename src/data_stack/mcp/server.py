"""`data-stack mcp`: the stack's MCP server (docs/agents.md). Wiring only: each tool calls `stack`, `catalog` or
`query`, and an error the user can act on reaches the client as its one line ("reason. what to do.")."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from data_stack.errors import UserError
from data_stack.mcp import catalog, query, stack
from data_stack.settings import Settings, get_settings

INSTRUCTIONS = """\
Northwind Trading's data stack: a pipeline (ingest -> transform -> check -> publish) that publishes gold data
products into a DuckDB warehouse. Start with list_data_products (tables, owners, columns), then query_warehouse with
one read-only SELECT (schema-qualified names such as marketing.orders; at most 1000 rows). list_runs and run_detail
read the run ledger; data_product_freshness says how old each product is; quarantine_summary explains rejected rows.
"""

_F = TypeVar("_F", bound=Callable[..., Any])


def _one_line_errors(func: _F) -> _F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            raise ToolError(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def build_server(settings: Settings | None = None, *, trigger_command: list[str] | None = None) -> MCPServer:
    """The server with its tools; `trigger_command` replaces `data-stack run --json` (tests)."""
    settings = settings or get_settings()
    trigger = stack.Trigger(settings, trigger_command)
    server = MCPServer("data-stack", instructions=INSTRUCTIONS, log_level="WARNING")

    def tool(func: _F) -> _F:
        server.tool()(_one_line_errors(func))
        return func

    @tool
    def list_runs(limit: int = 10) -> dict[str, Any]:
        """Recent pipeline runs from the run ledger, newest first: status, seconds per stage, rows per stream
        (landed/loaded/quarantined), dbt test and Great Expectations results, whether it published, its error."""
        return {"runs": stack.runs(settings, limit)}

    @tool
    def run_detail(run_id: str) -> dict[str, Any]:
        """One run in full: everything list_runs shows plus its landing files (first 50) and quarantine reasons."""
        return stack.run_detail(settings, run_id)

    @tool
    def data_product_freshness() -> dict[str, Any]:
        """Each published gold data product: rows, newest business date/time, when new data last reached it and
        how many hours ago, plus when the warehouse was published and by which run."""
        return stack.freshness(settings)

    @tool
    def list_data_products() -> dict[str, Any]:
        """The gold data products (dbt models with enforced contracts): table name to query, description, owner
        group and contact, access, contract columns with types and descriptions, and the tests on them."""
        return {"data_products": catalog.data_products(catalog.load_manifest(settings))}

    @tool
    def model_lineage(model: str) -> dict[str, Any]:
        """Parents and children of a dbt model or source (e.g. `orders`, `marketing.orders`, `stg_orders__orders`),
        and everything up- and downstream of it."""
        return catalog.lineage(catalog.load_manifest(settings), model)

    @tool
    def quarantine_summary(run_id: str | None = None) -> dict[str, Any]:
        """Rows a run quarantined (default: the newest run that ingested), per stream with its rate, and the
        reasons with row counts; where the quarantined rows are kept."""
        return stack.quarantine(settings, run_id)

    @tool
    def query_warehouse(sql: str, limit: int = query.ROW_LIMIT) -> dict[str, Any]:
        """Run one read-only SELECT (or WITH ... SELECT) on the published warehouse, e.g.
        `select order_date, sum(revenue) from marketing.revenue_daily group by all order by 1 desc`.
        Returns columns (name, type) and rows: at most `limit` rows (default 200, max 1000), at most 100,000
        characters, at most 10 seconds. Writes, several statements, settings and file or extension functions
        (read_csv, read_parquet, glob, COPY, ATTACH, INSTALL, PRAGMA, SET, ...) are refused."""
        result = query.run_query(settings.published_db, sql, limit=limit, time_limit=query.TIME_LIMIT_SECONDS)
        return result.to_json()

    @tool
    def trigger_run(full_refresh: bool = False) -> dict[str, Any]:
        """Start a pipeline run in the background (ingest -> transform -> check -> publish) and return its run id.
        Off unless the server runs with MCP_ALLOW_TRIGGER=true; refused while a run holds the lock; at most one
        per MCP_TRIGGER_INTERVAL_SECONDS (default 300)."""
        return trigger.start(full_refresh)

    return server


def serve_stdio(settings: Settings | None = None) -> None:
    build_server(settings).run("stdio")
