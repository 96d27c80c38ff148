"""The one-pass ingest (ADR 0022) writes the same bronze and quarantine as the two-pass ingest before it: the same
landing files through both versions of tap-landing and target-lake give the same columns, types, values, row
counts, quarantine rows and reasons. The earlier version is taken from the repository's history."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from data_stack.generate import generate
from tests.tools import missing

from .conftest import ROOT, run_plugin, tap_config
from .landing_files import malformed, write

BEFORE = "d52b264"  # the last commit with the two-pass ingest (the tap's Parquet rewritten by the target)
CLEAN_CSV = "order_id,customer_id,order_ts,status,channel,currency,shipping_fee\n"


@pytest.fixture(scope="module")
def before(tmp_path_factory) -> Path:
    """tap-landing and target-lake as they were at BEFORE."""
    folder = tmp_path_factory.mktemp("before")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BEFORE, "meltano/plugins/tap-landing", "meltano/plugins/target-lake"],
        capture_output=True,
    )
    if archive.returncode != 0:  # a shallow clone: CI fails rather than skips
        missing(f"commit {BEFORE} is not in this clone: fetch the history (`git fetch --unshallow`)")
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "meltano" / "plugins"


def _landing(landing: Path) -> None:
    generate(landing, scale=0.01, days=3, defect_rate=0.05)
    malformed(landing)
    # a plain CSV beside the generated ones with a broken row in it, and one with quotes (per-record path)
    write(
        landing / "orders/orders_2026-03-01.csv",
        CLEAN_CSV + "900,1,2026-03-01T10:00:00Z,placed,web,USD,1.00\n"
        "901,1,2026-03-01T10:00:00Z,lost,web,USD,1.00\n902,2,2026-03-01T11:00:00Z,shipped,web,USD,2.50\n",
    )
    write(landing / "orders/orders_2026-03-02.csv", CLEAN_CSV + '903,1,2026-03-02T10:00:00Z,"placed",web,USD,1.00\n')


def _ingest(landing: Path, work: Path, plugins: Path | None) -> Path:
    """tap | target as `meltano run` pipes them; `plugins`: the folder of the version to run (None: this one)."""
    work.mkdir()
    config = tap_config(landing, run_id="r1", batch_root=work / "batches")
    tap_dir = str(plugins / "tap-landing") if plugins else None
    target_dir = str(plugins / "target-lake") if plugins else None
    messages = run_plugin("tap_landing.tap", config, work, cwd=tap_dir)
    stdin = "".join(json.dumps(message) + "\n" for message in messages)
    run_plugin(
        "target_lake.target", {"lake_uri": str(work / "lake"), "run_id": "r1"}, work, stdin=stdin, cwd=target_dir
    )
    return work / "lake"


def _content(lake: Path) -> dict[str, tuple]:
    """Per zone and stream: (column names and types, sorted rows without the load time)."""
    found: dict[str, tuple] = {}
    for folder in sorted({path.parent.parent for path in lake.glob("*/*/*/load_date=*/*.parquet")}):
        relation = f"read_parquet('{folder}/*/*.parquet', union_by_name = true)"
        columns = duckdb.sql(f"describe select * exclude (_loaded_at) from {relation}").fetchall()
        names = ", ".join(f'"{name}"' for name in sorted(name for name, *_ in columns))  # files may differ in order
        rows = duckdb.sql(f"select {names} from {relation} order by all").fetchall()
        loaded_at = duckdb.sql(f"select count(*) from {relation} where _loaded_at is null").fetchone()[0]
        found[str(folder.relative_to(lake))] = (sorted((name, kind) for name, kind, *_ in columns), rows, loaded_at)
    return found


def test_one_pass_bronze_equals_the_two_pass_bronze(tmp_path, before):
    landing = tmp_path / "landing"
    _landing(landing)
    old = _content(_ingest(landing, tmp_path / "old", before))
    new = _content(_ingest(landing, tmp_path / "new", None))
    assert set(new) == set(old)
    assert any(name.startswith("quarantine/") for name in new)
    for name in old:
        assert new[name][0] == old[name][0], name  # columns and types
        assert len(new[name][1]) == len(old[name][1]), name
        assert new[name][1] == old[name][1], name  # values, quarantine rows and reasons
        assert new[name][2] == old[name][2] == 0, name
    shutil.rmtree(tmp_path / "old", ignore_errors=True)
