"""The ledger as the operations pages read it: quarantine reasons add up to the stream totals."""

from __future__ import annotations

import sqlite3

from data_stack.dashboards import ledger_view
from data_stack.ledger import Ledger, StreamCounts
from data_stack.settings import Settings


def ledger(tmp_path) -> tuple[Settings, Ledger]:
    settings = Settings(data_dir=tmp_path)
    book = Ledger(settings.ledger_db)
    book.start("r1", "run", 1)
    book.record_streams(
        "r1", {"orders__orders": StreamCounts(110, 100, 10), "catalog__products": StreamCounts(5, 5, 0)}
    )
    return settings, book


def test_reasons_are_kept_per_run_and_the_rest_is_other(tmp_path):
    settings, book = ledger(tmp_path)
    book.record_quarantine_reasons("r1", [("orders__orders", "required column customer_id is null", 7)])
    reasons = ledger_view.quarantine_reasons(settings, "r1")
    assert list(reasons.itertuples(index=False, name=None)) == [
        ("orders__orders", "required column customer_id is null", 7),
        ("orders__orders", "(other reasons)", 3),
    ]
    assert reasons["rows"].sum() == 10
    book.record_quarantine_reasons("r1", [("orders__orders", "a", 6), ("orders__orders", "b", 4)])
    assert ledger_view.quarantine_reasons(settings, "r1")["rows"].tolist() == [6, 4]


def test_a_ledger_from_before_reasons_were_kept_still_reads(tmp_path):
    settings, _ = ledger(tmp_path)
    with sqlite3.connect(settings.ledger_db) as conn:
        conn.execute("drop table quarantine_reasons")
    reasons = ledger_view.quarantine_reasons(settings, "r1")
    assert reasons.to_dict("records") == [{"stream": "orders__orders", "reason": "(other reasons)", "rows": 10}]


def test_runs_have_totals_durations_and_a_published_flag(tmp_path):
    settings, book = ledger(tmp_path)
    book.finish("r1", "success")
    book.mark_published("r1")
    runs = ledger_view.runs(settings)
    assert runs.loc[0, ["landed", "loaded", "quarantined"]].tolist() == [115, 105, 10]
    assert runs.loc[0, "published"] and runs.loc[0, "seconds"] >= 0
    assert ledger_view.latest_published(settings) == "r1"


def test_data_docs_links(tmp_path):
    index = tmp_path / "warehouse" / "data_docs" / "r1" / "index.html"
    assert ledger_view.data_docs_link(Settings(data_dir=tmp_path), str(index)) == index.as_uri()
    served = Settings(data_dir=tmp_path, data_docs_base_url="http://localhost:8502/")
    assert ledger_view.data_docs_link(served, str(index)) == "http://localhost:8502/r1/index.html"
    assert ledger_view.data_docs_link(served, None) is None


def test_landing_files_to_look_at_leave_out_the_plain_ones(tmp_path):
    settings, book = ledger(tmp_path)
    book.record_files(
        "r1",
        [
            {"path": "orders/a.csv", "status": "ingested", "version": 1, "landed": 5, "loaded": 5, "quarantined": 0},
            {"path": "orders/b.csv", "status": "ingested", "version": 2, "notes": ["delivered again: version 2"]},
            {"path": "orders/c.csv", "status": "ingested", "version": 1, "notes": ["delimiter ';' detected"]},
            {"path": "misc/x.pdf", "status": "unrecognised", "notes": ["its name matches no stream"]},
        ],
    )
    files = ledger_view.landing_files(settings, "r1")
    assert files["path"].tolist() == ["orders/b.csv", "orders/c.csv", "misc/x.pdf"]
    assert files.loc[files.path == "orders/b.csv", "notes"].item() == "delivered again: version 2"
    with sqlite3.connect(settings.ledger_db) as conn:
        conn.execute("drop table files")
    assert ledger_view.landing_files(settings, "r1").empty  # a ledger from before files were kept
