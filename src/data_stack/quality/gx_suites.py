"""Validate gold data products with Great Expectations on pandas batches read from the build database.

GX's SQL path on DuckDB returns wrong results, so every table is read with DuckDB and handed over as a
DataFrame: all its rows (results stay exact), but only the columns its suite's expectations name, so a wide fact
table is not converted whole. Data Docs are written per run.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from data_stack.errors import StageFailed
from data_stack.log import get_logger
from data_stack.quality.changed import built_incrementally, changed_filter
from data_stack.quality.expectations import SuiteSpec, expectation_class_name, load_suites

log = get_logger(__name__)

# Great Expectations' progress bars and analytics off, set when this module loads rather than when GX is imported in
# a thread: the environment a tool started ahead was given must not change before its stage compares it.
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@dataclass
class GxResult:
    passed: int = 0
    failed: int = 0
    warned: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data_docs: Path | None = None
    read_seconds: float = 0.0  # of the validation: reading the tables' columns into DataFrames

    def counts(self) -> dict[str, int]:
        return {"passed": self.passed, "failed": self.failed, "warned": self.warned}


def preload_gx() -> None:
    """Import Great Expectations (~6 s), with its progress bars and analytics off (above)."""
    import great_expectations  # noqa: F401


def run_gx_suites(build_db: Path, docs_dir: Path, published_db: Path | None = None) -> GxResult:
    """Every suite on the build. When the build continued the published warehouse incrementally, an expectation
    that judges rows one by one reads only the rows this run wrote (quality/changed.py); the others, and every
    expectation of a first build or a full refresh, read the whole table."""
    preload_gx()
    import great_expectations as gx  # heavy: only when the gate runs
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    specs = load_suites()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    docs_dir.mkdir(parents=True, exist_ok=True)
    context.add_data_docs_site(
        site_name="run",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    source = context.data_sources.add_pandas("warehouse")
    result = GxResult(data_docs=docs_dir / "index.html")
    with duckdb.connect(str(build_db), read_only=True) as conn:
        incremental = published_db is not None and published_db.exists() and built_incrementally(conn)
        if incremental:
            conn.execute(f"attach '{published_db}' as published (read_only)")
        for spec in specs:
            schema, table = _relation(conn, spec.model)
            changed = changed_filter(conn, schema, table, published="published") if incremental else None
            for part, expectations, where in _parts(spec, changed):
                started = time.perf_counter()
                frame = _frame(conn, f'"{schema}"."{table}"', expectations, where)
                result.read_seconds += time.perf_counter() - started
                name = spec.model if part == "table" else f"{spec.model} ({part})"
                batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
                suite = context.suites.add(_suite(gx, spec, name, expectations))
                definition = context.validation_definitions.add(
                    gx.ValidationDefinition(name=name, data=batch, suite=suite)
                )
                checkpoint = context.checkpoints.add(
                    gx.Checkpoint(name=f"gate_{spec.model}_{part}", validation_definitions=[definition])
                )
                outcome = checkpoint.run(batch_parameters={"dataframe": frame})
                for run_result in outcome.run_results.values():
                    for item in run_result.results:
                        _tally(result, spec, item)
    context.build_data_docs(site_names=["run"])  # once, from every suite's stored result (not once per suite)
    return result


COLUMN_ARGUMENTS = ("column", "column_A", "column_B")
ROW_COUNT_ONLY = "1 as _row"
COLUMN_LIST_ARGUMENTS = ("column_list",)


UNIQUE = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")
CHANGED = "rows written by this run"


def _parts(spec: SuiteSpec, changed: str | None) -> list[tuple[str, list, str | KeysWritten | None]]:
    """The suite as validated: row-by-row expectations on the rows this run wrote, and a key's uniqueness on every
    row of the table holding a key this run wrote, when it is known which rows those are (else the whole table);
    the rest on the whole table. Parts without expectations are left out."""
    if changed is None:
        return [("table", spec.expectations, None)]
    rows = [item for item in spec.expectations if _row_by_row(item[0])]
    keys = [item for item in spec.expectations if item[0] in UNIQUE]
    table = [item for item in spec.expectations if not _row_by_row(item[0]) and item[0] not in UNIQUE]
    parts = [part for part in (("table", table, None), (CHANGED, rows, changed)) if part[1]]
    for item in keys:
        columns = tuple(_key_columns(item[1]))
        parts.append(
            (f"rows holding a key ({', '.join(columns)}) written by this run", [item], KeysWritten(columns, changed))
        )
    return parts


def _row_by_row(name: str) -> bool:
    """Judges each row on its own (null, range, set, pattern, a pair of its columns): a row that passed when its run
    was gated still does."""
    return (name.startswith("expect_column_values_to_") and "unique" not in name) or name.startswith(
        "expect_column_pair_values_"
    )


def _key_columns(kwargs: dict) -> list[str]:
    return [kwargs["column"]] if "column" in kwargs else list(kwargs["column_list"])


@dataclass(frozen=True)
class KeysWritten:
    """The rows whose key a row this run wrote (`changed`) holds too: only a written row can have made a key repeat,
    and every row holding that key is read, so a repeat is seen whole. A null is a value like any other."""

    columns: tuple[str, ...]
    changed: str


def _frame(conn: duckdb.DuckDBPyConnection, relation: str, expectations: list, where: str | KeysWritten | None):
    """The DataFrame a part is validated on. Row counts alone need no column: a frame of that many rows and none."""
    selected = _columns(expectations)
    source = f"{relation} as judged"
    if isinstance(where, KeysWritten):  # a semi join: DuckDB hashes the written keys, not the table
        names = ['"' + column.replace('"', '""') + '"' for column in where.columns]
        same = " and ".join(f"judged.{name} is not distinct from written.{name}" for name in names)
        source += f" semi join (select {', '.join(names)} from {relation} where {where.changed}) as written on {same}"
        where = None
    if selected == ROW_COUNT_ONLY:
        import pandas as pd

        rows = conn.execute(f"select count(*) from {source}" + (f" where {where}" if where else "")).fetchone()[0]
        return pd.DataFrame(index=pd.RangeIndex(rows))
    return conn.sql(f"select {selected} from {source}" + (f" where {where}" if where else "")).df()


def _columns(expectations: list) -> str:
    """The select list: the columns the expectations name, in first-mention order; `*` when an expectation is
    about the table's columns themselves (their set, order or count)."""
    names: list[str] = []
    for name, kwargs in expectations:
        if name.startswith("expect_table_column") or "row_condition" in kwargs:
            return "*"
        mentioned = [kwargs[key] for key in COLUMN_ARGUMENTS if key in kwargs]
        mentioned += [column for key in COLUMN_LIST_ARGUMENTS for column in kwargs.get(key, [])]
        names += [column for column in mentioned if column not in names]
    if not names:  # row counts only: no column is read (_frame)
        return ROW_COUNT_ONLY
    return ", ".join('"' + column.replace('"', '""') + '"' for column in names)


