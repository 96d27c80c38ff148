"""One-line causes for the faults a running stack meets, from the lines and exceptions those faults really produce
(each sample below was taken from a run that met the fault)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from data_stack import diagnose
from data_stack.settings import Settings

BUSY = (
    "2026-12-07T13:54:29.332836Z [error    ] meltano      Another 'ci:tap-landing-to-target-lake' pipeline is already "
    "running which started at 2026-12-07 13:54:25.636189+00:00. Wait until 2026-12-07 13:59:26.010764+00:00 when the "
    "job will be automatically cancelled if stale, or ignore this check using the '--force' option."
)
BLOCK = "2026-12-07T13:54:29.333511Z [error    ] meltano      Block run completed"
ENDPOINT = 'EndpointConnectionError: Could not connect to the endpoint URL: "http://127.0.0.1:52957/northwind/lake/x"'


def _log(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "meltano.log"
    path.write_text("\n".join(["2026-12-07T13:54:28Z [info     ] meltano      Environment 'ci' is active", *lines]))
    return path


def _s3(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, lake_uri="s3://northwind/lake", s3_endpoint_url="http://127.0.0.1:52957")


def test_a_job_meltano_holds_is_the_cause_not_the_last_line(tmp_path):
    cause = diagnose.cause_in_log(_log(tmp_path, BUSY, BLOCK), Settings(data_dir=tmp_path))
    assert cause is not None
    assert cause.reason == "Meltano holds job ci:tap-landing-to-target-lake as running since 2026-12-07 13:54:25 UTC"
    assert "Block run completed" not in cause.reason and "run again" in cause.action


def test_an_object_store_that_went_away_is_named_with_its_endpoint(tmp_path):
    log = _log(tmp_path, "Traceback (most recent call last):", ENDPOINT, "[error    ] Extractor failed", BLOCK)
    cause = diagnose.cause_in_log(log, _s3(tmp_path))
    assert cause is not None and cause.reason.startswith("The object store at http://127.0.0.1:52957 did not answer")
    # On a local lake a refused connection is not the object store's doing.
    assert diagnose.cause_in_log(log, Settings(data_dir=tmp_path)) is None


def test_a_full_disk_in_a_log_is_named_with_the_space_left(tmp_path):
    line = "OSError: [Errno 28] No space left on device: '/data/warehouse/build/x.duckdb'"
    cause = diagnose.cause_in_log(_log(tmp_path, line, BLOCK), Settings(data_dir=tmp_path))
    assert cause is not None and cause.reason.startswith(f"The disk holding {tmp_path.resolve()}")
    assert "free of" in cause.reason and "published warehouse is unchanged" in cause.action


def test_disk_io_error_counts_as_full_only_when_space_is_low(tmp_path, monkeypatch):
    exc = sqlite3.OperationalError("disk I/O error")
    settings = Settings(data_dir=tmp_path)
    assert diagnose.cause_of(exc, settings) is None  # plenty of room here: some other I/O fault
    monkeypatch.setattr(diagnose, "LOW_SPACE", 1 << 62)
    cause = diagnose.cause_of(exc, settings)
    assert cause is not None and cause.reason.startswith("The disk holding")


def test_enospc_anywhere_in_the_chain_is_a_full_disk(tmp_path):
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as inner:
            raise RuntimeError("copy failed") from inner
    except RuntimeError as exc:
        cause = diagnose.cause_of(exc, Settings(data_dir=tmp_path))
    assert cause is not None and "is full" in cause.reason


@pytest.mark.parametrize("exc", [BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")])
def test_a_dropped_connection_on_an_s3_lake_is_the_object_store(tmp_path, exc):
    cause = diagnose.cause_of(exc, _s3(tmp_path))
    assert cause is not None and "object store at http://127.0.0.1:52957" in cause.reason
    assert diagnose.cause_of(exc, Settings(data_dir=tmp_path)) is None


def test_duckdb_listing_a_store_that_is_down_is_the_object_store(tmp_path):
    """DuckDB's own words when it lists the landing prefix of a store that is down."""
    exc = OSError(
        "IO Error: Could not connect to server error for HTTP GET to "
        "'http://127.0.0.1:52957/northwind/?encoding-type=url&list-type=2&prefix=landing%2F'"
    )
    cause = diagnose.cause_of(exc, _s3(tmp_path))
    assert cause is not None and "object store at http://127.0.0.1:52957 did not answer" in cause.reason


def test_the_first_telling_error_line_when_no_known_fault(tmp_path):
    extractor_failed = "2026-12-07T13:54:29Z [error    ] meltano      Extractor failed"
    log = _log(tmp_path, extractor_failed, "x [error ] bad plugin", BLOCK)
    assert diagnose.cause_in_log(log, Settings(data_dir=tmp_path)) is None
    assert diagnose.first_error(log) == "x [error ] bad plugin"
