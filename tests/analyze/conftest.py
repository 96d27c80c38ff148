"""Analyze fixtures: landing files with statistics known in advance, and a published warehouse built by hand."""

from __future__ import annotations

import csv
import gzip
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import zstandard

from data_stack.settings import Settings

CLI = str(Path(sys.executable).parent / "data-stack")
LOCATIONS = ("DATA_DIR", "WAREHOUSE_DIR", "LANDING_URI", "LAKE_URI")
# The constructed file (`known_csv`): 20 rows whose statistics the tests compute by hand.
AMOUNTS = [5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 500]


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty DATA_DIR that every in-process Settings() and every CLI subprocess uses."""
    root = tmp_path / "data"
    (root / "landing").mkdir(parents=True)
    for name in LOCATIONS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(root))
    monkeypatch.chdir(tmp_path)  # relative sources resolve here; no .env is read
    return root


@pytest.fixture
def settings(data_dir) -> Settings:
    return Settings()


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """A CSV file, gzip- or zstd-compressed when its name ends in .gz or .zst."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    data = text.getvalue().encode()
    if path.suffix == ".gz":
        data = gzip.compress(data)
    elif path.suffix == ".zst":
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


@pytest.fixture
def known_csv(data_dir) -> Path:
    """id and code unique; amount with one outlier (500); status b×7, a×6, c×6 and one null; note null every 4th
    row; day a date with one impossible value; code zero-padded digits, which must stay text."""
    rows = []
    for i in range(1, 21):
        status = "" if i == 20 else "abc"[i % 3]
        note = "" if i % 4 == 0 else f"note {i}"
        day = "2026-02-30" if i == 20 else f"2026-01-{i:02d}"
        rows.append([i, AMOUNTS[i - 1], status, note, day, f"{i:03d}"])
    return write_csv(
        data_dir / "landing" / "shop" / "sales_2026-01-01.csv", ["id", "amount", "status", "note", "day", "code"], rows
    )


def build_warehouse(data_dir: Path) -> Path:
    """A published warehouse as `data-stack publish` leaves it: current.duckdb with a table in `marketing`."""
    path = data_dir / "warehouse" / "current.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marketing")
        conn.execute(
            """
            create table marketing.orders as
            select
                i::bigint as order_id,
                ['web', 'mobile', 'marketplace'][1 + i % 3] as channel,
                (10 + i % 7)::decimal(18, 2) as order_total,
                timestamp '2026-01-01 08:00:00' + to_hours(i * 5) as ordered_at,
                i % 5 = 0 as is_revenue_order
            from range(1, 121) as r(i)
            """
        )
        conn.execute("create schema logistics")
        conn.execute("create table logistics.orders as select 1 as order_id")  # the same name in another schema
        conn.execute("create table logistics.shipments as select 1 as shipment_id")
    return path


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in LOCATIONS[1:]}
    return subprocess.run([CLI, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
