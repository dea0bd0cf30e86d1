"""exoreview's active learning against ASReview LAB 3.x on the SYNERGY datasets, same priors, same run.

For each dataset and seed: draw one relevant and one irrelevant prior with the
seed (exoreview's rule), write the dataset once per benchmark run to a CSV
(title, abstract, label_included) in labels.csv row order, then run

  * `exoreview simulate FOLDER --seed S --prior-idx I J --json` (the SYNERGY folder:
    title, abstract, keywords and MeSH), or with `--csv-only` the same CSV
    ASReview reads (title and abstract only);
  * `asreview simulate CSV --prior-idx I J --seed S` (default model elas_u4).

Both orderings are scored by the same code (`screening_metrics`): WSS@95 and
recall@10% over the records after the priors. Nothing is cached between
benchmark runs. Needs the `bench` extra (asreview). Usage:

  python benchmarks/screening_vs_asreview.py [--json] [--seeds 1-10] [--datasets Nelson_2002 Sep_2021]
  python benchmarks/screening_vs_asreview.py --lodo [--json] [--seeds 1-10] [--workers 2]

`--lodo` chooses exoreview's settings honestly: every candidate of `lodo.CANDIDATES` runs on every
dataset and seed (in-process, the learner `exoreview simulate` uses), then for each dataset the
candidate best on the other datasets is scored on it; ASReview runs in the same run, same priors.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench_common import SYNERGY, parse_seeds, timed
from exoreview.screen.simulation import Dataset, draw_priors, load_dataset, screening_metrics
from lodo import CANDIDATES, Fold, leave_one_dataset_out, mean_table, run_all

BIN = Path(sys.executable).parent


def write_csv(dataset: Dataset, path: Path) -> None:
    """The layout ASReview reads, one row per record in the dataset's order."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "abstract", "label_included"])
        for item, label in zip(dataset.items, dataset.labels, strict=True):
            writer.writerow([item.title, item.abstract, int(label)])


def run_ours(source: Path, seed: int, priors: list[int], batch: str) -> dict:
    command = [str(BIN / "exoreview"), "simulate", str(source), "--seed", str(seed), "--prior-idx",
               *map(str, priors), "--batch", str(batch), "--json"]
    done, cpu_seconds, wall_seconds = timed(command)
    row = json.loads(done.stdout.strip().splitlines()[-1])
    row.update(wall_seconds=wall_seconds, cpu_seconds=cpu_seconds)
    return row


def asreview_order(project: Path) -> list[int]:
    """Dataset rows in the order ASReview labelled them, read from its project file."""
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(project) as archive:
            archive.extract("results.db", tmp)
        connection = sqlite3.connect(Path(tmp) / "results.db")
        try:
            rows = connection.execute(
                "SELECT record.dataset_row FROM results JOIN record ON results.record_id = record.record_id "
                "ORDER BY results.rowid").fetchall()
        finally:
            connection.close()
    return [int(r[0]) for r in rows]


