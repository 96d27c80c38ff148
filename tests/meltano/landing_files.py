"""Hand-made landing files, including every kind of malformed file a real drop produces."""

from __future__ import annotations

from pathlib import Path

ORDERS_HEADER = "order_id,customer_id,order_ts,status,channel,currency,shipping_fee\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def good_orders(landing: Path, day: str = "2026-01-01", first_id: int = 1, rows: int = 3) -> Path:
    lines = [f"{first_id + i},{10 + i},{day}T10:00:0{i}Z,placed,web,USD,4.99\n" for i in range(rows)]
    return write(landing / f"orders/orders_{day}.csv", ORDERS_HEADER + "".join(lines))


def malformed(landing: Path) -> dict[str, int]:
    """Write malformed files; return the expected quarantined record count per file."""
    expected = {}
    write(
        landing / "orders/orders_2026-02-01.csv",
        ORDERS_HEADER
        + "100,1,2026-02-01T10:00:00Z,placed,web,USD,1.00\n"  # good
        + "101,1,yesterday,placed,web,USD,1.00\n"  # untypeable timestamp
        + "102,,2026-02-01T10:00:00Z,placed,web,USD,1.00\n"  # null required
        + "103,1,2026-02-01T10:00:00Z,placed\n"  # ragged row (too few columns)
        + "104,1,2026-02-01T10:00:00Z,placed,web,USD,1.00,extra,more\n",
    )  # too many columns
    expected["orders/orders_2026-02-01.csv"] = 4
    write(landing / "orders/orders_2026-02-02.csv", "order_id,status\n1,placed\n2,placed\n")  # missing columns
    expected["orders/orders_2026-02-02.csv"] = 2
    write(landing / "orders/orders_2026-02-03.csv", "")  # empty file
    expected["orders/orders_2026-02-03.csv"] = 1
    write(landing / "orders/orders_2026-02-04.csv", bytes(range(256)) * 20)  # binary with a .csv name
    expected["orders/orders_2026-02-04.csv"] = 1
    write(landing / "orders/orders_2026-02-05.csv", ORDERS_HEADER)  # header only: nothing to load
    expected["orders/orders_2026-02-05.csv"] = 0
    write(
        landing / "orders/orders_2026-02-06.csv",
        ORDERS_HEADER.strip().encode()
        + b",note\n"
        + "200,1,2026-02-06T10:00:00Z,placed,web,USD,1.00,café\n".encode()
        + "201,1,2026-02-06T10:00:00Z,placed,web,USD,1.00,café\n".encode("latin-1"),
    )  # UTF-8 with one record in another encoding
    expected["orders/orders_2026-02-06.csv"] = 1
    write(
        landing / "orders/orders_2026-02-07.csv",
        ORDERS_HEADER
        + "300,1,2026-02-07T10:00:00Z,placed,web,USD,1.00\n"
        + '301,1,"2026-02-07T10:00:00Z,placed,web,USD,1.00\n',  # broken quoting: the unclosed quote swallows the line
    )
    expected["orders/orders_2026-02-07.csv"] = 1
    write(
        landing / "orders/orders_2026-02-08.csv",
        ORDERS_HEADER
        + "400,1,2026-02-08T10:00:00Z,placed,"
        + "w" * 3_000_000
        + ",USD,1.00\n"  # a 3 MB field
        + "401,1,2026-02-08T10:00:00Z,placed,web,USD,1.00\n",
    )
    expected["orders/orders_2026-02-08.csv"] = 1  # a record over 2 MB is quarantined; the next one loads
    write(
        landing / "clickstream/2026-02-01/events_00.jsonl",
        '{"event_id":"e1","event_type":"page_view","event_ts":"2026-02-01T00:00:01Z","session_id":"s1"}\n'
        '{"event_id":"e2","event_type":"page_view","event_ts":"2026-02-01T00:\n'  # truncated line
        "[1, 2, 3]\n"  # not an object
        '{"event_id":"e3","event_type":"page_view","event_ts":"2026-02-01T00:00:03Z","session_id":"s1",'
        '"customer_id":"abc"}\n',
    )  # untypeable
    expected["clickstream/2026-02-01/events_00.jsonl"] = 3
    write(landing / "catalog/products_2026-02-01.json", '[{"product_id": 1, "sku": "A"')  # invalid JSON
    expected["catalog/products_2026-02-01.json"] = 1
    return expected
