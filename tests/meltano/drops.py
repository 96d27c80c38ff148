"""Hypothesis strategies for landing drops the way real exports get them wrong, with the truth about each row.

A drop is files of `orders/orders` (CSV) and `clickstream/events` (JSON lines). Each row is drawn either valid (its
expected typed values are known) or malformed in one way (it must be quarantined); each file gets a random line
ending, byte-order mark, compression, header spelling and column order.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

import zstandard
from hypothesis import strategies as st

ORDER_COLUMNS = ["order_id", "customer_id", "order_ts", "status", "channel", "currency", "shipping_fee"]
STATUSES = ["placed", "shipped", "delivered", "cancelled", "returned"]
EVENT_TYPES = ["session_start", "page_view", "product_view", "add_to_cart", "checkout", "purchase"]
BAD_CSV = ("untypeable", "null_required", "too_few", "too_many", "bad_status", "bad_date", "bad_bytes", "nul")
BAD_JSON = ("invalid_json", "not_object", "untypeable", "bad_event_type", "missing_required")


@dataclass
class Drop:
    files: dict[str, bytes] = field(default_factory=dict)  # landing path -> content
    records: dict[str, int] = field(default_factory=dict)  # landing path -> records in it (the truth)
    bad: dict[str, int] = field(default_factory=dict)  # landing path -> malformed records
    orders: dict[int, tuple] = field(default_factory=dict)  # valid order_id -> (customer_id, order_ts UTC, status)
    events: dict[str, tuple] = field(default_factory=dict)  # valid event_id -> (event_type, event_ts UTC)


def _instant(draw) -> tuple[datetime, str]:
    """A UTC instant and one of the ways an export writes it (Z, an offset, naive = UTC, fractional seconds)."""
    base = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 86400 * 20)))
    style = draw(st.sampled_from(["z", "offset", "naive", "space", "fraction"]))
    if style == "offset":
        minutes = draw(st.sampled_from([-480, -300, 60, 120, 330, 545, 840]))
        local = base.astimezone(timezone(timedelta(minutes=minutes)))
        return base, local.isoformat()
    if style == "naive":
        return base, base.strftime("%Y-%m-%dT%H:%M:%S")
    if style == "space":
        return base, base.strftime("%Y-%m-%d %H:%M:%S")
    if style == "fraction":
        return base + timedelta(milliseconds=250), base.strftime("%Y-%m-%dT%H:%M:%S") + ".250Z"
    return base, base.strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def csv_file(draw, first_id: int, path: str, drop: Drop) -> None:
    order = draw(st.permutations(ORDER_COLUMNS))
    spelled = {name: draw(st.sampled_from([name, name.upper(), f" {name} ", name.title()])) for name in order}
    with_note = draw(st.booleans())  # an extra, drifted column holding quoted text
    header = [spelled[name] for name in order] + (["note"] if with_note else [])
    lines = [",".join(header)]
    bad = 0
    records = draw(st.integers(0, 12))
    for index in range(records):
        order_id = first_id + index
        instant, text = _instant(draw)
        status = draw(st.sampled_from(STATUSES))
        values = {
            "order_id": str(order_id),
            "customer_id": str(draw(st.integers(1, 10_000))),
            "order_ts": text,
            "status": draw(st.sampled_from([status, status.upper(), status.title()])),
            "channel": "web",
            "currency": "USD",
            "shipping_fee": f"{draw(st.integers(0, 2000)) / 100:.2f}",
        }
        kind = draw(st.sampled_from(("valid",) * 4 + BAD_CSV))
        raw_bytes = None
        if kind == "untypeable":
            values["customer_id"] = draw(st.sampled_from(["abc", "1.5", "12x", "$3"]))
        elif kind == "null_required":
            values[draw(st.sampled_from(["order_id", "customer_id", "order_ts", "status"]))] = ""
        elif kind == "bad_status":
            values["status"] = draw(st.sampled_from(["pending", "placedd", "??"]))
        elif kind == "bad_date":
            values["order_ts"] = draw(st.sampled_from(["2026-02-30T10:00:00Z", "2026-13-01", "2026-01-01T25:00:00Z"]))
        fields = [values[name] for name in order]
        if with_note:
            fields.append(
                draw(st.sampled_from(['"a, b"', '"line one\nline two"', '"say ""hi"""', "plain", "", "café", 'x"y']))
            )
        line = ",".join(fields)
        if kind == "too_few":
            line = ",".join(fields[:3])
        elif kind == "too_many":
            line = line + ",x,y"
        elif kind == "bad_bytes":
            raw_bytes = line.encode() + b",\xff\xfe"
            line = None
        elif kind == "nul":
            line = line.replace(values["order_ts"], values["order_ts"] + "\x00")
        lines.append(raw_bytes if raw_bytes is not None else line)
        if kind == "valid":
            drop.orders[order_id] = (int(values["customer_id"]), instant.replace(tzinfo=None), status)
        else:
            bad += 1
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "   "])))  # blank lines are not records
    if records and draw(st.integers(0, 4)) == 0:  # a last record whose quote never closes
        lines.append(f'{first_id + records},1,"2026-03-01T00:00:00Z,placed,web,USD,1.00')
        records, bad = records + 1, bad + 1
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    has_bytes = any(isinstance(item, bytes) for item in lines)
    encoding = "utf-8" if has_bytes else draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    body = b""
    for item in lines:
        chunk = item if isinstance(item, bytes) else item.replace("\n", newline).encode("utf-8")
        body += chunk + newline.encode()
    if not draw(st.booleans()):
        body = body[: -len(newline)]  # no line break after the last record
    if encoding != "utf-8":  # utf-16 writes a byte-order mark; cp1252 is detected from its bytes
        body = body.decode("utf-8").encode(encoding)
    compression = draw(st.sampled_from(["", ".gz", ".zst"]))
    if compression == ".gz":
        path, body = path + ".gz", gzip.compress(body)
    elif compression == ".zst":
        path, body = path + ".zst", zstandard.ZstdCompressor().compress(body)
    drop.files[path], drop.records[path], drop.bad[path] = body, records, bad


