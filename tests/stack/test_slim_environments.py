"""docker/stack/slim_environments.py: duplicates become hard links with the same bytes, only the listed packages lose
their test suites, and files that differ in content or mode stay apart."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
slim = runpy.run_path(str(ROOT / "docker" / "stack" / "slim_environments.py"))


def _write(path: Path, data: bytes, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)
    return path


def test_identical_files_across_environments_become_one(tmp_path):
    library = b"\x7fELF" + bytes(range(256)) * 64
    a = _write(tmp_path / "a/lib/python3.11/site-packages/duckdb/_duckdb.so", library, 0o755)
    b = _write(tmp_path / "b/venv/lib/python3.11/site-packages/duckdb/_duckdb.so", library, 0o755)
    other_mode = _write(tmp_path / "c/site-packages/duckdb/_duckdb.so", library, 0o644)
    other_bytes = _write(tmp_path / "d/site-packages/duckdb/_duckdb.so", library[:-1] + b"x", 0o755)
    small = [_write(tmp_path / f"{name}/small.py", b"x = 1\n") for name in ("a", "b")]

    saved = slim["link_duplicates"]([tmp_path / name for name in "abcd"])

    assert saved == len(library)
    assert a.stat().st_ino == b.stat().st_ino and b.read_bytes() == library
    assert other_mode.stat().st_ino != a.stat().st_ino
    assert other_bytes.stat().st_ino != a.stat().st_ino and other_bytes.read_bytes().endswith(b"x")
    assert small[0].stat().st_ino != small[1].stat().st_ino
    assert not list(tmp_path.rglob("*.link-tmp"))


def test_only_the_listed_packages_lose_their_tests(tmp_path):
    site = tmp_path / "venv/lib/python3.11/site-packages"
    _write(site / "pandas/tests/frame/test_x.py", b"y" * 5000)
    _write(site / "pyarrow/tests/test_y.py", b"z" * 100)
    kept = _write(site / "great_expectations/tests/helper.py", b"keep")
    module = _write(site / "pandas/core/frame.py", b"frame")

    removed = slim["remove_test_suites"](tmp_path)

    assert removed == 5100
    assert not (site / "pandas/tests").exists() and not (site / "pyarrow/tests").exists()
    assert kept.exists() and module.exists()
