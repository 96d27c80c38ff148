"""Property, through the real `data-stack run`: a random drop of malformed exports next to the demo data ingests
without a traceback, every file's ledger entry balances against the number of records written into it, and every
valid row is in the published warehouse with its values. (tests/meltano/test_ingest_properties.py runs the same
strategy through the tap's reader hundreds of times; this runs the whole pipeline on a few drops.)"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.meltano.drops import Drop, drops

from .conftest import Stack

pytestmark = pytest.mark.slow

DEMO: dict[str, Path] = {}
PUBLISHED = (  # the drop's valid rows as staging publishes them, keyed like the drop's truth
    (
        "select order_id, customer_id, ordered_at, status from staging.stg_orders__orders "
        "where order_id between 900000000 and 999999999",
        "orders",
    ),
    (
        "select event_id, event_type, event_at from staging.stg_clickstream__events where event_id like 'h9%'",
        "events",
    ),
)


def _demo() -> Path:
    """The demo landing files, generated once and copied into each example's stack."""
    if "landing" not in DEMO:
        stack = Stack(Path(tempfile.mkdtemp(prefix="demo-landing-")))
        stack.generate()
        DEMO["landing"] = stack.root / "landing"
    return DEMO["landing"]


@settings(
    max_examples=2,
    deadline=None,
    phases=[Phase.generate],  # each example is a whole pipeline run: no shrinking
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(drops())
def test_a_random_drop_publishes_every_valid_row(drop: Drop):
    root = Path(tempfile.mkdtemp(prefix="drop-"))
    # a drop is mostly defects: the quarantine-rate gate would rightly stop the publish (tests/quality test it)
    os.environ["QUARANTINE_RATE_MAX"] = "1"
    try:
        stack = Stack(root)
        shutil.copytree(_demo(), root / "landing")
        for path, content in drop.files.items():
            target = root / "landing" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        result = stack.cli("run", check=False)
        assert "Traceback" not in result.stdout + result.stderr
        assert result.returncode == 0, result.stdout + result.stderr
        (run,) = stack.runs()
        files = {item["path"]: item for item in run["files"]}
        for path in drop.files:
            item = files[path]
            assert item["landed"] == drop.records[path], (path, item)
            assert item["quarantined"] == drop.bad[path], (path, item)
            assert item["landed"] == item["loaded"] + item["quarantined"], (path, item)
        with duckdb.connect(str(stack.current), read_only=True) as conn:
            for query, truth in PUBLISHED:
                assert {row[0]: row[1:] for row in conn.execute(query).fetchall()} == getattr(drop, truth)
    finally:
        del os.environ["QUARANTINE_RATE_MAX"]
        shutil.rmtree(root, ignore_errors=True)
