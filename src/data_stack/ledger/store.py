"""SQLite-backed run ledger. SQLite because readers (status, dashboards) and the one writer never block.

A run's status: `running` while a process works on it, `waiting` when the stages run so far succeeded and the rest
are left to another command (an Airflow task runs each stage on its own), `success` once it published, `failed`.
The tables, and how a ledger written by an earlier release is upgraded, are in migrations.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from data_stack.ledger import migrations


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class StreamCounts:
    landed: int
    loaded: int
    quarantined: int


@dataclass
class RunRecord:
    run_id: str
    status: str
    started_at: str
    finished_at: str | None
    stage_seconds: dict[str, float] = field(default_factory=dict)
    streams: dict[str, StreamCounts] = field(default_factory=dict)
    dbt_tests: dict[str, int | None] = field(default_factory=dict)
    gx_expectations: dict[str, int | None] = field(default_factory=dict)
    gate_passed: bool | None = None
    published: bool = False
    command: str = ""
    error: str | None = None
    data_docs: str | None = None
    schema_drift: dict[str, list[str]] = field(default_factory=dict)
    files: list[dict[str, object]] = field(default_factory=list)  # the landing files this run accounted for
    note: str | None = None  # e.g. why a run did nothing

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["streams"] = {name: asdict(counts) for name, counts in self.streams.items()}
        return data


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = path
        migrations.upgrade(path)  # on an up-to-date ledger, one read of its version

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.execute("pragma journal_mode=wal")
            with conn:
                yield conn
        finally:
            conn.close()

    def start(self, run_id: str, command: str, pid: int) -> None:
        with self._connect() as conn:
            conn.execute(
                "insert into runs (run_id, command, status, started_at, pid) values (?, ?, 'running', ?, ?)",
                (run_id, command, utc_now(), pid),
            )

    def reopen(self, run_id: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "update runs set status = 'running', finished_at = null, error = null, pid = ? where run_id = ?",
                (os.getpid(), run_id),
            )

    def finish(self, run_id: str, status: str, error: str | None = None) -> None:
        with self._connect() as conn:
            conn.execute(
                "update runs set status = ?, finished_at = ?, error = ? where run_id = ?",
                (status, utc_now(), error, run_id),
            )

    def fail_interrupted(self) -> list[str]:
        """Mark runs left `running` by a killed process as failed. Call only while holding the run lock."""
        with self._connect() as conn:
            ids = [row[0] for row in conn.execute("select run_id from runs where status = 'running'")]
            conn.execute(
                "update runs set status = 'failed', finished_at = ?, "
                "error = 'interrupted: the process ended before the run finished' where status = 'running'",
                (utc_now(),),
            )
        return ids

    def record_stage(self, run_id: str, stage: str, seconds: float, status: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "insert or replace into stages (run_id, stage, seconds, status) values (?, ?, ?, ?)",
                (run_id, stage, round(seconds, 3), status),
            )

    def record_streams(self, run_id: str, streams: dict[str, StreamCounts]) -> None:
        with self._connect() as conn:
            conn.executemany(
                "insert or replace into streams (run_id, stream, landed, loaded, quarantined) values (?, ?, ?, ?, ?)",
                [(run_id, name, c.landed, c.loaded, c.quarantined) for name, c in streams.items()],
            )

    def record_files(self, run_id: str, files: list[dict[str, object]]) -> None:
        """Landing files of this run: ingested, quarantined, waiting, unrecognised (ingest/files.py)."""
        with self._connect() as conn:
            conn.execute("delete from files where run_id = ?", (run_id,))
            conn.executemany(
                "insert into files (run_id, path, status, stream, version, landed, loaded, quarantined, notes) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        f["path"],
                        f["status"],
                        f.get("stream"),
                        f.get("version"),
                        f.get("landed"),
                        f.get("loaded"),
                        f.get("quarantined"),
                        json.dumps(f.get("notes") or []),
                    )
                    for f in files
                ],
            )

    def record_quarantine_reasons(self, run_id: str, reasons: list[tuple[str, str, int]]) -> None:
        """(stream, reason, rows) of this run's quarantined rows; values in reasons are already masked."""
        with self._connect() as conn:
            conn.execute("delete from quarantine_reasons where run_id = ?", (run_id,))
            conn.executemany(
                "insert into quarantine_reasons (run_id, stream, reason, rows) values (?, ?, ?, ?)",
                [(run_id, stream, reason, rows) for stream, reason, rows in reasons],
            )

    def quarantine_reasons(self, run_id: str) -> list[tuple[str, str, int]]:
        with self._connect() as conn:
            return conn.execute(
                "select stream, reason, rows from quarantine_reasons where run_id = ? order by rows desc, stream",
                (run_id,),
            ).fetchall()

    def record_quality(
        self,
        run_id: str,
        *,
        gate_passed: bool,
        dbt_tests: dict[str, int],
        gx_expectations: dict[str, int],
        data_docs: str | None,
    ) -> None:
        with self._connect() as conn:
            conn.execute(
                "update runs set gate_passed = ?, dbt_tests_passed = ?, dbt_tests_failed = ?, "
                "dbt_tests_warned = ?, gx_expectations_passed = ?, gx_expectations_failed = ?, "
                "gx_expectations_warned = ?, data_docs = ? where run_id = ?",
                (
                    int(gate_passed),
                    dbt_tests.get("passed"),
                    dbt_tests.get("failed"),
                    dbt_tests.get("warned"),
                    gx_expectations.get("passed"),
                    gx_expectations.get("failed"),
                    gx_expectations.get("warned"),
                    data_docs,
                    run_id,
                ),
            )

    def record_drift(self, run_id: str, drift: dict[str, list[str]]) -> None:
        with self._connect() as conn:
            conn.execute("update runs set schema_drift = ? where run_id = ?", (json.dumps(drift), run_id))

    def record_fingerprint(self, run_id: str, fingerprint: str) -> None:
        """What the run's build depends on besides the data (pipeline/noop.py)."""
        with self._connect() as conn:
            conn.execute("update runs set inputs_fingerprint = ? where run_id = ?", (fingerprint, run_id))

    def fingerprint(self, run_id: str) -> str | None:
        with self._connect() as conn:
            row = conn.execute("select inputs_fingerprint from runs where run_id = ?", (run_id,)).fetchone()
        return row[0] if row else None

    def record_note(self, run_id: str, note: str) -> None:
        with self._connect() as conn:
            conn.execute("update runs set note = ? where run_id = ?", (note, run_id))

    def mark_published(self, run_id: str) -> None:
        with self._connect() as conn:
            conn.execute("update runs set published = 1 where run_id = ?", (run_id,))

    def runs(self, limit: int | None = None, *, files: bool = True) -> list[RunRecord]:
        """Newest first; `limit` runs, or all; `files=False` leaves out the landing file lists."""
        chosen = "select run_id from runs order by started_at desc, run_id desc limit ?"
        return self._load(chosen, (int(limit) if limit else -1,), files=files)

    def get(self, run_id: str) -> RunRecord | None:
        found = self._load("select run_id from runs where run_id = ?", (run_id,))
        return found[0] if found else None

    def _load(self, chosen: str, params: tuple, *, files: bool = True) -> list[RunRecord]:
        """The runs whose ids `chosen` selects, with their stages, streams and files (only theirs: a run may list
        thousands of files)."""
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(
                f"select * from runs where run_id in ({chosen}) order by started_at desc, run_id desc", params
            ).fetchall()
            stages = conn.execute(
                f"select run_id, stage, seconds from stages where run_id in ({chosen}) order by rowid", params
            ).fetchall()
            streams = conn.execute(
                f"select run_id, stream, landed, loaded, quarantined from streams where run_id in ({chosen}) "
                "order by stream",
                params,
            ).fetchall()
            listed = (
                conn.execute(f"select * from files where run_id in ({chosen}) order by path", params).fetchall()
                if files
                else []
            )
        records = {row["run_id"]: _record(row) for row in rows}
        for row in stages:
            records[row["run_id"]].stage_seconds[row["stage"]] = row["seconds"]
        for row in streams:
            records[row["run_id"]].streams[row["stream"]] = StreamCounts(
                row["landed"], row["loaded"], row["quarantined"]
            )
        for row in listed:
            item = dict(row)
            del item["run_id"]
            item["notes"] = json.loads(item["notes"] or "[]")
            records[row["run_id"]].files.append(item)
        return list(records.values())


def _record(row: sqlite3.Row) -> RunRecord:
    gate = row["gate_passed"]
    return RunRecord(
        run_id=row["run_id"],
        status=row["status"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        dbt_tests={
            "passed": row["dbt_tests_passed"],
            "failed": row["dbt_tests_failed"],
            "warned": row["dbt_tests_warned"],
        },
        gx_expectations={
            "passed": row["gx_expectations_passed"],
            "failed": row["gx_expectations_failed"],
            "warned": row["gx_expectations_warned"],
        },
        gate_passed=None if gate is None else bool(gate),
        published=bool(row["published"]),
        command=row["command"],
        error=row["error"],
        data_docs=row["data_docs"],
        schema_drift=json.loads(row["schema_drift"] or "{}"),
        note=row["note"],
    )


def dumps(records: list[RunRecord]) -> str:
    return json.dumps([record.to_json() for record in records], indent=2)
