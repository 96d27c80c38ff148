"""Why a stage failed, in one line an operator can act on.

A tool's last log line ("Block run completed") or an exception's type ("OperationalError: disk I/O error") names no
cause. The faults a running stack meets are few and recognisable: a job another process still holds, a full disk,
an object store or database that went away, memory. Each has a cause worth naming and an action worth giving; the
runbook in docs/runbooks/faults.md says more about each.
"""

from __future__ import annotations

import errno
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from data_stack.settings import Settings

LOG_BYTES_READ = 4 * 1024 * 1024  # from a log's end: a failed tool writes its cause near the end, not 4 MB before
RUNBOOK = "docs/runbooks/faults.md"
LOW_SPACE = 64 * 1024 * 1024  # an I/O error with less free space than this is taken for a full disk

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MELTANO_PREFIX = re.compile(r"^\S+Z \[\w+\s*\] \S+\s+")  # `2026-12-07T13:54:29.33Z [error    ] meltano      `
_BUSY_JOB = re.compile(r"Another '(?P<job>[^']+)' pipeline is already running which started at (?P<at>\S+ \S{8})")
_PLUGIN_ERROR = re.compile(r"(?P<message>[\w-]+: error: .*?)(?:\s+cmd_type=|\s+consumer=|\s*$)")
_DISK_FULL = re.compile(r"No space left on device|database or disk is full|disk quota exceeded|\[Errno 28\]", re.I)
_IO_ERROR = re.compile(r"disk I/O error|Could not write (?:all bytes|to file)", re.I)
_ENDPOINT = re.compile(
    r"Could not connect to (?:the endpoint URL|server)|EndpointConnectionError|Connection refused|BrokenPipeError|"
    r"Broken pipe|Connection reset by peer|ConnectionResetError|Connection was closed before|"
    r"Could not establish connection|ConnectTimeoutError|ReadTimeoutError|ServiceUnavailable|SlowDown|"
    r"HTTP (?:GET|HEAD|PUT|POST) error|HTTP Error",
)
_MEMORY = re.compile(r"Out of Memory Error|MemoryError|could not allocate", re.I)
# Meltano's summary lines: true, but they say that something failed, not what.
_GENERIC = re.compile(
    r"Block run completed|Run completed|Extractor failed|Loader failed|Mapper failed|Transformer failed|"
    r"Failed to persist incremental state|Run failed"
)


@dataclass(frozen=True)
class Cause:
    reason: str
    action: str


def cause_in_log(log_file: Path, settings: Settings) -> Cause | None:
    """The cause of a failed tool run, from its log (Meltano, dbt); None when the log names none we know."""
    lines = list(_log_lines(log_file))
    for line in reversed(lines):
        match = _BUSY_JOB.search(line)
        if match:
            return Cause(
                f"Meltano holds job {match['job']} as running since {match['at']} UTC",
                "If no `meltano run` is running by hand in this warehouse, run again: a run clears a job left by a "
                f"killed run (see {RUNBOOK})",
            )
    for line in reversed(lines):
        match = _PLUGIN_ERROR.search(line)
        if match:
            return Cause(match["message"].strip()[:300], "")
    for line in reversed(lines):
        if _DISK_FULL.search(line):
            return disk_full(settings, detail=line)
    for line in reversed(lines):
        if _IO_ERROR.search(line) and low_space(settings):
            return disk_full(settings, detail=line)
    endpoint = _object_store(settings)
    if endpoint:
        for line in reversed(lines):
            if _ENDPOINT.search(line):
                return store_unreachable(endpoint, detail=line)
    for line in reversed(lines):
        if _MEMORY.search(line):
            return out_of_memory(settings, detail=line)
    return None


def first_error(log_file: Path) -> str | None:
    """The first error line of a Meltano log that says more than "it failed"."""
    for line in _log_lines(log_file):
        text = _clean(line)
        if "[error" in line and not _GENERIC.search(text):
            return text[:300]
    return None


def cause_of(exc: BaseException, settings: Settings) -> Cause | None:
    """A known fault behind an exception the stack did not expect (anywhere in its chain); None otherwise."""
    chain = list(_chain(exc))
    text = " ".join(f"{type(item).__name__}: {item}" for item in chain)
    if any(isinstance(item, OSError) and item.errno in (errno.ENOSPC, errno.EDQUOT) for item in chain):
        return disk_full(settings, detail=text)
    if _DISK_FULL.search(text) or (_IO_ERROR.search(text) and low_space(settings)):
        return disk_full(settings, detail=text)
    endpoint = _object_store(settings)
    if endpoint and (any(isinstance(item, ConnectionError) for item in chain) or _ENDPOINT.search(text)):
        return store_unreachable(endpoint, detail=text)
    if any(isinstance(item, MemoryError) for item in chain) or _MEMORY.search(text):
        return out_of_memory(settings, detail=text)
    return None


def disk_full(settings: Settings, detail: str) -> Cause:
    path, free, total = _fullest(settings)
    return Cause(
        f"The disk holding {path} is full ({_size(free)} free of {_size(total)}; {_clean(detail)[:160]})",
        "Free space there (old logs under the warehouse's logs/ can go) or move WAREHOUSE_DIR to a larger disk, then "
        f"run again; the published warehouse is unchanged and this run's partial build was removed (see {RUNBOOK})",
    )


def store_unreachable(endpoint: str, detail: str) -> Cause:
    return Cause(
        f"The object store at {endpoint} did not answer ({_clean(detail)[:160]})",
        "Check that it is up (`data-stack validate`), then run again: files already ingested are not read again and "
        f"this run's partial files are never read (see {RUNBOOK})",
    )


def out_of_memory(settings: Settings, detail: str) -> Cause:
    return Cause(
        f"A stage ran out of memory (DUCKDB_MEMORY_LIMIT={settings.duckdb_memory_limit}; {_clean(detail)[:160]})",
        f"Lower DUCKDB_MEMORY_LIMIT so DuckDB spills to disk sooner, or give the machine more memory (see {RUNBOOK})",
    )


def low_space(settings: Settings) -> bool:
    """Whether a folder of this data set is (nearly) full."""
    return _fullest(settings)[1] < LOW_SPACE


def _object_store(settings: Settings) -> str | None:
    if settings.lake.startswith("s3://") or settings.landing.startswith("s3://"):
        return settings.s3_endpoint_url or "AWS S3"
    return None


def _fullest(settings: Settings) -> tuple[Path, int, int]:
    """The folder of this data set with the least free space, its free and total bytes."""
    candidates = [settings.warehouse, settings.data_path]
    if "://" not in settings.lake:
        candidates.append(Path(settings.lake))
    best: tuple[Path, int, int] | None = None
    for path in candidates:
        existing = next((p for p in (path, *path.parents) if p.exists()), None)
        if existing is None:
            continue
        usage = shutil.disk_usage(existing)
        if best is None or usage.free < best[1]:
            best = (path, usage.free, usage.total)
    return best or (settings.warehouse, 0, 0)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    item: BaseException | None = exc
    while item is not None and id(item) not in seen:
        seen.add(id(item))
        yield item
        item = item.__cause__ or item.__context__


def _log_lines(log_file: Path) -> Iterator[str]:
    if not log_file.exists():
        return
    with log_file.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - LOG_BYTES_READ))
        for raw in handle.read().decode("utf-8", errors="replace").splitlines():
            if raw.strip():
                yield raw


def _clean(line: str) -> str:
    return " ".join(_MELTANO_PREFIX.sub("", _ANSI.sub("", line)).split())


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
