"""Write Spark tables to Parquet, one folder per table, for comparison outside Spark.

Timestamps are written as TIMESTAMP_NTZ (the session is UTC), so a Parquet reader sees the same wall-clock values
as DuckDB's TIMESTAMP columns.

Usage: spark/.venv/bin/python spark/export_tables.py OUT_DIR schema.table [schema.table ...]
"""

from __future__ import annotations

import sys

from pyspark.sql import functions
from pyspark.sql.types import TimestampType
from register_bronze import session


def main(out_dir: str, tables: list[str]) -> None:
    spark = session()
    for table in tables:
        frame = spark.table(table)
        frame = frame.select(
            *[
                functions.col(field.name).cast("timestamp_ntz").alias(field.name)
                if isinstance(field.dataType, TimestampType)
                else functions.col(field.name)
                for field in frame.schema.fields
            ]
        )
        frame.coalesce(1).write.mode("overwrite").parquet(f"{out_dir}/{table}")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
