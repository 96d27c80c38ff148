"""A landing file's bytes → text: decompression, binary detection, byte-order marks and encodings.

Rules (docs/sources.md, "What a landing file may look like"):
- `.gz` / `.zst` (or their magic bytes) are decompressed; a corrupt archive is quarantined whole.
- A byte-order mark (UTF-8, UTF-16, UTF-32) is honoured and removed; UTF-16 without a mark is recognised by its
  zero bytes. Other binary content (NUL bytes, ZIP/Excel, Parquet, PDF) is quarantined whole.
- Otherwise the stream's declared `encoding` is used, else UTF-8. A file with no valid UTF-8 multi-byte sequence
  whose invalid bytes all read as Windows-1252 letters and punctuation is transcoded from Windows-1252 (with a
  warning; CSV only: JSON is UTF-8 by definition). Anything else keeps its invalid bytes as escapes, and each
  record holding one is quarantined.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from dataclasses import dataclass

MAX_TEXT_BYTES = 4 * 2**30  # a decompressed file larger than this is refused (a "zip bomb" guard)

_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an Excel workbook?): export it as CSV or JSON",
    b"\xd0\xcf\x11\xe0": "an Office document (an Excel .xls?): export it as CSV or JSON",
    b"PAR1": "a Parquet file, not text",
    b"%PDF": "a PDF document, not text",
    b"BZh": "a bzip2 archive: deliver it uncompressed, as .gz or as .zst",
}
_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# What Windows-1252 text from a Western export contains beyond ASCII: Latin-1 letters, signs and typography.
_CP1252_EXTRAS = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")  # the euro sign, curly quotes, dashes, ...
_CP1252_PLAUSIBLE = re.compile(f"[^\\x00-\\x7f\\u00a0-\\u00ff{re.escape(_CP1252_EXTRAS)}]")
INVALID = re.compile(r"[\udc80-\udcff]")  # bytes that were not valid in the encoding (surrogate escapes)
NUL = "\x00"


class NotText(ValueError):
    """The file is not text this tap can read: it is quarantined whole, as one record, with this reason."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str]


def decompress(data: bytes, name: str) -> tuple[bytes, str | None]:
    """Return the file's content and the compression it was delivered in (None when plain)."""
    if data[:2] == b"\x1f\x8b" or name.endswith(".gz"):
        try:
            return _bounded(gzip.GzipFile(fileobj=io.BytesIO(data))), "gzip"
        except (OSError, EOFError, zlib.error) as error:
            raise NotText(f"corrupt gzip file: {error}") from None
    if data[:4] == b"\x28\xb5\x2f\xfd" or name.endswith(".zst"):
        import zstandard

        try:
            return _bounded(zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))), "zstd"
        except zstandard.ZstdError as error:
            raise NotText(f"corrupt zstd file: {error}") from None
    return data, None


def _bounded(stream: io.RawIOBase | io.BufferedIOBase) -> bytes:
    data = stream.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise NotText(f"decompressed content is larger than {MAX_TEXT_BYTES // 2**30} GiB")
    return data


def decode(data: bytes, declared: str | None = None, *, guess_single_byte: bool = True) -> Decoded:
    """`guess_single_byte`: allow the Windows-1252 detection (not for JSON, which is UTF-8 by definition)."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            text = data[len(mark) :].decode(encoding, errors="surrogateescape")
            warnings = [] if encoding == "utf-8" else [f"transcoded from {encoding.upper()} (byte-order mark)"]
            return Decoded(_strip_eof(text), encoding, warnings)
    sixteen = _utf16_without_bom(data)
    if sixteen:
        return Decoded(
            _strip_eof(data.decode(sixteen, errors="surrogateescape")), sixteen, [f"transcoded from {sixteen.upper()}"]
        )
    head = data[:65536]
    for magic, reason in _MAGIC.items():
        if head.startswith(magic):
            raise NotText(f"the file is {reason}")
    if _looks_binary(head):
        raise NotText("binary content (control bytes), not text")
    if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            text = data.decode(declared, errors="surrogateescape")
        except LookupError:
            raise NotText(f"unknown encoding {declared!r} declared for the stream") from None
        return Decoded(_strip_eof(text), declared, [f"transcoded from {declared} (declared)"])
    try:
        return Decoded(_strip_eof(data.decode("utf-8")), "utf-8", [])
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    if guess_single_byte and not re.search(r"[\u0080-\ud7ff\ue000-\U0010ffff]", text):  # no multi-byte UTF-8
        try:
            single = data.decode("cp1252")
        except UnicodeDecodeError:
            single = None
        if single is not None and not _CP1252_PLAUSIBLE.search(single):
            return Decoded(_strip_eof(single), "cp1252", ["not UTF-8: transcoded from Windows-1252 (detected)"])
    bad = len(INVALID.findall(text))
    return Decoded(
        _strip_eof(text),
        "utf-8",
        [f"not valid UTF-8 ({bad} invalid byte(s)); records holding them are quarantined"],
    )


_CONTROL = bytes([*range(0, 9), 11, *range(14, 26), *range(27, 32), 127])
_NOT_CONTROL = bytes(byte for byte in range(256) if byte not in _CONTROL)


def _looks_binary(head: bytes) -> bool:
    """More than a stray NUL or control byte: text exports have almost none (a record holding one is quarantined)."""
    return len(head.translate(None, _NOT_CONTROL)) > max(8, len(head) // 20)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly ASCII characters has a zero byte in every other position."""
    head = data[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _strip_eof(text: str) -> str:
    """Old DOS exports end with a Ctrl-Z end-of-file mark."""
    return text[:-1] if text.endswith("\x1a") else text


def printable(text: str) -> str:
    """Text for the quarantine's `_raw`: invalid bytes as U+FFFD, NUL bytes as the escape `\\0`."""
    return INVALID.sub("\ufffd", text).replace(NUL, "\\0")
