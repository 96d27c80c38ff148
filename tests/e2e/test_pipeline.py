"""The pipeline as a user runs it: `data-stack run` from generated landing files to a published warehouse."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from .conftest import CLI, Stack, file_hash, gold_tables, silver_snapshot, snapshot

pytestmark = pytest.mark.slow

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}")


@pytest.fixture(scope="module")
def first_run(stack: Stack):
    result = stack.cli("run")
    return result


def test_first_run_publishes_and_prints_the_summary(stack, first_run):
    assert "published warehouse" in first_run.stdout
    for stage in ("ingest", "transform", "check", "publish"):
        assert stage in first_run.stdout
    assert stack.current.exists()
    assert not list((stack.root / "warehouse" / "build").glob("*.duckdb"))
    (run,) = stack.runs()
    assert run["status"] == "success"
    assert set(run["stage_seconds"]) == {"ingest", "transform", "check", "publish"}
    assert run["dbt_tests"]["passed"] > 0 and run["dbt_tests"]["failed"] == 0
    assert run["gx_expectations"]["passed"] > 0 and run["gx_expectations"]["failed"] == 0
    assert (stack.root / "warehouse" / "data_docs" / run["run_id"] / "index.html").exists()
    # dbt run was loaded and parsed the project while the ingest ran (its log holds that parse, then the run)
    dbt_log = (stack.root / "warehouse" / "logs" / run["run_id"] / "dbt-build.log").read_text()
    assert dbt_log.count("Running with dbt=") == 2 and dbt_log.index("Starting full parse") < dbt_log.index("PASS=")
    # the drifted orders file: its extra column reaches bronze and is reported
    assert run["schema_drift"] == {"orders__orders": ["coupon_code"]}
    assert "schema drift" in first_run.stdout and "quarantined this run" in first_run.stdout


def test_every_stream_is_accounted_for(stack, first_run):
    run = stack.runs()[-1]  # the first run
    streams = run["streams"]
    assert len(streams) == 8
    for name, counts in streams.items():
        assert counts["landed"] > 0, name
        assert counts["landed"] == counts["loaded"] + counts["quarantined"], name
    assert sum(c["quarantined"] for c in streams.values()) > 0
    with duckdb.connect() as conn:
        reasons = conn.execute(
            f"select count(*), count(_reason) from read_parquet('{stack.root}/lake/quarantine/**/*.parquet')"
        ).fetchone()
    assert reasons[0] == reasons[1] > 0


def test_no_raw_pii_in_gold(stack, first_run):
    with duckdb.connect() as conn:
        emails, phones = conn.execute(
            f"select list(distinct email), list(distinct phone) "
            f"from read_csv('{stack.root}/landing/customers/*.csv', all_varchar = true)"
        ).fetchone()
    raw = {value for value in emails + phones if value}
    assert len(raw) > 100
    with duckdb.connect(str(stack.current), read_only=True) as conn:
        tables = gold_tables(conn)
        assert tables
        for table in tables:
            columns = conn.execute(f"describe {table}").fetchall()
            for name, dtype, *_ in columns:
                if dtype != "VARCHAR":
                    continue
                values = [v for (v,) in conn.execute(f'select distinct "{name}" from {table}').fetchall() if v]
                leaked = [v for v in values if v in raw or EMAIL.fullmatch(v) or PHONE.search(v)]
                assert not leaked, f"{table}.{name} holds PII: {leaked[:3]}"


def test_rerun_without_new_files_loads_nothing_and_keeps_marts(stack, first_run):
    before, published = snapshot(stack.current), file_hash(stack.current)
    result = stack.cli("run")
    latest = stack.runs()[0]
    assert latest["status"] == "success"
    assert sum(c["loaded"] for c in latest["streams"].values()) == 0
    assert sum(c["landed"] for c in latest["streams"].values()) == 0
    assert snapshot(stack.current) == before
    # decided without Meltano or dbt: no stage ran, and the ledger says why
    assert latest["stage_seconds"] == {} and "nothing new since run" in latest["note"]
    assert "nothing new since run" in result.stdout
    assert not (stack.root / "warehouse" / "logs" / latest["run_id"]).exists()
    assert file_hash(stack.current) == published


def test_the_same_landing_files_publish_the_same_warehouse(stack, first_run, tmp_path_factory):
    """Same input, same output: a second stack built from scratch over the same landing files publishes gold marts
    equal to the last value (doubles compared by their exact repr), so no mean or sum depends on thread timing."""
    other = Stack(tmp_path_factory.mktemp("same-input"))
    other.generate()
    other.cli("run")
    assert _without_lineage(other.current) == _without_lineage(stack.current)


def _without_lineage(path) -> dict[str, list[tuple]]:
    """Gold rows without `_loaded_at` / `_run_id`, which say when and by which run a row was loaded."""
    with duckdb.connect(str(path), read_only=True) as conn:
        result = {}
        for table in gold_tables(conn):
            columns = [row[0] for row in conn.execute(f"describe {table}").fetchall()]
            kept = ", ".join(f'"{name}"' for name in columns if name not in ("_loaded_at", "_run_id"))
            result[table] = sorted(conn.execute(f"select {kept} from {table}").fetchall(), key=repr)
        return result


def test_new_drop_is_ingested_alone_and_incremental_equals_full_refresh(stack, first_run):
    stack.generate("--start-date", "2026-01-11", "--days", "1")
    stack.cli("run")
    latest = stack.runs()[0]
    assert latest["status"] == "success"
    meltano_log = (stack.root / "warehouse" / "logs" / latest["run_id"] / "meltano.log").read_text()
    assert "Using custom catalog" in meltano_log, "the catalog kept by the first run was not reused"
    landed = sum(c["landed"] for c in latest["streams"].values())
    first_landed = sum(c["landed"] for c in stack.runs()[-1]["streams"].values())
    assert 0 < landed < first_landed / 3
    assert sum(c["quarantined"] for c in latest["streams"].values()) > 0  # the day brought rows to quarantine
    incremental, incremental_silver = snapshot(stack.current), silver_snapshot(stack.current)
    assert len(incremental_silver) >= 6  # the large staging models, sessions, validated order lines (ADR 0023)
    stack.cli("run", "--full-refresh")
    assert snapshot(stack.current) == incremental
    assert silver_snapshot(stack.current) == incremental_silver


def test_gate_blocks_a_broken_build_and_current_is_unchanged(stack, first_run):
    published = file_hash(stack.current)
    stack.cli("transform")
    (build,) = (stack.root / "warehouse" / "build").glob("*.duckdb")
    with duckdb.connect(str(build)) as conn:
        table = next(t for t in gold_tables(conn) if t.endswith('"customers"'))
        conn.execute(f"delete from {table}")  # orders now point at missing customers; the mart is empty
    check = stack.cli("check", check=False)
    assert check.returncode == 4
    assert "Quality gate failed" in check.stderr
    assert "Traceback" not in check.stderr
    publish = stack.cli("publish", check=False)
    assert publish.returncode == 4
    assert file_hash(stack.current) == published
    failed = stack.runs()[0]
    assert failed["status"] == "failed" and failed["gate_passed"] is False
    assert failed["dbt_tests"]["failed"] > 0


READER = """
import sys, time, duckdb
path, stop = sys.argv[1], sys.argv[2]
import os
reads = errors = 0
while not os.path.exists(stop):
    try:
        with duckdb.connect(path, read_only=True) as conn:
            conn.execute("select count(*) from information_schema.tables").fetchone()
            for (schema, name) in conn.execute(
                "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'"
            ).fetchall():
                conn.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
        reads += 1
    except Exception as exc:
        errors += 1
        print(repr(exc), file=sys.stderr)
    time.sleep(0.1)
