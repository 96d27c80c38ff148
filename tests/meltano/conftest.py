"""Our Meltano plugins are imported from their source folders (the core venv has singer-sdk for testing)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
for plugin in ("tap-landing", "target-lake"):
    sys.path.insert(0, str(ROOT / "meltano" / "plugins" / plugin))


_SCRATCH = tempfile.TemporaryDirectory(prefix="tap-landing-tests-")  # removed when the test process ends


def scratch() -> str:
    """A folder for one in-process read: the `good` view reads the Parquet files written there after the read."""
    return tempfile.mkdtemp(dir=_SCRATCH.name)


def tap_config(landing: Path, *, run_id: str = "test-run", batch_root: Path | None = None) -> dict:
    extract = yaml.safe_load((ROOT / "meltano/extract/tap-landing.meltano.yml").read_text())
    config = dict(extract["plugins"]["extractors"][0]["config"])
    config.update(landing_uri=str(landing), run_id=run_id, settle_seconds=0)  # files written a moment ago
    config.pop("batch_config")
    if batch_root is not None:
        config["batch_config"] = {
            "encoding": {"format": "parquet"},
            "storage": {"root": f"file://{batch_root}"},
        }
    return config


def run_plugin(
    module: str,
    config: dict,
    tmp: Path,
    *,
    state: dict | None = None,
    stdin: str | None = None,
    cwd: str | None = None,
) -> list[dict]:
    """Run a plugin's CLI as Meltano would and return the Singer messages it printed."""
    config_file = tmp / f"{module}-config.json"
    config_file.write_text(json.dumps(config))
    args = [sys.executable, "-m", module, "--config", str(config_file)]
    if state is not None:
        state_file = tmp / "state.json"
        state_file.write_text(json.dumps(state))
        args += ["--state", str(state_file)]
    plugin_dir = ROOT / "meltano" / "plugins" / ("tap-landing" if module.startswith("tap") else "target-lake")
    result = subprocess.run(args, input=stdin, capture_output=True, text=True, cwd=cwd or plugin_dir, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def last_state(messages: list[dict]) -> dict:
    states = [m["value"] for m in messages if m["type"] == "STATE"]
    return states[-1] if states else {}
