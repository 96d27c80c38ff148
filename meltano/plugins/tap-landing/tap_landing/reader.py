"""Read one stream's new landing files into final bronze Parquet files (with lineage) and the `bad` temp table.

Each file is prepared on its own (prepare.py: framed, counted, decoded) in a thread ahead of DuckDB, which releases
the GIL while it works. A plain file (plain.py) goes to the fast path (fast.py): batches of such files are typed,
checked and written by one DuckDB statement each, good rows only. Every other file, and every plain file the fast
path gives back, takes its format's per-record path (csv_records.py, json_records.py), where each row gets its
`_reason`. Every record ends in a bronze file or in `bad` with a one-line `_reason`; per file, `read` counts them
so the tap can hold it against the framing count (`landed`).
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import duckdb

from tap_landing.bronze import Lineage, write
from tap_landing.changes import LandingFileChanged, stamp
from tap_landing.csv_records import read_groups, write_copy
from tap_landing.fast import Member, Written, write_batch
from tap_landing.json_records import JsonBuffer, json_select
from tap_landing.prepare import Prepared, prepare
from tap_landing.spec import StreamSpec, literal, q
from tap_landing.typed import empty_select

QUARANTINE_COLUMNS = "_source_file varchar, _row_number bigint, _reason varchar, _raw varchar"
BATCH_BYTES = 128 * 2**20  # plain files per fast statement: large enough for DuckDB's parallel readers, small
# enough that the framing of the next batch overlaps the statement
AHEAD = 4  # files framed ahead of DuckDB (their bytes are held meanwhile)


@dataclass
class ReadResult:
    read: dict[str, int]  # relpath -> records in good + bad
    loaded: dict[str, int]
    quarantined: dict[str, int]
    extra_columns: list[str]
    files: list[str] = field(default_factory=list)  # the stream's bronze Parquet files (at least one)
    quarantine: str | None = None  # its quarantine Parquet file, when a row was quarantined


def read_stream(
    conn: duckdb.DuckDBPyConnection,
    spec: StreamSpec,
    prepared: Iterable[Prepared],
    scratch: str,
    out: str | None = None,
    lineage: Lineage | None = None,
    on_file: Callable[[Prepared], None] = lambda item: None,
) -> ReadResult:
    """`prepared` yields one prepared file at a time (in a thread of its own); the Parquet files go to `out`
    (default `scratch`), and the view `good` reads them back without their lineage columns."""
    out, lineage = out or scratch, lineage or Lineage.now(None)
    conn.execute(f"create or replace temp table bad ({QUARANTINE_COLUMNS})")
    pending = JsonBuffer(conn)
    groups: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)  # CSV header -> (copy, relpath)
    extras: list[str] = []
    fast = _FastBatches(conn, spec, out, lineage)
    for number, item in enumerate(_ahead(prepared)):
        _insert_rejected(conn, item)
        extras += [name for name in item.header if name not in spec.columns and name not in extras]
        if item.content is not None or item.location is not None:  # plain: DuckDB reads it as it is
            path = item.location or os.path.join(scratch, f"{spec.name}-{number}.{spec.format}")
            if item.location is None:
                with open(path, "wb") as handle:
                    handle.write(item.content)
            item.content = None  # the file (or its copy) holds it
            fast.add(path, item)
        elif item.records and spec.format == "csv":
            copy = os.path.join(scratch, f"{spec.name}-{number}.csv")
            write_copy(copy, item)
            groups[tuple(item.header)].append((copy, item.relpath))
        elif item.records:
            pending.add(item)
        on_file(item)
    fast.flush()
    partial: dict[str, int] = {}  # relpath -> good rows the fast path wrote for a file it gives back
    for number, (path, item, loaded) in enumerate(fast.back()):
        if loaded:
            partial[item.relpath] = loaded
        copy = os.path.join(scratch, f"{spec.name}-back-{number}.csv")
        _per_record(conn, spec, path, item, pending, groups, copy)
    pending.flush()
    selects = read_groups(conn, spec, groups, extras) if spec.format == "csv" else [json_select(spec)]
    conn.execute(
        "create or replace temp table typed as " + " union all by name ".join([*selects, empty_select(spec, extras)])
    )
    conn.execute("insert into bad select _source_file, _row_number, _reason, _raw from typed where _reason <> ''")
    slow = dict(conn.execute("select _source_file, count(*) from typed where _reason = '' group by 1").fetchall())
    # a file given back keeps the rows the fast path wrote when the per-record path finds the same good rows (its
    # broken rows then come from there); otherwise its fast rows are taken out again
    kept = sorted(relpath for relpath, rows in partial.items() if slow.get(relpath, 0) == rows)
    fast.keep({relpath: partial[relpath] for relpath in kept})
    fast.remove(sorted(set(partial) - set(kept)))
    slow = {relpath: rows for relpath, rows in slow.items() if relpath not in kept}
    loaded = {**slow, **fast.loaded}
    files = fast.files()
    if sum(slow.values()) or not files:
        ordered = [q(name) for name in spec.columns] + [q(name) for name in extras] + ["_source_file"]
        path = os.path.join(out, f"{spec.name}-{len(fast.written) + 1}.parquet")
        where = f"_reason = '' and not list_contains({_list(kept)}, _source_file)"
        write(conn, f"select {', '.join(ordered)} from typed where {where}", path, lineage, spec.name)
        files.append(path)
    quarantined = dict(conn.execute("select _source_file, count(*) from bad group by 1").fetchall())
    quarantine = None
    if quarantined:
        quarantine = os.path.join(out, f"{spec.name}.quarantine.parquet")
        write(conn, "select * from bad order by all", quarantine, lineage, spec.name)
    conn.execute(
        "create or replace temp view good as select * exclude (_loaded_at, _run_id) from "
        f"read_parquet({_list(files)}, union_by_name = true)"
    )
    read = {path: loaded.get(path, 0) + quarantined.get(path, 0) for path in set(loaded) | set(quarantined)}
    extra_columns = extras if spec.format == "csv" else []
    return ReadResult(read, loaded, quarantined, extra_columns, files, quarantine)


class _FastBatches:
    """Plain files gathered into batches (per CSV header), each written by one statement once it is large enough."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, spec: StreamSpec, out: str, lineage: Lineage) -> None:
        self.conn, self.spec, self.out, self.lineage = conn, spec, out, lineage
        self.batches: dict[tuple[str, ...], list[tuple[str, Prepared]]] = defaultdict(list)
        self.sizes: dict[tuple[str, ...], int] = defaultdict(int)
        self.written: list[tuple[Written, list[tuple[str, Prepared]]]] = []
        self.loaded: dict[str, int] = {}

    def add(self, path: str, item: Prepared) -> None:
        key = tuple(item.header)
        self.batches[key].append((path, item))
        self.sizes[key] += item.size
        if self.sizes[key] >= BATCH_BYTES:
            self._write(key)

    def flush(self) -> None:
        for key in list(self.batches):
            self._write(key)

    def _write(self, key: tuple[str, ...]) -> None:
        batch = self.batches.pop(key)
        self.sizes.pop(key)
        header = list(key) if self.spec.format == "csv" else None
        extras = [name for name in key if name not in self.spec.columns]
        path = os.path.join(self.out, f"{self.spec.name}-{len(self.written) + 1}.parquet")
        members = [Member(copy, item.relpath, item.landed) for copy, item in batch]
        written = write_batch(self.conn, self.spec, members, header, extras, path, self.lineage)
        for copy, item in batch:
            if item.stamp is not None and stamp(copy) != item.stamp:
                raise LandingFileChanged(item.relpath)
        self.written.append((written, batch))
        for _, item in batch:
            rows = written.loaded.get(item.relpath, 0)
            if item.relpath not in written.refused and rows == item.landed:
                self.loaded[item.relpath] = rows

    def back(self) -> Iterator[tuple[str, Prepared, int]]:
        """(path, item, good rows written) of every file the per-record path must read."""
        for written, batch in self.written:
            for path, item in batch:
                if item.relpath not in self.loaded:
                    yield path, item, written.loaded.get(item.relpath, 0)

    def keep(self, rows: dict[str, int]) -> None:
        """Files given back whose good rows the per-record path confirmed: their written rows stay."""
        self.loaded.update(rows)

    def remove(self, relpaths: list[str]) -> None:
        """Take these files' rows out of the written files again (their rows come from the per-record path)."""
        for written, _ in self.written:
            if written.path and set(relpaths) & set(written.loaded):
                kept = f"{written.path}.kept"
                os.replace(written.path, kept)
                self.conn.execute(
                    "create or replace temp table fast_kept as select * exclude (_loaded_at, _run_id) from "
                    f"read_parquet({literal(kept)}) where not list_contains({_list(relpaths)}, _source_file)"
                )
                write(self.conn, "select * from fast_kept", written.path, self.lineage, self.spec.name)
                self.conn.execute("drop table fast_kept")
                os.remove(kept)

    def files(self) -> list[str]:
        """The written files holding loaded rows; the others (every row given back) are deleted."""
        files = []
        for written, _ in self.written:
            if written.path and set(written.loaded) & set(self.loaded):
                files.append(written.path)
            elif written.path:
                os.remove(written.path)
        return files


