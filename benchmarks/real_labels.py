"""Labels and screening decisions on real papers, scored against hand labels, per facet.

Usage:
    python benchmarks/real_labels.py --texts DIR [--split test|dev|all] [--misses] [--json]
                                     [--write-accuracy]

DIR holds one `<key>.txt` per paper of benchmarks/data/real_papers.toml (title, blank line,
abstract; see real_set.py), gathered at evaluation time and never committed: the abstracts are
their authors' writing. Papers without a text are counted and skipped.

The default split is `test`: the papers the classifier was never tuned on. `--misses` lists each
wrong paper with the evidence behind the wrong label, and only for the `dev` split unless
`--show-test` is given (reading test misses is how a test set stops being one).
`--write-accuracy` stores the test figures in the package (`classify/measured_accuracy.json`),
where the report reads them to say how far its machine labels can be trusted.

Texts gathered on another day can differ (another copy of the abstract, cut short elsewhere), and at
this size that alone moves a figure by a few points. `data/real_texts_fingerprints.json` holds the
SHA-256 and word count of each text of the last measured gather (facts, not text); every run says how
many of DIR's texts are the same, `--same-texts` scores only those, so figures from two gathers can be
compared, and `--write-fingerprints` records DIR's texts as the measured gather.

Facets scored on the papers of group "exosome": design (accuracy, one per paper), subjects,
indication, EV source, isolation and characterization (micro-F1 over the papers' label sets),
delivery route (accuracy: the predicted set equals the gold set, on papers that name a route),
safety finding (accuracy, one value per paper). Inclusion after eligibility (accuracy) is scored
on every paper, hard negatives too; a record whose full text is simply unknown is not excluded
(it waits for retrieval), as the screening stage treats it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
from pathlib import Path

from exoreview.classify.measured import MEASURED_FILE, write_measured
from real_set import (
    FINGERPRINTS,
    PAPERS,
    SET_FACETS,
    Accuracy,
    Paper,
    Prediction,
    SetScore,
    StudyPredictor,
    compare_texts,
    load_papers,
    read_text,
    text_fingerprint,
)

TARGETS = {"design": 0.90, "subjects": 0.90, "ev_source": 0.90, "delivery": 0.90, "indication": 0.93,
           "safety": 0.90, "inclusion": 0.90}


def score(papers: list[Paper], predictions: dict[str, Prediction]) -> dict[str, object]:
    design, safety, delivery, inclusion = Accuracy(), Accuracy(), Accuracy(), Accuracy()
    sets = {facet: SetScore() for facet in SET_FACETS}
    for paper in papers:
        predicted = predictions[paper.key]
        inclusion.add(str(paper.include), str(predicted.include))
        if paper.group != "exosome":
            continue
        design.add(paper.design, predicted.design)
        safety.add(paper.safety, predicted.safety)
        for facet in SET_FACETS:
            sets[facet].add(paper.labels[facet], predicted.labels.get(facet, frozenset()))
        if paper.labels["delivery"]:
            delivery.add(",".join(sorted(paper.labels["delivery"])),
                         ",".join(sorted(predicted.labels.get("delivery", frozenset()))) or "-")
    return {"design": design.as_dict(), "subjects": sets["subjects"].as_dict(),
            "ev_source": sets["ev_source"].as_dict(), "delivery": delivery.as_dict(),
            "delivery_labels": sets["delivery"].as_dict(), "indication": sets["indication"].as_dict(),
            "safety": safety.as_dict(), "inclusion": inclusion.as_dict(),
            "isolation": sets["isolation"].as_dict(), "characterization": sets["characterization"].as_dict()}


def headline(scores: dict[str, object]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for facet in TARGETS:
        figures = scores[facet]
        assert isinstance(figures, dict)
        out[facet] = figures.get("accuracy", figures.get("micro_f1"))
    return out


def intervals(papers: list[Paper], predictions: dict[str, Prediction], resamples: int,
              seed: int = 2025) -> dict[str, list[float]]:
    """Percentile 95% intervals of each headline figure over papers drawn with replacement."""
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {facet: [] for facet in TARGETS}
    for _ in range(resamples):
        drawn = [rng.choice(papers) for _ in papers]
        for facet, value in headline(score(drawn, predictions)).items():
            if value is not None:
                samples[facet].append(value)
    out = {}
    for facet, values in samples.items():
        values.sort()
        if values:
            out[facet] = [values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]]
    return out


def misses(paper: Paper, predicted: Prediction) -> list[str]:
    lines = []
    if paper.include != predicted.include:
        lines.append(f"  inclusion: gold {paper.include} ({paper.exclude_reason or 'include'}), "
                     f"predicted {predicted.include} ({predicted.screening})")
    if paper.group != "exosome":
        return lines
    if paper.design != predicted.design:
        lines.append(f"  design: gold {paper.design}, predicted {predicted.design} <- {predicted.why('design')}")
    if paper.safety != predicted.safety:
        lines.append(f"  safety: gold {paper.safety}, predicted {predicted.safety} <- {predicted.why('safety')}")
    for facet in SET_FACETS:
        gold, got = paper.labels[facet], predicted.labels.get(facet, frozenset())
        for value in sorted(got - gold):
            lines.append(f"  {facet}: extra {value} <- {predicted.why(facet, value)}")
        for value in sorted(gold - got):
            lines.append(f"  {facet}: missed {value}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, required=True, help="folder of <key>.txt texts")
    parser.add_argument("--papers", type=Path, default=PAPERS)
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--misses", action="store_true", help="list the wrong papers (dev split only)")
    parser.add_argument("--show-test", action="store_true", help="with --misses: the test split's too")
    parser.add_argument("--json", action="store_true", help="one JSON line only")
    parser.add_argument("--bootstrap", type=int, default=0, metavar="N",
                        help="also print 95%% intervals of the headline figures from N resamples of the papers")
    parser.add_argument("--write-accuracy", action="store_true",
                        help=f"store the test figures in the package ({MEASURED_FILE.name})")
    parser.add_argument("--same-texts", action="store_true",
                        help=f"score only papers whose text is the one fingerprinted in {FINGERPRINTS.name}")
    parser.add_argument("--write-fingerprints", action="store_true",
                        help=f"record the texts of DIR as the measured gather ({FINGERPRINTS.name})")
    args = parser.parse_args(argv)

    papers = load_papers(args.papers)
    if args.write_fingerprints:
        write_fingerprints(args.texts, papers)
    known = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))["texts"] if FINGERPRINTS.is_file() else {}
    chosen = [p for p in papers if args.split == "all" or p.split == args.split]
    texts = compare_texts(args.texts, [p.key for p in chosen], known)
    if args.same_texts:
        chosen = [p for p in chosen if p.key in set(texts["same"])]
    predictor = StudyPredictor()
    predictions: dict[str, Prediction] = {}
    missing = []
    for paper in chosen:
        record = read_text(args.texts, paper)
        if record is None:
            missing.append(paper.key)
            continue
        predictions[paper.key] = predictor.predict(record)
    scored = [p for p in chosen if p.key in predictions]
    if args.write_accuracy and (args.same_texts or not scored):
        parser.error("--write-accuracy stores the figures of every test text found: not with --same-texts, "
                     "and not when no text was found")
    scores = score(scored, predictions)
    result = {
        "benchmark": "real_labels", "split": args.split, "papers": len(scored),
        "exosome_papers": sum(p.group == "exosome" for p in scored),
        "hard_negatives": sum(p.group == "hard_negative" for p in scored),
        "missing_texts": len(missing), "headline": headline(scores), "targets": TARGETS, "scores": scores,
        "taxonomy": predictor.taxonomy_version, "set": str(args.papers.name),
        "texts": {"same_as_fingerprinted": len(texts["same"]), "differ": texts["differ"], "new": len(texts["new"]),
                  "scored": "same texts only" if args.same_texts else "every text found"},
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
    }
    if args.bootstrap:
        result["interval_95"] = intervals(scored, predictions, args.bootstrap)
    if args.misses and not args.json:
        for paper in scored:
            if paper.split == "test" and not args.show_test:
                continue
            lines = misses(paper, predictions[paper.key])
            if lines:
                print(f"{paper.key} [{paper.split}] {paper.design} :: {paper.title[:90]}", file=sys.stderr)
                print("\n".join(lines), file=sys.stderr)
    if args.write_accuracy:
        if args.split != "test":
            parser.error("--write-accuracy stores test-split figures: use --split test")
        write_measured(headline(scores), papers=len(scored), measured_on=dt.date.today().isoformat(),
                       command="python benchmarks/real_labels.py --texts DIR --split test --write-accuracy",
                       taxonomy=predictor.taxonomy_version)
    print(json.dumps(result, sort_keys=True) if args.json else json.dumps(result, indent=1, sort_keys=True))
    return 0


def write_fingerprints(folder: Path, papers: list[Paper]) -> None:
    found = {p.key: text_fingerprint(folder, p.key) for p in papers}
    FINGERPRINTS.write_text(json.dumps({
        "about": "SHA-256 and word count of each real paper's text in the last measured gather (facts, not text): "
                 "benchmarks/real_labels.py says which texts of another gather differ, and --same-texts scores "
                 "only the ones that do not.",
        "gathered": dt.date.today().isoformat(),
        "texts": {key: mark for key, mark in sorted(found.items()) if mark is not None},
    }, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
