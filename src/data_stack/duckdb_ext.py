"""Install DuckDB's httpfs extension offline, from the `duckdb-extension-httpfs` wheel (no network)."""

from __future__ import annotations

from importlib import resources

import duckdb


def httpfs_file() -> str:
    version = duckdb.__version__
    path = resources.files("duckdb_extension_httpfs") / "extensions" / f"v{version}" / "httpfs.duckdb_extension"
    return str(path)


def install_httpfs() -> str:
    """Copy the extension into DuckDB's extension directory; idempotent."""
    with duckdb.connect() as conn:
        installed = conn.execute("select installed from duckdb_extensions() where extension_name = 'httpfs'").fetchone()
        if not (installed and installed[0]):
            conn.execute(f"install '{httpfs_file()}'")
        conn.execute("load httpfs")
    return httpfs_file()


if __name__ == "__main__":
    print(install_httpfs())
