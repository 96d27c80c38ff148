"""A shared landing drop through the real `data-stack run`, next to the generated demo data: links named like data
files (one to a private file outside the drop) and a named pipe are refused, never read, and listed; values that
differ from the accepted ones only in case and surrounding spaces load and reach the marts in one spelling."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from .conftest import Stack

pytestmark = pytest.mark.slow

MARKER = "MARKER-private-file-9d27"
ORDERS = "order_id,customer_id,order_ts,status,channel,currency,shipping_fee"
CUSTOMERS = "customer_id,first_name,last_name,email,phone,street_address,city,region,country,signed_up_at,updated_at"
LINK_OUT = "orders/orders_2026-04-01.csv"
LINK_OUT_CSV_STREAM = "market/indicators_2026-04-01.csv"
PIPE = "orders/orders_2026-04-02.csv"
SPACED_ORDERS = "orders/orders_2026-04-03.csv"
SPACED_CUSTOMERS = "customers/customers_2026-04-03.csv"


def _write(landing: Path, path: str, text: str) -> None:
    target = landing / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("shared-drop"))
    stack.generate()
    landing = stack.root / "landing"
    private = stack.root / "private"
    private.mkdir()
    secret = private / "passwd"
    secret.write_text(f"{ORDERS}\n1,1,2026-04-01T00:00:00Z,{MARKER},web,USD,1.00\nroot:x:0:0:{MARKER}:/root\n")
    (landing / LINK_OUT).symlink_to(secret)
    (landing / LINK_OUT_CSV_STREAM).symlink_to(secret)
    os.mkfifo(landing / PIPE)  # opening it for reading would wait for a writer forever
    _write(
        landing,
        SPACED_CUSTOMERS,
        f"{CUSTOMERS}\n920000001,Ada,Lovelace,ada@example.com,555-010-0001,1 Main St,Boston, NORTHEAST ,US,"
        "2026-01-01T00:00:00Z,\n",
    )
    _write(
        landing,
        SPACED_ORDERS,
        f"{ORDERS}\n920000001,920000001,2026-04-03T10:00:00Z, Shipped , WEB,usd ,4.99\n"
        "920000002,920000001,2026-04-03T11:00:00Z,DELIVERED  ,mobile,USD,4.99\n",
    )
    result = stack.cli("run", check=False, timeout=900)  # a read of the pipe would hang until this timeout
    return stack, result, stack.runs()[0]


def test_the_run_succeeds_and_publishes(shared):
    _, result, run = shared
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert run["status"] == "success" and run["published"]


def test_links_and_the_pipe_are_listed_as_refused(shared):
    _, result, run = shared
    files = {item["path"]: item for item in run["files"]}
    for path in (LINK_OUT, LINK_OUT_CSV_STREAM):
        assert files[path]["status"] == "refused", files[path]
        assert files[path]["notes"][0].startswith("a symbolic link to a file outside the landing folder: not read")
        assert files[path]["landed"] is None
    assert files[PIPE]["status"] == "refused"
    assert files[PIPE]["notes"][0].startswith("a named pipe (FIFO)")
    assert "refused" in result.stdout


def test_nothing_of_the_private_file_reaches_the_lake(shared):
    stack, _, _ = shared
    with duckdb.connect() as conn:
        files = [
            row[0] for row in conn.execute("select file from glob(?)", [f"{stack.root}/lake/**/*.parquet"]).fetchall()
        ]
        assert any("/quarantine/" in path for path in files) and any("/bronze/" in path for path in files)
        for path in files:
            hits = conn.execute(
                "select count(*) from read_parquet(?) as t where contains(t::varchar, ?)", [path, MARKER]
            ).fetchone()[0]
            assert hits == 0, path
        sources = {
            row[0]
            for row in conn.execute(
                "select distinct _source_file from read_parquet(?, union_by_name = true)",
                [[path for path in files if "/vehicles/" not in path and "/_" not in path]],
            ).fetchall()
        }
    assert not sources & {LINK_OUT, LINK_OUT_CSV_STREAM, PIPE}


def test_values_with_spaces_and_case_load_in_one_spelling(shared):
    stack, _, run = shared
    files = {item["path"]: item for item in run["files"]}
    assert (files[SPACED_ORDERS]["loaded"], files[SPACED_ORDERS]["quarantined"]) == (2, 0)
    assert (files[SPACED_CUSTOMERS]["loaded"], files[SPACED_CUSTOMERS]["quarantined"]) == (1, 0)
    with duckdb.connect(str(stack.current), read_only=True) as conn:
        orders = conn.execute(
            "select order_id, status, channel, currency_code from staging.stg_orders__orders "
            "where order_id in (920000001, 920000002) order by 1"
        ).fetchall()
        published = conn.execute(
            "select order_id, status from marketing.orders where order_id in (920000001, 920000002) order by 1"
        ).fetchall()
        region = conn.execute("select region from marketing.customers where customer_id = 920000001").fetchone()
    assert orders == [(920000001, "shipped", "web", "USD"), (920000002, "delivered", "mobile", "USD")]
    assert published == [(920000001, "shipped"), (920000002, "delivered")]
    assert region == ("Northeast",)
