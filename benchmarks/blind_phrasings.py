"""The classifier on phrasings written blind to the real papers: how many it gets right, per facet.

`data/blind_phrasings.json` holds every abstract-style case that helpers wrote from how papers in
the field are phrased, without reading any paper of the real set, each with the labels the guide
(data/LABELING.md) gives it: short phrasings (one to four sentences aimed at one facet) and whole
abstracts (150-300 words, scored on design, subjects, EV source and route together), counted apart.
The ones the classifier gets right are also a test
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
        form = case.get("form", "phrasing")
        for facet, expected in case["expect"].items():
            got = sorted({lab.value for lab in labels if lab.facet == facet and not lab.negated})
            total[form, facet] += 1
            if got == sorted(expected):
                right[form, facet] += 1
            elif show_misses:
                misses.append({"kind": case["kind"], "facet": facet, "expected": expected, "got": got,
                               "abstract": case["abstract"], "form": form})
    forms = Counter(case.get("form", "phrasing") for case in cases)
    return {"benchmark": "blind_phrasings", "cases": len(cases), "forms": dict(forms),
            "facets": {f"{form}/{facet}": {"cases": total[form, facet], "right": right[form, facet],
                                            "share": round(right[form, facet] / total[form, facet], 3)}
                       for form, facet in sorted(total)},
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
    print(f"{result['cases']} blind cases: " + ", ".join(f"{n} {form}s" for form, n in result["forms"].items()))
    for key, figures in result["facets"].items():
        print(f"  {key:26} {figures['right']}/{figures['cases']} right ({figures['share']:.0%})")
    for miss in result["misses"]:
        print(f"- [{miss['kind']}] {miss['facet']}: expected {miss['expected']}, got {miss['got']}")
        print(f"    {miss['abstract']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
