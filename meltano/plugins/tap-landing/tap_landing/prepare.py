"""One landing file, before DuckDB types it: bytes → text → framed records → what the typed reader gets.

The result holds the file's independent record count (`landed`), the records set aside already (whole file or
single records, each with a reason), the normalised header of a CSV file and warnings for the run summary.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field

from tap_landing.framing import Framed, NotFramable, csv_records, json_records, jsonl_records
from tap_landing.plain import csv_count, jsonl_count
from tap_landing.text import INVALID, NUL, NotText, decode, decompress, printable

MAX_RECORD_CHARS = 2_000_000  # DuckDB's CSV line limit is 2 MB; a longer record is quarantined on its own
DELIMITERS = (",", ";", "\t", "|")
SEP_HINT = re.compile(r"sep=(.)\s*\n", re.I)  # Excel's first-line delimiter hint


@dataclass
class Rejected:
    row: int | None  # 1-based record number, None for the file as a whole
    reason: str
    raw: str | None


@dataclass
class Prepared:
    relpath: str
    sha256: str
    landed: int = 0  # records framed; a file refused whole without records counts as one
    records: list[tuple[int, str]] = field(default_factory=list)  # (record number, text) for the typed reader
    header: list[str] = field(default_factory=list)  # CSV: contract names where they match
    delimiter: str = ","
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    compression: str | None = None
    content: bytes | None = None  # a plain file, for DuckDB's reader as it is (plain.py, fast.py)
    size: int = 0  # bytes as delivered
    location: str | None = None  # a plain local file's path, read there by DuckDB (then `content` is dropped)
    stamp: tuple[int, int] | None = None  # its size and modification time (ns) before it was read


def prepare(
    relpath: str,
    data: bytes,
    fmt: str,
    columns: list[str],
    required: list[str],
    encoding: str | None,
    *,
    direct: bool = True,
) -> Prepared:
    """`direct`: a plain JSON-lines or CSV file is left whole for DuckDB's reader (fast.py), counted on its bytes
    (plain.py)."""
    result = Prepared(relpath, hashlib.sha256(data).hexdigest(), size=len(data))
    if direct and fmt == "jsonl":
        count = jsonl_count(data, encoding)
        if count is not None:
            result.landed, result.content = count, data
            return result
    if direct and fmt == "csv":
        plain = csv_count(data, encoding, columns, required)
        if plain is not None:
            (result.landed, result.header), result.content = plain, data
            return result
    try:
        content, result.compression = decompress(data, relpath)
        decoded = decode(content, encoding, guess_single_byte=fmt == "csv")
    except NotText as error:
        return _refuse_whole(result, str(error))
    result.encoding, result.warnings = decoded.encoding, list(decoded.warnings)
    text = decoded.text
    if not text.strip():
        return _refuse_whole(result, "empty file")
    if fmt == "csv":
        return _prepare_csv(result, text, columns, required)
    try:
        framed = jsonl_records(text) if fmt == "jsonl" else json_records(text)
    except NotFramable as error:
        return _refuse_whole(result, str(error))
    if framed.warning:
        result.warnings.append(framed.warning)
    _keep(result, list(enumerate(framed.records, start=1)))
    return result


def _prepare_csv(result: Prepared, text: str, columns: list[str], required: list[str]) -> Prepared:
    hint = SEP_HINT.match(text)
    if hint:
        text = text[hint.end() :]
    delimiter = hint.group(1) if hint else _delimiter(text, columns)
    if delimiter != ",":
        result.warnings.append(f"delimiter {delimiter!r} detected, not ','")
    result.delimiter = delimiter
    framed: Framed = csv_records(text, delimiter)
    data = list(enumerate(framed.records[1:], start=1))
    result.landed = len(data) + (1 if framed.unterminated is not None else 0)
    if framed.unterminated is not None:
        result.rejected.append(
            Rejected(
                result.landed,
                "unterminated quoted field: the record runs to the end of the file",
                printable(framed.unterminated[:10000]),
            )
        )
    if not framed.records:
        return _refuse_whole(result, "no header row")
    header, problem = _header(framed.records[0], delimiter, columns, result.warnings)
    missing = [name for name in required if name not in header]
    if problem or missing:
        reason = problem or f"file is missing required column(s): {', '.join(missing)}"
        result.rejected += [Rejected(number, reason, printable(record[:10000])) for number, record in data]
        return result
    result.header = header
    # a concatenated export repeats its header (often behind a byte-order mark): not data
    first = framed.records[0].lstrip("\ufeff")
    repeated = {number for number, record in data if record.lstrip("\ufeff") == first}
    result.rejected += [
        Rejected(number, "repeated header row", record[:10000]) for number, record in data if number in repeated
    ]
    _keep(result, [(n, r.lstrip("\ufeff")) for n, r in data if n not in repeated], count=False)
    return result


def _delimiter(text: str, columns: list[str]) -> str:
    """The delimiter that splits the header into the most contract column names (',' unless another wins)."""
    first = text.split("\n", 1)[0]
    wanted = {name.lower() for name in columns}

    def score(delimiter: str) -> int:
        return sum(name.strip().strip('"').strip().lower() in wanted for name in first.split(delimiter))

    best = max(DELIMITERS, key=lambda d: (score(d), d == ","))
    return best if score(best) > score(",") else ","


def _header(record: str, delimiter: str, columns: list[str], warnings: list[str]) -> tuple[list[str], str | None]:
    """Header names → contract names, matched ignoring case and surrounding spaces (reported as drift)."""
    if INVALID.search(record) or NUL in record:
        return [], "header row is not valid text"
    names = next(csv.reader(io.StringIO(record), delimiter=delimiter), [])
    by_key = {name.lower(): name for name in columns}
    header, renamed = [], []
    for index, raw in enumerate(names, start=1):
        cleaned = raw.strip().lstrip("\ufeff").strip()
        name = by_key.get(cleaned.lower(), cleaned) or f"column_{index}"
        if name != raw:
            renamed.append(f"{raw!r} → {name!r}")
        header.append(name)
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        return header, f"duplicate column(s) in header: {', '.join(duplicates)}"
    if renamed:
        warnings.append("header names normalised (case, spaces): " + ", ".join(renamed))
    return header, None


def _keep(result: Prepared, numbered: list[tuple[int, str]], *, count: bool = True) -> None:
    """Records go to the typed reader unless they hold invalid bytes, a NUL or are too long for it."""
    if count:
        result.landed = len(numbered)
    records = [record for _, record in numbered]
    joined = "\n".join(records)  # one scan of the whole file instead of one per record, in the common clean case
    valid = joined.isascii() or not INVALID.search(joined)  # surrogate escapes are never ASCII: skip the scan
    if max(map(len, records), default=0) <= MAX_RECORD_CHARS and valid and NUL not in joined:
        result.records.extend(numbered)
        return
    for number, record in numbered:
        reason = _record_problem(record)
        if reason:
            result.rejected.append(Rejected(number, reason, printable(record[:10000])))
        else:
            result.records.append((number, record))


def _record_problem(record: str) -> str | None:
    if len(record) > MAX_RECORD_CHARS:
        return f"record is longer than {MAX_RECORD_CHARS // 1_000_000} MB"
    if INVALID.search(record):
        return "not valid UTF-8 text (declare the stream's encoding if the file uses another one)"
    if NUL in record:
        return "record contains a NUL byte"
    return None


def _refuse_whole(result: Prepared, reason: str) -> Prepared:
    """A file without readable records: one quarantine row for the file, and it counts as one landed record."""
    result.landed = 1
    result.records, result.rejected = [], [Rejected(None, reason, None)]
    return result
