"""Seconds, CPU and peak memory of each stage of a whole review, at growing corpus sizes.

Usage:
    python benchmarks/scale.py [--sizes 1000,10000] [--mirror N] [--json]

Each size runs `exoreview demo --records N` in a fresh process (so one size's memory never counts
in the next): the synthetic corpus and its local services are built ("setup": generating the records
and indexing them in the in-memory E-utilities, Europe PMC and OpenAlex services), then the review runs
stage by stage against them. Per stage the child reports wall seconds, CPU seconds (its own and its
worker processes') and the peak memory while the stage ran (proportional set size, sampled every
20 ms over the process and its children, the classify stage's process pool included). It also reports the size of
report.html and of records-behind.csv. A stage's peak includes whatever earlier stages left in memory,
which is the point: a 100k-record review must fit in the machine as a whole.

With `--mirror N` it also builds a PubMed mirror of N records (`exoreview mirror build`, labels included)
on a Dask LocalCluster of one worker and of two, and prints records per second and the scaling
efficiency (benchmarks/mirror_build.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def _memory(pid: int) -> int:
    """Proportional set size (bytes) of a process and, recursively, its children; 0 for one that has just
    exited. PSS, not RSS: forked workers share their parent's pages, and RSS would count them twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            total = next(int(line.split()[1]) for line in handle if line.startswith("Pss:")) * 1024
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            children = [int(c) for c in handle.read().split()]
    except (FileNotFoundError, ProcessLookupError, ValueError, StopIteration):
        return 0
    return total + sum(_memory(child) for child in children)


class StageMeter:
    """Peak RSS per stage from a sampling thread; CPU and wall seconds from os.times around each stage."""

    def __init__(self) -> None:
        self.current = "setup"
        self.peaks: dict[str, int] = {}
        self.rows: dict[str, dict[str, float]] = {}
        self._started = (time.perf_counter(), os.times())
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        pid = os.getpid()
        while True:
            stage = self.current
            self.peaks[stage] = max(self.peaks.get(stage, 0), _memory(pid))
            time.sleep(0.02)

    def enter(self, stage: str) -> None:
        self.close()
        self.current = stage

    def close(self) -> None:
        wall, times = self._started
        now = os.times()
        cpu = (now.user - times.user) + (now.system - times.system)
        cpu += (now.children_user - times.children_user) + (now.children_system - times.children_system)
        self.rows[self.current] = {"seconds": round(time.perf_counter() - wall, 2), "cpu_seconds": round(cpu, 2)}
        self._started = (time.perf_counter(), now)


def child(records: int, out: Path) -> dict:
    """One demo of `records` records in this process, each stage metered."""
    from exoreview.demo.run import run_demo
    from exoreview.stages import AFTER_RUN, STAGES

    meter = StageMeter()
    for stage in (*STAGES, *AFTER_RUN):
        original = stage.run

        def metered(context, _run=original, _name=stage.NAME):
            meter.enter(_name)
            try:
                return _run(context)
            finally:
                meter.enter(f"between stages after {_name}")

        stage.run = metered
    result = run_demo(out, records=records)
    meter.close()
    stages = [{"stage": name, **row, "peak_mb": round(meter.peaks.get(name, 0) / 1e6)}
              for name, row in meter.rows.items() if not name.startswith("between")]
    return {"records": records, "included": result.summary.included, "stages": stages,
            "peak_mb": round(max(meter.peaks.values()) / 1e6),
            "report_html_mb": round((out / "report.html").stat().st_size / 1e6, 2),
            "records_behind_csv_mb": round((out / "records-behind.csv").stat().st_size / 1e6, 2)}


def run_size(records: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run([sys.executable, __file__, "--child", str(records), str(Path(folder) / "demo")],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("--mirror", type=int, default=0, metavar="N",
                        help="also build a mirror of N records on 1 and 2 workers")
    parser.add_argument("--child", nargs=2, metavar=("N", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child[0]), Path(args.child[1]))))
        return 0
    runs = [run_size(int(n)) for n in args.sizes.split(",") if n]
    result = {"benchmark": "scale", "runs": runs,
              "machine": {"cores": os.cpu_count(), "python": platform.python_version()}}
    if args.mirror:
        from mirror_build import measure

        result["mirror"] = measure(args.mirror, 20, [1, 2], "exosome-aesthetics")
    if args.json:
        print(json.dumps(result))
        return 0
    for run in runs:
        print(f"{run['records']:,} records ({run['included']:,} included): peak {run['peak_mb']} MB, "
              f"report.html {run['report_html_mb']} MB, records-behind.csv {run['records_behind_csv_mb']} MB")
        for row in run["stages"]:
            print(f"  {row['stage']:10} {row['seconds']:8.1f} s  {row['cpu_seconds']:8.1f} CPU s  "
                  f"{row['peak_mb']:6} MB")
    for run in result.get("mirror", {}).get("runs", []):
        print(f"mirror, {run['workers']} worker(s): {run['records_per_s']} records/s, speed-up {run['speedup']}, "
              f"efficiency {run['efficiency']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
