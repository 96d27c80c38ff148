"""Which landing files are new: listed with DuckDB's glob (local or s3://), minus those in the Singer state."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class LandingFile:
    uri: str  # what DuckDB reads
    relpath: str  # path relative to the landing root: the state key and `_source_file`


def list_new_files(conn: duckdb.DuckDBPyConnection, landing_uri: str, pattern: str, seen: dict) -> list[LandingFile]:
    root = landing_uri.rstrip("/")
    uris = [row[0] for row in conn.execute("select file from glob(?) order by file", [f"{root}/{pattern}"]).fetchall()]
    files = [LandingFile(uri, relative(root, uri)) for uri in uris]
    return [item for item in files if item.relpath not in seen]


def relative(root: str, uri: str) -> str:
    return uri[len(root) + 1 :] if uri.startswith(root + "/") else uri
