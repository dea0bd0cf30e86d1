"""A second set of phrasings, written blind to the real-paper set: the ways of naming an EV source,
a route, a design and who was studied that helpers could think of, in sentences of our own
(tests/data/classify_phrasings_blind.json; every case, right or wrong, is in
benchmarks/data/blind_phrasings.json). Each case here must keep the labels the guide gives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exoreview.classify import StudyClassifier
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, PubDate, Record

CASES = json.loads((Path(__file__).parent / "data" / "classify_phrasings_blind.json").read_text(encoding="utf-8"))
CLASSIFIER = StudyClassifier(load_protocol("exosome-aesthetics").taxonomy)


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: f"{c['kind']}:{c['title'][:40]}")
def test_each_blind_phrasing_keeps_its_labels(case: dict) -> None:
    record = Record(title=case["title"], abstract=[AbstractSection(case["abstract"])], pub_date=PubDate(year=2021))
    labels = CLASSIFIER.classify(record)
    for facet, expected in case["expect"].items():
        got = {label.value for label in labels if label.facet == facet and not label.negated}
        assert got == set(expected), (facet, [(lab.value, lab.evidence.match) for lab in labels if lab.facet == facet])


def test_the_set_is_large_and_covers_every_facet_it_claims() -> None:
    facets = {facet for case in CASES["cases"] for facet in case["expect"]}
    assert len(CASES["cases"]) >= 600 and facets == {"ev_source", "delivery", "design", "subjects", "indication"}
