"""The Glue tables over bronze, derived from the ingestion contract: one table per stream, Hive types.

`python -m data_stack.promote.bronze_tables > aws/terraform/modules/catalog/bronze_tables.json` writes the file the
Terraform catalog module reads (tests/aws checks the committed file is what this produces). File streams come from
tap-landing's `streams` setting (meltano/extract/tap-landing.meltano.yml); the API stream from docs/sources.md.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from data_stack.errors import UserError
from data_stack.settings import PROJECT_ROOT

EXTRACT_FILE = PROJECT_ROOT / "meltano" / "extract" / "tap-landing.meltano.yml"
OUTPUT = "aws/terraform/modules/catalog/bronze_tables.json"

# vehicles__valuations (tap-vehicle-values, RECORD messages), as docs/sources.md "API source" lists it. Its
# `valuation_usd` is a DECIMAL whose precision pyarrow infers per file; the table declares DuckDB's default
# DECIMAL(18,3) and staging casts to DECIMAL(12,2).
API_STREAMS: dict[str, dict[str, str]] = {
    "vehicles__valuations": {
        "license_plate": "VARCHAR",
        "state_code": "VARCHAR",
        "make": "VARCHAR",
        "model_year": "BIGINT",
        "valuation_usd": "DECIMAL",
        "currency": "VARCHAR",
        "valued_at": "TIMESTAMP WITH TIME ZONE",
        "source": "VARCHAR",
        "fetched_at": "TIMESTAMP WITH TIME ZONE",
    }
}

# What target-lake adds to every bronze row (docs/sources.md "Bronze"); RECORD streams have no landing file.
FILE_LINEAGE = [("_source_file", "string"), ("_loaded_at", "timestamp"), ("_run_id", "string")]
API_LINEAGE = [("_loaded_at", "timestamp"), ("_run_id", "string")]
PARTITION_KEYS = [{"name": "load_date", "type": "string"}]

SCALARS = {
    "BIGINT": "bigint",
    "INTEGER": "int",
    "SMALLINT": "smallint",
    "TINYINT": "tinyint",
    "DOUBLE": "double",
    "FLOAT": "float",
    "REAL": "float",
    "BOOLEAN": "boolean",
    "VARCHAR": "string",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    # Hive tables have no zoned timestamp; bronze stores these instants in UTC (Parquet isAdjustedToUTC).
    "TIMESTAMP WITH TIME ZONE": "timestamp",
    "TIMESTAMPTZ": "timestamp",
    "DECIMAL": "decimal(18,3)",  # DuckDB's DECIMAL without arguments
}
DECIMAL = re.compile(r"DECIMAL\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)", re.IGNORECASE)


def glue_type(duckdb_type: str) -> str:
    """The Glue/Hive type of a DuckDB type: STRUCT(a VARCHAR, b DOUBLE[]) -> struct<a:string,b:array<double>>."""
    text = duckdb_type.strip()
    if text.endswith("[]"):
        return f"array<{glue_type(text[:-2])}>"
    upper = text.upper()
    if upper in SCALARS:
        return SCALARS[upper]
    decimal = DECIMAL.fullmatch(text)
    if decimal:
        return f"decimal({decimal[1]},{decimal[2]})"
    if upper.startswith("STRUCT(") and text.endswith(")"):
        fields = []
        for field in _split_top_level(text[len("STRUCT(") : -1]):
            name, _, field_type = field.strip().partition(" ")
            if not name or not field_type:
                raise ValueError(f"cannot read the STRUCT field {field!r} of {duckdb_type}")
            fields.append(f"{name.strip(chr(34)).lower()}:{glue_type(field_type)}")
        return f"struct<{','.join(fields)}>"
    raise ValueError(f"no Glue type for the DuckDB type {duckdb_type}")


def _split_top_level(text: str) -> list[str]:
    """Split on the commas that are not inside parentheses."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def file_streams(extract_file: Path = EXTRACT_FILE) -> dict[str, dict[str, str]]:
    """Stream name -> {column: DuckDB type}, from tap-landing's `streams` setting, in the contract's order."""
    with open(extract_file, encoding="utf-8") as handle:
        plugins = yaml.safe_load(handle)["plugins"]["extractors"]
    streams = next(plugin for plugin in plugins if plugin["name"] == "tap-landing")["config"]["streams"]
    return {stream["name"]: dict(stream["columns"]) for stream in streams}


def bronze_tables(extract_file: Path = EXTRACT_FILE) -> list[dict[str, Any]]:
    """One Glue table per bronze stream: name, the `source`/`stream` path parts, columns with Glue types."""
    streams = [(name, columns, FILE_LINEAGE) for name, columns in file_streams(extract_file).items()]
    streams += [(name, columns, API_LINEAGE) for name, columns in API_STREAMS.items()]
    tables = []
    for name, columns, lineage in streams:
        source, separator, stream = name.partition("__")
        if not separator or not source or not stream:
            raise ValueError(f"stream {name!r} is not named <source>__<stream>")
        try:
            typed = [{"name": column, "type": glue_type(kind)} for column, kind in columns.items()]
        except ValueError as error:
            raise ValueError(f"stream {name}: {error}") from error
        typed += [{"name": column, "type": kind} for column, kind in lineage]
        tables.append(
            {
                "name": name,
                "source": source,
                "stream": stream,
                "columns": typed,
                "partition_keys": PARTITION_KEYS,
            }
        )
    return sorted(tables, key=lambda table: table["name"])


def render(extract_file: Path = EXTRACT_FILE) -> str:
    document = {
        "generated_by": f"python -m data_stack.promote.bronze_tables > {OUTPUT}",
        "tables": bronze_tables(extract_file),
    }
    return json.dumps(document, indent=2) + "\n"


def main() -> None:
    try:
        sys.stdout.write(render())
    except (OSError, ValueError, KeyError) as error:
        message = UserError(f"cannot derive the bronze tables from {EXTRACT_FILE}: {error}", "fix the contract")
        sys.stderr.write(f"{message}\n")
        raise SystemExit(message.exit_code) from None


if __name__ == "__main__":
    main()