@st.composite
def jsonl_file(draw, first_id: int, path: str, drop: Drop) -> None:
    lines, bad = [], 0
    records = draw(st.integers(0, 12))
    for index in range(records):
        event_id = f"h{first_id + index}"
        instant, text = _instant(draw)
        event = {
            "event_id": event_id,
            "event_type": draw(st.sampled_from(EVENT_TYPES)),
            "event_ts": text,
            "session_id": f"s{index}",
            "customer_id": draw(st.one_of(st.none(), st.integers(1, 10_000))),
            "context": {"page": {"url": "/p", "referrer": None}, "device": {"type": "mobile"}},
        }
        kind = draw(st.sampled_from(("valid",) * 4 + BAD_JSON))
        if kind == "untypeable":
            event["customer_id"] = "abc"
        elif kind == "bad_event_type":
            event["event_type"] = "page_vue"
        elif kind == "missing_required":
            del event[draw(st.sampled_from(["event_id", "event_type", "event_ts", "session_id"]))]
        line = json.dumps(event, ensure_ascii=draw(st.booleans()))
        if kind == "invalid_json":
            line = line[: draw(st.integers(1, len(line) - 1))]
        elif kind == "not_object":
            line = json.dumps([event_id])
        lines.append(line)
        if kind == "valid":
            drop.events[event_id] = (event["event_type"], instant.replace(tzinfo=None))
        else:
            bad += 1
        if draw(st.integers(0, 9)) == 0:
            lines.append("  ")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    body = newline.join(lines).encode() + (newline.encode() if draw(st.booleans()) else b"")
    if not body.strip():
        records = bad = 1  # an empty file is quarantined whole, as one record
    if draw(st.booleans()):
        path, body = path + ".gz", gzip.compress(body)
    drop.files[path], drop.records[path], drop.bad[path] = body, records, bad


@st.composite
def drops(draw, first_id: int = 900_000_000) -> Drop:
    drop = Drop()
    for number in range(draw(st.integers(1, 3))):
        draw(csv_file(first_id + number * 1000, f"orders/orders_2026-03-{number + 1:02d}.csv", drop))
    for number in range(draw(st.integers(0, 2))):
        draw(jsonl_file(first_id + number * 1000, f"clickstream/2026-03-01/events_{number:02d}.jsonl", drop))
    return drop
