"""singer-sdk's standard tap test suite, on a generated landing zone."""

from __future__ import annotations

import tempfile
from pathlib import Path

from singer_sdk.testing import get_tap_test_class
from tap_landing.tap import TapLanding

from data_stack.generate import generate

from .conftest import tap_config

_LANDING = Path(tempfile.mkdtemp(prefix="tap-landing-standard-"))
generate(_LANDING, scale=0.01, days=2, defect_rate=0.1)  # defects: the quarantine stream has rows too

TestTapLandingStandard = get_tap_test_class(tap_class=TapLanding, config=tap_config(_LANDING))
