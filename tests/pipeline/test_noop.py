"""What makes a run's result depend on more than the data: the fingerprint the no-op decision compares."""

from __future__ import annotations

from data_stack.pipeline.noop import fingerprint
from data_stack.settings import Settings


def test_the_fingerprint_follows_the_settings_that_shape_the_build(tmp_path):
    base = Settings(data_dir=tmp_path, pii_hash_salt="one")
    assert fingerprint(base) == fingerprint(Settings(data_dir=tmp_path, pii_hash_salt="one"))
    assert fingerprint(base) != fingerprint(Settings(data_dir=tmp_path, pii_hash_salt="two"))
    assert fingerprint(base) != fingerprint(Settings(data_dir=tmp_path, pii_hash_salt="one", quarantine_rate_max=0.1))
    assert fingerprint(base) != fingerprint(Settings(data_dir=tmp_path, pii_hash_salt="one", dbt_target="ci"))


def test_the_fingerprint_follows_the_models(tmp_path):
    project = tmp_path / "project"
    (project / "dbt" / "models").mkdir(parents=True)
    model = project / "dbt" / "models" / "a.sql"
    model.write_text("select 1")
    settings = Settings(data_dir=tmp_path, project_root=project)
    before = fingerprint(settings)
    model.write_text("select 2")
    assert fingerprint(settings) != before
    (project / "dbt" / "target").mkdir()
    (project / "dbt" / "target" / "manifest.json").write_text("{}")  # build output is not an input
    model.write_text("select 1")
    assert fingerprint(settings) == before


def test_bytecode_python_writes_on_import_is_no_change(tmp_path):
    project = tmp_path / "project"
    method = project / "src" / "data_stack" / "forecast"
    method.mkdir(parents=True)
    (method / "model.py").write_text("TREND = 1\n")
    settings = Settings(data_dir=tmp_path, project_root=project)
    before = fingerprint(settings)
    (method / "__pycache__").mkdir()
    (method / "__pycache__" / "model.cpython-311.pyc").write_bytes(b"\x00bytecode")
    assert fingerprint(settings) == before
    (method / "model.py").write_text("TREND = 2\n")
    assert fingerprint(settings) != before
