"""singer-sdk's standard tap test suite, against the mock vendor and a lake with a small fleet in bronze."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from singer_sdk.testing import get_tap_test_class
from tap_vehicle_values.tap import TapVehicleValues

from data_stack.mock_api import MockVendorConfig, make_server

from .conftest import tap_config, write_fleet

_KEY = "standard-suite-key"
_SERVER = make_server("127.0.0.1", 0, MockVendorConfig(api_key=_KEY))
threading.Thread(target=_SERVER.serve_forever, daemon=True).start()
_LAKE = Path(tempfile.mkdtemp(prefix="tap-vehicle-values-standard-")) / "lake"
write_fleet(_LAKE)

TestTapVehicleValuesStandard = get_tap_test_class(
    tap_class=TapVehicleValues,
    config=tap_config(_SERVER.url, _KEY, _LAKE, "standard"),
)
