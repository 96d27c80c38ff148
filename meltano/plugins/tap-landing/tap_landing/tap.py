"""TapLanding: streams are declared in config (`streams`), so new sources need no code."""

from __future__ import annotations

import sys
from functools import cached_property

from singer_sdk import Tap
from singer_sdk import typing as th

from tap_landing.bronze import Lineage
from tap_landing.spec import StreamSpec
from tap_landing.streams import AccountingError, LandingStream, QuarantineStream


class TapLanding(Tap):
    name = "tap-landing"

    config_jsonschema = th.PropertiesList(
        th.Property(
            "landing_uri",
            th.StringType,
            required=True,
            description="Landing root folder or s3:// URI.",
        ),
        th.Property("run_id", th.StringType, description="Pipeline run id, recorded in the state per file."),
        th.Property(
            "memory_limit",
            th.StringType,
            description="DuckDB memory limit before spilling to disk, e.g. 4GB (default: 40% of RAM).",
        ),
        th.Property(
            "settle_seconds",
            th.IntegerType,
            description="A file changed more recently than this is still being written and waits (default 2).",
        ),
        th.Property(
            "streams",
            th.ArrayType(
                th.ObjectType(
                    th.Property("name", th.StringType, required=True, description="<source>__<stream>"),
                    th.Property(
                        "pattern",
                        th.StringType,
                        required=True,
                        description="Glob under landing_uri.",
                    ),
                    th.Property("format", th.StringType, required=True, description="csv, jsonl or json."),
                    th.Property("columns", th.ObjectType(), required=True, description="name: DuckDB type."),
                    th.Property("required", th.ArrayType(th.StringType), description="Required columns."),
                    th.Property(
                        "accepted",
                        th.ObjectType(),
                        description="column: accepted values (any case, surrounding spaces ignored).",
                    ),
                    th.Property("ranges", th.ObjectType(), description="column: [min, max] inclusive."),
                    th.Property("patterns", th.ObjectType(), description="column: regular expression (full match)."),
                    th.Property("encoding", th.StringType, description="Text encoding when not UTF-8."),
                )
            ),
            required=True,
            description="The landing streams to read.",
        ),
    ).to_dict()

    @cached_property
    def lineage(self) -> Lineage:
        """The run id the stage passes (`run_id`, from RUN_ID) and one load time for every stream of this sync: the
        lineage columns of the bronze files, which target-lake then moves as they are."""
        return Lineage.now(self.config.get("run_id"))

    def discover_streams(self) -> list:
        quarantine = QuarantineStream(self)
        streams: list = [quarantine]
        for item in self.config["streams"]:
            spec = StreamSpec(
                name=item["name"],
                pattern=item["pattern"],
                format=item["format"],
                columns=dict(item["columns"]),
                required=list(item.get("required") or []),
                accepted={name: [str(v) for v in values] for name, values in (item.get("accepted") or {}).items()},
                ranges={name: [float(v) for v in bounds] for name, bounds in (item.get("ranges") or {}).items()},
                patterns=dict(item.get("patterns") or {}),
                encoding=item.get("encoding"),
            )
            streams.append(LandingStream(self, spec, quarantine))
        return streams


def main() -> None:
    """The console script: a file whose records do not add up stops the tap with one line and exit code 1, before
    anything of its stream is emitted, so `meltano run` and the ingest stage fail naming the file."""
    try:
        TapLanding.cli()
    except AccountingError as exc:
        sys.stderr.write(f"tap-landing: error: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
