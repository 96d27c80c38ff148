"""TapVehicleValues: vendor valuations for the fleet in bronze. `main` turns a stop into one line and exit 1."""

from __future__ import annotations

import sys

from singer_sdk import Tap
from singer_sdk import typing as th

from tap_vehicle_values.errors import SyncStopped
from tap_vehicle_values.streams import QuarantineStream, ValuationStream

# A non-negative number, also as text: Meltano cannot pass `kind: decimal` settings to a plugin (Decimal is not
# JSON serializable), so fractional settings are `kind: string` there and arrive as e.g. "0.5".
DECIMAL = th.CustomType({"type": ["number", "string"], "minimum": 0, "pattern": r"^[0-9]+(\.[0-9]+)?$"})


class TapVehicleValues(Tap):
    name = "tap-vehicle-values"

    config_jsonschema = th.PropertiesList(
        th.Property("api_url", th.StringType, required=True, description="Vendor base URL; requests go to /vmv."),
        th.Property(
            "api_key",
            th.StringType,
            required=True,
            secret=True,
            description="Vendor key, sent as the x-rapidapi-key header only.",
        ),
        th.Property("lake_uri", th.StringType, required=True, description="Lake root: folder or s3:// URI."),
        th.Property("run_id", th.StringType, description="Pipeline run id: names the cache and audit files."),
        th.Property(
            "max_consecutive_failures",
            th.IntegerType,
            default=5,
            description="Circuit breaker: stop the run after this many failed requests in a row.",
        ),
        th.Property(
            "cache_ttl_hours",
            th.IntegerType,
            default=168,
            description="A vehicle answered within this many hours is not requested again (0 = no cache).",
        ),
        th.Property(
            "max_retries",
            th.IntegerType,
            default=3,
            description="Retries per vehicle after the first attempt (429, 408, 5xx, timeouts, connection errors).",
        ),
        th.Property(
            "requests_per_second",
            DECIMAL,
            default=5,
            description="Client-side request rate, retries included (0 = no limit).",
        ),
        th.Property(
            "backoff_base_seconds",
            DECIMAL,
            default=1,
            description="First wait of the exponential backoff when the vendor sends no Retry-After.",
        ),
    ).to_dict()

    def discover_streams(self) -> list:
        quarantine = QuarantineStream(self)
        return [quarantine, ValuationStream(self, quarantine)]


def main() -> None:
    """The console script. A stop (circuit breaker, rejected key, exhausted quota) is one line on stderr and
    exit code 1, so `meltano run` and the pipeline fail the run without a traceback."""
    try:
        TapVehicleValues.cli()
    except SyncStopped as exc:
        sys.stderr.write(f"tap-vehicle-values: error: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
