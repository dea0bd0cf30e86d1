"""The classifier on phrasings written blind to the real papers: how many it gets right, per facet.

`data/blind_phrasings.json` holds every abstract-style case that helpers wrote from how papers in
the field are phrased, without reading any paper of the real set, each with the labels the guide
(data/LABELING.md) gives it. The ones the classifier gets right are also a test
(tests/test_classify_phrasings_blind.py); the ones it misses are listed with `--misses`.

    python benchmarks/blind_phrasings.py [--misses] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from exoreview.classify import StudyClassifier
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, PubDate, Record

DATA = Path(__file__).resolve().parent / "data" / "blind_phrasings.json"


def score(show_misses: bool = False) -> dict:
    classifier = StudyClassifier(load_protocol("exosome-aesthetics").taxonomy)
    cases = json.loads(DATA.read_text(encoding="utf-8"))["cases"]
    right, total, misses = Counter(), Counter(), []
    for case in cases:
        record = Record(title=case["title"], abstract=[AbstractSection(case["abstract"])], pub_date=PubDate(year=2021))
        labels = classifier.classify(record)
        for facet, expected in case["expect"].items():
            got = sorted({lab.value for lab in labels if lab.facet == facet and not lab.negated})
            total[facet] += 1
            if got == sorted(expected):
                right[facet] += 1
            elif show_misses:
                misses.append({"kind": case["kind"], "facet": facet, "expected": expected, "got": got,
                               "abstract": case["abstract"]})
    return {"benchmark": "blind_phrasings", "cases": len(cases),
            "facets": {f: {"cases": total[f], "right": right[f], "share": round(right[f] / total[f], 3)}
                       for f in sorted(total)},
            "misses": misses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every case the classifier gets wrong")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args()
    result = score(args.misses)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{result['cases']} blind phrasings")
    for facet, figures in result["facets"].items():
        print(f"  {facet:10} {figures['right']}/{figures['cases']} right ({figures['share']:.0%})")
    for miss in result["misses"]:
        print(f"- [{miss['kind']}] {miss['facet']}: expected {miss['expected']}, got {miss['got']}")
        print(f"    {miss['abstract']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
