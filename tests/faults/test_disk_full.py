"""The warehouse's disk fills up while a run writes its build (a small tmpfs mounted on the warehouse folder, as
root): the run ends with one line naming the full disk and what to do, the ledger keeps that cause, readers keep the
published file, and once there is room again the next run publishes the reference result."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.tools import missing

from .conftest import Ground, assert_recovered, copy_ground, file_hash

pytestmark = pytest.mark.slow


@pytest.fixture
def small_warehouse(ground_template, tmp_path):
    """The ground with its warehouse on a filesystem with room for what is there and little more."""
    if os.geteuid() != 0:
        missing("a size-limited filesystem needs root (mount -t tmpfs)")
    ground = copy_ground(ground_template, tmp_path / "data")
    saved = tmp_path / "warehouse-saved"
    ground.warehouse.rename(saved)
    ground.warehouse.mkdir()
    used = sum(path.stat().st_size for path in saved.rglob("*") if path.is_file() and not path.is_symlink())
    size_kb = (used + (2 << 20)) // 1024  # 2 MB spare: the build, a copy of the published file, cannot fit
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(ground.warehouse)], check=True)
    try:
        shutil.copytree(saved, ground.warehouse, symlinks=True, dirs_exist_ok=True)
        yield ground
    finally:
        subprocess.run(["umount", "-l", str(ground.warehouse)], check=False)


def _grow(ground: Ground) -> None:
    """Room again, files kept (what an operator does by freeing space)."""
    subprocess.run(["mount", "-o", "remount,size=512M", str(ground.warehouse)], check=True)


def test_a_full_warehouse_disk_is_named_and_recovered_from(small_warehouse, reference):
    ground = small_warehouse
    published = file_hash(ground.current)
    result = ground.cli("run")
    assert result.returncode == 2, result.stderr[-2000:]
    error = " ".join(result.stderr.split())
    assert f"error: The disk holding {ground.warehouse}" in error and "is full" in error, error[-1500:]
    assert "Traceback" not in result.stderr and "unexpected" not in error
    assert "published warehouse is unchanged" in error
    assert file_hash(ground.current) == published
    failed = ground.runs()[0]
    assert failed["status"] == "failed" and "is full" in failed["error"]  # the cause, not "interrupted"

    status = ground.cli("status")  # readers of the ledger work on the full disk
    assert status.returncode == 0, status.stderr

    _grow(ground)
    assert_recovered(ground, reference, published)
