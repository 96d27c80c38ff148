"""The file accounting lists landing entries that are not read as `refused`, with why, without opening them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from data_stack.ingest.files import account_files, check_balance
from data_stack.settings import Settings


@pytest.mark.timeout(60)
def test_links_and_pipes_are_refused_with_a_reason(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data")
    landing, private = Path(settings.landing), tmp_path / "private"
    (landing / "orders").mkdir(parents=True)
    (landing / "orders/orders_2026-01-01.csv").write_text("order_id\n")
    private.mkdir()
    (private / "passwd").write_text("root:x:0:0\n")
    (landing / "orders/orders_2026-01-02.csv").symlink_to(private / "passwd")
    (landing / "orders/orders_2026-01-03.csv").symlink_to(landing / "orders/orders_2026-01-01.csv")
    os.mkfifo(landing / "orders/orders_2026-01-04.csv")
    (landing / "linked").symlink_to(private, target_is_directory=True)

    records = {record.path: record for record in account_files(settings, "run-1")}

    assert {path: record.status for path, record in records.items()} == {
        "orders/orders_2026-01-01.csv": "waiting",  # not ingested in this run: the tap reads it when it has settled
        "orders/orders_2026-01-02.csv": "refused",
        "orders/orders_2026-01-03.csv": "refused",
        "orders/orders_2026-01-04.csv": "refused",
        "linked": "refused",
    }
    link_out = records["orders/orders_2026-01-02.csv"]
    assert link_out.stream == "orders__orders"
    assert link_out.notes[0].startswith("a symbolic link to a file outside the landing folder: not read. ")
    assert records["orders/orders_2026-01-04.csv"].notes[0].startswith("a named pipe (FIFO)")
    check_balance(list(records.values()))  # refused entries have no counts: never a balance failure
