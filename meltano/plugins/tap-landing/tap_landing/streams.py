"""One Singer stream per landing source stream, plus the quarantine stream they share."""

from __future__ import annotations

import os
import stat
import tempfile
import typing as t
from datetime import UTC, datetime

import duckdb
from duckdb_s3 import enable_s3
from singer_sdk import Stream
from singer_sdk.helpers._batch import BaseBatchFileEncoding, BatchConfig

from tap_landing.changes import LandingFileChanged, stamp
from tap_landing.files import LandingFile, list_files
from tap_landing.prepare import Prepared, prepare
from tap_landing.reader import ReadResult, read_stream
from tap_landing.spec import StreamSpec
from tap_landing.types import json_schema

QUARANTINE_STREAM = "_quarantine"
DEFAULT_SETTLE_SECONDS = 2  # a file changed more recently than this is still being written
QUARANTINE_SCHEMA = {
    "type": "object",
    "properties": {
        "_stream": {"type": ["string"]},
        "_source_file": {"type": ["string", "null"]},
        "_row_number": {"type": ["integer", "null"]},
        "_reason": {"type": ["string"]},
        "_raw": {"type": ["string", "null"]},
    },
}


class QuarantineStream(Stream):
    """Rows the data streams could not load. Synced first (SCHEMA only); data streams emit its batches/records
    right before their own, so a file's quarantined rows and its state advance in the same run of messages."""

    name = QUARANTINE_STREAM
    schema = QUARANTINE_SCHEMA
    primary_keys: t.ClassVar[list[str]] = []

    def get_records(self, context: dict | None) -> t.Iterable[dict]:
        return []

    def get_batches(self, batch_config: BatchConfig, context: dict | None = None):
        return iter(())


class LandingStream(Stream):
    replication_method = "FULL_TABLE"  # incremental by file: the state lists ingested files

    def __init__(self, tap, spec: StreamSpec, quarantine: QuarantineStream) -> None:
        self.spec = spec
        self.quarantine = quarantine
        properties = {name: json_schema(sql_type) for name, sql_type in spec.columns.items()}
        properties["_source_file"] = {"type": ["string"]}
        schema = {"type": "object", "properties": properties, "required": list(spec.required)}
        super().__init__(tap, schema=schema, name=spec.name)
        self.primary_keys = []

    @property
    def is_sorted(self) -> bool:
        return False

    # -- shared: read new files into final Parquet files (with lineage) in `out` and the DuckDB temp table `bad`
    def _read(self, conn: duckdb.DuckDBPyConnection, out: str) -> list[tuple[LandingFile, Prepared]]:
        seen = self.stream_state.setdefault("files", {})
        settle = self.config.get("settle_seconds", DEFAULT_SETTLE_SECONDS)
        listing = list_files(conn, self.config["landing_uri"], self.spec.pattern, seen, settle)
        for relpath in listing.waiting:
            self.logger.warning("%s: %s is still being written; it waits for the next run", self.name, relpath)
        for relpath, reason in listing.refused:
            self.logger.warning("%s: %s is %s", self.name, relpath, reason)
        done: list[tuple[LandingFile, Prepared]] = []
        fetcher = conn.cursor()  # the files are fetched and framed in a thread of their own (reader.py)

        def prepared() -> t.Iterator[Prepared]:
            for item in listing.new:
                local = "://" not in item.uri
                before = stamp(item.uri) if local else None
                result = prepare(
                    item.relpath,
                    _fetch(fetcher, item),
                    self.spec.format,
                    list(self.spec.columns),
                    self.spec.required,
                    self.spec.encoding,
                )
                if result.content is not None and local:  # DuckDB reads it where it is (checked unchanged after)
                    result.location, result.stamp, result.content = item.uri, before, None
                if item.previous_sha256 == result.sha256:  # touched, same content: not a new version
                    seen[item.relpath].update(size=item.size, modified=item.modified)
                    continue
                if item.version > 1:
                    self.logger.warning(
                        "%s: %s was delivered again (version %d)", self.name, item.relpath, item.version
                    )
                done.append((item, result))
                yield result

        if not listing.new:
            self.logger.info("%s: no new landing files", self.name)
            return []
        with tempfile.TemporaryDirectory(prefix="tap-landing-copies-") as scratch:
            result = read_stream(conn, self.spec, prepared(), scratch, out, self._tap.lineage)
        fetcher.close()
        for item, prepared_file in done:  # after the read: a file the fast path gave back is framed there
            for warning in prepared_file.warnings:
                self.logger.warning("%s: %s: %s", self.name, item.relpath, warning)
        if result.extra_columns:
            self.logger.warning(
                "%s: schema drift, extra column(s) kept as VARCHAR: %s",
                self.name,
                ", ".join(result.extra_columns),
            )
        _check_accounting(done, result)
        self._counts = result
        return done

    def _remember(self, done: list[tuple[LandingFile, Prepared]]) -> None:
        seen = self.stream_state.setdefault("files", {})
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        for item, prepared in done:
            seen[item.relpath] = {
                "landed": prepared.landed,
                "loaded": self._counts.loaded.get(item.relpath, 0),
                "quarantined": self._counts.quarantined.get(item.relpath, 0),
                "size": item.size,
                "modified": item.modified,
                "sha256": prepared.sha256,
                "version": item.version,
                "encoding": prepared.encoding,
                "compression": prepared.compression,
                "warnings": prepared.warnings,
                "run_id": self.config.get("run_id"),
                "ingested_at": stamp,
            }

    # -- BATCH mode: the final bronze and quarantine Parquet files, written by DuckDB; target-lake moves them
    def get_batches(self, batch_config: BatchConfig, context: dict | None = None):
        root = batch_config.storage.root.removeprefix("file://")
        run_dir = os.path.join(root, self.config.get("run_id") or "adhoc")
        os.makedirs(run_dir, exist_ok=True)
        encoding = BaseBatchFileEncoding(format="parquet")
        with _connect(self.config) as conn:
            done = self._read(conn, run_dir)
            if not done:
                return
            if self._counts.quarantine:
                self.quarantine._write_batch_message(encoding=encoding, manifest=[f"file://{self._counts.quarantine}"])
                self.logger.warning("%s: %d rows quarantined", self.name, sum(self._counts.quarantined.values()))
            self._remember(done)
            yield encoding, [f"file://{path}" for path in self._counts.files]

    # -- RECORD mode: the same reader, rows emitted as Singer RECORD messages
    def get_records(self, context: dict | None) -> t.Iterable[dict]:
        with _connect(self.config) as conn, tempfile.TemporaryDirectory(prefix="tap-landing-records-") as out:
            done = self._read(conn, out)
            if not done:
                return
            for record in _rows(conn, "select * from bad order by all"):
                self.quarantine._write_record_message({"_stream": self.name, **record})
            yield from _rows(conn, "select * from good")
            self._remember(done)


