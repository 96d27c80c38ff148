"""The checks behind `data-stack validate`, one function per configured part."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from data_stack.errors import UserError
from data_stack.settings import Settings, get_settings

TIMEOUT_SECONDS = 3.0  # each network check: a down service fails fast instead of hanging the command


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | fail | skip
    detail: str
    action: str = ""  # what to do, when it failed or was skipped for a reason the user can change

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def run_checks(all_services: bool = False, skip: set[str] = frozenset()) -> list[Check]:
    """Every check in order; with `all_services` also the Airflow API, Prometheus and Grafana; `skip` names checks
    to leave out (each is reported as skipped, so a name that matches no check is an error)."""
    try:
        settings = get_settings()
    except UserError as exc:
        return [Check("settings", "fail", exc.reason, exc.action)]
    checks = [Check("settings", "ok", f"DATA_DIR={settings.data_path}")]
    probes: list[Callable[[Settings], Check]] = [landing, lake, warehouse, serving, vehicle_api]
    if all_services:
        probes += [airflow, prometheus, grafana]
    unknown = sorted(skip - {probe.__name__ for probe in probes})
    if unknown:
        names = ", ".join(probe.__name__ for probe in probes)
        raise UserError(f"--skip {unknown[0]}: no such check", f"Name one of: {names}")
    checks += [
        Check(probe.__name__, "skip", "left out (--skip)") if probe.__name__ in skip else probe(settings)
        for probe in probes
    ]
    return checks


def landing(settings: Settings) -> Check:
    return _location("landing", settings.landing, settings, "LANDING_URI")


def lake(settings: Settings) -> Check:
    return _location("lake", settings.lake, settings, "LAKE_URI")


def _location(name: str, uri: str, settings: Settings, variable: str) -> Check:
    if uri.startswith("s3://"):
        return _s3(name, uri, settings, variable)
    if "://" in uri:
        return Check(name, "fail", f"{variable}={uri} is neither a folder nor s3://", f"Set {variable} to either")
    path = Path(uri)
    if path.exists():
        if not path.is_dir():
            return Check(name, "fail", f"{path} is not a folder", f"Remove it or point {variable} elsewhere")
        if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
            return Check(name, "fail", f"{path} is not readable and writable", f"Fix its permissions or {variable}")
        return Check(name, "ok", f"{path}")
    parent = next(p for p in path.parents if p.exists())
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        return Check(name, "fail", f"{path} does not exist and {parent} is not writable", f"Fix {variable}")
    return Check(name, "ok", f"{path} (created by the first run)")


def _s3(name: str, uri: str, settings: Settings, variable: str) -> Check:
    from duckdb_s3 import enable_s3

    env = dict(os.environ)
    if settings.s3_endpoint_url:
        env["S3_ENDPOINT_URL"] = settings.s3_endpoint_url
    where = f"{uri} (endpoint {settings.s3_endpoint_url or 'AWS'})"
    try:
        with duckdb.connect() as conn:
            enable_s3(conn, env=env)
            conn.execute(f"set http_timeout = {int(TIMEOUT_SECONDS)}")
            conn.execute("set http_retries = 0")
            conn.execute("select count(*) from glob(?)", [f"{uri.rstrip('/')}/*"]).fetchone()
    except duckdb.Error as exc:
        reason = str(exc).strip().splitlines()[0][:200]
        return Check(
            name,
            "fail",
            f"Cannot list {where}: {reason}",
            f"Check {variable}, S3_ENDPOINT_URL, the AWS_* credentials and that the bucket exists",
        )
    return Check(name, "ok", where)


def warehouse(settings: Settings) -> Check:
    from data_stack.serving.reader import connect_published

    path = settings.published_db
    if not path.exists():
        return Check("warehouse", "skip", f"nothing published yet at {path}", "Run `data-stack run`")
    try:
        with connect_published(path) as conn:
            (tables,) = conn.execute(
                "select count(*) from information_schema.tables where table_catalog = 'published'"
            ).fetchone()
    except duckdb.Error as exc:
        reason = str(exc).strip().splitlines()[0][:200]
        return Check(
            "warehouse",
            "fail",
            f"Cannot read {path}: {reason}",
            "Run `data-stack run` to publish a new one (the ledger keeps the history)",
        )
    return Check("warehouse", "ok", f"{path} ({tables} tables)")


def serving(settings: Settings) -> Check:
    import psycopg

    from data_stack.serving import dsn

    url = settings.serving_db_url
    if not url:
        return Check("serving", "skip", "SERVING_DB_URL is not set (dashboards read current.duckdb)")
    try:
        with psycopg.connect(dsn.normalize(url), connect_timeout=int(TIMEOUT_SECONDS)) as conn:
            conn.execute("select 1").fetchone()
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return Check(
            "serving",
            "fail",
            f"Cannot connect to Postgres at {dsn.describe(url)}: {reason}",
            "Check SERVING_DB_URL and that the server is up",
        )
    return Check("serving", "ok", f"Postgres at {dsn.describe(url)}")


def vehicle_api(settings: Settings) -> Check:
    from data_stack.ingest.meltano import vehicle_api_settings

    try:
        api = vehicle_api_settings()
    except UserError as exc:
        return Check("vehicle_api", "fail", exc.reason, exc.action)
    if not api.url:
        return Check("vehicle_api", "skip", "VEHICLE_API_URL is not set (valuations are skipped)")
    if api.key is None or not api.key.get_secret_value().strip():
        return Check(
            "vehicle_api",
            "fail",
            "VEHICLE_API_URL is set but VEHICLE_API_KEY is not",
            "Set VEHICLE_API_KEY to the vendor key, or unset VEHICLE_API_URL",
        )
    return Check("vehicle_api", "ok", f"{api.url} (key set; not called)")


def airflow(settings: Settings) -> Check:
    return _http("airflow", settings.airflow_api_url, "/api/v2/monitor/health", "AIRFLOW_API_URL", "`make airflow`")


def prometheus(settings: Settings) -> Check:
    return _http("prometheus", settings.prometheus_url, "/-/healthy", "PROMETHEUS_URL", "`docker compose up`")


def grafana(settings: Settings) -> Check:
    return _http("grafana", settings.grafana_url, "/api/health", "GRAFANA_URL", "`docker compose up`")


def _http(name: str, base: str, path: str, variable: str, start: str) -> Check:
    url = base.rstrip("/") + path
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        code = exc.code
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Check(name, "fail", f"{url} did not answer ({reason})", f"Start it ({start}) or set {variable}")
    if code != 200:
        return Check(name, "fail", f"{url} answered HTTP {code}", f"See the {name} logs, or set {variable}")
    return Check(name, "ok", url)
