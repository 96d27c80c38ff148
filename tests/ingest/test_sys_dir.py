"""Each warehouse has its own Meltano system folder: run files apart, plugin environments shared."""

from __future__ import annotations

from pathlib import Path

from data_stack.ingest.meltano import PLUGIN_KINDS, sys_dir_env
from data_stack.settings import Settings


def test_two_warehouses_get_separate_system_folders_over_the_same_plugins(tmp_path: Path):
    first, second = Settings(data_dir=tmp_path / "a"), Settings(data_dir=tmp_path / "b")
    roots = [Path(sys_dir_env(settings)["MELTANO_SYS_DIR_ROOT"]) for settings in (first, second)]
    assert roots[0] != roots[1]
    for settings, root in zip((first, second), roots, strict=True):
        assert root == settings.warehouse / "meltano" / "sys"
        for kind in PLUGIN_KINDS:
            assert (root / kind).is_symlink()
            assert (root / kind).resolve() == (settings.meltano_dir / ".meltano" / kind).resolve()


def test_the_links_are_made_once_and_repaired_when_stale(tmp_path: Path):
    settings = Settings(data_dir=tmp_path)
    root = Path(sys_dir_env(settings)["MELTANO_SYS_DIR_ROOT"])
    before = (root / "extractors").lstat().st_mtime_ns
    sys_dir_env(settings)
    assert (root / "extractors").lstat().st_mtime_ns == before
    (root / "loaders").unlink()
    (root / "loaders").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    sys_dir_env(settings)
    assert (root / "loaders").resolve() == (settings.meltano_dir / ".meltano" / "loaders").resolve()


def test_a_warehouse_copied_without_its_links_gets_them_back(tmp_path: Path):
    settings = Settings(data_dir=tmp_path)
    root = settings.meltano_sys_dir
    (root / "extractors" / "tap-landing").mkdir(parents=True)  # what copying a warehouse by value leaves
    sys_dir_env(settings)
    assert (root / "extractors").is_symlink()
    assert (root / "extractors").resolve() == (settings.meltano_dir / ".meltano" / "extractors").resolve()
