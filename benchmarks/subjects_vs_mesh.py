"""Predicted subjects (human, animal) against MEDLINE's check tags "Humans" and "Animals".

Usage: python benchmarks/subjects_vs_mesh.py [--json] [--no-ceiling]

Every SYNERGY record that carries MeSH is scored (2,340 in ../shared/data/synergy); the MeSH is
hidden from the predictor, which reads title, abstract, keywords and journal only. Per dataset:
F1 of human, F1 of animal, their mean (macro_f1); then the mean of macro_f1 over datasets.
The 378 real MEDLINE citations with MeSH among the shared fixtures join every training set and
are never scored.

In the same run:
  * `leave_one_dataset_out` (the headline): for each dataset, a model trained and tuned (C and
    thresholds, by an inner leave-one-dataset-out) on the other five and the MEDLINE samples only;
  * `shipped`: the packaged model (models/subjects.json, trained on everything), so in-sample;
  * `keyword_baseline`: a word list per class (human: patients, participants, women...;
    animal: mice, rats, animals...);
  * `seen_dataset_ceiling`: the same model when it has seen most of the dataset (5-fold) and
    picks C and thresholds on the dataset's own answers: an upper bound, not a result.
`pooled` adds F1 over all records at once, the other common way to state such a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from bench_common import SHARED
from exoreview.bench.subjects_train import (
    Example,
    Predictor,
    f1,
    leave_one_dataset_out,
    load_examples,
    load_medline_samples,
    mean_macro,
    model_predictor,
    score,
    seen_dataset_ceiling,
)
from exoreview.classify.subjects import MODEL_CLASSES, shipped_model

BASELINE_WORDS = {
    "human": {"patient", "patients", "participants", "volunteers", "subjects", "human", "humans", "women", "men",
              "children", "adults", "people", "individuals"},
    "animal": {"mice", "mouse", "murine", "rat", "rats", "rabbits", "dogs", "pigs", "monkeys", "animal", "animals",
               "rodents", "rodent", "sheep", "cats"},
}


def keyword_baseline(example: Example) -> dict[str, bool]:
    return {s: bool(BASELINE_WORDS[s] & example.features) for s in MODEL_CLASSES}


def pooled(examples: list[Example], predict: Predictor) -> dict[str, float]:
    predictions = [predict(e) for e in examples]
    row = {s: round(f1([e.gold[s] for e in examples], [p[s] for p in predictions]), 4) for s in MODEL_CLASSES}
    row["macro_f1"] = round(sum(row[s] for s in MODEL_CLASSES) / len(MODEL_CLASSES), 4)
    return row


def tags_named_in_text(examples: list[Example]) -> dict[str, dict[str, int]]:
    """Per dataset: tagged records, and how many of them name such subjects in title/abstract at all.

    Indexers tag "Animals" on reviews and policy papers whose abstracts never mention an animal;
    a text-only predictor cannot find those, which caps the animal F1 of human-centred datasets.
    """
    out: dict[str, dict[str, int]] = {}
    for example in examples:
        row = out.setdefault(example.dataset, {"animal_tagged": 0, "animal_named": 0, "human_tagged": 0,
                                               "human_named": 0})
        for subject in MODEL_CLASSES:
            if example.gold[subject]:
                row[f"{subject}_tagged"] += 1
                row[f"{subject}_named"] += any(f.startswith(f"cue:{subject}.") for f in example.features)
    return dict(sorted(out.items()))


def _lodo_predictor(examples: list[Example], table: dict[str, Predictor]) -> Predictor:
    return lambda e: table[e.dataset](e)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (data/synergy, fixtures)")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the seen-dataset ceiling (about a minute)")
    args = parser.parse_args(argv)
    data = args.shared / "data" / "synergy"
    if not data.is_dir():
        print(f"error: {data}: no such folder of SYNERGY datasets", file=sys.stderr)
        return 2
    started = time.perf_counter()
    examples = load_examples(data)
    samples = load_medline_samples(args.shared, exclude=examples)
    say = (lambda m: print(m, file=sys.stderr)) if not args.json else (lambda _: None)
    lodo, lodo_models = leave_one_dataset_out(examples, say=say, keep_models=True, train_also=samples)
    lodo_pooled = pooled(examples, _lodo_predictor(examples, {k: model_predictor(m) for k, m in lodo_models.items()}))
    model = shipped_model()
    shipped = score(examples, model_predictor(model))
    baseline = score(examples, keyword_baseline)
    ceiling = None if args.no_ceiling else seen_dataset_ceiling(examples, samples, say=say)
    result = {
        "benchmark": "subjects_vs_mesh",
        "records": len(examples),
        "training_only_records": len(samples),
        "datasets": len(lodo),
        "target_mean_macro_f1": 0.90,
        "leave_one_dataset_out": {"mean_macro_f1": mean_macro(lodo), "pooled": lodo_pooled, "per_dataset": lodo},
        "shipped": {"model": model.method, "in_sample": True, "mean_macro_f1": mean_macro(shipped),
                    "pooled": pooled(examples, model_predictor(model)), "per_dataset": shipped,
                    "tuned": model.about.get("tuned", {})},
        "keyword_baseline": {"mean_macro_f1": mean_macro(baseline), "pooled": pooled(examples, keyword_baseline),
                             "per_dataset": baseline},
        "seen_dataset_ceiling": None if ceiling is None else {"mean_macro_f1": mean_macro(ceiling),
                                                              "per_dataset": ceiling},
        "tags_named_in_text": tags_named_in_text(examples),
        "seconds": round(time.perf_counter() - started, 1),
        "machine": f"{platform.machine()} {platform.python_version()} cpus={os.cpu_count()}",
    }
    if args.json:
        print(json.dumps(result, sort_keys=False))
        return 0
    for name in ("leave_one_dataset_out", "shipped", "keyword_baseline", "seen_dataset_ceiling"):
        if result[name] is None:
            continue
        pooled_note = f"  (pooled {result[name]['pooled']})" if "pooled" in result[name] else ""
        print(f"\n{name}: mean macro-F1 {result[name]['mean_macro_f1']:.3f}{pooled_note}")
        print(f"  {'dataset':<16} {'records':>7} {'human':>7} {'animal':>7} {'macro':>7}")
        for dataset, row in result[name]["per_dataset"].items():
            print(f"  {dataset:<16} {row['records']:>7} {row['human']:>7.3f} {row['animal']:>7.3f} "
                  f"{row['macro_f1']:>7.3f}")
    print("\ntagged records whose title/abstract names such subjects (a cap on text-only recall):")
    for dataset, row in result["tags_named_in_text"].items():
        print(f"  {dataset:<16} animal {row['animal_named']}/{row['animal_tagged']}  "
              f"human {row['human_named']}/{row['human_tagged']}")
    print(f"\n{len(examples)} records, {result['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
