"""prom/statsd-exporter's mapping rules, read the way its mapper reads them (pkg/mapper in statsd_exporter): the same
keys, name and label checks, glob matching where `*` is one dot-separated part and the first matching rule wins,
regex rules tried after every glob rule, `drop` actions. Debian has no statsd-exporter to run, so the tests check the
mapping against this model and against the statsd lines Airflow really sends."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The exporter's own patterns (pkg/mapper/mapper.go).
_STATSD_NAME = r"[a-zA-Z_](-?[a-zA-Z0-9_])*"
_TEMPLATE = r"(\$\{?\d+\}?)"
METRIC_LINE = re.compile(rf"^(\*\.|{_STATSD_NAME}\.)+(\*|{_STATSD_NAME})$")
METRIC_NAME = re.compile(rf"^([a-zA-Z_]|{_TEMPLATE})([a-zA-Z0-9_]|{_TEMPLATE})*$")
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]+$")

DEFAULTS_KEYS = {
    "observer_type", "timer_type", "buckets", "quantiles", "match_type", "glob_disable_ordering", "ttl",
    "summary_options", "histogram_options",
}  # fmt: skip
MAPPING_KEYS = {
    "match", "name", "labels", "observer_type", "timer_type", "buckets", "quantiles", "match_type", "help", "action",
    "match_metric_type", "ttl", "summary_options", "histogram_options", "scale",
}  # fmt: skip
OBSERVER_TYPES = {"", "histogram", "summary"}
MATCH_TYPES = {"", "glob", "regex"}
ACTIONS = {"", "map", "drop"}
METRIC_TYPES = {"", "counter", "gauge", "observer"}
# statsd line type -> the mapper's metric type
STATSD_TYPES = {"c": "counter", "g": "gauge", "ms": "observer", "h": "observer", "d": "observer"}


class MappingError(ValueError):
    """The exporter would refuse to start with this mapping file."""


@dataclass
class Rule:
    match: str
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    match_type: str = "glob"
    action: str = "map"
    metric_type: str = ""
    observer_type: str = ""

    def capture(self, metric: str) -> list[str] | None:
        if self.match_type == "regex":
            found = re.search(self.match, metric)
            return None if found is None else [found.group(0), *found.groups(default="")]
        pattern, parts = self.match.split("."), metric.split(".")
        if len(pattern) != len(parts):
            return None
        captures = []
        for want, part in zip(pattern, parts, strict=True):
            if want == "*":
                if not part:
                    return None
                captures.append(part)
            elif want != part:
                return None
        return [metric, *captures]


@dataclass(frozen=True)
class Mapped:
    name: str
    labels: dict[str, str]
    metric_type: str
    observer_type: str
    rule: str | None  # the `match` of the rule that mapped it; None: no rule matched, exported as escaped


def _expand(template: str, captures: list[str]) -> str:
    """$1 / ${1} in a name or label value -> the first capture ($0 is the whole metric)."""

    def capture(match: re.Match) -> str:
        index = int(match.group(1))
        return captures[index] if index < len(captures) else ""

    return re.sub(r"\$\{?(\d+)\}?", capture, template)


class Mapper:
    def __init__(self, rules: list[Rule], default_observer: str) -> None:
        self.rules = rules
        self.default_observer = default_observer

    @classmethod
    def load(cls, path: Path) -> Mapper:
        return cls.parse(yaml.safe_load(path.read_text()))

    @classmethod
    def parse(cls, document: Any) -> Mapper:
        if not isinstance(document, dict) or set(document) - {"defaults", "mappings"}:
            raise MappingError(f"top-level keys must be defaults and mappings, got {sorted(document or {})}")
        defaults = document.get("defaults") or {}
        if unknown := set(defaults) - DEFAULTS_KEYS:
            raise MappingError(f"unknown keys in defaults: {sorted(unknown)}")
        default_match = defaults.get("match_type") or "glob"
        default_observer = defaults.get("observer_type") or defaults.get("timer_type") or ""
        for key, allowed, value in (
            ("match_type", MATCH_TYPES, default_match),
            ("observer_type", OBSERVER_TYPES, default_observer),
        ):
            if value not in allowed:
                raise MappingError(f"defaults.{key}: {value!r} is not one of {sorted(allowed)}")
        rules = []
        for index, item in enumerate(document.get("mappings") or []):
            rules.append(_rule(index, item, default_match, default_observer))
        return cls(rules, default_observer)

    def map(self, metric: str, metric_type: str) -> Mapped | None:
        """What the exporter makes of one statsd metric: a Prometheus metric, or None when a rule drops it. An
        unmatched metric would be exported under its escaped name: the mapping here ends in a catch-all drop."""
        ordered = [rule for rule in self.rules if rule.match_type == "glob"] + [
            rule for rule in self.rules if rule.match_type == "regex"
        ]
        for rule in ordered:
            if rule.metric_type and rule.metric_type != metric_type:
                continue
            captures = rule.capture(metric)
            if captures is None:
                continue
            if rule.action == "drop":
                return None
            labels = {key: _expand(value, captures) for key, value in rule.labels.items()}
            observer = rule.observer_type or self.default_observer
            return Mapped(_expand(rule.name, captures), labels, metric_type, observer, rule.match)
        escaped = re.sub(r"[^a-zA-Z0-9_]", "_", metric)
        return Mapped(escaped, {}, metric_type, self.default_observer, None)


def _rule(index: int, item: Any, default_match: str, default_observer: str) -> Rule:
    where = f"mappings[{index}]"
    if not isinstance(item, dict):
        raise MappingError(f"{where}: not a mapping")
    if unknown := set(item) - MAPPING_KEYS:
        raise MappingError(f"{where}: unknown keys {sorted(unknown)}")
    match, name = str(item.get("match", "")), str(item.get("name", ""))
    if not name:
        raise MappingError(f"{where}: metric mapping didn't set a metric name")
    if not METRIC_NAME.match(name):
        raise MappingError(f"{where}: metric name {name!r} is not a valid Prometheus name")
    labels = {str(key): str(value) for key, value in (item.get("labels") or {}).items()}
    for key in labels:
        if not LABEL_NAME.match(key):
            raise MappingError(f"{where}: invalid label key {key!r}")
    match_type = item.get("match_type") or default_match
    action = item.get("action") or "map"
    metric_type = item.get("match_metric_type") or ""
    observer = item.get("observer_type") or item.get("timer_type") or default_observer
    for key, allowed, value in (
        ("match_type", MATCH_TYPES, match_type),
        ("action", ACTIONS, action),
        ("match_metric_type", METRIC_TYPES, metric_type),
        ("observer_type", OBSERVER_TYPES, observer),
    ):
        if value not in allowed:
            raise MappingError(f"{where}.{key}: {value!r} is not one of {sorted(allowed - {''})}")
    if match_type == "glob" and not METRIC_LINE.match(match):
        raise MappingError(f"{where}: invalid match {match!r}")
    if match_type == "regex":
        try:
            re.compile(match)
        except re.error as exc:
            raise MappingError(f"{where}: invalid regex {match!r}: {exc}") from exc
    if observer == "histogram" and "summary_options" in item:
        raise MappingError(f"{where}: cannot use histogram observer and summary options at the same time")
    if observer == "summary" and "histogram_options" in item:
        raise MappingError(f"{where}: cannot use summary observer and histogram options at the same time")
    return Rule(match, name, labels, match_type, action, metric_type, observer)


def parse_line(line: str) -> tuple[str, str]:
    """`airflow.ti.finish.dag.task.success:1|c` -> (metric name, mapper metric type)."""
    name, _, rest = line.strip().partition(":")
    kind = rest.split("|")[1] if "|" in rest else ""
    if kind not in STATSD_TYPES:
        raise ValueError(f"not a statsd line: {line!r}")
    return name, STATSD_TYPES[kind]


def exposed_names(mapped: Mapped) -> set[str]:
    """The series names a mapped metric shows in /metrics: a histogram or summary adds _sum and _count (and
    _bucket), like client_golang does."""
    if mapped.metric_type != "observer":
        return {mapped.name}
    suffixes = ("_bucket", "_sum", "_count") if mapped.observer_type == "histogram" else ("", "_sum", "_count")
    return {mapped.name + suffix for suffix in suffixes}