class AccountingError(RuntimeError):
    """A file's framed record count differs from the rows the typed reader loaded plus quarantined."""


def _check_accounting(done: list[tuple[LandingFile, Prepared]], result: ReadResult) -> None:
    for item, prepared in done:
        read = result.read.get(item.relpath, 0)
        if read != prepared.landed:
            raise AccountingError(
                f"{item.relpath}: {prepared.landed} record(s) framed but {read} read "
                f"({result.loaded.get(item.relpath, 0)} loaded + {result.quarantined.get(item.relpath, 0)} "
                "quarantined); nothing of this stream was ingested. Move the file out of the landing zone and see "
                "docs/runbooks/quarantined-file.md"
            )


def _fetch(conn: duckdb.DuckDBPyConnection, item: LandingFile) -> bytes:
    if "://" in item.uri:
        return conn.execute("select content from read_blob(?)", [item.uri]).fetchone()[0]
    # listed as a regular file; should it have become a link or a pipe since, opening it neither follows the link
    # nor waits for a writer, and it is not read
    try:
        descriptor = os.open(item.uri, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise LandingFileChanged(item.relpath) from error
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise LandingFileChanged(item.relpath)
        return handle.read()


def _rows(conn: duckdb.DuckDBPyConnection, query: str) -> t.Iterator[dict]:
    cursor = conn.execute(query)
    names = [column[0] for column in cursor.description]
    while chunk := cursor.fetchmany(10_000):
        for row in chunk:
            yield {name: _jsonable(value) for name, value in zip(names, row, strict=True)}


def _jsonable(value: t.Any) -> t.Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat() if value.tzinfo is None else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class _connect:
    """A DuckDB connection with temp storage on disk, so large drops spill instead of failing."""

    def __init__(self, config: t.Mapping) -> None:
        self.config = config

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.tmp = tempfile.TemporaryDirectory(prefix="tap-landing-")
        self.conn = duckdb.connect()
        self.conn.execute(f"set temp_directory = '{self.tmp.name}'")
        self.conn.execute(f"set memory_limit = '{_memory_limit(self.config)}'")
        self.conn.execute("set preserve_insertion_order = true")
        self.conn.execute("set timezone = 'UTC'")
        if str(self.config.get("landing_uri", "")).startswith("s3://"):
            enable_s3(self.conn)
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()
        self.tmp.cleanup()


def _memory_limit(config: t.Mapping) -> str:
    """DuckDB's cap before it spills to the temp directory: `memory_limit` from the config, else 40% of RAM (the
    target and Meltano run beside the tap; DuckDB's own default of 80% left too little room for them)."""
    if config.get("memory_limit"):
        return str(config["memory_limit"])
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "4GB"
    return f"{max(1, int(total * 0.4) // 2**20)}MB"
