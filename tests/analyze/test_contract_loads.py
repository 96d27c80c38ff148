"""The suggested stream entry is one tap-landing runs: on the files it was drawn from, every row loads and none is
quarantined."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from data_stack.analyze import analyze
from data_stack.settings import Settings
from tests.meltano.conftest import run_plugin, tap_config

from .conftest import CLI

STREAMS = ["orders/orders_*.csv", "orders/order_items_*.csv", "catalog/products_*.json", "clickstream/*/events_*.jsonl"]


@pytest.fixture(scope="module")
def clean_landing(tmp_path_factory):
    landing = tmp_path_factory.mktemp("analyze-landing") / "landing"
    args = ["generate", "--scale", "0.01", "--days", "2", "--defect-rate", "0", "--out", str(landing)]
    subprocess.run([CLI, *args], check=True, capture_output=True, timeout=300)
    return landing


@pytest.mark.parametrize("glob", STREAMS)
def test_the_suggested_entry_loads_every_row_it_was_drawn_from(clean_landing, data_dir, tmp_path, glob):
    profile = analyze(glob, Settings(landing_uri=str(clean_landing)))  # the glob as given, under LANDING_URI
    (entry,) = yaml.safe_load(profile.contract["yaml"])
    assert entry == profile.contract["stream"] and entry["pattern"] == glob
    config = tap_config(clean_landing)
    config["streams"] = [entry]
    messages = run_plugin("tap_landing.tap", config, tmp_path)
    records = [m for m in messages if m["type"] == "RECORD" and m["stream"] == entry["name"]]
    quarantined = [m["record"]["_reason"] for m in messages if m["type"] == "RECORD" and m["stream"] == "_quarantine"]
    assert not quarantined, quarantined[:5]
    assert len(records) == profile.rows > 0
