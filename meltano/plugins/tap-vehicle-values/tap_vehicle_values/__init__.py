"""tap-vehicle-values: vendor valuations for the fleet vehicles in bronze (docs/vehicle-api.md)."""
