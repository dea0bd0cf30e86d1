"""Deduplication quality and speed on a SYNERGY dataset with export copies and hard negatives.

    python benchmarks/dedup.py --dataset ../shared/data/synergy/Oud_2018 --json
    python benchmarks/dedup.py --dataset ../shared/data/synergy/Oud_2018 --scale 100000 --json

The test set (`exoreview.bench.dedup_testset`, seeded) holds the dataset's records,
copies of half of them rewritten the way exports differ, and hard negatives
for a quarter of them. `--scale N` tiles the dataset with disguised copies
(title words and surnames swapped within frequency bands, ids renamed) until
it holds at least N records, each tile with its own copies and negatives.

Precision and recall are pairwise: over pairs of records put in one group,
against pairs that are truly one study. Records of the dataset itself count
as distinct studies, even where two share a title. Prints one JSON line.

`records_per_s` divides by the matcher's process CPU time (it runs on one
core; on a shared machine wall time measures the neighbours too);
`records_per_s_wall` is the same figure over wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from exoreview.bench.dedup_testset import COPY_KINDS, TestSet, build_testset, disguise
from exoreview.dedup import match_records
from exoreview.formats.openalex import iter_synergy


def build(dataset: Path, seed: int, scale: int) -> TestSet:
    originals = [row.record for row in iter_synergy(dataset)]
    testset = build_testset(originals, seed=seed)
    tile = 0
    while len(testset.records) < scale:
        tile += 1
        part = build_testset(disguise(originals, tile, seed), seed=seed + tile,
                             study_offset=tile * 10 * len(originals))
        testset.records += part.records
        testset.study += part.study
        testset.kind += part.kind
    return testset


def evaluate(testset: TestSet, seconds: float, wall: float, links: list, review: int) -> dict:
    index = {n: n for n in range(len(testset.records))}
    parent = dict(index)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        parent[find(link.record_id)] = find(link.kept_id)
    predicted: dict[int, list[int]] = defaultdict(list)
    for n in index:
        predicted[find(n)].append(n)
    truth: dict[int, list[int]] = defaultdict(list)
    for n, study in enumerate(testset.study):
        truth[study].append(n)
    true_pairs = sum(len(g) * (len(g) - 1) // 2 for g in truth.values())
    predicted_pairs = sum(len(g) * (len(g) - 1) // 2 for g in predicted.values())
    hits = 0
    for group in predicted.values():
        counts = Counter(testset.study[n] for n in group)
        hits += sum(c * (c - 1) // 2 for c in counts.values())
    group_of = {n: root for root, group in predicted.items() for n in group}
    original_of = {study: members[0] for study, members in truth.items()}
    found_by_kind: Counter[str] = Counter()
    total_by_kind: Counter[str] = Counter()
    no_doi_found = no_doi_total = 0
    merged_negatives: Counter[str] = Counter()
    for n, kind in enumerate(testset.kind):
        if kind.startswith("copy:"):
            found = group_of[n] == group_of[original_of[testset.study[n]]]
            for part in kind[5:].split("+"):
                total_by_kind[part] += 1
                found_by_kind[part] += found
            if not testset.records[n].doi or not testset.records[original_of[testset.study[n]]].doi:
                no_doi_total += 1
                no_doi_found += found
        elif kind.startswith("negative:") and len(predicted[group_of[n]]) > 1:
            merged_negatives[kind[9:]] += 1
    return {
        "records": len(testset.records),
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "precision": round(hits / predicted_pairs, 4) if predicted_pairs else 1.0,
        "recall": round(hits / true_pairs, 4) if true_pairs else 1.0,
        "recall_copies_without_doi": round(no_doi_found / no_doi_total, 4) if no_doi_total else None,
        "recall_by_kind": {k: round(found_by_kind[k] / total_by_kind[k], 4) for k in COPY_KINDS if total_by_kind[k]},
        "negatives": dict(Counter(k[9:] for k in testset.kind if k.startswith("negative:"))),
        "negatives_merged": dict(merged_negatives),
        "review_pairs": review,
        "seconds": round(seconds, 3),
        "records_per_s": round(len(testset.records) / seconds) if seconds else None,
        "records_per_s_wall": round(len(testset.records) / wall) if wall else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, required=True, help="A SYNERGY folder (works_*.zip + labels.csv).")
    parser.add_argument("--json", action="store_true", help="Print only the JSON line.")
    parser.add_argument("--scale", type=int, default=0, help="Tile the dataset to at least this many records.")
    parser.add_argument("--seed", type=int, default=20250101)
    args = parser.parse_args(argv)
    testset = build(args.dataset, args.seed, args.scale)
    started, started_cpu = time.perf_counter(), time.process_time()
    result = match_records(enumerate(testset.records))
    wall, seconds = time.perf_counter() - started, time.process_time() - started_cpu
    figures = {"benchmark": "dedup", "dataset": args.dataset.name, "seed": args.seed, "scale": args.scale,
               **evaluate(testset, seconds, wall, result.links, len(result.review)),
               "peer": None,
               "machine": {"cores": os.cpu_count(), "python": platform.python_version()}}
    if not args.json:
        print(f"{args.dataset.name}: precision {figures['precision']}, recall {figures['recall']}, "
              f"{figures['records_per_s']} records/s over {figures['records']} records", file=sys.stderr)
    print(json.dumps(figures, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
