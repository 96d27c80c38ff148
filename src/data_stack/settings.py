"""One settings object for every stage: environment variables and an optional `.env` file."""

from __future__ import annotations

import os
import sys
from functools import cached_property
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from data_stack.errors import UserError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Salts anyone can read (the code's default, .env.example's placeholder): fine for dev, refused elsewhere.
PUBLIC_SALTS = frozenset({"", "northwind", "change-me"})


class Settings(BaseSettings):
    """Where data lives and how stages reach each other.

    Meltano, dbt, Airflow and compose read the same variable names; `stage_env()` hands them over.
    """

    # An empty value means the default: `cp .env.example .env` leaves WAREHOUSE_DIR= and friends empty.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Root for landing, lake and warehouse.")
    landing_uri: str | None = Field(default=None, description="Where sources drop files.")
    lake_uri: str | None = Field(default=None, description="Bronze and quarantine Parquet.")
    warehouse_dir: Path | None = Field(default=None, description="Build files, published DB, ledger.")
    pii_hash_salt: str = Field(default="northwind", description="Salt for hashing PII in staging.")
    dbt_target: str = Field(default="dev", description="dbt target (dev or ci).")
    meltano_environment: str = Field(default="dev", description="Meltano environment.")
    s3_endpoint_url: str | None = Field(default=None, description="S3 endpoint (MinIO, moto).")
    serving_db_url: str | None = Field(default=None, description="Postgres serving layer URL.")
    quarantine_rate_max: float = Field(
        default=0.05, ge=0, le=1, description="The gate fails when a stream quarantines more of a run's rows."
    )
    landing_settle_seconds: int = Field(
        default=2, ge=0, description="A landing file changed more recently is still being written: next run."
    )
    duckdb_memory_limit: str = Field(
        default="4GB",
        description="DuckDB's memory cap in the ingest tap and dbt before it spills to disk (peak RSS per stage).",
    )
    dashboard_backend: str = Field(default="duckdb", description="What dashboards read: duckdb or postgres.")
    data_docs_base_url: str | None = Field(
        default=None, description="Where Data Docs are served (`make data-docs`); file:// links otherwise."
    )
    # What `validate --all-services` checks; the defaults are the compose stack's published ports.
    airflow_api_url: str = Field(default="http://127.0.0.1:8080", description="Airflow's API server.")
    prometheus_url: str = Field(default="http://127.0.0.1:9090", description="Prometheus.")
    grafana_url: str = Field(default="http://127.0.0.1:3000", description="Grafana.")
    mcp_allow_trigger: bool = Field(default=False, description="Let `data-stack mcp` clients start pipeline runs.")
    mcp_trigger_interval_seconds: float = Field(
        default=300, ge=0, description="Least time between two runs started through `data-stack mcp`."
    )
    project_root: Path = Field(default=PROJECT_ROOT, description="Repository root.")

    @cached_property
    def data_path(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @cached_property
    def landing(self) -> str:
        return self.landing_uri or str(self.data_path / "landing")

    @cached_property
    def lake(self) -> str:
        return (self.lake_uri or str(self.data_path / "lake")).rstrip("/")

    @cached_property
    def warehouse(self) -> Path:
        return (self.warehouse_dir or self.data_path / "warehouse").expanduser().resolve()

    @property
    def build_dir(self) -> Path:
        return self.warehouse / "build"

    @property
    def published_db(self) -> Path:
        return self.warehouse / "current.duckdb"

    @property
    def ledger_db(self) -> Path:
        return self.warehouse / "ledger.sqlite"

    @property
    def data_docs_dir(self) -> Path:
        return self.warehouse / "data_docs"

    @property
    def lock_file(self) -> Path:
        return self.warehouse / "run.lock"

    @property
    def meltano_dir(self) -> Path:
        return self.project_root / "meltano"

    @property
    def dbt_dir(self) -> Path:
        return self.project_root / "dbt"

    def require_secret_salt(self) -> None:
        """Outside dev, PII hashes must not be reproducible by anyone who reads this repository."""
        environments = sorted({self.dbt_target, self.meltano_environment} - {"dev"})
        if environments and self.pii_hash_salt.strip() in PUBLIC_SALTS:
            raise UserError(
                f"PII_HASH_SALT is unset or a public default, which is allowed only in dev (here: "
                f"DBT_TARGET={self.dbt_target}, MELTANO_ENVIRONMENT={self.meltano_environment})",
                "Set PII_HASH_SALT to a secret value (e.g. `openssl rand -hex 32`) in the environment or .env",
            )

    @property
    def meltano_db(self) -> Path:
        """Meltano's system database for this warehouse (its jobs and their states)."""
        return self.warehouse / "meltano.db"

    @property
    def meltano_sys_dir(self) -> Path:
        """Meltano's system folder for this warehouse: each run's plugin config, catalog and state files. The
        plugins' environments are links to the project's, installed once by `make bootstrap`."""
        return self.warehouse / "meltano" / "sys"

    def build_db(self, run_id: str) -> Path:
        return self.build_dir / f"{run_id}.duckdb"

    def dbt_build_results(self, run_id: str) -> Path:
        """dbt's results of the run's `dbt build`: the transform stage writes them, the gate judges its tests."""
        return self.warehouse / "logs" / run_id / "dbt-build-results.json"

    def stage_env(self, run_id: str | None = None) -> dict[str, str]:
        """Environment for Meltano and dbt subprocesses: the same variable names everywhere."""
        env = dict(os.environ)
        # Tools installed beside this interpreter (meltano, dbt, uv) come first.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        env.update(
            DATA_DIR=str(self.data_path),
            LANDING_URI=self.landing,
            LAKE_URI=self.lake,
            WAREHOUSE_DIR=str(self.warehouse),
            PII_HASH_SALT=self.pii_hash_salt,
            MELTANO_ENVIRONMENT=self.meltano_environment,
            MELTANO_STATE_BACKEND_URI=_state_uri(self.lake),
            MELTANO_DATABASE_URI=f"sqlite:///{self.meltano_db}",
            MELTANO_SEND_ANONYMOUS_USAGE_STATS="false",
            DBT_PROFILES_DIR=str(self.dbt_dir),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            TAP_LANDING_SETTLE_SECONDS=str(self.landing_settle_seconds),
            DUCKDB_MEMORY_LIMIT=self.duckdb_memory_limit,
        )
        env.setdefault("TAP_LANDING_MEMORY_LIMIT", self.duckdb_memory_limit)
        if self.s3_endpoint_url:
            env["S3_ENDPOINT_URL"] = self.s3_endpoint_url
            env["MELTANO_STATE_BACKEND_S3_ENDPOINT_URL"] = self.s3_endpoint_url
        if self.lake.startswith("s3://"):
            # Meltano's S3 state backend honours a custom endpoint only with explicit keys.
            for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
                if env.get(name):
                    env.setdefault(f"MELTANO_STATE_BACKEND_S3_{name}", env[name])
        if run_id:
            env["RUN_ID"] = run_id
            env["DBT_DUCKDB_PATH"] = str(self.build_db(run_id))
        return env


