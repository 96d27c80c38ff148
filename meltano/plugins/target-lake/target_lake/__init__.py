"""target-lake: Singer streams → bronze and quarantine Parquet in the lake."""
