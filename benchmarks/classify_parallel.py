"""The classify stage on one core and on every core: records per second, and the same labels either way.

Stores N synthetic records (the demo's generator) twice, classifies and appraises one store with one
process and the other with `--workers` processes (wall clock around `classify_records`, which reads
the records, labels them and writes labels and appraisals), then checks the two stores hold the same
rows. Scaling efficiency is the speed-up divided by the workers.

  python benchmarks/classify_parallel.py [--records 5000] [--workers 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from exoreview.demo.corpus import iter_records
from exoreview.protocol import load_protocol
from exoreview.stages.classify import classify_records
from exoreview.store.database import Store


def timed_run(path: Path, n: int, workers: int) -> tuple[float, list, list]:
    store = Store.open(path)
    try:
        ids = store.add_records(iter_records(n), source="synthetic")
        taxonomy = load_protocol("exosome-aesthetics").taxonomy
        started = time.perf_counter()
        classify_records(store, ids, taxonomy, appraise=True, workers=workers)
        seconds = time.perf_counter() - started
        labels = [(lab.record_id, lab.facet, lab.value, lab.evidence) for lab in store.labels()]
        return seconds, labels, store.appraisals()
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="exoreview-classify-") as tmp:
        one, labels_one, ratings_one = timed_run(Path(tmp) / "one.sqlite", args.records, 1)
        many, labels_many, ratings_many = timed_run(Path(tmp) / "many.sqlite", args.records, args.workers)
    row = {"records": args.records, "workers": args.workers, "cores": os.cpu_count(),
           "one_process_records_per_s": round(args.records / one, 1),
           "workers_records_per_s": round(args.records / many, 1), "speedup": round(one / many, 2),
           "efficiency": round(one / many / args.workers, 2),
           "identical": labels_one == labels_many and ratings_one == ratings_many, "labels": len(labels_one)}
    if args.json:
        print(json.dumps(row, sort_keys=True))
    else:
        for key, value in row.items():
            print(f"{key}: {value}")
    return 0 if row["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
