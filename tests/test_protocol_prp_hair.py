"""The second built-in protocol, `prp-hair`, end to end: a review on another topic (platelet-rich
plasma for hair loss) searched through the real local E-utilities service, screened, labelled by its
own taxonomy's facets and reported by its own layout, with no code of its own.

Every record is ours: titles and abstracts written for this test."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from exoreview.cli.app import main
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.protocol import ProtocolError, builtin_names, load_protocol
from exoreview.protocol.loader import parse_protocol
from exoreview.records import AbstractSection, PubDate, Record
from exoreview.results import INCLUDE, TITLE_ABSTRACT
from exoreview.store import Store

# (pmid, year, title, abstract): what PubMed would hold for the query, in our own words.
PUBMED = [
    ("91000001", 2021, "Double-spin platelet-rich plasma versus saline for androgenetic alopecia: a randomized trial",
     "Forty men with androgenetic alopecia were randomized to double-spin PRP or saline. PRP was injected "
     "intradermally every month for three months. Hair density was measured by phototrichogram. Hair density "
     "improved significantly with PRP. No serious adverse events occurred."),
    ("91000002", 2019, "Single-spin PRP in alopecia areata: a case series",
     "We describe a case series of 12 patients with alopecia areata treated with single-spin PRP injected "
     "intralesionally. Regrowth improved in most patients, and no adverse events were observed."),
    ("91000003", 2022, "Activated platelet-rich plasma with microneedling versus minoxidil in female pattern hair loss",
     "In this prospective study, 30 women with female pattern hair loss received calcium chloride-activated PRP "
     "with microneedling, and 30 used topical minoxidil. Hair shaft thickness increased more with PRP."),
    ("91000004", 2020, "Platelet-rich plasma injections for knee osteoarthritis and hair density of the knee",
     "Sixty patients with knee osteoarthritis were randomized to PRP or hyaluronic acid. Pain improved."),
    ("91000005", 2023, "Platelet-rich plasma for hair loss: a systematic review and meta-analysis",
     "We searched PubMed, Embase and Cochrane for trials of PRP in androgenetic alopecia. Eleven studies were "
     "included. Pooled analysis showed higher hair density with PRP than with placebo."),
]

# A hand-searched file: one more trial, and a minoxidil study with no plasma in it.
HAND_SEARCH = """TY  - JOUR
TI  - Leukocyte-poor PRP for telogen effluvium: a pilot study
AB  - In this pilot study, 15 women with telogen effluvium received leukocyte-poor PRP injections. \
The hair pull test became negative in 11.
PY  - 2018
ER  -
TY  - JOUR
TI  - Minoxidil foam for androgenetic alopecia
AB  - A randomized trial of minoxidil foam in 80 men with androgenetic alopecia. Hair counts improved.
PY  - 2018
ER  -
"""


def _record(pmid: str, year: int, title: str, abstract: str) -> Record:
    return Record(pmid=pmid, title=title, abstract=[AbstractSection(abstract)], pub_date=PubDate(year, 5, 1),
                  languages=["eng"])


@pytest.fixture(scope="module")
def prp_review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("prp-hair")
    review = root / "review"
    assert main(["init", str(review), "--protocol", "prp-hair"]) == 0
    (root / "hand-search.ris").write_text(HAND_SEARCH, encoding="utf-8")
    with RunningService(EutilsService([_record(*row) for row in PUBMED])) as server:
        code = main(["run", str(review), "--base-url", server.base_url, "--attempts", "1",
                     "--import", str(root / "hand-search.ris")])
    assert code == 0
    return review


def test_prp_hair_is_a_built_in_protocol_with_a_taxonomy_of_its_own() -> None:
    assert "prp-hair" in builtin_names()
    protocol = load_protocol("prp-hair")
    facets = protocol.taxonomy.facets
    assert {"condition", "preparation", "comparator", "outcome_measure"} <= set(facets)
    # The study-design vocabulary is lent by the exosome taxonomy, not copied; the vesicle facets are not.
    assert facets["design"] == load_protocol("exosome-aesthetics").taxonomy.facets["design"]
    assert not {"ev_source", "isolation", "characterization", "indication"} & set(facets)
    assert protocol.taxonomy.scope["safety"] == "study"
    assert protocol.taxonomy.report.group_by == "condition" and not protocol.taxonomy.report.appraisal


def test_search_and_screening_follow_the_protocol(prp_review: Path) -> None:
    with Store.open(prp_review / "review.sqlite") as store:
        assert 'AND 2010/01/01:2024/12/31[dp]' in store.searches()[0]["query"]
        titles = {store.record(i).title: d for i, d in store.final_decisions(TITLE_ABSTRACT).items()}
    included = sorted(t for t, d in titles.items() if d.label == INCLUDE)
    assert included == sorted([PUBMED[0][2], PUBMED[1][2], PUBMED[2][2], PUBMED[4][2],
                               "Leukocyte-poor PRP for telogen effluvium: a pilot study"])
    assert titles["Minoxidil foam for androgenetic alopecia"].reason_id == "E1"  # no plasma
    assert titles[PUBMED[3][2]].reason_id == "E2"  # a knee, not hair loss


def test_labels_come_from_the_topic_facets_with_their_sentences(prp_review: Path) -> None:
    with Store.open(prp_review / "review.sqlite") as store:
        record = store.find_record(pmid="91000003")
        labels = {(label.facet, label.value): label for label in store.labels(record)}
    assert {("condition", "female_pattern_hair_loss"), ("preparation", "activated"), ("delivery", "microneedling"),
            ("comparator", "minoxidil"), ("outcome_measure", "shaft_diameter"),
            ("design", "nonrandomized_trial"), ("subjects", "human")} <= set(labels)
    for label in labels.values():  # every label stands on a sentence of this record that names it
        assert label.evidence.sentence and label.evidence.match.lower() in label.evidence.sentence.lower(), label
    assert labels[("comparator", "minoxidil")].evidence.match == "minoxidil"
    # Minoxidil here is the comparator the other arm used, not a way the plasma was given.
    assert ("delivery", "topical") not in labels


def test_the_report_is_laid_out_by_condition_and_preparation(prp_review: Path) -> None:
    report = (prp_review / "report.md").read_text(encoding="utf-8")
    assert "## Included studies by condition" in report
    assert '<a id="condition-androgenetic_alopecia"></a>Androgenetic alopecia' in report
    assert re.search(r"Androgenetic alopecia \(2 studies\)", report)
    assert "Telogen effluvium (1 study)" in report and "Alopecia areata (1 study)" in report
    assert "![Evidence map: condition by PRP preparation]" in report
    assert "| Ref. | Study | Design | Participants | Preparation | Route | Comparator | Outcome | Safety |" in report
    assert "- **Comparators**: " in report
    for words in ("EV source", "MISEV", "vesicle", "Included studies by indication"):
        assert words not in report, words
    assert (prp_review / "report.html").exists() and (prp_review / "report.docx").exists()


def test_a_facet_lent_by_a_taxonomy_that_lacks_it_is_a_protocol_error() -> None:
    builtin = (resources.files("exoreview.protocol.builtin") / "prp-hair.toml").read_text(encoding="utf-8")
    text = builtin.replace('extends = "prp-hair"',
                           'extends = "prp-hair"\nfacets_from = { "exosome-aesthetics" = ["hair_colour"] }')
    with pytest.raises(ProtocolError, match="has no facet 'hair_colour'"):
        parse_protocol(text, "prp.toml")
