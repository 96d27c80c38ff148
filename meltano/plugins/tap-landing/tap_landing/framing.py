"""Record framing, independent of the typed reader: how many records a landing file holds, and their text.

This is the *landed* count of the row accounting (docs/sources.md). It knows nothing about columns or types:
- CSV: records per RFC 4180 — a quoted field may hold delimiters, doubled quotes and line breaks; a quote inside an
  unquoted field is a literal character. Line breaks are `\\r\\n`, `\\n` or `\\r` (normalised to `\\n`, inside
  quoted values too). Lines that are empty or only whitespace outside a quoted field are not records. The first
  record is the header.
- JSON lines: every line that is not blank.
- JSON: the elements of the top-level array.

The typed reader (DuckDB) then reads the same records; the tap refuses a file whose typed rows plus quarantined
rows differ from this count.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache


@dataclass
class Framed:
    records: list[str]  # record texts without their terminator; CSV: the header first, so record i is data row i
    unterminated: str | None = None  # CSV: the last record's text when its quoted field never closes
    warning: str | None = None  # the file was framed another way than its name says (JSON lines vs array)


class NotFramable(ValueError):
    """The file as a whole is not a document of its format (e.g. invalid JSON): it is one record, quarantined."""


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def csv_records(text: str, delimiter: str = ",") -> Framed:
    """Split CSV text into records. `unterminated` holds a final record whose quoted field runs to the end of the
    file (RFC 4180 makes the rest of the file part of it); it is counted but not in `records`."""
    lines = normalise_newlines(text).split("\n")
    if '"' not in text:
        records = [line for line in lines if line.strip()]
        return Framed(records)
    complete, body, unquoted = _patterns(delimiter)
    records: list[str] = []
    pending: list[str] = []  # lines of a record whose quoted field is still open
    for line in lines:
        if pending:
            pending.append(line)
            if not _ends_in_quote(line, True, delimiter, body, unquoted):
                records.append("\n".join(pending))
                pending = []
        elif not line.strip():
            continue
        elif '"' not in line or complete.fullmatch(line):
            records.append(line)
        elif _ends_in_quote(line, False, delimiter, body, unquoted):
            pending = [line]
        else:
            records.append(line)
    unterminated = "\n".join(pending).rstrip("\n") if pending else None
    return Framed(records, unterminated)


@cache
def _patterns(delimiter: str) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    d = re.escape(delimiter)
    field_ = rf'(?:"(?:[^"]|"")*+"[^{d}]*|[^{d}"][^{d}]*|)'
    return (
        re.compile(rf"{field_}(?:{d}{field_})*"),  # a whole record on one line
        re.compile(r'(?:[^"]|"")*+"'),  # the rest of a quoted field, through its closing quote
        re.compile(rf"[^{d}]*"),  # an unquoted field (or what follows a closing quote)
    )


def _ends_in_quote(line: str, in_quote: bool, delimiter: str, body: re.Pattern, unquoted: re.Pattern) -> bool:
    """Scan one line field by field: is a quoted field still open at its end?"""
    pos, end = 0, len(line)
    while True:
        if in_quote:
            match = body.match(line, pos)
            if match is None:
                return True
            pos, in_quote = match.end(), False
        elif pos < end and line[pos] == '"':
            pos, in_quote = pos + 1, True
            continue
        pos = unquoted.match(line, pos).end()
        if pos >= end:
            return False
        pos += len(delimiter)


def jsonl_records(text: str) -> Framed:
    """Non-blank lines. A file that is one JSON array (pretty-printed, named .jsonl) is framed by its elements."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            framed = json_records(text)
        except NotFramable:
            pass
        else:
            framed.warning = "file holds one JSON array, not JSON lines: read its elements as records"
            return framed
    records = [line for line in normalise_newlines(text).split("\n") if line.strip()]
    if records and not _is_object(records[0]):
        values = _json_sequence(text)
        if values is not None and len(values) < len(records):
            return Framed(values, warning="file holds JSON objects spread over several lines: read one per object")
    return Framed(records)


def _json_sequence(text: str) -> list[str] | None:
    """Concatenated JSON values (pretty-printed objects one after another), or None when the text is not that."""
    decoder, values, pos = json.JSONDecoder(), [], 0
    end = len(text)
    try:
        while True:
            while pos < end and text[pos] in " \t\r\n":
                pos += 1
            if pos == end:
                return values
            value, pos = decoder.raw_decode(text, pos)
            values.append(json.dumps(value, ensure_ascii=False))
    except (ValueError, RecursionError):
        return None


def json_records(text: str) -> Framed:
    """Elements of the top-level array, each re-serialised as one JSON text."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise NotFramable("JSON nested too deeply to read") from None
    except json.JSONDecodeError as error:
        lines = [line for line in normalise_newlines(text).split("\n") if line.strip()]
        if len(lines) > 1 and all(_is_object(line) for line in lines):
            return Framed(lines, warning="file holds JSON lines, not one JSON array")
        raise NotFramable(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(document, list):
        kind = {dict: "an object", str: "a string"}.get(type(document), type(document).__name__)
        raise NotFramable(f"top-level JSON is {kind}, expected an array of objects")
    return Framed([json.dumps(element, ensure_ascii=False) for element in document])


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False
