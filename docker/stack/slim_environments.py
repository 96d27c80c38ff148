"""Make the image's Python environments smaller without changing what they import (run by the Dockerfile's builder).

1. The test suites that pyarrow, pandas, numpy and scipy ship inside their packages go: no service imports them.
2. Identical files across the environments become one file with several names (hard links). The stack, Airflow and
   the three Meltano plugins each carry their own DuckDB, pyarrow and SQLAlchemy; the wheels are the same, so are
   the files. A COPY of the folder that holds them all keeps the links (a link across two COPYs would not).

usage: python slim_environments.py ROOT...   (prints what it saved)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections import defaultdict
from pathlib import Path

# Packages whose own test suites are large and never imported outside their test runs.
TEST_SUITES_OF = ("pyarrow", "pandas", "numpy", "scipy")
MIN_LINK_BYTES = 4096  # smaller files: the saving is not worth the walk


def remove_test_suites(root: Path) -> int:
    removed = 0
    for site in root.glob("**/site-packages"):
        for package in TEST_SUITES_OF:
            for tests in sorted((site / package).glob("**/tests"), key=lambda p: len(p.parts)):
                if tests.is_dir() and not tests.is_symlink():
                    removed += _size(tests)
                    shutil.rmtree(tests)
    return removed


def link_duplicates(roots: list[Path]) -> int:
    by_size: dict[tuple[int, int], list[Path]] = defaultdict(list)
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                stat = path.stat()
                if stat.st_size >= MIN_LINK_BYTES:
                    by_size[(stat.st_size, stat.st_mode)].append(path)
    saved = 0
    for (size, _mode), paths in by_size.items():
        if len(paths) < 2:
            continue
        first_of: dict[str, Path] = {}
        for path in paths:
            digest = _digest(path)
            first = first_of.setdefault(digest, path)
            if first is path or first.stat().st_ino == path.stat().st_ino:
                continue
            temporary = path.with_name(path.name + ".link-tmp")
            os.link(first, temporary)
            os.replace(temporary, path)
            saved += size
    return saved


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "blake2b").hexdigest()


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def main(arguments: list[str]) -> int:
    roots = [Path(argument) for argument in arguments]
    removed = sum(remove_test_suites(root) for root in roots)
    linked = link_duplicates(roots)
    print(f"slim_environments: test suites {removed / 1e6:.0f} MB removed, {linked / 1e6:.0f} MB of duplicates linked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
