"""`exoreview labels` and `exoreview appraise`: labels and MISEV items with their sentences, text and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from exoreview.classify import field_text
from exoreview.cli.app import main
from exoreview.eutils.pmc import PmcArticles
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.records import AbstractSection, Record
from exoreview.results import ELIGIBILITY, INCLUDE, Decision
from exoreview.review import ReviewFolder, init_folder
from exoreview.stages.classify import classify_records
from exoreview.store import Store

COMPOSED = Path(__file__).parent / "data" / "appraise_jats_article.xml"
STUDY = Record(
    pmid="90000001", pmcid="PMC9000001", doi="10.9999/exoreview.test.1",
    title="Adipose-derived stem cell exosomes [ASC-Exos] for photoaged skin: a split-face trial",
    abstract=[
        AbstractSection("Exosomes were isolated by ultracentrifugation and showed CD63 by western blot.", "METHODS"),
        AbstractSection("Wrinkles improved and no adverse events occurred. Exosomes may prolong anagen.", "RESULTS"),
    ],
)


@pytest.fixture
def review(tmp_path: Path) -> Iterator[ReviewFolder]:
    folder = init_folder(tmp_path / "review")
    with Store.open(folder.store_file) as store:
        [record_id] = store.add_records([STUDY], source="test")
        store.add_decisions([Decision(record_id, ELIGIBILITY, INCLUDE, "test")])
        classify_records(store, [record_id], folder.protocol().taxonomy)
    yield folder


def test_labels_text_shows_each_label_and_misev_item_with_its_sentence(review: ReviewFolder,
                                                                        capsys: pytest.CaptureFixture) -> None:
    assert main(["labels", "90000001", "--dir", str(review.root)]) == 0
    shown = capsys.readouterr().out
    assert "[ASC-Exos]" in shown  # brackets in a title are text, not markup
    assert "split_face" in shown and "evidence_level=3" in shown
    assert "no_adverse_events" in shown and "no adverse events occurred" in shown
    assert "[hedged]" in shown  # "may prolong anagen"
    assert "EV reporting (exoreview-misev@1): score" in shown
    assert "separation_method (reported)" in shown and "label:isolation.differential_ultracentrifugation" in shown
    assert "negative_marker (not_reported)" in shown


def test_labels_json_gives_offsets_that_slice_back(review: ReviewFolder, capsys: pytest.CaptureFixture) -> None:
    assert main(["labels", "10.9999/exoreview.test.1", "--dir", str(review.root), "--json"]) == 0
    study = json.loads(capsys.readouterr().out)
    assert study["pmid"] == "90000001"
    facets = {(lab["facet"], lab["value"]) for lab in study["labels"]}
    assert {("ev_source", "adipose_msc"), ("isolation", "differential_ultracentrifugation"),
            ("design", "split_face"), ("outcome", "improved")} <= facets
    for label in study["labels"]:
        evidence = label["evidence"]
        if evidence["field"] in ("title", "abstract"):
            assert field_text(STUDY, evidence["field"])[evidence["start"]:evidence["end"]] == evidence["sentence"]
        if evidence["match"]:
            assert evidence["sentence"][evidence["match_start"]:evidence["match_end"]] == evidence["match"]
    appraisal = study["appraisal"]
    assert appraisal["instrument"] == "exoreview-misev@1" and 0 < appraisal["score"] < 1
    items = {item["id"]: item for item in appraisal["items"]}
    assert items["membrane_marker"]["rating"] == "reported"
    assert items["membrane_marker"]["evidence"]["match"] == "CD63"
    assert items["membrane_marker"]["text"].startswith("At least one membrane-bound")


def test_unknown_study_is_bad_input(review: ReviewFolder, capsys: pytest.CaptureFixture) -> None:
    assert main(["labels", "12345", "--dir", str(review.root)]) == 2
    assert "12345: no record" in capsys.readouterr().err


def test_appraise_reads_methods_from_pmc_over_http(review: ReviewFolder, capsys: pytest.CaptureFixture) -> None:
    service = EutilsService([])
    service.pmc = PmcArticles.from_files([COMPOSED])
    with RunningService(service) as server:
        code = main(["appraise", str(review.root), "--fulltext", "--base-url", server.base_url, "--attempts", "1"])
    assert code == 0
    assert "Methods read from 1 PMC articles" in capsys.readouterr().out
    with Store.open(review.store_file) as store:
        ratings = {r.item: r for r in store.appraisals(store.find_record(pmid="90000001"))}
    assert ratings["centrifugation_rotor"].evidence.field_name == "fulltext_methods"
    assert ratings["negative_marker"].rating == "reported"
