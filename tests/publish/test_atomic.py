from __future__ import annotations

import subprocess
import sys

import duckdb

from data_stack.publish import publish_build

READER = """
import sys, time, duckdb
path, seconds = sys.argv[1], float(sys.argv[2])
errors = reads = 0
values = set()
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        with duckdb.connect(path, read_only=True) as conn:
            low, high, rows = conn.execute("select min(version), max(version), count(*) from t").fetchone()
            assert low == high and rows == 50_000, (low, high, rows)  # one whole build, never a mix
            values.add(high)
        reads += 1
    except Exception as exc:
        errors += 1
        print("error", repr(exc), file=sys.stderr)
print(reads, errors, len(values))
"""


def _build(path, version):
    with duckdb.connect(str(path)) as conn:
        conn.execute(f"create table t as select {version} as version, 1 as x from range(50000)")


def test_readers_never_fail_while_builds_are_published(tmp_path):
    current = tmp_path / "current.duckdb"
    _build(current, 1)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(current), "6"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for version in range(2, 30):
        build = tmp_path / f"build-{version}.duckdb"
        _build(build, version)
        publish_build(build, current)
        assert not build.exists()
    out, err = reader.communicate(timeout=60)
    reads, errors, versions = map(int, out.split())
    assert errors == 0, err
    assert reads > 50
    assert versions > 1


def test_publish_without_a_build_is_a_clear_error(tmp_path):
    import pytest

    from data_stack.errors import StageFailed

    with pytest.raises(StageFailed, match="does not exist"):
        publish_build(tmp_path / "nope.duckdb", tmp_path / "current.duckdb")
