"""`data-stack analyze` as a person and a script call it: the report path, `--json`, `--output`, the memory cap."""

from __future__ import annotations

import json

from .conftest import cli

COLUMN_FIELDS = {
    "name",
    "read_type",
    "kind",
    "profiled_as",
    "contract_type",
    "nulls",
    "null_pct",
    "blanks",
    "unparseable",
    "unparseable_examples",
    "distinct",
    "min",
    "max",
    "mean",
    "stddev",
    "quantiles",
    "quantiles_approx",
    "scale",
    "lengths",
    "top",
    "accepted",
    "histogram",
    "series",
    "outliers",
    "is_key_candidate",
    "duplicates",
}  # fmt: skip (docs/analyze.md lists these)


def test_writes_the_report_under_the_data_dir_and_prints_its_path(known_csv, data_dir, tmp_path):
    result = cli("analyze", "--source", "shop/sales_2026-01-01.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = data_dir / "reports" / "shop-sales-2026-01-01.html"
    assert result.stdout.splitlines()[-1] == f"report: {report}"
    assert "20 rows, 6 columns; key candidates: id, code" in result.stdout
    assert report.read_text().startswith("<!doctype html>")
    assert [path.name for path in (data_dir / "reports").iterdir()] == [report.name]  # no scratch left behind


def test_json_is_the_profile(known_csv, tmp_path):
    result = cli(
        "analyze", "--source", str(known_csv), "--json", "--output", str(tmp_path / "out" / "r.html"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    profile = json.loads(result.stdout)
    assert set(profile) == {
        "source",
        "rows",
        "columns",
        "key_candidates",
        "composite_keys",
        "approximate",
        "exact_rows",
        "memory_limit",
        "seconds",
        "generated_at",
        "rejected",
        "rejected_examples",
        "notes",
        "contract",
        "report",
    }
    assert profile["source"]["kind"] == "file" and profile["source"]["format"] == "csv"
    assert profile["rows"] == 20 and profile["key_candidates"] == ["id", "code"]
    assert all(set(column) == COLUMN_FIELDS for column in profile["columns"])
    assert set(profile["contract"]) == {"docs", "stream", "yaml"}
    assert profile["report"] == str(tmp_path / "out" / "r.html") and (tmp_path / "out" / "r.html").is_file()
    assert profile["memory_limit"] == "1GB"


def test_an_invalid_memory_limit(known_csv, tmp_path):
    result = cli("analyze", "--source", str(known_csv), "--memory-limit", "lots", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: Invalid memory limit 'lots'. Give a size such as 512MB or 2GB."


def test_source_is_required(tmp_path):
    result = cli("analyze", cwd=tmp_path)
    assert result.returncode == 2 and "Missing option '--source'" in result.stderr


def test_a_report_that_cannot_be_written(known_csv, tmp_path):
    result = cli("analyze", "--source", str(known_csv), "--output", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: Cannot write the report to {tmp_path}: Is a directory. Give another")