def run_asreview(csv_path: Path, seed: int, priors: list[int], labels: list[bool], work: Path) -> dict:
    project = work / f"asreview_{csv_path.stem}_{seed}.asreview"
    command = [str(BIN / "asreview"), "simulate", str(csv_path), "--prior-idx", *map(str, priors),
               "--seed", str(seed), "-o", str(project)]
    _, cpu_seconds, seconds = timed(command)
    order = asreview_order(project)
    project.unlink()
    if order[:len(priors)] != priors:
        raise RuntimeError(f"ASReview started from rows {order[:len(priors)]}, not the priors {priors}")
    # ASReview stops once every relevant record is found; the rest are irrelevant, in any order.
    seen = set(order)
    order += [i for i in range(len(labels)) if i not in seen]
    metrics = screening_metrics([labels[i] for i in order], len(priors))
    return {"wss95": metrics.wss95, "recall_at_10pct": metrics.recall_at_10pct, "seconds": seconds,
            "cpu_seconds": cpu_seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--seeds", default="1-10")
    parser.add_argument("--datasets", nargs="*", default=None, help="SYNERGY folder names (default: all)")
    parser.add_argument("--root", type=Path, default=SYNERGY)
    parser.add_argument("--batch", default="auto",
                        help="records read per retrain by exoreview: a number, or auto (every record for the first "
                             "50, then 2%% of those read; ASReview retrains after every record)")
    parser.add_argument("--csv-only", action="store_true", help="exoreview reads the same CSV as ASReview")
    parser.add_argument("--no-asreview", action="store_true", help="run exoreview only")
    parser.add_argument("--lodo", action="store_true",
                        help="choose exoreview's settings by leave-one-dataset-out among lodo.CANDIDATES")
    parser.add_argument("--workers", type=int, default=2, help="processes for --lodo")
    args = parser.parse_args(argv)
    if not args.no_asreview and shutil.which("asreview", path=str(BIN)) is None:
        parser.error("asreview is not installed: pip install -e '.[bench]'")
    seeds = parse_seeds(args.seeds)
    folders = [args.root / name for name in args.datasets] if args.datasets else sorted(
        p for p in args.root.iterdir() if (p / "labels.csv").exists())
    if args.lodo:
        return lodo_main(folders, seeds, args)
    per_dataset: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="exoreview-bench-") as tmp:
        work = Path(tmp)
        for folder in folders:
            dataset = load_dataset(folder)
            csv_path = work / f"{dataset.name}.csv"
            write_csv(dataset, csv_path)
            runs = []
            for seed in seeds:
                priors = draw_priors(dataset.labels, seed)
                ours = run_ours(csv_path if args.csv_only else folder, seed, priors, args.batch)
                peer = None if args.no_asreview else run_asreview(csv_path, seed, priors, dataset.labels, work)
                runs.append({"seed": seed, "priors": priors, "ours": ours, "asreview": peer})
                theirs = f"asreview wss95 {peer['wss95']:.3f}" if peer else ""
                print(f"{dataset.name} seed {seed} priors {priors}: exoreview wss95 {ours['wss95']:.3f} "
                      f"{theirs}", file=sys.stderr, flush=True)  # progress; stdout keeps the table or JSON
            per_dataset[dataset.name] = _summarise(runs)
    summary = _overall(per_dataset)
    if args.json:
        print(json.dumps({"seeds": seeds, "csv_only": args.csv_only, "batch": args.batch,
                          "datasets": per_dataset, "mean": summary}, sort_keys=True))
    else:
        _print_table(per_dataset, summary)
    return 0


def _asreview_runs(folder: Path, seeds: list[int]) -> dict[int, dict]:
    """ASReview on one dataset, every seed, with the priors exoreview draws."""
    dataset = load_dataset(folder)
    with tempfile.TemporaryDirectory(prefix="exoreview-lodo-") as tmp:
        csv_path = Path(tmp) / f"{dataset.name}.csv"
        write_csv(dataset, csv_path)
        return {seed: run_asreview(csv_path, seed, draw_priors(dataset.labels, seed), dataset.labels, Path(tmp))
                for seed in seeds}


def lodo_main(folders: list[Path], seeds: list[int], args: argparse.Namespace) -> int:
    """Every candidate and ASReview on every dataset and seed, then one leave-one-out fold per dataset."""
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        peer_jobs = {} if args.no_asreview else {f.name: pool.submit(_asreview_runs, f, seeds) for f in folders}
        runs = run_all(folders, CANDIDATES, seeds, pool, say=lambda line: print(line, file=sys.stderr, flush=True))
        peer = {dataset: job.result() for dataset, job in peer_jobs.items()}
    folds = leave_one_dataset_out(runs)
    report = _lodo_report(folds, runs, peer)
    if args.json:
        print(json.dumps({"seeds": seeds, "candidates": CANDIDATES, **report}, sort_keys=True))
    else:
        _print_lodo(report)
    return 0


def _lodo_report(folds: list[Fold], runs: list, peer: dict[str, dict[int, dict]]) -> dict:
    table = mean_table(runs)
    rows = {}
    for fold in folds:
        row = {"chosen": fold.chosen, "wss95": round(fold.wss95, 4), "recall_at_10pct": round(fold.recall_at_10pct, 4),
               "default_wss95": round(table["default"][fold.left_out], 4),
               "stop_recall_ok": sum(r.recall_at_stop >= 0.95 for r in fold.runs), "runs": len(fold.runs)}
        if fold.left_out in peer:
            row["asreview_wss95"] = _mean([p["wss95"] for p in peer[fold.left_out].values()])
            row["difference"] = round(row["wss95"] - row["asreview_wss95"], 4)
        rows[fold.left_out] = row
    summary = {"wss95": _mean([r["wss95"] for r in rows.values()]),
               "stop_recall_ok": sum(r["stop_recall_ok"] for r in rows.values()),
               "runs": sum(r["runs"] for r in rows.values())}
    if all("asreview_wss95" in r for r in rows.values()):
        summary["asreview_wss95"] = _mean([r["asreview_wss95"] for r in rows.values()])
        summary["difference"] = round(summary["wss95"] - summary["asreview_wss95"], 4)
        summary["worst_dataset_difference"] = min(r["difference"] for r in rows.values())
    every = {name: {d: round(v, 4) for d, v in cells.items()} for name, cells in table.items()}
    return {"folds": rows, "mean": summary, "every_candidate": every}


