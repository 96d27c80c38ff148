"""tap-landing: landing-zone files → Parquet BATCH messages."""
