"""A Trino (Athena engine 3) dialect check of compiled SQL that fails on DuckDB-only syntax.

`sqlglot.parse_one(sql, read="trino")` accepts most DuckDB-only syntax without a word (`::` casts, FROM-first,
EXCLUDE, GROUP BY ALL, ILIKE, struct and list literals, `strftime`, `list_*`, `read_parquet`, ...), and sqlglot's
unsupported-warning mechanism (`unsupported_level=ErrorLevel.RAISE`) stays silent on them too, since the Trino
generator rewrites or passes them through. So a statement passes only if all of these hold:

1. it parses as Trino (errors raise);
2. its tokens hold no DuckDB-only punctuation: `::`, `{...}` struct literals, `[...]` list literals without ARRAY;
3. it does not start with FROM;
4. its tree has none of the DuckDB-only node types and arguments below (ILIKE, QUALIFY, EXCLUDE/REPLACE on a star,
   GROUP BY ALL / ORDER BY ALL, read_parquet, regexp_full_match, ...);
5. every function it calls is a function sqlglot knows for Trino or one of TRINO_FUNCTIONS, and none is on the
   DuckDB-only list;
6. it survives a round trip: generated as Trino with unsupported_level=RAISE and parsed again, the tree is the same.

Usage: athena/.venv/bin/python athena/dialect_check.py FILE_OR_DIR ...  -> JSON {file: [problems]}, exit 1 if any.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError
from sqlglot.tokens import TokenType

DIALECT = "trino"

# Functions the models call that sqlglot does not model but Trino has (checked against Trino's function list).
TRINO_FUNCTIONS = {
    "to_utf8",
    "to_hex",
    "to_milliseconds",
    "at_timezone",
    "approx_percentile",
    "regexp_like",
    "split_part",
}

# DuckDB function names with no Trino function of that name (or another meaning there).
DUCKDB_ONLY_FUNCTIONS = {
    "strftime",
    "strptime",
    "epoch",
    "epoch_ms",
    "epoch_us",
    "make_timestamp",
    "regexp_full_match",
    "regexp_matches",
    "quantile_cont",
    "quantile_disc",
    "getvariable",
    "error",
    "read_parquet",
    "read_csv",
    "read_csv_auto",
    "read_json",
    "read_json_auto",
    "glob",
    "struct_pack",
    "timezone",
    "list_value",
    "string_split",
}
DUCKDB_ONLY_PREFIXES = ("list_", "array_to_string", "json_extract_string")

DUCKDB_ONLY_NODES: dict[type[exp.Expression], str] = {
    exp.ILike: "ILIKE",
    exp.Qualify: "QUALIFY",
    exp.ReadParquet: "read_parquet",
    exp.RegexpFullMatch: "regexp_full_match",
    exp.Struct: "struct literal",
}


def _token_problems(sql: str) -> list[str]:
    problems = []
    tokens = sqlglot.Dialect.get_or_raise(DIALECT).tokenize(sql)
    for index, token in enumerate(tokens):
        previous = tokens[index - 1].token_type if index else None
        if token.token_type == TokenType.DCOLON:
            problems.append(f"`::` cast at line {token.line}")
        elif token.token_type == TokenType.L_BRACE:
            problems.append(f"struct literal `{{` at line {token.line}")
        elif token.token_type == TokenType.L_BRACKET and previous not in (
            TokenType.ARRAY,
            TokenType.VAR,
            TokenType.IDENTIFIER,
            TokenType.R_BRACKET,
            TokenType.R_PAREN,
        ):
            problems.append(f"list literal `[` at line {token.line}")
    if tokens and tokens[0].token_type == TokenType.FROM:
        problems.append("FROM-first statement")
    return problems


def _tree_problems(tree: exp.Expression) -> list[str]:
    problems = []
    for node in tree.walk():
        for node_type, label in DUCKDB_ONLY_NODES.items():
            if isinstance(node, node_type):
                problems.append(label)
        if isinstance(node, exp.Star) and any(node.args.get(arg) for arg in ("except", "except_", "replace", "rename")):
            problems.append("EXCLUDE / REPLACE on *")
        if isinstance(node, exp.Group) and node.args.get("all"):
            problems.append("GROUP BY ALL")
        if isinstance(node, exp.Order) and any(
            isinstance(item.this, exp.Column) and item.this.name.lower() == "all" for item in node.expressions
        ):
            problems.append("ORDER BY ALL")
        if isinstance(node, exp.Func):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()
            if name in DUCKDB_ONLY_FUNCTIONS or name.startswith(DUCKDB_ONLY_PREFIXES):
                problems.append(f"DuckDB-only function {name}()")
            elif isinstance(node, exp.Anonymous) and name not in TRINO_FUNCTIONS:
                problems.append(f"unknown function {name}()")
    return problems


def check(sql: str) -> list[str]:
    """What in `sql` Athena's Trino would not run as written; empty when it passes."""
    try:
        tree = sqlglot.parse_one(sql, read=DIALECT, error_level=ErrorLevel.RAISE)
    except SqlglotError as error:
        return [f"does not parse as Trino: {str(error).splitlines()[0]}"]
    problems = _token_problems(sql) + _tree_problems(tree)
    try:
        regenerated = tree.sql(dialect=DIALECT, unsupported_level=ErrorLevel.RAISE)
        if sqlglot.parse_one(regenerated, read=DIALECT) != tree:
            problems.append("changes when written as Trino (a construct Trino spells differently)")
    except SqlglotError as error:
        problems.append(f"unsupported in Trino: {str(error).splitlines()[0]}")
    return sorted(set(problems))


def main(paths: list[str]) -> int:
    files = [file for path in map(Path, paths) for file in (sorted(path.rglob("*.sql")) if path.is_dir() else [path])]
    results = {str(file): check(file.read_text(encoding="utf-8")) for file in files}
    print(json.dumps(results, indent=2))
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
