"""Small generated landing zones shared by the generator tests, and the contract read from docs/sources.md."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from data_stack.generate import GenerateReport, generate

ROOT = Path(__file__).resolve().parents[2]
START = date(2026, 1, 1)
SMALL = {"scale": 0.02, "days": 10, "start_date": START}
DEFECT_RATE = 0.05


@dataclass(frozen=True)
class Contract:
    stream: str  # <source>__<stream>
    path: str  # landing path pattern from docs/sources.md, e.g. orders/orders_YYYY-MM-DD.csv
    columns: list[str]
    required: list[str]

    @property
    def glob(self) -> str:
        return self.path.replace("YYYY-MM-DD", "*").replace("HH", "*")

    @property
    def regex(self) -> re.Pattern[str]:
        pattern = re.escape(self.path).replace("YYYY\\-MM\\-DD", r"\d{4}-\d{2}-\d{2}").replace("HH", r"\d{2}")
        return re.compile(pattern + "$")


def read_contract() -> dict[str, Contract]:
    """The streams of docs/sources.md: landing path from its table, columns from its `### source/stream` sections."""
    text = (ROOT / "docs" / "sources.md").read_text()
    paths = dict(re.findall(r"^\| `(\w+/\w+)` \| `([^`]+)`", text, flags=re.MULTILINE))
    contracts = {}
    for heading, body in re.findall(r"^### (\w+/\w+)[^\n]*\n(.*?)(?=^#|\Z)", text, flags=re.MULTILINE | re.DOTALL):
        specs = re.findall(r"`(\w+)(\*?) [A-Z][^`]*`", body)
        contracts[heading.replace("/", "__")] = Contract(
            stream=heading.replace("/", "__"),
            path=paths[heading],
            columns=[name for name, _ in specs],
            required=[name for name, star in specs if star],
        )
    return contracts


@dataclass(frozen=True)
class Landing:
    root: Path
    report: GenerateReport

    def csv(self, pattern: str) -> str:
        """SQL reading CSV files as text (null for empty fields), one row per line, with the file name."""
        return (
            f"read_csv('{self.root}/{pattern}', header = true, all_varchar = true, union_by_name = true, "
            "filename = true)"
        )

    def jsonl(self, pattern: str = "clickstream/*/*.jsonl") -> str:
        """SQL reading events with the contract's types, timestamps as text."""
        return (
            f"read_json('{self.root}/{pattern}', format = 'newline_delimited', filename = true, columns = {{"
            "event_id: 'VARCHAR', event_type: 'VARCHAR', event_ts: 'VARCHAR', session_id: 'VARCHAR', "
            "customer_id: 'BIGINT', product_id: 'BIGINT', order_id: 'BIGINT', context: 'STRUCT(page STRUCT(url "
            "VARCHAR, referrer VARCHAR), device STRUCT(type VARCHAR, os VARCHAR, browser VARCHAR))'})"
        )

    def catalog(self) -> str:
        """SQL reading the catalog snapshots with the contract's types, timestamps as text."""
        return (
            f"read_json('{self.root}/catalog/*.json', format = 'array', filename = true, columns = {{"
            "product_id: 'BIGINT', sku: 'VARCHAR', product_name: 'VARCHAR', category: 'VARCHAR', "
            "subcategory: 'VARCHAR', unit_cost: 'DECIMAL(10,2)', list_price: 'DECIMAL(10,2)', supplier: 'VARCHAR', "
            "is_active: 'BOOLEAN', updated_at: 'VARCHAR', "
            "attributes: 'STRUCT(color VARCHAR, weight_kg DOUBLE, tags VARCHAR[])'})"
        )

    def one(self, sql: str) -> object:
        with duckdb.connect() as conn:
            return conn.execute(sql).fetchone()[0]

    def values(self, sql: str) -> set:
        with duckdb.connect() as conn:
            return {row[0] for row in conn.execute(sql).fetchall()}

    def digest(self) -> dict[str, str]:
        return {
            str(path.relative_to(self.root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.root.rglob("*"))
            if path.is_file()
        }


@pytest.fixture(scope="session")
def contract() -> dict[str, Contract]:
    return read_contract()


@pytest.fixture(scope="session")
def defective(tmp_path_factory) -> Landing:
    root = tmp_path_factory.mktemp("defective")
    return Landing(root, generate(root, defect_rate=DEFECT_RATE, **SMALL))


@pytest.fixture(scope="session")
def clean(tmp_path_factory) -> Landing:
    root = tmp_path_factory.mktemp("clean")
    return Landing(root, generate(root, defect_rate=0.0, **SMALL))


@pytest.fixture(scope="session")
def next_drop(tmp_path_factory) -> Landing:
    """The nightly drop after `clean`: the next day only."""
    root = tmp_path_factory.mktemp("next")
    next_day = date.fromordinal(START.toordinal() + SMALL["days"])
    return Landing(root, generate(root, defect_rate=0.0, scale=SMALL["scale"], start_date=next_day, days=1))
