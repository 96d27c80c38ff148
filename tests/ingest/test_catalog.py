"""The landing tap's catalog is discovered once per contract: kept after a run, reused, and never when incomplete."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from data_stack.ingest.catalog import ENV_VAR, catalog_env, keep_catalog
from data_stack.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    meltano = tmp_path / "meltano"
    for entry in ("meltano.yml", "extract", "environments"):
        source = ROOT / "meltano" / entry
        if source.is_dir():
            shutil.copytree(source, meltano / entry)
        elif source.exists():
            meltano.mkdir(exist_ok=True)
            shutil.copy(source, meltano / entry)
    return Settings(data_dir=tmp_path / "data")


def streams(settings: Settings) -> list[dict]:
    extract = yaml.safe_load((settings.meltano_dir / "extract" / "tap-landing.meltano.yml").read_text())
    return extract["plugins"]["extractors"][0]["config"]["streams"]


def catalog(settings: Settings, *, selected: bool = True, drop: str | None = None) -> dict:
    return {
        "streams": [
            {
                "tap_stream_id": stream["name"],
                "schema": {"properties": {name: {} for name in stream["columns"]}},
                "metadata": [{"breadcrumb": [], "metadata": {"selected": selected}}],
            }
            for stream in streams(settings)
            if stream["name"] != drop
        ]
    }


@pytest.fixture(autouse=True)
def meltano_dir(monkeypatch, settings: Settings) -> None:
    """The copy of meltano/ under tmp_path, so a test may change the contract."""
    monkeypatch.setattr(Settings, "meltano_dir", property(lambda self: self.data_path.parent / "meltano"))


def test_a_complete_catalog_is_kept_and_handed_to_the_next_run(settings: Settings, tmp_path: Path):
    assert catalog_env(settings) == {}
    prepared = tmp_path / "tap.properties.json"
    prepared.write_text(json.dumps(catalog(settings)))
    keep_catalog(settings, prepared)
    (kept,) = catalog_env(settings).values()
    assert json.loads(Path(kept).read_text()) == catalog(settings)
    assert list(catalog_env(settings)) == [ENV_VAR]


@pytest.mark.parametrize("broken", ["unselected", "missing stream", "not json"])
def test_an_incomplete_or_unreadable_catalog_is_not_kept(settings: Settings, tmp_path: Path, broken: str):
    prepared = tmp_path / "tap.properties.json"
    if broken == "not json":
        prepared.write_text('{"streams": [')
    else:
        first = streams(settings)[0]["name"]
        prepared.write_text(
            json.dumps(
                catalog(settings, selected=broken != "unselected", drop=first if broken == "missing stream" else None)
            )
        )
    keep_catalog(settings, prepared)
    assert catalog_env(settings) == {}


def test_a_changed_contract_discovers_again(settings: Settings, tmp_path: Path):
    prepared = tmp_path / "tap.properties.json"
    prepared.write_text(json.dumps(catalog(settings)))
    keep_catalog(settings, prepared)
    assert catalog_env(settings)
    contract = settings.meltano_dir / "extract" / "tap-landing.meltano.yml"
    contract.write_text(contract.read_text().replace("order_id: BIGINT", "order_id: VARCHAR", 1))
    assert catalog_env(settings) == {}