def _suite(gx, spec: SuiteSpec, name: str, expectations: list):
    suite = gx.ExpectationSuite(name=name, meta={"domain": spec.domain})
    for expectation, kwargs in expectations:
        cls = getattr(gx.expectations, expectation_class_name(expectation), None)
        if cls is None:
            raise StageFailed(
                f"Unknown expectation {expectation} in the {spec.model} suite",
                "Use a Great Expectations 1.x expectation name",
            )
        suite.add_expectation(cls(**kwargs))
    return suite


def _tally(result: GxResult, spec: SuiteSpec, item) -> None:
    config = item.expectation_config
    label = f"{spec.model}: {config.type}({_describe(config.kwargs)})"
    if item.success:
        result.passed += 1
    elif str(getattr(config.severity, "value", config.severity)) == "critical":
        result.failed += 1
        result.failures.append(label)
    else:
        result.warned += 1
        result.warnings.append(label)


def _describe(kwargs: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in kwargs.items() if key not in ("batch_id",))


def _relation(conn: duckdb.DuckDBPyConnection, model: str) -> tuple[str, str]:
    rows = conn.execute(
        "select table_schema from information_schema.tables where table_catalog = current_database() "
        "and table_name = ? "
        "and table_schema not like '%staging%' and table_schema not like '%intermediate%'",
        [model],
    ).fetchall()
    if len(rows) != 1:
        raise StageFailed(
            f"Gold table {model} {'is missing' if not rows else 'is ambiguous'} in the build database",
            "Run `data-stack transform` first, or fix the suite's model name",
        )
    return rows[0][0], model
