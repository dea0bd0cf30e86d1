"""Screening rules from the protocol's criteria, and the baseline ranker, on records we compose."""

from __future__ import annotations

from pathlib import Path

from exoreview.classify import StudyClassifier
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, PublicationType, Record
from exoreview.results import ELIGIBILITY, EXCLUDE, INCLUDE, TITLE_ABSTRACT, Decision
from exoreview.screen import BaselineRanker, CriteriaRules, screen_records
from exoreview.store import Store

PROTOCOL = load_protocol("exosome-aesthetics")


def _record(title: str, abstract: str = "", **kwargs) -> Record:
    return Record(title=title, abstract=[AbstractSection(abstract)] if abstract else [], languages=["eng"],
                  free_full_text=True, **kwargs)


RELEVANT = _record("Adipose stem cell exosomes reduce wrinkles in photoaged skin", "A composed abstract.", pmid="1")
NO_EV = _record("Laser resurfacing for facial wrinkles", "Composed text without vesicles.", pmid="2")
NO_SKIN = _record("Exosomes in glioma progression", "Composed text about tumours.", pmid="3")
ERRATUM = _record("Erratum: exosomes and hair growth", pmid="4",
                  publication_types=[PublicationType("Published Erratum", "D016425")])
NOT_FREE = _record("Exosomes for melasma: a pilot study", pmid="5", )
NOT_FREE.free_full_text = False
KOREAN = _record("Exosome treatment of acne scars", pmid="6")
KOREAN.languages = ["kor"]


def test_title_abstract_rules_cite_their_criterion() -> None:
    rules = CriteriaRules(PROTOCOL.exclude, TITLE_ABSTRACT, StudyClassifier(PROTOCOL.taxonomy).classify)
    assert rules.decide(RELEVANT).label == INCLUDE
    assert (rules.decide(NO_EV).label, rules.decide(NO_EV).reason_id) == (EXCLUDE, "E1")
    assert rules.decide(NO_SKIN).reason_id == "E2"
    assert rules.decide(ERRATUM).reason_id == "E3"


def test_eligibility_rules() -> None:
    rules = CriteriaRules(PROTOCOL.exclude, ELIGIBILITY)
    assert rules.decide(RELEVANT).label == INCLUDE
    assert rules.decide(NOT_FREE).reason_id == "NR"
    assert rules.decide(KOREAN).reason_id == "E4"


def test_ranker_puts_relevant_first() -> None:
    train = [RELEVANT, NO_EV, NO_SKIN, _record("Umbilical cord exosomes promote hair growth in mice", pmid="7")]
    ranker = BaselineRanker().fit(train, [1, 0, 0, 1])
    candidates = [_record("Gastric cancer exosomes", pmid="8"),
                  _record("Exosomes improve skin wrinkles and hair growth", pmid="9")]
    assert ranker.rank(candidates) == [1, 0]


def test_stage_screens_only_new_records_and_keeps_human_decisions(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.sqlite") as store:
        ids = store.add_records([RELEVANT, NO_EV, NO_SKIN, ERRATUM, NOT_FREE, KOREAN], source="pubmed")
        store.add_decisions([Decision(ids[1], TITLE_ABSTRACT, INCLUDE, "ann", note="laser study kept by hand")])
        counts = screen_records(store, PROTOCOL)
        assert counts == {"title_abstract.exclude.E2": 1, "title_abstract.exclude.E3": 1,
                          "title_abstract.include": 3, "eligibility.include": 2,
                          "eligibility.exclude.NR": 1, "eligibility.exclude.E4": 1}
        final = store.final_decisions(TITLE_ABSTRACT)
        assert final[ids[1]].reviewer == "ann" and final[ids[1]].label == INCLUDE
        assert all(d.score is not None for d in store.decisions(TITLE_ABSTRACT, reviewer=PROTOCOL.screening.reviewer))
        assert screen_records(store, PROTOCOL) == {}
