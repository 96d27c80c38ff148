"""Run the Meltano ingest job (tap-landing → target-lake) for one run id."""

from __future__ import annotations

from data_stack.errors import StageFailed
from data_stack.proc import run_tool, tool
from data_stack.settings import Settings

JOB = ["run", "tap-landing", "target-lake"]


def run_meltano(settings: Settings, run_id: str) -> None:
    result = run_tool(
        [tool("meltano"), "--environment", settings.meltano_environment, *JOB],
        cwd=settings.meltano_dir,
        env=settings.stage_env(run_id),
        label="ingest: meltano run tap-landing target-lake",
        log_file=settings.warehouse / "logs" / run_id / "meltano.log",
    )
    if result.returncode != 0:
        raise StageFailed(
            f"Meltano ingest failed: {_reason(result.tail)}",
            f"See {result.log_file}; fix the cause and run again (ingested files are not re-read)",
        )


def _reason(tail: list[str]) -> str:
    for line in reversed(tail):
        lowered = line.lower()
        if "error" in lowered or "exception" in lowered or "failed" in lowered:
            return line.strip()[:300]
    return tail[-1].strip()[:300] if tail else "no output"
