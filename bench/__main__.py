"""`make bench`: measures each bar of design.md §5 against a floor measured in the same run.

Each line prints the figure, the floor or bar, the ratio and PASS/FAIL. The exit code is 0 even
when a bar is missed: this is a report, not a test (timed assertions do not belong in tests).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.common import RESULTS


def main() -> int:
    os.environ.setdefault("COACH_SECRET_KEY", "bench-secret-key-not-for-production-but-long-enough")
    workdir = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    os.environ["COACH_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    print(f"Hamstring Coach benchmarks (python {sys.version.split()[0]}, {os.cpu_count()} cores)\n")

    from bench import check_ins, exports, skill_turns, throughput

    skill_turns.run(workdir)
    check_ins.run(workdir)
    exports.run(workdir)
    throughput.run(workdir)

    failed = [name for name, _, ok in RESULTS if not ok]
    missed = f"; missed: {', '.join(failed)}" if failed else ""
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} bars met{missed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
