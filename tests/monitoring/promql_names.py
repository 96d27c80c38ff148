"""The series a PromQL expression reads, found by parsing it (promql-parser), with Grafana's variables put in first."""

from __future__ import annotations

import re
from dataclasses import dataclass

import promql_parser

# Grafana's built-in interval variables, as a duration PromQL accepts. Dashboard variables ($dag_id) appear only
# inside label matcher strings, where the parser takes them as text.
GRAFANA_INTERVALS = {"__rate_interval": "2m", "__interval": "1m", "__range": "7d"}
_GRAFANA_VARIABLE = re.compile(r"\$\{?(__rate_interval|__interval|__range)\}?")
_LABEL_VALUES = re.compile(r"^label_values\((?:(?P<metric>.+),\s*)?(?P<label>\w+)\)$")


@dataclass(frozen=True)
class Selector:
    name: str | None
    matchers: tuple[tuple[str, str, str], ...]  # (label, op, value); op is one of = != =~ !~


@dataclass(frozen=True)
class Grouping:
    labels: tuple[str, ...]
    selectors: tuple[Selector, ...]  # the selectors it aggregates over


_OPS = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}


def grafana_to_promql(expr: str) -> str:
    return _GRAFANA_VARIABLE.sub(lambda match: GRAFANA_INTERVALS[match.group(1)], expr)


def parse(expr: str) -> promql_parser.Expr:
    """Raises ValueError when the expression is not valid PromQL."""
    return promql_parser.parse(grafana_to_promql(expr))


def _selector(node: promql_parser.VectorSelector) -> Selector:
    matchers = tuple(
        (matcher.name, _OPS[str(matcher.op).rsplit(".", 1)[-1]], matcher.value) for matcher in node.matchers.matchers
    )
    name = node.name or next((value for label, op, value in matchers if label == "__name__" and op == "="), None)
    return Selector(name, tuple(matcher for matcher in matchers if matcher[0] != "__name__"))


def selectors(expr: str) -> list[Selector]:
    return list(_selectors_below(parse(expr)))


def _selectors_below(node: object) -> tuple[Selector, ...]:
    found: list[Selector] = []

    def visit(inner: object) -> None:
        if isinstance(inner, promql_parser.VectorSelector):
            found.append(_selector(inner))

    promql_parser.walk(node, visit)
    return tuple(found)


def groupings(expr: str) -> list[Grouping]:
    """Every `by (...)` of an aggregation, with the selectors under it."""
    found: list[Grouping] = []

    def visit(node: object) -> None:
        modifier = getattr(node, "modifier", None)
        if isinstance(node, promql_parser.AggregateExpr) and modifier is not None and "By" in str(modifier.type):
            found.append(Grouping(tuple(modifier.labels), _selectors_below(node.expr)))

    promql_parser.walk(parse(expr), visit)
    return found


def label_values_query(query: str) -> tuple[str | None, str]:
    """Grafana's `label_values(metric, label)` variable query -> (metric expression or None, label)."""
    match = _LABEL_VALUES.match(query.strip())
    if match is None:
        raise ValueError(f"not a label_values() query: {query!r}")
    return match.group("metric"), match.group("label")
