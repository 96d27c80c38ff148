"""Register bronze (register_bronze.py), then run dbt in the same Spark session: one JVM start instead of two.

dbt-spark's session method takes the session this process already holds (SparkSession.builder.getOrCreate).

Usage: spark/.venv/bin/python spark/run_dbt.py run --project-dir dbt --profiles-dir dbt  (DBT_TARGET=spark)
"""

from __future__ import annotations

import os
import sys

from dbt.cli.main import dbtRunner
from register_bronze import register, session


def main(args: list[str]) -> int:
    register(session(), os.environ["LAKE_URI"])
    return 0 if dbtRunner().invoke(args).success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
