"""singer-sdk's standard target test suite."""

from __future__ import annotations

import tempfile

from singer_sdk.testing import get_target_test_class
from target_lake.target import TargetLake

TestTargetLakeStandard = get_target_test_class(
    target_class=TargetLake,
    config={"lake_uri": tempfile.mkdtemp(prefix="target-lake-standard-"), "run_id": "standard"},
)
