"""The landing tap's Singer catalog, discovered once per contract instead of once per run.

Meltano runs the tap's discovery before every sync (about 2.5 s: a second tap process) and never caches the catalog
of a plugin installed editable, as ours are. Discovery depends only on the tap's code and the `streams` contract,
so the catalog Meltano prepared for a successful run is kept in the warehouse under a key of both, and later runs
hand it to Meltano as the `catalog` extra. A changed contract or tap gives a new key, hence a fresh discovery.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from data_stack.log import get_logger
from data_stack.settings import Settings

log = get_logger(__name__)

TAP = "tap-landing"
ENV_VAR = "TAP_LANDING__CATALOG"
INPUTS = ("meltano.yml", "extract", "environments", "plugins/tap-landing")  # under meltano/


def catalog_env(settings: Settings) -> dict[str, str]:
    """`TAP_LANDING__CATALOG` for Meltano when a catalog for this contract is kept, else nothing."""
    path = _kept(settings)
    return {ENV_VAR: str(path)} if path.exists() else {}


def keep_catalog(settings: Settings, prepared: Path | None = None) -> None:
    """After a successful run: keep the catalog Meltano prepared, when it is complete and not kept yet."""
    path = _kept(settings)
    prepared = prepared or settings.meltano_sys_dir / "run" / TAP / "tap.properties.json"
    if path.exists() or not prepared.exists():
        return
    try:
        catalog = json.loads(prepared.read_text())
    except (OSError, ValueError):
        return  # unreadable: discover again next time
    if not _complete(catalog, settings):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(catalog))
    partial.replace(path)
    log.debug("kept the %s catalog as %s", TAP, path)


def _complete(catalog: dict, settings: Settings) -> bool:
    """Every configured stream is in it and selected (what Meltano's select rules made of discovery)."""
    import yaml

    extract = yaml.safe_load((settings.meltano_dir / "extract" / f"{TAP}.meltano.yml").read_text())
    expected = {
        stream["name"]: set(stream["columns"]) for stream in extract["plugins"]["extractors"][0]["config"]["streams"]
    }
    found = {}
    for stream in catalog.get("streams", []):
        top = next((entry for entry in stream.get("metadata", []) if not entry.get("breadcrumb")), {})
        if top.get("metadata", {}).get("selected"):
            found[stream.get("tap_stream_id")] = set(stream.get("schema", {}).get("properties", {}))
    return all(name in found and columns <= found[name] for name, columns in expected.items())


def _kept(settings: Settings) -> Path:
    return settings.warehouse / "meltano" / f"{TAP}-{_key(settings)}.catalog.json"


def _key(settings: Settings) -> str:
    digest = hashlib.sha256(settings.meltano_environment.encode() + b"\0")
    root = settings.meltano_dir
    for entry in INPUTS:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.exists() else []
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc" or ".egg-info" in str(file):
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
