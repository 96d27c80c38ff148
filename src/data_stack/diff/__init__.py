"""What a build changes in the marts against another (`data-stack diff`): counts by key, in DuckDB."""

from data_stack.diff.compare import ColumnChange, MeasureChange, TableDiff, WarehouseDiff, diff_warehouses

__all__ = ["ColumnChange", "MeasureChange", "TableDiff", "WarehouseDiff", "diff_warehouses"]
