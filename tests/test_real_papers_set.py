"""The real-paper development set (benchmarks/data/real_papers.toml) and the scoring that reads it.

The set holds facts and our labels, never an abstract: these tests check its ids against the
taxonomy, its size, its fixed split, that no field is long enough to carry an abstract's text,
and that the benchmark's scores count what they claim on composed predictions.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, Record
from tests.bench_helpers import bench_module

real_set = bench_module("real_set")
real_labels = bench_module("real_labels")
PAPERS = real_set.load_papers()


def test_the_set_is_valid_against_the_taxonomy() -> None:
    taxonomy = load_protocol("exosome-aesthetics").taxonomy
    known = {facet: set(taxonomy.classes(facet)) for facet in real_set.SET_FACETS}
    assert real_set.problems(PAPERS, known) == []
    assert set(real_set.DESIGNS) == set(taxonomy.classes("design"))  # "other" is a class since it has cues


def test_the_set_is_as_large_as_the_issue_asks() -> None:
    in_window = [p for p in PAPERS if p.group == "exosome" and 2014 <= p.year <= 2024]
    negatives = [p for p in PAPERS if not p.include]
    assert len(in_window) >= 150 and len(negatives) >= 40
    assert {p.exclude_reason for p in negatives} >= {"no_ev", "no_indication", "ev_marker", "out_of_window"}
    designs = {p.design for p in in_window}
    assert designs >= {"rct", "nonrandomized_trial", "case_series", "case_report", "animal",
                       "in_vitro", "ex_vivo", "narrative_review", "systematic_review", "meta_analysis"}
    test = [p for p in PAPERS if p.split == "test"]
    assert 0.3 * len(PAPERS) <= len(test) <= 0.5 * len(PAPERS)


def test_no_field_could_hold_an_abstract() -> None:
    for paper in PAPERS:
        assert paper.pmid or paper.doi, paper.key
        assert len(paper.title) <= 300 and len(paper.note) <= 600, paper.key


def test_the_split_is_fixed_by_the_key() -> None:
    assert real_set.split_of("pmid-1") == real_set.split_of("pmid-1")
    assert all(p.split == real_set.split_of(p.key) for p in PAPERS)


def test_problems_name_the_paper_and_the_fault() -> None:
    good = PAPERS[0]
    broken = [good, real_set.Paper(**{**{f: getattr(good, f) for f in good.__slots__}, "design": "cohort",
                                      "key": "pmid-0", "pmid": "0", "doi": "", "title": "Another"})]
    found = real_set.problems(broken, {f: set() for f in real_set.SET_FACETS})
    assert any(p.startswith("pmid-0: design 'cohort'") for p in found)


def test_texts_are_read_as_title_abstract_and_keywords(tmp_path: Path) -> None:
    paper = PAPERS[0]
    (tmp_path / f"{paper.key}.txt").write_text("A composed title\n\nBackground: one. Results: two.\n"
                                               "Keywords: exosome; skin\n", encoding="utf-8")
    record = real_set.read_text(tmp_path, paper)
    assert (record.title, record.abstract_text, record.keywords) == (
        "A composed title", "Background: one. Results: two.", ["exosome", "skin"])
    assert record.year == paper.year and record.pmid == paper.pmid
    assert real_set.read_text(tmp_path / "missing", paper) is None


def test_scores_count_what_they_claim() -> None:
    score = real_set.SetScore()
    score.add(frozenset({"a", "b"}), frozenset({"b", "c"}))
    score.add(frozenset(), frozenset())
    assert score.as_dict() == {"micro_f1": 0.5, "precision": 0.5, "recall": 0.5, "exact": 0.5, "papers": 2,
                               "tp": 1, "fp": 1, "fn": 1}
    accuracy = real_set.Accuracy()
    accuracy.add("rct", "rct")
    accuracy.add("rct", "animal")
    assert accuracy.as_dict() == {"accuracy": 0.5, "papers": 2, "misses": {"rct->animal": 1}}


def test_the_benchmark_scores_a_prediction_of_the_real_pipeline() -> None:
    paper = next(p for p in PAPERS if p.group == "exosome" and p.design == "animal")
    record = Record(title=paper.title, abstract=[AbstractSection(
        "Mice with excisional wounds received topical exosomes; no adverse events occurred.")])
    prediction = real_set.StudyPredictor().predict(record)
    assert prediction.design == "animal" and prediction.safety == "no_adverse_events"
    assert "Mice with excisional wounds" in prediction.why("subjects", "animal")
    scores = real_labels.score([paper], {paper.key: prediction})
    assert scores["design"]["accuracy"] == 1.0
    assert scores["inclusion"]["papers"] == 1


@pytest.mark.parametrize(("labels", "expected"), [
    ({"adverse_events_reported", "no_adverse_events"}, "adverse_events_reported"),
    ({"serious_adverse_event", "adverse_events_reported"}, "serious_adverse_event"),
    (set(), "not_reported"),
])
def test_one_safety_finding_per_study(labels: set[str], expected: str) -> None:
    from exoreview.results import Evidence, Label
    found = [Label(0, "safety", v, Evidence("s", 0, 1, "abstract", "m")) for v in labels]
    assert real_set.safety_finding(found) == expected


def test_texts_are_gathered_from_an_eutils_service_by_pmid_or_doi(tmp_path: Path) -> None:
    from exoreview.eutils.server import EutilsService, RunningService
    from exoreview.records import PubDate
    from tests.eutils_helpers import fast_client

    fetch = bench_module("fetch_real_texts")
    composed = [Record(pmid="91000001", title="Composed exosome study one", pub_date=PubDate(2020),
                       abstract=[AbstractSection("Mice were treated.", "METHODS")], keywords=["exosome"]),
                Record(pmid="91000002", doi="10.9999/found.by.doi", title="Composed exosome study two",
                       pub_date=PubDate(2021), abstract=[AbstractSection("Cells were treated.")])]
    papers = [real_set.Paper("pmid-91000001", "one", 2020, "exosome", True, "animal", "not_reported", {},
                             pmid="91000001"),
              real_set.Paper("doi-10_9999_found_by_doi", "two", 2021, "exosome", True, "in_vitro", "not_reported",
                             {}, doi="10.9999/found.by.doi"),
              real_set.Paper("doi-10_9999_absent", "three", 2021, "exosome", True, "in_vitro", "not_reported", {},
                             doi="10.9999/absent")]
    with RunningService(EutilsService(composed)) as server:
        client, _ = fast_client(server.base_url)
        try:
            missing = fetch.gather(tmp_path, papers, client)
        finally:
            client.close()
    assert missing == ["doi-10_9999_absent"]
    assert (tmp_path / "pmid-91000001.txt").read_text(encoding="utf-8") == (
        "Composed exosome study one\n\nMETHODS: Mice were treated.\nKeywords: exosome\n")
    assert real_set.read_text(tmp_path, papers[1]).abstract_text == "Cells were treated."


def test_the_second_reader_covers_every_paper_and_each_decision_is_in_the_set() -> None:
    agreement = bench_module("reader_agreement")
    second = tomllib.loads(agreement.SECOND.read_text(encoding="utf-8"))
    papers = {p["key"]: p for p in tomllib.loads(real_set.PAPERS.read_text(encoding="utf-8"))["paper"]}
    assert {p["key"] for p in second["paper"]} == set(papers)
    for row in second["adjudicated"]:
        assert row["first"] != row["second"], row
        assert papers[row["key"]][row["facet"]] == row["decided"], row
    facets = agreement.agreement("all")["facets"]
    # The ceiling the classifier is measured under: two readers agree far above any target.
    assert facets["design"]["kappa"] >= 0.9 and facets["ev_source"]["micro_f1"] >= 0.9


def test_agreement_counts_what_it_claims() -> None:
    agreement = bench_module("reader_agreement")
    assert agreement.kappa([("a", "a"), ("b", "b")]) == (1.0, 1.0)
    raw, kappa = agreement.kappa([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")])
    assert raw == 0.5 and kappa == 0.0  # agreement no better than chance
    assert agreement.set_agreement([({"x", "y"}, {"x"}), (set(), set())]) == (2 / 3, 0.5)


def test_fingerprints_tell_which_texts_differ_from_the_measured_gather(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A title\n\nOne  abstract,\nas gathered.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("B title\n\nCut short", encoding="utf-8")
    (tmp_path / "c.txt").write_text("C title\n\nNever measured.", encoding="utf-8")
    mark = real_set.text_fingerprint(tmp_path, "a")
    assert mark is not None and mark["words"] == 6
    known = {"a": real_set.text_fingerprint(tmp_path, "a"), "b": {"sha256": "0" * 64, "words": 9},
             "d": {"sha256": "1" * 64, "words": 4}}
    (tmp_path / "a.txt").write_text("A title\n\nOne abstract, as gathered.", encoding="utf-8")  # spacing only
    assert real_set.compare_texts(tmp_path, ["a", "b", "c", "d"], known) == {
        "same": ["a"], "differ": ["b"], "new": ["c"], "missing": ["d"]}


def test_the_committed_fingerprints_are_facts_not_text() -> None:
    data = json.loads(real_set.FINGERPRINTS.read_text(encoding="utf-8"))
    keys = {p.key for p in PAPERS}
    assert set(data["texts"]) <= keys and len(data["texts"]) >= 0.9 * len(keys)
    assert all(set(mark) == {"sha256", "words"} and len(mark["sha256"]) == 64 for mark in data["texts"].values())
