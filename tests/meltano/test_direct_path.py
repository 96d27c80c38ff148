"""The fast path for plain JSON-lines files (tap_landing/direct.py) loads exactly what the per-record path loads:
same rows, same quarantine rows and reasons, same counts, for any mix of clean and broken lines; and only files
whose bytes show they are plain take it."""

from __future__ import annotations

import gzip
import json
import os
import tempfile

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import scratch
from .test_ingest_properties import _specs

EVENT = {
    "event_id": "e1",
    "event_type": "page_view",
    "event_ts": "2026-03-01T10:00:00Z",
    "session_id": "s1",
    "customer_id": 7,
    "context": {"page": {"url": "/p", "referrer": None}, "device": {"type": "mobile"}},
}


def _line(event: dict) -> str:
    return json.dumps(event)


# one JSON line each: what real event exports hold, clean and not
LINES = {
    "valid": _line(EVENT),
    "no optional keys": _line({k: EVENT[k] for k in ("event_id", "event_type", "event_ts", "session_id")}),
    "nested null": _line(dict(EVENT, context=None)),
    "nested empty object": _line(dict(EVENT, context={})),
    "extra key": _line(dict(EVENT, campaign="x")),
    "key in another case": _line(dict(EVENT, Customer_ID=5)),
    "unicode escapes": json.dumps(dict(EVENT, session_id="café ☕"), ensure_ascii=True),
    "raw unicode": json.dumps(dict(EVENT, session_id="café ☕"), ensure_ascii=False),
    "number with trailing zeros": _line(EVENT).replace('"customer_id": 7', '"customer_id": 7.000'),
    "fractional id": _line(dict(EVENT, customer_id=7.5)),
    "exponent id": _line(EVENT).replace('"customer_id": 7', '"customer_id": 7e2'),
    "id as text": _line(dict(EVENT, customer_id="12")),
    "id as padded text": _line(dict(EVENT, customer_id=" 12 ")),
    "untypeable id": _line(dict(EVENT, customer_id="abc")),
    "offset timestamp": _line(dict(EVENT, event_ts="2026-03-01T10:00:00+02:00")),
    "impossible offset": _line(dict(EVENT, event_ts="2026-03-01T10:00:00+16:00")),
    "naive timestamp": _line(dict(EVENT, event_ts="2026-03-01 10:00:00")),
    "bad event type": _line(dict(EVENT, event_type="page_vue")),
    "upper-case event type": _line(dict(EVENT, event_type="PAGE_VIEW")),
    "missing required": _line({k: v for k, v in EVENT.items() if k != "session_id"}),
    "blank required": _line(dict(EVENT, session_id="  ")),
    "null marker": _line(dict(EVENT, session_id="NULL")),
    "escaped NUL": _line(dict(EVENT, session_id="a\u0000b")),
    "string where an object is declared": _line(dict(EVENT, context="mobile")),
    "object in a text column": _line(dict(EVENT, session_id={"id": 1})),
    "boolean in a text column": _line(dict(EVENT, session_id=True)),
    "duplicate key": _line(EVENT)[:-1] + ', "event_id": "e2"}',
    "not an object": json.dumps(["e1"]),
    "a string": json.dumps("e1"),
    "truncated": _line(EVENT)[:-5],
    "two objects on a line": _line(EVENT) + _line(EVENT),
    "trailing comma": _line(EVENT)[:-1] + ",}",
}
NAMES = sorted(LINES)


def _read(files: dict[str, bytes], *, direct: bool):
    from tap_landing.prepare import prepare
    from tap_landing.reader import read_stream

    spec = _specs()["clickstream__events"]
    conn = duckdb.connect()
    conn.execute("set timezone = 'UTC'")
    prepared = [
        prepare(path, data, "jsonl", list(spec.columns), spec.required, None, direct=direct)
        for path, data in sorted(files.items())
    ]
    took_direct = [item.relpath for item in prepared if item.content is not None]
    result = read_stream(conn, spec, iter(prepared), scratch())
    good = conn.execute("select * from good").fetchall()
    bad = conn.execute("select * from bad").fetchall()
    landed = {item.relpath: item.landed for item in prepared}
    return sorted(good, key=repr), sorted(bad, key=repr), landed, result, took_direct


def _same(files: dict[str, bytes]) -> list[str]:
    """Both paths agree on everything a reader sees; returns the files the fast path took."""
    fast_good, fast_bad, fast_landed, fast, took = _read(files, direct=True)
    slow_good, slow_bad, slow_landed, slow, none = _read(files, direct=False)
    assert none == []
    assert fast_good == slow_good
    assert fast_bad == slow_bad
    assert fast_landed == slow_landed
    assert (fast.read, fast.loaded, fast.quarantined) == (slow.read, slow.loaded, slow.quarantined)
    for path, landed in fast_landed.items():
        assert fast.read.get(path, 0) == landed
    return took


@pytest.mark.parametrize("name", NAMES)
def test_each_kind_of_line_reads_the_same_on_both_paths(name):
    clean = "\n".join([LINES["valid"], LINES[name], LINES["no optional keys"]]) + "\n"
    took = _same({"clickstream/2026-03-01/events_00.jsonl": clean.encode()})
    assert took == ["clickstream/2026-03-01/events_00.jsonl"]  # its bytes are plain: the fast path tries it


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6), min_size=1, max_size=4))
def test_any_mix_of_files_reads_the_same_on_both_paths(contents):
    files = {
        f"clickstream/2026-03-01/events_{number:02d}.jsonl": ("\n".join(LINES[name] for name in names) + "\n").encode()
        for number, names in enumerate(contents)
    }
    _same(files)


