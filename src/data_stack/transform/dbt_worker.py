"""`python -m data_stack.transform.dbt_worker '<json>'`: a dbt command loaded ahead of its stage.

dbt takes seconds to import and to parse the project, and neither needs the stage before it to have finished. A
`data-stack run` starts this worker while the previous stage runs: it imports dbt, parses the project when asked
(`parse`), then waits. On the line `go` on stdin it runs `args` with dbt's Python runner (reusing that manifest)
and exits like the dbt CLI: 0 success, 1 failure, 2 error. End of input (the run stopped before the stage) exits
3 without running anything.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str] | None = None) -> int:
    spec = json.loads((argv if argv is not None else sys.argv[1:])[0])
    from dbt.cli.main import dbtRunner

    manifest = None
    if spec.get("parse"):
        parsed = dbtRunner().invoke(spec["parse"])
        manifest = parsed.result if parsed.success else None  # a broken project: the command reports it itself
    sys.stdout.flush()
    if sys.stdin.readline().strip() != "go":
        return 3
    result = dbtRunner(manifest=manifest).invoke(spec["args"])
    if result.success:
        return 0
    return 2 if result.exception is not None else 1


if __name__ == "__main__":
    sys.exit(main())
