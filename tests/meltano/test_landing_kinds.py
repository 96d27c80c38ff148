"""Each kind of landing file real exports produce, through the tap's reader: framed count, loaded, quarantined and
the reason or note a user sees (docs/sources.md, "What a landing file may look like")."""

from __future__ import annotations

import gzip
import json

import duckdb
import pytest
import zstandard

from .conftest import scratch
from .test_ingest_properties import _specs

H = "order_id,customer_id,order_ts,status,channel,currency,shipping_fee\n"
ROW = "1,1,2026-03-01T00:00:00Z,placed,web,USD,1.00\n"
ROW2 = "2,1,2026-03-01T00:00:00Z,placed,web,USD,1.00\n"
PRODUCT = {
    "product_id": 1,
    "sku": "A",
    "product_name": "n",
    "category": "Toys",
    "unit_cost": 1.5,
    "list_price": 3,
    "attributes": {"color": "red", "weight_kg": 1, "tags": ["a"]},
}
EVENT = {"event_id": "e1", "event_type": "page_view", "event_ts": "2026-03-01T00:00:00Z", "session_id": "s"}

# name: (stream, file content, (landed, loaded, quarantined), expected fragment of a reason or a note, or None)
CSV_KINDS: dict[str, tuple[bytes, tuple[int, int, int], str | None]] = {
    "crlf": ((H + ROW + ROW2).replace("\n", "\r\n").encode(), (2, 2, 0), None),
    "old mac line breaks": ((H + ROW + ROW2).replace("\n", "\r").encode(), (2, 2, 0), None),
    "no final line break": ((H + ROW + ROW2).rstrip("\n").encode(), (2, 2, 0), None),
    "utf-8 bom": (("\ufeff" + H + ROW).encode(), (1, 1, 0), None),
    "utf-16 bom": ((H + ROW).encode("utf-16"), (1, 1, 0), "UTF-16"),
    "utf-16 without bom": ((H + ROW).encode("utf-16-le"), (1, 1, 0), "UTF-16"),
    "gzip": (gzip.compress((H + ROW).encode()), (1, 1, 0), None),
    "zstd": (zstandard.ZstdCompressor().compress((H + ROW).encode()), (1, 1, 0), None),
    "corrupt gzip": (gzip.compress((H + ROW).encode())[:20], (1, 0, 1), "corrupt gzip"),
    "excel workbook named .csv": (b"PK\x03\x04" + b"\x00" * 100, (1, 0, 1), "Excel"),
    "binary": (bytes(range(256)) * 8, (1, 0, 1), "binary content"),
    "empty": (b"", (1, 0, 1), "empty file"),
    "only whitespace": (b"  \n \n", (1, 0, 1), "empty file"),
    "header only": (H.encode(), (0, 0, 0), None),
    "header case and spaces": (
        (" Order_ID ,CUSTOMER_ID" + H[len("order_id,customer_id") :] + ROW).encode(),
        (1, 1, 0),
        "normalised",
    ),
    "columns in another order": (
        (b"status,order_ts,customer_id,order_id\nplaced,2026-03-01T00:00:00Z,1,1\n"),
        (1, 1, 0),
        None,
    ),
    "semicolons": ((H + ROW).replace(",", ";").encode(), (1, 1, 0), "delimiter ';'"),
    "tabs": ((H + ROW).replace(",", "\t").encode(), (1, 1, 0), "delimiter '\\t'"),
    "excel sep= line": (("sep=|\n" + (H + ROW).replace(",", "|")).encode(), (1, 1, 0), "delimiter '|'"),
    "windows-1252": (
        (H.strip() + ",note\n" + ROW.strip() + ",café “quoted”\n").encode("cp1252"),
        (1, 1, 0),
        "Windows-1252",
    ),
    "one record in another encoding": (
        (H.strip() + ",note\n").encode()
        + (ROW.strip() + ",café\n").encode()
        + (ROW2.strip() + ",café\n").encode("latin-1"),
        (2, 1, 1),
        "not valid UTF-8",
    ),
    "quoted delimiter, quote and line break": (
        (H.strip() + ",note\n" + ROW.strip() + ',"a, ""b""\nc"\n').encode(),
        (1, 1, 0),
        None,
    ),
    "quote inside an unquoted value": (
        (H.strip() + ",note\n" + ROW.strip() + ',5" disk\n' + ROW2.strip() + ",plain\n").encode(),
        (2, 2, 0),
        None,
    ),
    "unterminated quote": (
        (H + ROW + '2,1,"2026-03-01T00:00:00Z,placed\n3,1,x,placed\n').encode(),
        (2, 1, 1),
        "unterminated",
    ),
    "too few fields": ((H + ROW + "2,1\n").encode(), (2, 1, 1), "unparseable CSV record"),
    "too many fields": ((H + ROW.strip() + ",x,y\n").encode(), (1, 0, 1), "unparseable CSV record"),
    "record over 2 MB": (
        (H + "2,1,2026-03-01T00:00:00Z,placed," + "w" * 2_100_000 + ",USD,1\n" + ROW).encode(),
        (2, 1, 1),
        "longer than 2 MB",
    ),
    "NUL byte": ((H + ROW.replace("placed", "pla\x00ced") + ROW2).encode(), (2, 1, 1), "NUL"),
    "blank lines": ((H + "\n\n" + ROW + "   \n" + ROW2).encode(), (2, 2, 0), None),
    "repeated header": ((H + ROW + "\ufeff" + H + ROW2).encode(), (3, 2, 1), "repeated header row"),
    "duplicate header names": (
        b"order_id,order_id,customer_id,order_ts,status\n1,2,1,2026-03-01T00:00:00Z,placed\n",
        (1, 0, 1),
        "duplicate column",
    ),
    "missing required column": (b"order_id,status\n1,placed\n", (1, 0, 1), "missing required column"),
    "null markers": ((H + "1,1,2026-03-01T00:00:00Z,placed,NULL,USD,\\N\n").encode(), (1, 1, 0), None),
    "ctrl-z at the end": ((H + ROW + "\x1a").encode(), (1, 1, 0), None),
    "offset beyond 14 hours": ((H + ROW.replace("Z", "+15:00")).encode(), (1, 0, 1), "impossible UTC offset"),
    "impossible date": ((H + ROW.replace("03-01", "02-30")).encode(), (1, 0, 1), "cannot read"),
    "year 1066": ((H + ROW.replace("2026", "1066")).encode(), (1, 0, 1), "outside the years"),
    "rounded decimal": ((H + ROW.replace("1.00", "1.005")).encode(), (1, 0, 1), "more decimal places"),
    "fractional integer": ((H + ROW.replace("1,1,", "1,1.5,")).encode(), (1, 0, 1), "not a whole number"),
    "value not accepted": ((H + ROW.replace("placed", "pending")).encode(), (1, 0, 1), "not an accepted value"),
}
JSON_KINDS: dict[str, tuple[str, str, bytes, tuple[int, int, int], str | None]] = {
    "array with bom": (
        "catalog__products",
        "json",
        ("\ufeff" + json.dumps([PRODUCT, PRODUCT])).encode(),
        (2, 2, 0),
        None,
    ),
    "object, not array": (
        "catalog__products",
        "json",
        json.dumps({"items": [PRODUCT]}).encode(),
        (1, 0, 1),
        "top-level JSON is an object",
    ),
    "empty array": ("catalog__products", "json", b"[]", (0, 0, 0), None),
    "truncated document": (
        "catalog__products",
        "json",
        json.dumps([PRODUCT, PRODUCT])[:-10].encode(),
        (1, 0, 1),
        "not valid JSON",
    ),
    "json lines named .json": (
        "catalog__products",
        "json",
        (json.dumps(PRODUCT) + "\n" + json.dumps(PRODUCT)).encode(),
        (2, 2, 0),
        "JSON lines",
    ),
    "NaN": (
        "catalog__products",
        "json",
        json.dumps([PRODUCT]).replace("1.5", "NaN").encode(),
        (1, 0, 1),
        "cannot read",
    ),
    "string where an object is declared": (
        "catalog__products",
        "json",
        json.dumps([dict(PRODUCT, attributes="red")]).encode(),
        (1, 0, 1),
        "expected a JSON object",
    ),
    "array named .jsonl": (
        "clickstream__events",
        "jsonl",
        json.dumps([EVENT, EVENT], indent=2).encode(),
        (2, 2, 0),
        "one JSON array",
    ),
    "pretty-printed objects": (
        "clickstream__events",
        "jsonl",
        (json.dumps(EVENT, indent=2) * 2).encode(),
        (2, 2, 0),
        "several lines",
    ),
    "escaped NUL": (
        "clickstream__events",
        "jsonl",
        json.dumps(dict(EVENT, session_id="a\u0000b")).encode(),
        (1, 0, 1),
        "NUL",
    ),
    "crlf and blank lines": (
        "clickstream__events",
        "jsonl",
        (json.dumps(EVENT) + "\r\n\r\n" + json.dumps(EVENT) + "\r\n").encode(),
        (2, 2, 0),
        None,
    ),
    "invalid byte": (
        "clickstream__events",
        "jsonl",
        json.dumps(EVENT).encode() + b'\n{"event_id":"e\xe9"}\n',
        (2, 1, 1),
        "not valid UTF-8",
    ),
}