def _print_lodo(report: dict) -> None:
    def cell(row: dict, key: str, width: int, sign: str = "") -> str:  # "-" where ASReview did not run
        return f"{row[key]:>{sign}{width}.3f}" if key in row else f"{'-':>{width}}"

    print(f"{'left out':<16}{'chosen on the others':<22}{'WSS@95':>8}{'ASReview':>10}{'diff':>8}{'default':>9}"
          f"{'stop ok':>9}")
    for name, row in report["folds"].items():
        print(f"{name:<16}{row['chosen']:<22}{row['wss95']:>8.3f}{cell(row, 'asreview_wss95', 10)}"
              f"{cell(row, 'difference', 8, '+')}{row['default_wss95']:>9.3f}{row['stop_recall_ok']:>5}/{row['runs']}")
    mean = report["mean"]
    print(f"{'MEAN':<38}{mean['wss95']:>8.3f}{cell(mean, 'asreview_wss95', 10)}{cell(mean, 'difference', 8, '+')}")
    if "worst_dataset_difference" in mean:
        print(f"worst dataset: {mean['worst_dataset_difference']:+.3f}; the stopping rule reached recall 0.95 in "
              f"{mean['stop_recall_ok']} of {mean['runs']} runs")


def _mean(values: list[float]) -> float:
    return round(statistics.fmean(values), 4)


def _summarise(runs: list[dict]) -> dict:
    row = {"runs": len(runs),
           "exoreview_wss95": _mean([r["ours"]["wss95"] for r in runs]),
           "exoreview_recall_at_10pct": _mean([r["ours"]["recall_at_10pct"] for r in runs]),
           "exoreview_seconds": _mean([r["ours"]["seconds"] for r in runs]),
           "exoreview_retrain_median_s": _mean([r["ours"]["seconds_per_retrain_median"] for r in runs]),
           "exoreview_stop_recall_ok": sum(r["ours"]["recall_at_stop"] >= 0.95 for r in runs)}
    if runs and runs[0]["asreview"]:
        row.update({"asreview_wss95": _mean([r["asreview"]["wss95"] for r in runs]),
                    "asreview_recall_at_10pct": _mean([r["asreview"]["recall_at_10pct"] for r in runs]),
                    "asreview_seconds": _mean([r["asreview"]["seconds"] for r in runs])})
    return row


def _overall(per_dataset: dict[str, dict]) -> dict:
    rows = list(per_dataset.values())
    keys = [k for k in rows[0] if k != "runs" and k != "exoreview_stop_recall_ok"] if rows else []
    summary = {k: _mean([r[k] for r in rows]) for k in keys}
    if "asreview_wss95" in summary:
        summary["wss95_difference"] = round(summary["exoreview_wss95"] - summary["asreview_wss95"], 4)
        summary["worst_dataset_difference"] = round(min(r["exoreview_wss95"] - r["asreview_wss95"] for r in rows), 4)
    return summary


def _print_table(per_dataset: dict[str, dict], summary: dict) -> None:
    header = f"{'dataset':<16}{'ours WSS@95':>12}{'ASR WSS@95':>12}{'ours R@10%':>12}{'ASR R@10%':>12}" \
             f"{'ours s':>9}{'ASR s':>9}"
    print(header)
    for name, row in [*per_dataset.items(), ("MEAN", summary)]:
        print(f"{name:<16}{row['exoreview_wss95']:>12.3f}{row.get('asreview_wss95', float('nan')):>12.3f}"
              f"{row['exoreview_recall_at_10pct']:>12.3f}{row.get('asreview_recall_at_10pct', float('nan')):>12.3f}"
              f"{row['exoreview_seconds']:>9.1f}{row.get('asreview_seconds', float('nan')):>9.1f}")
    if "wss95_difference" in summary:
        print(f"mean WSS@95 difference (ours - ASReview): {summary['wss95_difference']:+.3f}; "
              f"worst dataset: {summary['worst_dataset_difference']:+.3f}")


if __name__ == "__main__":
    sys.exit(main())
