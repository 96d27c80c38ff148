"""One small published warehouse per module (the real pipeline, ~40 s), and an in-process MCP client."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from mcp import Client

from data_stack.mcp import build_server
from data_stack.settings import Settings
from tests.e2e.conftest import Stack


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Stack:
    built = Stack(tmp_path_factory.mktemp("mcp"))
    built.generate()
    built.cli("run")
    return built


def settings_for(stack: Stack, **overrides: Any) -> Settings:
    return Settings(
        _env_file=None, data_dir=stack.root, lake_uri=None, landing_uri=None, warehouse_dir=None, **overrides
    )


class Session:
    """Calls tools through the SDK's client on an in-process server; `call` returns (is_error, text or JSON)."""

    def __init__(self, server) -> None:
        self.server = server

    def call(self, tool: str, **arguments: Any) -> tuple[bool, Any]:
        return asyncio.run(self._call(tool, arguments))

    def tools(self) -> dict[str, str]:
        async def listed():
            async with Client(self.server) as client:
                return {tool.name: tool.description or "" for tool in (await client.list_tools()).tools}

        return asyncio.run(listed())

    async def _call(self, tool: str, arguments: dict[str, Any]) -> tuple[bool, Any]:
        async with Client(self.server) as client:
            result = await client.call_tool(tool, arguments)
        (content,) = result.content
        return (True, content.text) if result.is_error else (False, json.loads(content.text))

    def ok(self, tool: str, **arguments: Any) -> Any:
        failed, value = self.call(tool, **arguments)
        assert not failed, value
        return value

    def refused(self, tool: str, **arguments: Any) -> str:
        failed, value = self.call(tool, **arguments)
        assert failed, f"{tool} {arguments} was not refused: {str(value)[:300]}"
        assert "\n" not in value, value  # one line for the client
        prefix = f"Error executing tool {tool}: "
        assert value.startswith(prefix), value
        return value.removeprefix(prefix)


@pytest.fixture(scope="package")
def session(stack: Stack) -> Session:
    return Session(build_server(settings_for(stack)))