def _ahead(items: Iterable[Prepared]) -> Iterator[Prepared]:
    """`items` produced in a thread, up to AHEAD ahead of the consumer: the framing overlaps DuckDB's work."""
    handoff: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        handoff.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            handoff.put(done)
        except BaseException as error:
            handoff.put(error)

    thread = threading.Thread(target=produce, name="tap-landing-framing", daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _per_record(
    conn: duckdb.DuckDBPyConnection, spec: StreamSpec, path: str, item: Prepared, pending: JsonBuffer, groups, copy: str
) -> None:
    """A file the fast path gave back: framed and read record by record, with record numbers and reasons (a CSV
    file through a normalised copy at `copy`)."""
    with open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise LandingFileChanged(item.relpath)
    framed = prepare(item.relpath, data, spec.format, list(spec.columns), spec.required, spec.encoding, direct=False)
    item.landed, item.records, item.rejected = framed.landed, framed.records, framed.rejected
    item.encoding, item.compression, item.warnings = framed.encoding, framed.compression, framed.warnings
    item.header, item.delimiter = framed.header, framed.delimiter
    _insert_rejected(conn, item)
    if item.records and spec.format == "csv":
        write_copy(copy, item)
        groups[tuple(item.header)].append((copy, item.relpath))
    elif item.records:
        pending.add(item)


def _insert_rejected(conn: duckdb.DuckDBPyConnection, item: Prepared) -> None:
    if item.rejected:
        conn.executemany(
            "insert into bad values (?, ?, ?, ?)",
            [(item.relpath, row.row, row.reason, row.raw) for row in item.rejected],
        )


def _list(items: list[str]) -> str:
    """A SQL list of text literals (typed, so an empty one compares with text)."""
    return "[" + ", ".join(literal(item) for item in items) + "]::varchar[]"
