"""The sidebar filters, turned into SQL predicates with bound parameters (filters run in the database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period of the same length just before this one, with the same regions and categories."""
        end = self.start - timedelta(days=1)
        return Filters(end - timedelta(days=self.days - 1), end, self.regions, self.categories)


@dataclass(frozen=True)
class Query:
    """One SQL statement with `?` placeholders; `params` in order."""

    sql: str
    params: tuple = ()


def between(column: str, start: date, end: date) -> tuple[str, list]:
    return f"{column} between ? and ?", [start, end]


def one_of(column: str, values: tuple[str, ...]) -> tuple[str, list]:
    """`column in (?, ...)`; an empty selection means no restriction."""
    if not values:
        return "true", []
    return f"{column} in ({', '.join('?' for _ in values)})", list(values)


def where(*predicates: tuple[str, list]) -> tuple[str, list]:
    """AND the predicates: returns (`where ...`, params)."""
    clauses = [sql for sql, _ in predicates if sql != "true"]
    params = [value for _, values in predicates for value in values]
    return ("where " + " and ".join(f"({sql})" for sql in clauses)) if clauses else "", params
