"""The bronze Glue tables come from the ingestion contract: the committed JSON is what the generator writes, its
types are the Hive spelling of the contract's DuckDB types, and the catalog module reads it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from data_stack.promote import bronze_tables as generator
from tests.aws.hcl import MODULES, ROOT, locals_, of_type, one

COMMITTED = MODULES / "catalog" / "bronze_tables.json"


def test_committed_json_is_what_the_generator_writes() -> None:
    assert COMMITTED.read_text() == generator.render(), (
        "regenerate it: python -m data_stack.promote.bronze_tables > aws/terraform/modules/catalog/bronze_tables.json"
    )


def test_the_module_entry_point_prints_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "data_stack.promote.bronze_tables"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == COMMITTED.read_text()


@pytest.mark.parametrize(
    ("duckdb", "glue"),
    [
        ("BIGINT", "bigint"),
        ("INTEGER", "int"),
        ("DOUBLE", "double"),
        ("BOOLEAN", "boolean"),
        ("VARCHAR", "string"),
        ("DATE", "date"),
        ("TIMESTAMP", "timestamp"),
        ("TIMESTAMP WITH TIME ZONE", "timestamp"),
        ("DECIMAL(10,2)", "decimal(10,2)"),
        ("decimal( 5, 4 )", "decimal(5,4)"),
        ("VARCHAR[]", "array<string>"),
        (
            "STRUCT(color VARCHAR, weight_kg DOUBLE, tags VARCHAR[])",
            "struct<color:string,weight_kg:double,tags:array<string>>",
        ),
        (
            "STRUCT(page STRUCT(url VARCHAR, referrer VARCHAR), n INTEGER)",
            "struct<page:struct<url:string,referrer:string>,n:int>",
        ),
        ("STRUCT(a DECIMAL(12,2), b BIGINT[])[]", "array<struct<a:decimal(12,2),b:array<bigint>>>"),
    ],
)
def test_glue_type(duckdb: str, glue: str) -> None:
    assert generator.glue_type(duckdb) == glue


def test_unknown_types_are_refused() -> None:
    with pytest.raises(ValueError, match="HUGEINT"):
        generator.glue_type("HUGEINT")


def test_one_table_per_stream_with_lineage_and_partition_key() -> None:
    tables = {table["name"]: table for table in json.loads(COMMITTED.read_text())["tables"]}
    assert set(tables) == set(generator.file_streams()) | {"vehicles__valuations"}
    for name, table in tables.items():
        assert (table["source"], table["stream"]) == tuple(name.split("__"))
        columns = [column["name"] for column in table["columns"]]
        lineage = (
            ["_loaded_at", "_run_id"] if name == "vehicles__valuations" else ["_source_file", "_loaded_at", "_run_id"]
        )
        assert columns[-len(lineage) :] == lineage, name
        assert table["partition_keys"] == [{"name": "load_date", "type": "string"}]
        assert "load_date" not in columns, "a partition key is not also a column"
    contract = generator.file_streams()["orders__orders"]
    assert [column["name"] for column in tables["orders__orders"]["columns"]][: len(contract)] == list(contract)


def test_api_stream_matches_docs_sources() -> None:
    docs = (ROOT / "docs" / "sources.md").read_text()
    section = docs[docs.index("## API source") :]
    section = section[section.index("**Bronze**") : section.index("**Quarantine**")]
    documented = dict(re.findall(r"`(\w+)\*? ([A-Z][A-Z ]*[A-Z](?:\(\d+,\d+\))?)`", section))
    assert documented == generator.API_STREAMS["vehicles__valuations"]


def test_catalog_module_reads_the_json_and_registers_partitions_itself() -> None:
    catalog = MODULES / "catalog"
    assert 'jsondecode(file("${path.module}/bronze_tables.json"))' in str(locals_(catalog)["bronze_tables"])
    table = of_type(catalog, "resource", "aws_glue_catalog_table")["bronze"]
    assert table["for_each"] == "${local.bronze_tables}"
    assert table["table_type"] == "EXTERNAL_TABLE"
    descriptor = one(table["storage_descriptor"])
    assert descriptor["location"] == "s3://${var.lake_bucket_name}/bronze/${each.value.source}/${each.value.stream}/"
    assert one(descriptor["ser_de_info"])["serialization_library"].endswith("ParquetHiveSerDe")
    # Partitions are registered by the pipeline (glue:BatchCreatePartition): no projection, no crawler.
    assert not [key for key in table["parameters"] if key.startswith("projection.")]
    assert not of_type(catalog, "resource", "aws_glue_crawler")
    databases = of_type(catalog, "resource", "aws_glue_catalog_database")["this"]
    assert databases["name"] == "${local.db_prefix}_${each.key}"
    assert locals_(catalog)["db_prefix"] == '${replace(var.name, "-", "_")}'
