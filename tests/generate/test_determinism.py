"""Same arguments, same bytes; other files in the landing zone are left alone."""

from __future__ import annotations

from data_stack.generate import generate

from .conftest import DEFECT_RATE, SMALL, Landing


def test_same_arguments_give_byte_identical_files(tmp_path, defective):
    again = Landing(tmp_path / "again", generate(tmp_path / "again", defect_rate=DEFECT_RATE, **SMALL))
    assert again.digest() == defective.digest()
    assert again.report.rows == defective.report.rows
    assert again.report.defects_by_stream == defective.report.defects_by_stream


def test_one_worker_writes_the_same_bytes_as_several(tmp_path, defective, monkeypatch):
    monkeypatch.setattr("data_stack.generate.generator.os.cpu_count", lambda: 1)
    single = Landing(tmp_path / "single", generate(tmp_path / "single", defect_rate=DEFECT_RATE, **SMALL))
    assert single.digest() == defective.digest()


def test_another_seed_gives_other_data(tmp_path, defective):
    other = Landing(tmp_path / "other", generate(tmp_path / "other", defect_rate=DEFECT_RATE, seed=7, **SMALL))
    changed = [name for name, digest in other.digest().items() if defective.digest().get(name) != digest]
    assert len(changed) > len(other.digest()) / 2


def test_existing_files_are_overwritten_and_others_left_alone(tmp_path):
    landing = tmp_path / "landing"
    (landing / "orders").mkdir(parents=True)
    (landing / "orders" / "orders_2026-01-01.csv").write_text("stale\n")
    (landing / "orders" / "README.txt").write_text("keep me\n")
    (landing / "vendor_api").mkdir()
    (landing / "vendor_api" / "cache.json").write_text("{}")
    generate(landing, scale=0.01, days=1, defect_rate=0.0)
    assert (landing / "orders" / "orders_2026-01-01.csv").read_text().startswith("order_id,customer_id,")
    assert (landing / "orders" / "README.txt").read_text() == "keep me\n"
    assert (landing / "vendor_api" / "cache.json").read_text() == "{}"
    assert not list(landing.rglob(".*.partial"))
