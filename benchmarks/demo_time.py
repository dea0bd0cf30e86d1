"""How long `exoreview demo` takes end to end (target: under 60 s on 2 cores, no network).

Usage: python benchmarks/demo_time.py [--json] [--runs N]
Prints one JSON line: seconds per run (min and median), records served, studies included, machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from exoreview.demo.run import run_demo

    timings = []
    result = None
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            result = run_demo(Path(folder) / "demo")
            timings.append(time.perf_counter() - start)
    assert result is not None
    figure = {
        "benchmark": "demo_time",
        "seconds_min": round(min(timings), 2),
        "seconds_median": round(statistics.median(timings), 2),
        "runs": args.runs,
        "new_records": result.summary.new_records,
        "included": result.summary.included,
        "target_seconds": 60,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": sys.platform},
    }
    print(json.dumps(figure))


if __name__ == "__main__":
    main()
