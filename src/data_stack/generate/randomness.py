"""Deterministic pseudo-randomness as SQL macros: a hash of (seed, key, salt).

The same key and salt give the same value on every run, machine and thread count, so files are byte-identical
for the same arguments. DuckDB's random()/setseed() are never used: their sequence depends on the plan.
"""

from __future__ import annotations

import duckdb

from data_stack.generate.timeline import EPOCH, EPOCH_UNIX
from data_stack.generate.vocab import HOUR_WEIGHTS, sql_list, weighted_slots

HOUR_SLOTS = weighted_slots(HOUR_WEIGHTS)


def install_macros(conn: duckdb.DuckDBPyConnection, seed: int) -> None:
    macros = {
        # u: uniform in [0, 1) from the top 53 bits of a hash of the (integer) key mixed with a hash of seed and
        # salt. hash(seed, salt) is constant in a query, so DuckDB computes it once. (hash(seed, k, salt) would
        # cost more, and its top bits depend mostly on k: two salts of one key would give correlated values.)
        "u(k, salt)": (
            f"(hash(xor((k)::bigint, (hash({int(seed)}, salt) >> 1)::bigint)) >> 11)::double / 9007199254740992.0"
        ),
        # pick: integer in [0, n)
        "pick(k, salt, n)": "floor(u(k, salt) * n)::bigint",
        # a second of the day, following the daily traffic curve
        "time_of_day(k, salt)": (
            f"{sql_list(HOUR_SLOTS)}[1 + pick(k, salt, {len(HOUR_SLOTS)})] * 3600 + pick(k, salt || '/s', 3600)"
        ),
        # day number since EPOCH -> DATE
        "day_date(n)": f"date '{EPOCH.isoformat()}' + n::integer",
        # seconds since EPOCH -> ISO-8601 UTC text, as the sources write timestamps
        "iso(t)": f"strftime(make_timestamp(({EPOCH_UNIX} + t)::bigint * 1000000), '%Y-%m-%dT%H:%M:%SZ')",
    }
    for signature, body in macros.items():
        conn.execute(f"create or replace macro {signature} as ({body})")
