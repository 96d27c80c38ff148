"""The stack for MCP clients (agents, IDE assistants): ledger, freshness, data products, lineage, quarantine,
read-only SQL over the published warehouse, and starting a run — each behind its guard rails (docs/agents.md)."""

from __future__ import annotations

from data_stack.mcp.server import build_server, serve_stdio

__all__ = ["build_server", "serve_stdio"]
