"""Run the Meltano ingest jobs for one run id: landing files (tap-landing → target-lake), then the vehicle valuation
API (tap-vehicle-values → target-lake) when VEHICLE_API_URL is set."""

from __future__ import annotations

import shutil

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from data_stack.diagnose import cause_in_log, first_error
from data_stack.errors import StageFailed
from data_stack.ingest.catalog import catalog_env, keep_catalog
from data_stack.ingest.stale_jobs import clear_stale_jobs
from data_stack.log import get_logger
from data_stack.proc import run_tool, tool
from data_stack.settings import Settings

log = get_logger(__name__)

JOB = ["run", "tap-landing", "target-lake"]
VEHICLE_API_JOB = ["run", "tap-vehicle-values", "target-lake"]


class VehicleApiSettings(BaseSettings):
    """The vendor API (docs/vehicle-api.md): VEHICLE_API_* variables or `.env`, read like every other setting.

    Tuning values left unset keep the tap's defaults; set ones reach Meltano as TAP_VEHICLE_VALUES_<SETTING>.
    """

    model_config = SettingsConfigDict(
        env_prefix="VEHICLE_API_", env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore"
    )

    url: str | None = None
    key: SecretStr | None = None
    max_consecutive_failures: int | None = None
    cache_ttl_hours: int | None = None
    max_retries: int | None = None
    requests_per_second: float | None = None
    backoff_base_seconds: float | None = None

    def meltano_env(self) -> dict[str, str]:
        env = {"VEHICLE_API_URL": self.url or "", "VEHICLE_API_KEY": self.key.get_secret_value() if self.key else ""}
        for name in (
            "max_consecutive_failures",
            "cache_ttl_hours",
            "max_retries",
            "requests_per_second",
            "backoff_base_seconds",
        ):
            value = getattr(self, name)
            if value is not None:
                text = f"{value:f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
                env[f"TAP_VEHICLE_VALUES_{name.upper()}"] = text
        return env


def run_meltano(settings: Settings, run_id: str) -> list[str]:
    """Both jobs of the ingest stage: landing files, then the vendor API when it is configured. Returns notes for the
    run's summary (stale jobs cleared)."""
    api = _checked_api_settings()  # settings errors stop the stage before anything is ingested
    env = settings.stage_env(run_id) | catalog_env(settings)
    notes = _run_job(
        settings, run_id, JOB, env, "meltano.log", "fix the cause and run again (ingested files are not re-read)"
    )
    keep_catalog(settings)
    if not api.url:
        log.info("ingest: VEHICLE_API_URL is not set; skipping the vehicle valuation API (tap-vehicle-values)")
        return notes
    return notes + _run_vehicle_job(settings, run_id, api)


def run_vehicle_api(settings: Settings, run_id: str) -> list[str] | None:
    """The vendor API job alone (the valuations refresh): its notes, or None when VEHICLE_API_URL is not set."""
    api = _checked_api_settings()
    if not api.url:
        return None
    return _run_vehicle_job(settings, run_id, api)


def _checked_api_settings() -> VehicleApiSettings:
    api = vehicle_api_settings()
    if api.url and api.key is None:
        raise StageFailed(
            "VEHICLE_API_URL is set but VEHICLE_API_KEY is not",
            "Set VEHICLE_API_KEY to the vendor key (or unset VEHICLE_API_URL to skip the API) and run again",
        )
    return api


def _run_vehicle_job(settings: Settings, run_id: str, api: VehicleApiSettings) -> list[str]:
    return _run_job(
        settings,
        run_id,
        VEHICLE_API_JOB,
        settings.stage_env(run_id) | api.meltano_env(),
        "meltano-vehicle-values.log",
        "fix the cause and run again (vehicles already valued are cached; see docs/vehicle-api.md)",
    )


def vehicle_api_settings() -> VehicleApiSettings:
    try:
        return VehicleApiSettings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "VEHICLE_API_" + str(error["loc"][0]).upper()
        raise StageFailed(f"Invalid {name}: {error['msg']}", "Fix the value in the environment or .env") from None


def sys_dir_env(settings: Settings) -> dict[str, str]:
    """`MELTANO_SYS_DIR_ROOT` in this warehouse. Meltano writes a run's tap config, catalog and state under its
    system folder; in the project's one, two data folders ingesting at the same time rewrote each other's files."""
    root = settings.meltano_sys_dir
    root.mkdir(parents=True, exist_ok=True)
    for kind in PLUGIN_KINDS:
        link, shared = root / kind, settings.meltano_dir / ".meltano" / kind
        if link.is_symlink() and link.resolve() == shared.resolve():
            continue
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)  # a warehouse copied without its links: the copy of the plugins goes
        link.unlink(missing_ok=True)
        link.symlink_to(shared, target_is_directory=True)
    return {"MELTANO_SYS_DIR_ROOT": str(root)}


PLUGIN_KINDS = ("extractors", "loaders")  # the installed plugins' environments, shared by every warehouse


def _run_job(
    settings: Settings, run_id: str, job: list[str], env: dict[str, str], log_name: str, action: str
) -> list[str]:
    label = f"ingest: meltano {' '.join(job)}"
    # The run lock is the authority on what runs: a job Meltano still holds as running was left by a killed run.
    state_id = f"{settings.meltano_environment}:{job[1]}-to-{job[2]}"
    stale = clear_stale_jobs(settings.meltano_db, state_id, cleared_by=run_id)
    result = run_tool(
        [tool("meltano"), "--environment", settings.meltano_environment, *job],
        cwd=settings.meltano_dir,
        env=env | sys_dir_env(settings),
        label=label,
        log_file=settings.warehouse / "logs" / run_id / log_name,
    )
    if result.returncode != 0:
        what = f"Meltano ingest failed ({' '.join(job[1:])})"
        cause = cause_in_log(result.log_file, settings)
        if cause is not None and cause.action:
            raise StageFailed(f"{what}: {cause.reason}", f"{cause.action}. Log: {result.log_file}")
        reason = cause.reason if cause else first_error(result.log_file) or _last_line(result.tail)
        raise StageFailed(f"{what}: {reason}", f"See {result.log_file}; {action}")
    return [item.note() for item in stale]


def _last_line(tail: list[str]) -> str:
    return tail[-1].strip()[:300] if tail else "no output"
