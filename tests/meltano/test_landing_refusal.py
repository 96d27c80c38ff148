"""Only regular files really inside the landing root are read: links, pipes and keys beside the S3 prefix are refused
with a reason and never opened (packages/landing-rules, docs/sources.md)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import duckdb
import pytest

from tests.tools import free_port

from .conftest import run_plugin, tap_config
from .landing_files import good_orders, write

MARKER = "MARKER-outside-landing-5c1e"
THROUGH_LINK = "reached through a linked folder outside the landing folder: not read"


@pytest.fixture
def drop(tmp_path: Path) -> tuple[Path, Path]:
    """A landing folder beside a private one, and every kind of entry named like an orders file."""
    landing, private = tmp_path / "landing", tmp_path / "private"
    good_orders(landing)
    secret = write(private / "passwd", f"root:x:0:0:{MARKER}:/root:/bin/bash\n")
    write(private / "orders/orders_2026-01-05.csv", f"order_id\n{MARKER}\n")
    orders = landing / "orders"
    (orders / "orders_2026-01-02.csv").symlink_to(secret)  # out of the root
    (orders / "orders_2026-01-03.csv").symlink_to(orders / "orders_2026-01-01.csv")  # inside the root
    (orders / "orders_2026-01-04.csv").symlink_to(private / "missing")  # dangling
    os.mkfifo(orders / "orders_2026-01-06.csv")  # opening it for reading would block forever
    (landing / "linked").symlink_to(private, target_is_directory=True)
    return landing, private


def _listing(landing: Path, pattern: str = "orders/orders_*.csv"):
    from tap_landing.files import list_files

    with duckdb.connect() as conn:
        return list_files(conn, str(landing), pattern, {}, 0)


@pytest.mark.timeout(60)
def test_only_regular_files_inside_the_root_are_listed(drop):
    landing, _ = drop
    listing = _listing(landing)
    assert [item.relpath for item in listing.new] == ["orders/orders_2026-01-01.csv"]
    refused = dict(listing.refused)
    assert refused["orders/orders_2026-01-02.csv"] == "a symbolic link to a file outside the landing folder: not read"
    assert refused["orders/orders_2026-01-03.csv"].startswith("a symbolic link: not read")
    assert refused["orders/orders_2026-01-04.csv"] == "a symbolic link to nothing: not read"
    assert refused["orders/orders_2026-01-06.csv"].startswith("a named pipe (FIFO)")
    assert len(refused) == 4


@pytest.mark.timeout(60)
def test_a_file_reached_through_a_linked_folder_is_refused(drop):
    landing, _ = drop
    listing = _listing(landing, "linked/orders/orders_*.csv")
    assert not listing.new
    (refused,) = listing.refused
    assert refused == ("linked/orders/orders_2026-01-05.csv", THROUGH_LINK)


def test_a_socket_is_refused(tmp_path):
    landing = tmp_path / "l"
    (landing / "orders").mkdir(parents=True)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(landing / "orders/orders_2026-01-07.csv"))
        listing = _listing(landing)
    assert [reason for _, reason in listing.refused] == ["a socket, not a regular file: not read"]


def test_a_file_swapped_for_a_link_after_listing_is_not_opened(drop, tmp_path):
    from tap_landing.changes import LandingFileChanged
    from tap_landing.files import LandingFile
    from tap_landing.streams import _fetch

    landing, private = drop
    path = landing / "orders/orders_2026-01-01.csv"
    item = _listing(landing).new[0]
    path.unlink()
    path.symlink_to(private / "passwd")
    with duckdb.connect() as conn, pytest.raises(LandingFileChanged):
        _fetch(conn, item)
    fifo = LandingFile(str(landing / "orders/orders_2026-01-06.csv"), "orders/orders_2026-01-06.csv")
    with duckdb.connect() as conn, pytest.raises(LandingFileChanged):
        _fetch(conn, fifo)  # returns at once: a pipe is never waited on


@pytest.mark.timeout(120)
def test_the_tap_never_reads_a_refused_entry(drop, tmp_path):
    landing, _ = drop
    messages = run_plugin("tap_landing.tap", tap_config(landing, batch_root=tmp_path / "batches"), tmp_path)
    written = [uri.removeprefix("file://") for m in messages if m["type"] == "BATCH" for uri in m["manifest"]]
    assert written
    with duckdb.connect() as conn:
        for path in written:
            text = conn.execute(f"select string_agg(t::varchar, '') from read_parquet('{path}') as t").fetchone()[0]
            assert MARKER not in (text or ""), path
            files = conn.execute(f"select distinct _source_file from read_parquet('{path}')").fetchall()
            assert files == [("orders/orders_2026-01-01.csv",)], path
    states = [m["value"] for m in messages if m["type"] == "STATE"]
    assert list(states[-1]["bookmarks"]["orders__orders"]["files"]) == ["orders/orders_2026-01-01.csv"]


def test_s3_reads_only_keys_under_the_prefix():
    moto_server = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    from duckdb_s3 import enable_s3
    from tap_landing.files import list_files

    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        s3 = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
        )
        s3.create_bucket(Bucket="drop")
        for key in (
            "landing/clickstream/2026-01-01/events_00.jsonl",
            "landing-other/clickstream/2026-01-01/events_01.jsonl",  # beside the prefix
            "landing/clickstream/../events_02.jsonl",  # an HTTP client may resolve it elsewhere
            "landing/clickstream/./events_03.jsonl",
        ):
            s3.put_object(Bucket="drop", Key=key, Body=b'{"event_id": "e"}\n')
        with duckdb.connect() as conn:
            enable_s3(conn, env={"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t", "S3_ENDPOINT_URL": endpoint})
            for root in ("s3://drop/landing", "s3://drop/landing/"):
                listing = list_files(conn, root, "clickstream/*/events_*.jsonl", {}, 0)
                assert [item.uri for item in listing.new] == [
                    "s3://drop/landing/clickstream/2026-01-01/events_00.jsonl"
                ]
                assert not listing.waiting
                assert sorted(path for path, _ in listing.refused) == [
                    "clickstream/../events_02.jsonl",
                    "clickstream/./events_03.jsonl",
                ]
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("uri", "refused"),
    [
        ("s3://b/landing/orders/orders_1.csv", False),
        ("s3://b/landing-other/orders/orders_1.csv", True),
        ("s3://b/landingorders/orders_1.csv", True),
        ("s3://b/landing//orders_1.csv", True),
        ("s3://b/landing/orders/../orders_1.csv", True),
    ],
)
def test_a_key_is_read_only_under_the_prefix_and_its_slash(uri, refused):
    from landing_rules import remote_refusal

    assert (remote_refusal("s3://b/landing", uri) is not None) is refused
