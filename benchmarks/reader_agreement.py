"""How far two people agree on the real-paper labels: the ceiling the classifier is measured under.

Every paper in `data/real_papers.toml` was labelled by a first reader, then again by a second reader
blind to the first and to the classifier (`data/real_papers_second_reader.toml`); a third reader
decided each disagreement. This script rebuilds the first reader's labels (the set's labels, with
each adjudicated facet put back to the first reader's value) and prints, per facet, the two readers'
agreement: raw agreement and Cohen's kappa for the one-value facets, micro-F1 of one reader against
the other for the set facets. Facets are scored on the exosome papers, inclusion on all papers
(leaving out those excluded as out of the date window, which the second reader could not see).

    python benchmarks/reader_agreement.py [--split test|dev|all] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_set import PAPERS, split_of

SECOND = PAPERS.with_name("real_papers_second_reader.toml")
ONE_VALUE = ("design", "safety")
SETS = ("subjects", "indication", "ev_source", "delivery")


def first_reader(papers: dict[str, dict], adjudicated: list[dict]) -> dict[str, dict]:
    """The set's labels with every adjudicated facet back at the first reader's value."""
    first = {key: dict(paper) for key, paper in papers.items()}
    for row in adjudicated:
        first[row["key"]][row["facet"]] = row["first"]
    return first


def kappa(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """(raw agreement, Cohen's kappa) of two readers' one-value labels."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[c] * right[c] for c in left) / (n * n)
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def set_agreement(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, float]:
    """(micro-F1 of one reader against the other, share of papers with the same set)."""
    both = sum(len(a & b) for a, b in pairs)
    either = sum(len(a ^ b) for a, b in pairs)
    f1 = 2 * both / (2 * both + either) if both else 0.0
    return f1, sum(a == b for a, b in pairs) / len(pairs)


def agreement(split: str) -> dict:
    papers = {p["key"]: p for p in tomllib.loads(PAPERS.read_text(encoding="utf-8"))["paper"]}
    second_file = tomllib.loads(SECOND.read_text(encoding="utf-8"))
    second = {p["key"]: p for p in second_file["paper"]}
    first = first_reader(papers, second_file.get("adjudicated", []))
    keys = [k for k in sorted(papers) if split in ("all", split_of(k))]
    screened = [k for k in keys if first[k]["exclude_reason"] != "out_of_window"]
    studies = [k for k in keys if papers[k]["group"] == "exosome"]
    raw, kap = kappa([(str(first[k]["include"]), str(second[k]["include"])) for k in screened])
    result: dict = {"split": split, "papers": len(keys), "exosome_papers": len(studies),
                    "adjudicated": sum(split in ("all", split_of(r["key"])) for r in second_file["adjudicated"]),
                    "facets": {"inclusion": {"papers": len(screened), "agreement": round(raw, 3),
                                             "kappa": round(kap, 3)}}}
    for facet in ONE_VALUE:
        raw, kap = kappa([(first[k][facet], second[k][facet]) for k in studies])
        result["facets"][facet] = {"papers": len(studies), "agreement": round(raw, 3), "kappa": round(kap, 3)}
    for facet in SETS:
        f1, same = set_agreement([(set(first[k][facet]), set(second[k][facet])) for k in studies])
        result["facets"][facet] = {"papers": len(studies), "micro_f1": round(f1, 3), "same_set": round(same, 3)}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default="all")
    parser.add_argument("--json", action="store_true", help="one JSON line only")
    args = parser.parse_args()
    result = agreement(args.split)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"Two readers, {result['papers']} papers ({args.split}); {result['adjudicated']} facets adjudicated")
    for facet, figures in result["facets"].items():
        shown = ", ".join(f"{name} {value}" for name, value in figures.items())
        print(f"  {facet:11} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
