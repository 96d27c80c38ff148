"""Which landing files are *plain*, and their record counts, from their bytes alone (ADR 0019, ADR 0022).

A plain file is uncompressed UTF-8 (no other encoding declared), with no control byte but tab and line feed (so no
`\\r`, NUL, form feed or Ctrl-Z), no blank or whitespace-only line and no line over 2 MB. Then the framing of ADR
0012 is a plain split on line feeds, so its count is a count of line feeds: done in bulk on the bytes (C loops, no
Python object per line), independent of any parser. A plain JSON-lines file starts with `{`: one record per line.
A plain CSV file has no quote at all, a header whose names are the contract's as they are (no case or space to
normalise, none twice, the required ones present), split by `,`, and no line repeating it: one record per line
after the header.
"""

from __future__ import annotations

import re

MAX_LINE_BYTES = 2_000_000  # the per-record limit (prepare.MAX_RECORD_CHARS) in bytes: a longer line is judged there
_FORBIDDEN = bytes([*range(0, 9), *range(11, 32), 127])  # every control byte but tab and line feed
_ALLOWED = bytes(byte for byte in range(256) if byte not in _FORBIDDEN)
_OTHER_DELIMITERS = (";", "\t", "|")  # prepare.DELIMITERS but ','
_BLANK_START = re.compile(rb"\n[ \t\n]")  # a line after the first that starts with a space, a tab or its end


def jsonl_count(data: bytes, encoding: str | None) -> int | None:
    """The records of a plain JSON-lines file (its lines), or None when the file needs the full framing."""
    body = _plain_body(data, encoding)
    if body is None or data[:1] != b"{":  # a mark, compression or leading space
        return None
    return body.count(b"\n") + 1


def csv_count(
    data: bytes, encoding: str | None, columns: list[str], required: list[str]
) -> tuple[int, list[str]] | None:
    """(records after the header, header names) of a plain CSV file, or None when it needs the full framing."""
    body = _plain_body(data, encoding)
    if body is None or b'"' in body or b"\xef\xbb\xbf" in body:  # quotes, or a byte-order mark anywhere
        return None
    end = body.find(b"\n")
    if end <= 0:  # no data row: the per-record path says what the file is
        return None
    line = body[:end]
    header = line.decode("utf-8").split(",")
    if len(set(header)) != len(header) or any(not name or name != name.strip() for name in header):
        return None
    by_key = {name.lower(): name for name in columns}
    if any(by_key.get(name.lower(), name) != name for name in header) or not set(required) <= set(header):
        return None
    wanted = {name.lower() for name in columns}
    commas = sum(name.lower() in wanted for name in header)
    text = line.decode("utf-8")
    if text.lower().startswith("sep=") or any(  # another delimiter prepare would choose
        sum(part.strip().lower() in wanted for part in text.split(other)) > commas for other in _OTHER_DELIMITERS
    ):
        return None
    rest = body[end:] + b"\n"
    if b"\n" + line + b"\n" in rest:  # a repeated header (a concatenated export) is not data
        return None
    return body.count(b"\n"), header


def _plain_body(data: bytes, encoding: str | None) -> bytes | None:
    """The file without its final line feed when its bytes are plain, else None."""
    if encoding and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        return None
    if not data or data[:1] in b" \t\n" or data.translate(None, _ALLOWED):
        return None
    body = data[:-1] if data.endswith(b"\n") else data
    if body.endswith(b"\n") or _has_blank_line(body):
        return None
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if _has_long_line(body):
        return None
    return body


def _has_blank_line(body: bytes) -> bool:
    """An empty line, or one of only spaces or tabs (the framing skips it; DuckDB's readers would too). Found from
    the line starts that begin blank, in one regular-expression scan over every byte landed: three times as fast
    here as the two `bytes.find` passes of two-byte needles it replaces."""
    for match in _BLANK_START.finditer(body):
        start = match.start() + 1
        end = body.find(b"\n", start)
        if not body[start : end if end >= 0 else len(body)].strip(b" \t"):
            return True
    return False


def _has_long_line(body: bytes) -> bool:
    """A line over MAX_LINE_BYTES, found in strides of that length (a line break in every window), not per line."""
    position = 0
    while len(body) - position > MAX_LINE_BYTES:
        found = body.rfind(b"\n", position, position + MAX_LINE_BYTES + 1)
        if found < 0:
            return True
        position = found + 1
    return False
