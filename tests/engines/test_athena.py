"""The models on Athena, as far as it goes offline: dbt-athena parses and compiles them against moto's server (Glue,
Athena, S3), and every compiled model passes a Trino dialect check (athena/dialect_check.py) that is shown here to
fail on DuckDB-only SQL, including the DuckDB compilation of the same models. moto executes no SQL: nothing here
proves that Athena returns the right rows (docs/engines.md).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from data_stack.promote.rehearsal import moto_endpoint
from tests.dbt.bronze_fixture import write_bronze
from tests.dbt.conftest import FIRST_LOAD, PROJECT_DIR, SALT, Lane
from tests.tools import require_file

ATHENA_DIR = PROJECT_DIR.parent / "athena"
ATHENA_BIN = ATHENA_DIR / ".venv" / "bin"
MODELS = 25

# One statement per DuckDB-only construct; sqlglot's Trino parser accepts nearly all of them as they are.
DUCKDB_ONLY = {
    "double-colon cast": "select amount::integer from orders",
    "FROM-first": "from orders select order_id",
    "EXCLUDE": "select * exclude (status) from orders",
    "REPLACE": "select * replace (lower(status) as status) from orders",
    "GROUP BY ALL": "select status, count(*) from orders group by all",
    "ORDER BY ALL": "select status from orders order by all",
    "ILIKE": "select order_id from orders where status ilike 'ship%'",
    "QUALIFY": "select order_id from orders qualify row_number() over (partition by order_id order by status) = 1",
    "strftime": "select strftime(ordered_at, '%Y-%m') from orders",
    "list_*": "select list_sort(list_value(3, 1, 2))",
    "read_parquet": "select * from read_parquet('lake/bronze/orders/*/*.parquet')",
    "epoch_ms": "select epoch_ms(1700000000000)",
    "regexp_full_match": "select regexp_full_match(email, '[a-z]+@[a-z]+') from customers",
    "quantile_cont": "select quantile_cont(amount, 0.9) from orders",
    "getvariable": "select getvariable('pii_hash_salt')",
    "struct literal": "select {'plate': 'ABC', 'state': 'CA'} as vehicle",
    "list literal": "select [1, 2, 3] as numbers",
    "timezone()": "select timezone('UTC', fetched_at) from valuations",
}
TRINO = [
    "select cast(amount as integer) from orders",
    "select regexp_like(email, '^[a-z]+$') from customers",
    "select approx_percentile(amount, 0.9) from orders",
    "select array[1, 2, 3] as numbers, numbers[1] from t",
    "select lower(to_hex(sha256(to_utf8('salt' || email)))) from customers",
    "select cast(at_timezone(fetched_at, 'UTC') as timestamp) from valuations",
]


def _env(root: Path, endpoint: str, lake: Path) -> dict[str, str]:
    return dict(
        os.environ,
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        ATHENA_WORKGROUP="primary",
        ATHENA_S3_STAGING_DIR="s3://northwind-dev-athena-results/dbt/",
        ATHENA_S3_DATA_DIR="s3://northwind-dev-lake/",
        ATHENA_REGION="us-east-1",
        ATHENA_SCHEMA="northwind_dev_silver",
        PII_HASH_SALT=SALT,
        LAKE_URI=str(lake),
        DBT_TARGET="athena",
        DBT_TARGET_PATH=str(root / "target-athena"),
        DBT_LOG_PATH=str(root / "logs-athena"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
    )


def _dbt(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    command = [str(ATHENA_BIN / "dbt"), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)


def check(*paths: Path) -> dict[str, list[str]]:
    result = subprocess.run(
        [str(ATHENA_BIN / "python"), str(ATHENA_DIR / "dialect_check.py"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def compiled_models(target: Path) -> list[Path]:
    manifest = json.loads((target / "manifest.json").read_text())
    return sorted(
        target / "compiled" / node["package_name"] / node["original_file_path"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    )


@pytest.fixture(scope="module")
def athena(tmp_path_factory: pytest.TempPathFactory) -> dict:
    require_file(ATHENA_BIN / "dbt", "make athena-env installs dbt-athena and sqlglot (athena/uv.lock)")
    root = tmp_path_factory.mktemp("athena")
    lake = root / "lake"
    write_bronze(lake, **FIRST_LOAD)
    duckdb_lane = Lane(root, "duckdb", lake)
    duckdb_compile = duckdb_lane.start("compile", "--select", "resource_type:model")
    with moto_endpoint() as endpoint:
        env = _env(root, endpoint, lake)
        parse = _dbt(env, "parse")
        compile_ = _dbt(env, "compile", "--select", "resource_type:model")
    duckdb_lane.wait(duckdb_compile).check()
    return {
        "parse": parse,
        "compile": compile_,
        "athena_models": compiled_models(root / "target-athena"),
        "duckdb_models": compiled_models(duckdb_lane.target),
        "root": root,
    }


def test_dbt_parse_and_compile_for_athena_against_moto(athena: dict):
    assert athena["parse"].returncode == 0, athena["parse"].stdout[-3000:]
    assert athena["compile"].returncode == 0, athena["compile"].stdout[-3000:]
    assert len(athena["athena_models"]) == MODELS
    assert all(path.is_file() for path in athena["athena_models"])


def test_every_model_compiled_for_athena_passes_the_dialect_check(athena: dict):
    problems = {path: found for path, found in check(*athena["athena_models"]).items() if found}
    assert problems == {}


def test_athena_reads_and_writes_the_glue_databases_the_terraform_declares(athena: dict):
    """Bronze from <name>_bronze (Hive tables), staging and intermediate in <name>_silver, marts in <name>_gold."""
    sql = {path.stem: path.read_text() for path in athena["athena_models"]}
    assert '"awsdatacatalog"."northwind_dev_bronze"."orders__orders"' in sql["stg_orders__orders"]
    assert '"northwind_dev_silver"."stg_orders__orders"' in sql["orders"]
    assert '"northwind_dev_gold"."orders"' in sql["customers"]
    assert not any("read_parquet" in text for text in sql.values())


@pytest.mark.parametrize("construct", sorted(DUCKDB_ONLY))
def test_the_check_fails_on_duckdb_only_syntax(construct: str, tmp_path: Path):
    statement = tmp_path / "model.sql"
    statement.write_text(DUCKDB_ONLY[construct])
    assert check(statement)[str(statement)], f"{construct} passed the Trino check"


def test_the_check_passes_trino_syntax(tmp_path: Path):
    files = []
    for number, sql in enumerate(TRINO):
        files.append(tmp_path / f"{number}.sql")
        files[-1].write_text(sql)
    assert {path: found for path, found in check(*files).items() if found} == {}


def test_the_check_fails_on_the_duckdb_compilation_of_the_same_models(athena: dict):
    """DuckDB's SQL for these models (QUALIFY, getvariable, regexp_full_match, quantile_cont, :: casts) is rejected."""
    failing = {Path(path).stem for path, found in check(*athena["duckdb_models"]).items() if found}
    assert {
        "stg_customers__customers",
        "stg_orders__orders",
        "int_shipments_measured",
        "delivery_sla_daily",
        "customers",
        "stg_vehicles__valuations",
    } <= failing
