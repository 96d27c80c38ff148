"""Serving database URLs: accept the usual spellings, and describe one without its password."""

from __future__ import annotations

from urllib.parse import urlsplit


def normalize(url: str) -> str:
    """libpq takes `postgresql://` and `postgres://`; also accept SQLAlchemy's `postgresql+psycopg://`."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme.startswith("postgresql+"):
        return f"postgresql://{rest}"
    return url


def describe(url: str) -> str:
    """`host:port/dbname` for messages and logs: never the user or password."""
    try:
        parts = urlsplit(normalize(url))
        host = parts.hostname or "localhost"
        port = parts.port or 5432
    except ValueError:
        return "the serving database"
    return f"{host}:{port}{parts.path or '/'}"
