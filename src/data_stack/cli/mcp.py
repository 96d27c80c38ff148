"""`data-stack mcp`: the MCP server over stdio (docs/agents.md)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp)


def mcp() -> None:
    """Serve the stack to an MCP client over stdin/stdout: runs, freshness, data products, lineage, read-only SQL."""
    from data_stack.mcp import serve_stdio

    serve_stdio()
