"""Register the bronze Parquet lake as external tables in the Spark metastore the `spark` dbt target uses.

One table per stream, `bronze.<source>__<stream>`, with the columns of aws/terraform/modules/catalog/bronze_tables.json:
the same file the Glue tables on Athena are generated from, so both engines read bronze with one schema. Files are
found recursively under `<LAKE_URI>/bronze/<source>/<stream>/` (the load_date folders are not needed as a column);
a stream with no folder yet (the optional vehicle API) is an empty table.

Usage: spark/.venv/bin/python spark/register_bronze.py  (LAKE_URI, SPARK_WAREHOUSE_DIR, SPARK_METASTORE_DIR)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pyspark.sql import SparkSession

ROOT = Path(__file__).resolve().parents[1]
BRONZE_TABLES = ROOT / "aws" / "terraform" / "modules" / "catalog" / "bronze_tables.json"


def session() -> SparkSession:
    """The session dbt-spark opens (dbt/profiles.yml, target spark): same metastore, same warehouse."""
    metastore = os.environ.get("SPARK_METASTORE_DIR", "data/spark/metastore")
    return (
        SparkSession.builder.enableHiveSupport()
        .config("spark.master", "local[2]")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.warehouse.dir", os.environ.get("SPARK_WAREHOUSE_DIR", "data/spark/warehouse"))
        .config("spark.hadoop.javax.jdo.option.ConnectionURL", f"jdbc:derby:;databaseName={metastore};create=true")
        .getOrCreate()
    )


def ddl(table: dict, lake_uri: str) -> str:
    columns = ",\n    ".join(f"`{column['name']}` {column['type']}" for column in table["columns"])
    location = f"{lake_uri.rstrip('/')}/bronze/{table['source']}/{table['stream']}"
    return (
        f"create table bronze.{table['name']} (\n    {columns}\n)\n"
        f"using parquet\noptions (recursiveFileLookup 'true')\nlocation '{location}'"
    )


def register(spark: SparkSession, lake_uri: str) -> None:
    tables = json.loads(BRONZE_TABLES.read_text(encoding="utf-8"))["tables"]
    spark.sql("create database if not exists bronze")
    for table in tables:
        spark.sql(f"drop table if exists bronze.{table['name']}")
        spark.sql(ddl(table, lake_uri))


def main() -> None:
    spark = session()
    register(spark, os.environ["LAKE_URI"])
    spark.stop()


if __name__ == "__main__":
    main()
