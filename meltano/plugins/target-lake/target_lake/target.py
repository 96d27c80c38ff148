"""TargetLake: the only writer of bronze and quarantine."""

from __future__ import annotations

from singer_sdk import Target
from singer_sdk import typing as th

from target_lake.sink import LakeSink


class TargetLake(Target):
    name = "target-lake"
    default_sink_class = LakeSink

    config_jsonschema = th.PropertiesList(
        th.Property("lake_uri", th.StringType, required=True, description="Lake root (folder)."),
        th.Property("run_id", th.StringType, description="Pipeline run id, part of every file name."),
    ).to_dict()


if __name__ == "__main__":
    TargetLake.cli()
