"""A landing stream as the tap's `streams` setting declares it, and SQL spelling shared by the read paths."""

from __future__ import annotations

from dataclasses import dataclass, field

from tap_landing.checks import Rules


@dataclass
class StreamSpec:
    name: str
    pattern: str
    format: str  # csv | jsonl | json
    columns: dict[str, str]
    required: list[str] = field(default_factory=list)
    accepted: dict[str, list[str]] = field(default_factory=dict)
    ranges: dict[str, list[float]] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None

    @property
    def rules(self) -> Rules:
        return Rules(self.required, self.accepted, self.ranges, self.patterns)


def q(name: str) -> str:
    """A column name (from the contract or a file's header) as a SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def one_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__
