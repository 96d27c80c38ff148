"""What `--source` names: landing files (a path or a glob) or a table of the published warehouse."""

from __future__ import annotations

import difflib
import glob
import gzip
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from data_stack.errors import UserError
from data_stack.settings import Settings

COMPRESSIONS = (".gz", ".zst")
FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
MART_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)?")
HEAD_BYTES = 8192
# What a file is when its first bytes say so; none of them is CSV or JSON text.
MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (or an Excel workbook)"),
    (b"PAR1", "a Parquet file"),
    (b"%PDF", "a PDF document"),
    (b"BZh", "a bzip2 archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"SQLite format 3", "an SQLite database"),
)
UTF16_32 = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
SYSTEM_SCHEMAS = ("information_schema", "pg_catalog")


@dataclass(frozen=True)
class Source:
    """A resolved source: its files and format, or the published table."""

    text: str  # as given
    kind: str  # file | mart
    label: str  # landing-relative path or glob when under LANDING_URI, else as given; `schema.table` for a mart
    files: tuple[Path, ...] = ()
    format: str | None = None  # csv | json | jsonl
    landing_relative: str | None = None  # the path or glob relative to LANDING_URI, when it is under it
    landing_root: Path | None = None  # LANDING_URI, when the files are under it
    database: Path | None = None
    schema: str | None = None
    table: str | None = None
    bytes: int = 0
    skipped: tuple[Path, ...] = ()  # empty files a glob matched

    @property
    def slug(self) -> str:
        """A file name for the report: `orders/orders_*.csv` → `orders-orders`, `marketing.orders` →
        `marketing-orders`."""
        name = _strip_suffixes(self.label) if self.kind == "file" else self.label
        return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "source"


def resolve(text: str, settings: Settings) -> Source:
    text = text.strip()
    if not text:
        raise UserError("--source is empty", "Give a landing file, a glob or a mart such as marketing.orders")
    landing = None if "://" in settings.landing else Path(settings.landing).expanduser().resolve()
    files, matched = _matching_files(text, landing)
    if files:
        return _file_source(text, files, matched, landing)
    if MART_NAME.fullmatch(text) and Path(text).suffix.lower() not in (*FORMATS, *COMPRESSIONS):
        return _mart_source(text, settings)
    if matched.is_dir():
        raise UserError(f"{text} is a folder", f"Give a file or a glob such as {text.rstrip('/')}/*.csv")
    raise UserError(
        f"No file matches {text} (looked in the current folder and in {settings.landing})",
        "Check the path or glob, or give a mart such as marketing.orders",
    )


def _matching_files(text: str, landing: Path | None) -> tuple[list[Path], Path]:
    """Files matching `text` as given, else relative to the landing folder; and the path or glob that matched
    (or a folder `text` names)."""
    given = Path(text).expanduser()
    candidates = [given]
    if landing is not None and not given.is_absolute():
        candidates.append(landing / given)
    for path in candidates:
        if glob.has_magic(str(path)):
            found = sorted(Path(p).resolve() for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
        else:
            found = [path.resolve()] if path.is_file() else []
        if found:
            return found, path.resolve()
    return [], next((path for path in candidates if path.is_dir()), given)


def _file_source(text: str, files: list[Path], matched: Path, landing: Path | None) -> Source:
    formats = {_format(path) for path in files}
    if len(formats) > 1:
        raise UserError(
            f"{text} matches files of several formats ({', '.join(sorted(formats))})",
            "Give a glob that matches one format",
        )
    empty = [path for path in files if path.stat().st_size == 0]
    if len(empty) == len(files):
        what = f"{text} is empty" if len(files) == 1 else f"{text} matches only empty files"
        raise UserError(what, "There is nothing to profile")
    files = [path for path in files if path not in empty]
    for path in files:
        _require_text(path)
    relative = None
    if landing is not None and matched.is_relative_to(landing):
        relative = matched.relative_to(landing).as_posix()
    return Source(
        text=text,
        kind="file",
        label=relative or text,
        files=tuple(files),
        format=formats.pop(),
        landing_relative=relative,
        landing_root=landing if relative else None,
        bytes=sum(path.stat().st_size for path in files),
        skipped=tuple(empty),
    )


def _format(path: Path) -> str:
    suffix = Path(strip_compression(path.name)).suffix.lower()
    if suffix not in FORMATS:
        raise UserError(
            f"{path} is not a CSV or JSON file by its name",
            "Analyze .csv, .json or .jsonl files (also .gz or .zst), or a mart",
        )
    return FORMATS[suffix]


def _require_text(path: Path) -> None:
    """Refuse binary content named like text, with what it is, before DuckDB tries to read it as CSV."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.open(path, "rb") as handle:
                head = handle.read(HEAD_BYTES)
        except (OSError, EOFError) as exc:
            raise UserError(f"{path} is not a readable gzip archive ({exc})", "Check the delivery") from exc
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise UserError(f"{path} is {what}, not CSV or JSON text", "Export it as CSV or JSON and analyze that")
    if head.startswith(UTF16_32):
        raise UserError(f"{path} is UTF-16 or UTF-32 text", "Convert it to UTF-8 first (iconv -t UTF-8)")
    if b"\x00" in head and not path.name.endswith(".zst"):
        raise UserError(f"{path} is binary, not CSV or JSON text", "Check the file: analyze reads UTF-8 text")


def _mart_source(text: str, settings: Settings) -> Source:
    database = settings.published_db
    if not database.is_file():
        raise UserError(
            f"{text} is not a file, and there is no published warehouse at {database} to find it in",
            "Give a landing file or glob, or run `data-stack run` to publish the marts",
        )
    with duckdb.connect(str(database), read_only=True) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema not in (?, ?) order by 1, 2",
            list(SYSTEM_SCHEMAS),
        ).fetchall()
    names = [f"{schema}.{table}" for schema, table in tables]
    if "." in text:
        matches = [name for name in names if name.lower() == text.lower()]
    else:
        matches = [name for name in names if name.split(".")[1].lower() == text.lower()]
    if len(matches) > 1:
        raise UserError(f"{text} is ambiguous: {', '.join(matches)}", "Give it as schema.table")
    if not matches:
        close = difflib.get_close_matches(text, names + [name.split(".")[1] for name in names], n=3)
        others = f" (or {', '.join(close[1:])})" if len(close) > 1 else ""
        hint = f"Try {close[0]}{others}" if close else f"Give one of {', '.join(_gold(names))}"
        raise UserError(f"No file or mart named {text} in the published warehouse", hint)
    schema, table = matches[0].split(".")
    return Source(
        text=text,
        kind="mart",
        label=matches[0],
        database=database,
        schema=schema,
        table=table,
        bytes=database.stat().st_size,
    )


def _gold(names: list[str]) -> list[str]:
    return [name for name in names if not name.startswith(("staging.", "intermediate."))] or names


def strip_compression(name: str) -> str:
    for suffix in COMPRESSIONS:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _strip_suffixes(name: str) -> str:
    stripped = strip_compression(name)
    suffix = Path(stripped).suffix
    return stripped[: -len(suffix)] if suffix.lower() in FORMATS else stripped