def _state_uri(lake: str) -> str:
    return f"{lake}/_state" if "://" in lake else f"file://{lake}/_state"


def get_settings() -> Settings:
    """The settings, or a UserError naming each invalid variable, the value given and what it must be."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors()]
        raise UserError("; ".join(problems), "Fix it in the environment or .env") from None


_KINDS = {float: "a number", int: "a whole number", bool: "true or false"}


def _problem(error: dict) -> str:
    field = str(error["loc"][0]) if error.get("loc") else ""
    info = Settings.model_fields.get(field)
    if info is None:
        return f"Invalid setting: {error['msg']}"
    bounds = {}
    for item in info.metadata:
        for key in ("ge", "gt", "le", "lt"):
            if getattr(item, key, None) is not None:
                bounds[key] = f"{getattr(item, key):g}"
    low = bounds.get("ge") or bounds.get("gt")
    high = bounds.get("le") or bounds.get("lt")
    kind = _KINDS.get(info.annotation)
    if low is not None and high is not None:
        allowed = f"must be {kind or 'a value'} between {low} and {high}"
    elif low is not None:
        allowed = f"must be {kind or 'a value'} of at least {low}"
    elif high is not None:
        allowed = f"must be {kind or 'a value'} of at most {high}"
    elif kind is not None:
        allowed = f"must be {kind}"
    else:
        allowed = str(error["msg"]).lower()
    return f"Invalid {field.upper()}={error.get('input')}: {allowed}"
