"""docs/stack.md's service table says what docker-compose.yml does: every service, its host ports, its memory limit;
the runbook has a section for every service."""

from __future__ import annotations

import re

from .stack_files import ROOT, memory_limit, parse_bytes, parse_port

STACK_DOC = ROOT / "docs" / "stack.md"
RUNBOOK = ROOT / "docs" / "runbooks" / "service-will-not-start.md"


def service_table() -> dict[str, tuple[set[int], int]]:
    """service -> (host ports, memory limit in bytes) from the doc's table."""
    rows = {}
    for line in STACK_DOC.read_text().splitlines():
        match = re.match(r"\| `([a-z0-9-]+)` \|.*\| ([^|]*) \| ([0-9.]+) (MB|GB) \|$", line)
        if match:
            ports = {int(port) for port in re.findall(r"\d+", match.group(2))}
            rows[match.group(1)] = (ports, parse_bytes(match.group(3) + match.group(4).lower()))
    return rows


def test_the_service_table_matches_compose(services):
    table = service_table()
    assert set(table) == set(services)
    for name, service in services.items():
        ports = {parse_port(spec).host_port for spec in service.get("ports") or []}
        assert table[name] == (ports, memory_limit(service)), name


def test_the_runbook_covers_every_service(services):
    sections = set(re.findall(r"^## ([a-z0-9-]+)", RUNBOOK.read_text(), re.MULTILINE))
    assert set(services) <= sections, sorted(set(services) - sections)
