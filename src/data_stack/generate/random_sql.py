"""Deterministic pseudo-randomness in SQL: a hash of (seed, key, salt), identical on every run and thread."""

from __future__ import annotations

import duckdb


def install_macros(conn: duckdb.DuckDBPyConnection, seed: int) -> None:
    # u(key, salt): uniform in [0, 1); pick(key, salt, n): integer in [0, n).
    conn.execute(f"create or replace macro u(k, salt) as (hash({int(seed)}, k, salt) % 1000003) / 1000003.0")
    conn.execute("create or replace macro pick(k, salt, n) as cast(floor(u(k, salt) * n) as bigint)")
    conn.execute("create or replace macro iso(ts) as strftime(ts, '%Y-%m-%dT%H:%M:%SZ')")