def test_clean_files_load_on_the_fast_path_beside_a_broken_one():
    from tap_landing.bronze import Lineage
    from tap_landing.fast import Member, write_batch

    spec = _specs()["clickstream__events"]
    conn = duckdb.connect()
    with tempfile.TemporaryDirectory() as folder:
        members = []
        for number, line in enumerate([LINES["valid"], LINES["not an object"], LINES["raw unicode"]]):
            copy = f"{folder}/{number}.jsonl"
            with open(copy, "w", encoding="utf-8") as handle:
                handle.write(line + "\n" + LINES["valid"] + "\n")
            members.append(Member(copy, f"events_{number}.jsonl", 2))
        written = write_batch(conn, spec, members, None, [], f"{folder}/out.parquet", Lineage.now("r1"))
        lineage = conn.execute(f"select distinct _run_id from '{folder}/out.parquet'").fetchall()
    assert written.refused == ["events_1.jsonl"]
    assert written.loaded == {"events_0.jsonl": 2, "events_2.jsonl": 2}
    assert lineage == [("r1",)]


def test_a_json_null_in_a_nested_column_is_null_like_a_missing_key():
    good, bad, _, _, _ = _read(
        {"e.jsonl": (LINES["nested null"] + "\n" + LINES["no optional keys"] + "\n").encode()}, direct=False
    )
    assert bad == []
    assert [row[7] for row in good] == [None, None]  # context


PLAIN = (_line(EVENT) + "\n" + _line(EVENT)).encode()


@pytest.mark.parametrize(
    ("data", "encoding", "count"),
    [
        (PLAIN + b"\n", None, 2),
        (PLAIN, None, 2),  # no final line break
        (PLAIN + b"\n", "UTF-8", 2),
        ("\n".join([LINES["raw unicode"]] * 3).encode(), None, 3),
        (PLAIN + b"\n", "latin-1", None),  # another declared encoding
        (b"\xef\xbb\xbf" + PLAIN, None, None),  # byte-order mark
        (b" " + PLAIN, None, None),
        (PLAIN.replace(b"\n", b"\r\n"), None, None),
        (PLAIN.replace(b"\n", b"\n\n"), None, None),  # blank line
        (PLAIN.replace(b"\n", b"\n  \n"), None, None),  # a line of spaces
        (PLAIN.replace(b"\n", b"\n\t\n"), None, None),
        (PLAIN + b"\n\n", None, None),
        (PLAIN.replace(b"s1", b"s\x00"), None, None),  # NUL byte
        (PLAIN.replace(b"s1", b"s\x0c"), None, None),  # another control byte
        (PLAIN.replace(b"s1", b"s\xe9"), None, None),  # not UTF-8
        (gzip.compress(PLAIN), None, None),
        (b"[" + PLAIN.replace(b"\n", b",") + b"]", None, None),  # a JSON array
        (b"", None, None),
        (PLAIN + b"\n" + _line(dict(EVENT, session_id="w" * 2_100_000)).encode(), None, None),  # a line over 2 MB
        (PLAIN + b"\n  " + _line(EVENT).encode(), None, 3),  # leading spaces on a line with a record
        (PLAIN + b"\n\t" + _line(EVENT).encode(), None, 3),  # a leading tab on a line with a record
        (PLAIN + b"\n \t ", None, None),  # a last line of blanks, without a final line break
        (b"\n".join([_line(EVENT).encode()] * 3 + [b" \t"] + [b" " + _line(EVENT).encode()] * 3), None, None),
    ],
)
def test_only_plain_files_take_the_fast_path(data, encoding, count):
    from tap_landing.plain import jsonl_count

    assert jsonl_count(data, encoding) == count


def test_a_local_file_is_read_where_it_is_and_a_rewrite_meanwhile_stops_the_stream(tmp_path):
    from tap_landing.changes import LandingFileChanged, stamp
    from tap_landing.prepare import prepare
    from tap_landing.reader import read_stream

    spec = _specs()["clickstream__events"]
    path = tmp_path / "events_00.jsonl"
    path.write_bytes(PLAIN + b"\n")

    def read(rewrite: bytes | None):
        before = stamp(str(path))
        item = prepare("e.jsonl", path.read_bytes(), "jsonl", list(spec.columns), spec.required, None)
        item.location, item.stamp = str(path), before
        if rewrite is not None:
            path.write_bytes(rewrite)  # a writer rewrites the file in place after the tap read it
        conn = duckdb.connect()
        with tempfile.TemporaryDirectory() as copies:
            result = read_stream(conn, spec, iter([item]), copies, scratch())
            assert not os.listdir(copies)  # no copy was written
        return result

    assert read(None).loaded == {"e.jsonl": 2}
    with pytest.raises(LandingFileChanged, match=r"e\.jsonl changed while it was being read"):
        read(PLAIN + b"\n" + _line(EVENT).encode() + b"\n")
