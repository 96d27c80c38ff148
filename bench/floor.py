"""The pipeline benchmark's floor: bench/floor.sql builds the gold marts straight from the landing files.

python bench/floor.py --landing DATA/landing --database floor.duckdb
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

FLOOR_SQL = Path(__file__).resolve().with_name("floor.sql")


def build_floor(landing: Path, database: Path, salt: str) -> None:
    """Write every gold mart into `database` (replaced if it exists), hashing PII with `salt`."""
    database.unlink(missing_ok=True)
    Path(f"{database}.wal").unlink(missing_ok=True)
    with duckdb.connect(str(database)) as conn:
        conn.execute("set variable landing = ?", [str(landing.resolve())])
        conn.execute("set variable pii_hash_salt = ?", [salt])
        conn.execute(FLOOR_SQL.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True, help="Landing folder (`data-stack generate` output).")
    parser.add_argument("--database", type=Path, required=True, help="DuckDB file to write the marts into.")
    parser.add_argument("--salt", help="PII hash salt (default: PII_HASH_SALT, read as the pipeline reads it).")
    args = parser.parse_args()
    if args.salt is None:
        from data_stack.settings import get_settings

        args.salt = get_settings().pii_hash_salt
    build_floor(args.landing, args.database, args.salt)


if __name__ == "__main__":
    main()
