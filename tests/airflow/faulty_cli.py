"""A stand-in for the `data-stack` CLI that runs the real one, with faults a test asks for (FAULT env variable):

- `transform-crash-once`: the first transform does its work, then exits 1 as if the task crashed; later calls pass.
- `break-build-before-check`: before the gate runs, empty the build's customers mart (orders then point at missing
  customers), so the real gate fails with exit 4.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb


def main() -> int:
    real, args = os.environ["REAL_DATA_STACK_CLI"], sys.argv[1:]
    fault = os.environ.get("FAULT", "")
    warehouse = Path(os.environ["DATA_DIR"]) / "warehouse"
    if fault == "break-build-before-check" and args[0] == "check":
        run_id = args[args.index("--run-id") + 1]
        with duckdb.connect(str(warehouse / "build" / f"{run_id}.duckdb")) as conn:
            conn.execute("delete from marketing.customers")
    code = subprocess.call([real, *args])
    marker = warehouse / "transform-crashed-once"
    if fault == "transform-crash-once" and args[0] == "transform" and code == 0 and not marker.exists():
        marker.touch()
        print("error: simulated crash after the transform did its work. Retry.", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