print(reads, errors)
"""


def test_concurrent_run_is_refused_and_readers_see_no_errors(stack, first_run, tmp_path):
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(stack.current), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stack.generate("--start-date", "2026-01-12", "--days", "1")
    first = stack.popen("run")
    _wait_for_running(stack)
    second = stack.cli("run", check=False)
    assert second.returncode == 3
    assert "Another pipeline run holds the lock" in second.stderr
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    stop.touch()
    out, err = reader.communicate(timeout=60)
    reads, errors = map(int, out.split())
    assert errors == 0, err
    assert reads > 10


def test_killed_run_leaves_current_untouched_and_next_run_succeeds(stack, first_run):
    published = file_hash(stack.current)
    stack.generate("--start-date", "2026-01-13", "--days", "1")
    victim = stack.popen("run")
    _wait_for_running(stack, stage="transform")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert file_hash(stack.current) == published
    stack.cli("run")
    runs = stack.runs()
    assert runs[0]["status"] == "success"
    killed = runs[1]
    assert killed["status"] == "failed" and "interrupted" in killed["error"]
    assert not list((stack.root / "warehouse" / "build").glob("*.duckdb"))


def _wait_for_running(stack: Stack, stage: str | None = None, timeout: float = 300) -> None:
    log_name = {"transform": "dbt-build.log"}.get(stage or "", "meltano.log")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = stack.runs()
        if runs and runs[0]["status"] == "running":
            logs = stack.root / "warehouse" / "logs" / runs[0]["run_id"] / log_name
            if logs.exists():
                return
        time.sleep(0.2)
    raise AssertionError("the run did not start in time")


def test_the_pii_salt_is_nowhere_on_disk_and_hashes_use_it(stack, first_run):
    import hashlib
    import os

    salt = os.environ["PII_HASH_SALT"]
    leaks = [
        path
        for path in stack.root.rglob("*")
        if path.is_file() and "landing" not in path.parts and salt.encode() in path.read_bytes()
    ]
    assert not leaks  # not in compiled SQL, dbt logs or artefacts, nor in current.duckdb's view definitions
    with duckdb.connect(str(stack.current), read_only=True) as conn:
        bronze = str(stack.root / "lake" / "bronze" / "customers" / "customers" / "*" / "*.parquet")
        picked = conn.execute(
            f"select customer_id, any_value(lower(trim(email))) from read_parquet('{bronze}') "
            "where customer_id in (select customer_id from marketing.customers where email_hash is not null) "
            "group by customer_id having count(distinct lower(trim(email))) = 1 "
            "and regexp_full_match(any_value(lower(trim(email))), "
            "'^[a-z0-9._%+-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$') order by customer_id limit 1"
        ).fetchone()
        assert picked, "no published customer with one valid email in bronze"
        customer_id, email = picked
        (hashed,) = conn.execute(
            "select email_hash from marketing.customers where customer_id = ?", [customer_id]
        ).fetchone()
    assert hashed == hashlib.sha256(f"{salt}{email}".encode()).hexdigest()


@pytest.mark.parametrize("salt", [None, "northwind", "change-me"])
def test_a_public_salt_is_refused_outside_dev(stack, first_run, salt):
    env = {key: value for key, value in stack.env.items() if key != "PII_HASH_SALT"}
    if salt is not None:
        env["PII_HASH_SALT"] = salt
    runs = len(stack.runs())
    result = subprocess.run([CLI, "run"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("error: PII_HASH_SALT is unset or a public default") and "DBT_TARGET=ci" in line
    assert len(stack.runs()) == runs  # refused before anything ran


def test_a_stream_quarantining_too_much_fails_the_gate(stack, first_run):
    import os

    published = file_hash(stack.current)
    # a drop with enough rows to judge a rate (streams under 100 landed rows are not judged)
    stack.cli("generate", "--scale", "0.1", "--start-date", "2026-04-20", "--days", "1", "--defect-rate", "0.05")
    env = dict(stack.env, QUARANTINE_RATE_MAX="0.01")
    result = subprocess.run([CLI, "run"], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 4, result.stderr[-2000:]
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "Quality gate failed" in line and "quarantined" in line and "(limit 1.0%, QUARANTINE_RATE_MAX)" in line
    assert file_hash(stack.current) == published
    failed = stack.runs()[0]
    assert failed["status"] == "failed" and failed["gate_passed"] is False
    assert os.environ.get("QUARANTINE_RATE_MAX") is None  # the other tests keep the default


def test_great_expectations_judge_the_rows_a_run_wrote(stack, first_run):
    """In an incremental build a row-by-row expectation reads the rows the run wrote: a bad one written now fails
    the gate, while the whole-table expectations (unique keys, row counts) still read every row."""
    published = file_hash(stack.current)
    stack.generate("--start-date", "2026-04-25", "--days", "1")
    stack.cli("ingest")
    stack.cli("transform")
    (build,) = (stack.root / "warehouse" / "build").glob("*.duckdb")
    with duckdb.connect(str(build)) as conn:
        newest = conn.execute("select max(_loaded_at) from marketing.orders").fetchone()[0]
        written = conn.execute("select count(*) from marketing.orders where _loaded_at = ?", [newest]).fetchone()[0]
        assert 0 < written < conn.execute("select count(*) from marketing.orders").fetchone()[0]
        conn.execute(
            "update marketing.orders set order_total = -1 where order_id = "
            "(select min(order_id) from marketing.orders where _loaded_at = ?)",
            [newest],
        )
    check = stack.cli("check", check=False)
    assert check.returncode == 4, check.stderr[-2000:]
    assert "order_total" in " ".join(check.stderr.split())
    assert file_hash(stack.current) == published
    failed = stack.runs()[0]
    assert failed["gx_expectations"]["failed"] == 1 and failed["dbt_tests"]["failed"] == 0
    docs = stack.root / "warehouse" / "data_docs" / failed["run_id"]
    pages = [path.read_text() for path in docs.rglob("*.html")]
    assert any("(rows written by this run)" in page for page in pages)
    assert any("(rows holding a key (order_id) written by this run)" in page for page in pages)
