"""Run every benchmark script in this folder, one after the other, in one process each.

Speed is measured here, not in timed tests. The machines are noisy: compare ratios within one run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SKIP = {
    "run_all.py",
    "load_sessions.py",
}  # the load tests (also load_protocol.py) start a whole stack: run them by hand


def main() -> int:
    status = 0
    for script in sorted(Path(__file__).parent.glob("bench_*.py")):
        if script.name in SKIP:
            continue
        print(f"\n=== {script.name} ===", flush=True)
        status |= subprocess.call([sys.executable, str(script)])
    return status


if __name__ == "__main__":
    raise SystemExit(main())
