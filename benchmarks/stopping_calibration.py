"""Does the statistical stopping rule keep its promise? Recall at the stop over many seeds and datasets.

For every SYNERGY dataset and seed: simulate screening with the active learner
(priors: one relevant, one irrelevant drawn with the seed), apply the
hypergeometric rule (target recall 0.95, confidence 0.95) after every record,
and record the true recall and the work saved when it first says stop. The
promise holds when at least 95% of runs stop with recall >= 0.95. The
N-consecutive-irrelevant heuristic is shown beside it for comparison.

  python benchmarks/stopping_calibration.py [--seeds 1-20] [--batch 5] [--datasets ...] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from bench_common import SYNERGY, parse_seeds
from exoreview.screen.active import ActiveLearner
from exoreview.screen.simulation import draw_priors, first_stop, load_dataset, simulate
from exoreview.screen.stopping import heuristic_stop


def heuristic_stop_at(labels: list[bool]) -> int:
    for read in range(1, len(labels) + 1):
        if heuristic_stop(labels[:read], len(labels)):
            return read
    return len(labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="1-20")
    parser.add_argument("--batch", type=int, default=5, help="records read per retrain (speed; 1 = every record)")
    parser.add_argument("--datasets", nargs="*", default=None)
    parser.add_argument("--root", type=Path, default=SYNERGY)
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--confidence", type=float, default=0.95)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    folders = [args.root / n for n in args.datasets] if args.datasets else sorted(
        p for p in args.root.iterdir() if (p / "labels.csv").exists())
    runs = []
    for folder in folders:
        dataset = load_dataset(folder)
        n, total = len(dataset), sum(dataset.labels)
        for seed in parse_seeds(args.seeds):
            result = simulate(dataset, draw_priors(dataset.labels, seed), seed=seed, batch=args.batch,
                              learner=ActiveLearner(random_state=seed))
            labels = result.labels_in_order
            stop_at = first_stop(labels, n, args.target, args.confidence)
            heuristic_at = heuristic_stop_at(labels)
            runs.append({"dataset": dataset.name, "seed": seed, "n_records": n, "stop_at": stop_at,
                         "recall_at_stop": sum(labels[:stop_at]) / total, "work_saved": 1 - stop_at / n,
                         "heuristic_stop_at": heuristic_at, "heuristic_recall": sum(labels[:heuristic_at]) / total,
                         "heuristic_work_saved": 1 - heuristic_at / n})
            if not args.json:
                r = runs[-1]
                print(f"{dataset.name} seed {seed}: stop at {stop_at}/{n}, recall {r['recall_at_stop']:.3f}; "
                      f"heuristic at {heuristic_at}, recall {r['heuristic_recall']:.3f}", file=sys.stderr, flush=True)
    ok = sum(r["recall_at_stop"] >= args.target for r in runs)
    heuristic_ok = sum(r["heuristic_recall"] >= args.target for r in runs)
    summary = {
        "runs": len(runs), "target": args.target, "confidence": args.confidence, "batch": args.batch,
        "fraction_recall_at_least_target": round(ok / len(runs), 4),
        "work_saved_mean": round(statistics.fmean(r["work_saved"] for r in runs), 4),
        "work_saved_median": round(statistics.median(r["work_saved"] for r in runs), 4),
        "recall_at_stop_min": round(min(r["recall_at_stop"] for r in runs), 4),
        "heuristic_fraction_recall_at_least_target": round(heuristic_ok / len(runs), 4),
        "heuristic_work_saved_mean": round(statistics.fmean(r["heuristic_work_saved"] for r in runs), 4),
        "per_dataset": {
            name: {"fraction_ok": round(statistics.fmean(r["recall_at_stop"] >= args.target for r in rs), 4),
                   "work_saved_mean": round(statistics.fmean(r["work_saved"] for r in rs), 4)}
            for name in dict.fromkeys(r["dataset"] for r in runs)
            for rs in [[r for r in runs if r["dataset"] == name]]},
    }
    if args.json:
        print(json.dumps(summary, sort_keys=True))
    else:
        print(f"{len(runs)} runs: the rule stopped with recall >= {args.target} in "
              f"{summary['fraction_recall_at_least_target']:.1%} of runs (promise: >= {args.confidence:.0%}); "
              f"work saved at the stop: mean {summary['work_saved_mean']:.1%}, "
              f"median {summary['work_saved_median']:.1%}; "
              f"lowest recall at a stop {summary['recall_at_stop_min']:.3f}")
        print(f"heuristic (N consecutive irrelevant): recall >= {args.target} in "
              f"{summary['heuristic_fraction_recall_at_least_target']:.1%} of runs, work saved mean "
              f"{summary['heuristic_work_saved_mean']:.1%}")
        for name, row in summary["per_dataset"].items():
            print(f"  {name:<16} ok {row['fraction_ok']:.0%}  work saved {row['work_saved_mean']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
