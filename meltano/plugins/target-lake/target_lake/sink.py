"""One sink per stream. BATCH files the tap wrote final (lineage included) are validated and moved into place;
other BATCH files are re-written into place by DuckDB (adding lineage columns); RECORD messages are buffered and
written as one Parquet file per drain."""

from __future__ import annotations

import json
import os
import typing as t
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
from duckdb_s3 import enable_s3
from singer_sdk.sinks import BatchSink

from target_lake.moved import Final, check_columns, final_file, move
from target_lake.writer import land

QUARANTINE_STREAM = "_quarantine"


class LakeSink(BatchSink):
    max_size = 100_000  # records per RECORD-mode file

    @property
    def run_id(self) -> str:
        return self.config.get("run_id") or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    def _land(self, conn: duckdb.DuckDBPyConnection, relation: str) -> None:
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        if self.stream_name == QUARANTINE_STREAM:
            streams = [row[0] for row in conn.execute(f"select distinct _stream from {relation}").fetchall()]
            for stream in streams:
                subset = f"(select * exclude (_stream) from {relation} where _stream = '{stream}')"
                path, rows = land(
                    conn,
                    subset,
                    lake_uri=self.config["lake_uri"],
                    zone="quarantine",
                    stream_name=stream,
                    run_id=self.run_id,
                    loaded_at=loaded_at,
                )
                self.logger.info("quarantined %d rows of %s to %s", rows, stream, path)
            return
        path, rows = land(
            conn,
            relation,
            lake_uri=self.config["lake_uri"],
            zone="bronze",
            stream_name=self.stream_name,
            run_id=self.run_id,
            loaded_at=loaded_at,
        )
        self.logger.info("landed %d rows to %s", rows, path)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        conn = duckdb.connect()
        if str(self.config["lake_uri"]).startswith("s3://"):
            enable_s3(conn)
        return conn

    def process_batch_files(self, encoding, files: t.Sequence[str]) -> None:
        with self._connect() as conn:
            for uri in files:
                path = uri.removeprefix("file://")
                final = final_file(path)
                if final is None:
                    self._land(conn, f"read_parquet('{path}')")
                else:
                    self._move(conn, final)
                if os.path.exists(path):
                    os.remove(path)

    def _move(self, conn: duckdb.DuckDBPyConnection, final: Final) -> None:
        """A file the tap wrote final: checked, then moved as it is (rewritten only when of another run)."""
        quarantine = self.stream_name == QUARANTINE_STREAM
        check_columns(final, [name for name in self.schema["properties"] if name != "_stream"])
        zone = "quarantine" if quarantine else "bronze"
        run_id = self.run_id
        if final.run_id == run_id:
            where = move(conn, final, lake_uri=self.config["lake_uri"], zone=zone, run_id=run_id)
        else:
            where, _ = land(
                conn,
                f"(select * exclude (_loaded_at, _run_id) from read_parquet('{final.path}'))",
                lake_uri=self.config["lake_uri"],
                zone=zone,
                stream_name=final.stream,
                run_id=run_id,
                loaded_at=datetime.now(UTC).replace(tzinfo=None),
            )
        self.logger.info("%s %d rows of %s to %s", zone, final.rows, final.stream, where)

    def process_batch(self, context: dict) -> None:
        records = context.get("records") or []
        if not records:
            return
        with self._connect() as conn:
            conn.register("records_buffer", _to_arrow(records))
            self._land(conn, "records_buffer")


def _to_arrow(records: list[dict]) -> pa.Table:
    """Records as an Arrow table; columns whose values disagree on type are kept as JSON text."""
    try:
        return pa.Table.from_pylist(records)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        names = list(dict.fromkeys(key for record in records for key in record))
        columns = {}
        for name in names:
            values = [record.get(name) for record in records]
            try:
                columns[name] = pa.array(values)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                columns[name] = pa.array([None if v is None else json.dumps(v, default=str) for v in values])
        return pa.table(columns)
