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


def run_gx_suites(build_db: Path, docs_dir: Path) -> GxResult:
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
        for spec in specs:
            started = time.perf_counter()
            frame = conn.sql(f"select {_columns(spec)} from {_relation(conn, spec.model)}").df()
            result.read_seconds += time.perf_counter() - started
            batch = source.add_dataframe_asset(spec.model).add_batch_definition_whole_dataframe("all")
            suite = context.suites.add(_suite(gx, spec))
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=spec.model, data=batch, suite=suite)
            )
            checkpoint = context.checkpoints.add(
                gx.Checkpoint(
                    name=f"gate_{spec.model}",
                    validation_definitions=[definition],
                )
            )
            outcome = checkpoint.run(batch_parameters={"dataframe": frame})
            for run_result in outcome.run_results.values():
                for item in run_result.results:
                    _tally(result, spec, item)
    context.build_data_docs(site_names=["run"])  # once, from every suite's stored result (not once per suite)
    return result


COLUMN_ARGUMENTS = ("column", "column_A", "column_B")
COLUMN_LIST_ARGUMENTS = ("column_list",)


def _columns(spec: SuiteSpec) -> str:
    """The select list: the columns the expectations name, in first-mention order; `*` when an expectation is
    about the table's columns themselves (their set, order or count)."""
    names: list[str] = []
    for name, kwargs in spec.expectations:
        if name.startswith("expect_table_column") or "row_condition" in kwargs:
            return "*"
        mentioned = [kwargs[key] for key in COLUMN_ARGUMENTS if key in kwargs]
        mentioned += [column for key in COLUMN_LIST_ARGUMENTS for column in kwargs.get(key, [])]
        names += [column for column in mentioned if column not in names]
    if not names:  # row counts only: any one column carries them
        return "1 as _row"
    return ", ".join('"' + column.replace('"', '""') + '"' for column in names)


def _suite(gx, spec: SuiteSpec):
    suite = gx.ExpectationSuite(name=spec.model, meta={"domain": spec.domain})
    for name, kwargs in spec.expectations:
        cls = getattr(gx.expectations, expectation_class_name(name), None)
        if cls is None:
            raise StageFailed(
                f"Unknown expectation {name} in the {spec.model} suite",
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


def _relation(conn: duckdb.DuckDBPyConnection, model: str) -> str:
    rows = conn.execute(
        "select table_schema from information_schema.tables where table_name = ? "
        "and table_schema not like '%staging%' and table_schema not like '%intermediate%'",
        [model],
    ).fetchall()
    if len(rows) != 1:
        raise StageFailed(
            f"Gold table {model} {'is missing' if not rows else 'is ambiguous'} in the build database",
            "Run `data-stack transform` first, or fix the suite's model name",
        )
    return f'"{rows[0][0]}"."{model}"'