def _read(stream: str, fmt: str, path: str, content: bytes):
    from tap_landing.prepare import prepare
    from tap_landing.reader import read_stream

    spec = _specs()[stream]
    prepared = prepare(path, content, fmt, list(spec.columns), spec.required, None)
    conn = duckdb.connect()
    conn.execute("set timezone = 'UTC'")
    result = read_stream(conn, spec, iter([prepared]), scratch())
    reasons = [row[0] for row in conn.execute("select _reason from bad").fetchall()]
    return prepared, result, reasons


def _check(path, prepared, result, reasons, counts, fragment):
    landed, loaded, quarantined = counts
    assert (prepared.landed, result.loaded.get(path, 0), result.quarantined.get(path, 0)) == counts
    assert result.read.get(path, 0) == landed == loaded + quarantined
    assert all(reason and "\n" not in reason for reason in reasons)
    if fragment:
        assert any(fragment in text for text in [*reasons, *prepared.warnings]), (reasons, prepared.warnings)


@pytest.mark.parametrize("kind", sorted(CSV_KINDS))
def test_csv_kind(kind):
    content, counts, fragment = CSV_KINDS[kind]
    path = "orders/orders_2026-03-01.csv"
    _check(path, *_read("orders__orders", "csv", path, content), counts, fragment)


@pytest.mark.parametrize("kind", sorted(JSON_KINDS))
def test_json_kind(kind):
    stream, fmt, content, counts, fragment = JSON_KINDS[kind]
    path = f"x/file.{fmt}"
    _check(path, *_read(stream, fmt, path, content), counts, fragment)
