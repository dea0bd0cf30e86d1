"""Seconds per retrain of the active learner at 10,000 records (synthetic corpus), as a reviewer feels it.

Features are built once for the collection (timed apart); each step then
retrains on the labels so far and re-ranks all 10,000 records. The labelled set
grows from 2 to `--labelled` records in `--steps` steps, the way a screening
session does. Prints the median and 90th percentile per model, wall clock and CPU time of
this process (on a shared machine the wall clock includes waiting for a core).

  python benchmarks/retrain_time.py [--records 10000] [--labelled 1000] [--steps 40] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numpy as np

from exoreview.demo.corpus.synthetic import iter_labelled
from exoreview.screen.active import ActiveLearner
from exoreview.screen.features import build_features


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--labelled", type=int, default=1000, help="labelled records at the last step")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--models", nargs="*", default=["ensemble", "lr", "svm", "nb", "sgd"])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    pairs = list(iter_labelled(args.records, args.seed))
    records = [record for record, _ in pairs]
    relevant = np.array([bool(truth["include"]) for _, truth in pairs])  # the protocol's inclusions
    started = time.perf_counter()
    features = build_features(records)
    feature_seconds = time.perf_counter() - started

    rng = np.random.default_rng(args.seed)
    # a screening session reads relevant records early: draw labelled rows with relevant ones over-represented
    weights = np.where(relevant, 10.0, 1.0)
    reading = rng.choice(len(records), size=args.labelled, replace=False, p=weights / weights.sum())
    sizes = np.unique(np.linspace(2, args.labelled, args.steps).astype(int))
    result = {"records": args.records, "relevant": int(relevant.sum()), "features": features.shape[1],
              "feature_seconds": round(feature_seconds, 3), "models": {}}
    for model in args.models:
        learner = ActiveLearner(model=model, random_state=args.seed).set_documents(records, features)
        times, cpu = [], []
        for size in sizes:
            rows = reading[:size]
            labelled = {int(i): bool(relevant[i]) for i in rows}
            if len(set(labelled.values())) < 2:
                continue
            tick, tock = time.perf_counter(), time.process_time()
            learner.fit(None, labelled)
            learner.rank()
            times.append(time.perf_counter() - tick)
            cpu.append(time.process_time() - tock)
        result["models"][model] = {"retrains": len(times), "median_s": round(statistics.median(times), 4),
                                   "p90_s": round(float(np.percentile(times, 90)), 4),
                                   "median_cpu_s": round(statistics.median(cpu), 4)}
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print(f"{args.records} records, {result['relevant']} relevant, {result['features']} features "
              f"(built in {feature_seconds:.1f} s)")
        for model, row in result["models"].items():
            print(f"  {model:<9} median {row['median_s']:.3f} s  p90 {row['p90_s']:.3f} s  "
                  f"(CPU median {row['median_cpu_s']:.3f} s; {row['retrains']} retrains)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
