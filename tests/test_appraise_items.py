"""The EV reporting checklist: its items, how each is rated, applicability, the score, the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from exoreview.appraise import Appraiser, InstrumentError, load_instrument, score_of
from exoreview.classify import RuleClassifier, field_text
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, Record
from exoreview.results import NOT_APPLICABLE, NOT_REPORTED, REPORTED, SCORE_ITEM, Rating
from exoreview.stages.classify import classify_records
from exoreview.store.database import Store

ITEMS = [
    "source_named", "source_conditions", "separation_method", "separation_parameters", "centrifugation_rotor",
    "particle_quantification", "protein_quantification", "purity_ratio", "membrane_marker", "cytosolic_marker",
    "negative_marker", "single_vesicle_imaging", "size_reported", "generic_nomenclature", "storage_conditions",
    "dose_reported", "functional_controls", "data_shared",
]


@pytest.fixture(scope="module")
def classifier() -> RuleClassifier:
    return RuleClassifier(load_protocol("exosome-aesthetics").taxonomy)


@pytest.fixture(scope="module")
def appraiser(classifier: RuleClassifier) -> Appraiser:
    return Appraiser(classifier=classifier)


def rate(appraiser: Appraiser, classifier: RuleClassifier, abstract: str, title: str = "",
         methods: str = "") -> dict[str, Rating]:
    record = Record(title=title, abstract=[AbstractSection(abstract)])
    ratings = appraiser.appraise(record, classifier.classify(record, 5), 5, methods)
    return {r.item: r for r in ratings}


# -- the instrument --------------------------------------------------------------------------------------


def test_builtin_instrument_is_versioned_and_lists_every_item() -> None:
    instrument = load_instrument()
    assert instrument.name == "exoreview-misev@1"
    assert [item.id for item in instrument.items] == ITEMS
    for item in instrument.items:
        assert item.text and item.reported_if and item.since == "1"
        assert set(item.basis) <= {"MISEV2018", "MISEV2023", "EV-METRIC"} and item.basis


def test_item_labels_name_taxonomy_classes() -> None:
    taxonomy = load_protocol("exosome-aesthetics").taxonomy
    known = {f"{facet}.{value}" for facet, classes in taxonomy.facets.items() for value in classes} | {"dose.stated"}
    for item in load_instrument().items:
        for wanted in item.labels:
            assert wanted.endswith(".*") or wanted in known, (item.id, wanted)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[item]]\nid = "a"\ntext = "t"\nreported_if = "r"\npatterns = ["(unclosed"]\n', "item 'a', field patterns"),
        ('[[item]]\nid = "a"\ntext = "t"\nreported_if = "r"\npatterns = ["x"]\napplies = "always"\n',
         "item 'a', field applies"),
        ('[[item]]\nid = "a"\ntext = "t"\nreported_if = "r"\n', "neither labels nor patterns"),
        ('[[item]]\nid = "score"\ntext = "t"\nreported_if = "r"\npatterns = ["x"]\n', "reserved"),
    ],
)
def test_bad_instrument_file_names_item_and_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "checklist.toml"
    path.write_text('id = "mine"\nversion = "2"\ntitle = "Mine"\n\n' + body, encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"checklist\.toml") as error:
        load_instrument(path)
    assert message in str(error.value)


# -- rating items from composed sentences ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "reported", "near_miss"),
    [
        ("separation_method", "Exosomes were separated by size-exclusion chromatography.",
         "Exosomes were added to the cells."),
        ("separation_parameters", "Exosomes were pelleted at 110,000 × g for 2 h.",
         "Exosomes were pelleted by ultracentrifugation."),
        ("particle_quantification", "Exosome numbers were measured by NTA.",
         "Exosome numbers were not measured by NTA."),
        ("protein_quantification", "Exosomal protein concentration was read by BCA assay.",
         "Exosomes were taken up by fibroblasts."),
        ("membrane_marker", "The exosomes carried CD63 and CD81.", "The exosomes carried TSG101."),
        ("cytosolic_marker", "The exosomes carried TSG101.", "The exosomes carried CD63 and CD81."),
        ("negative_marker", "Calnexin was absent from the exosome lysate.", "Exosome lysates carried CD9."),
        ("single_vesicle_imaging", "Exosomes appeared cup-shaped by transmission electron microscopy.",
         "Exosomes were imaged by scanning electron microscopy."),
        ("size_reported", "The exosomes had a mean diameter of 118 nm.", "The exosomes were 118 days old."),
        ("generic_nomenclature", "Small extracellular vesicles improved wound closure.",
         "Exosomes improved wound closure."),
        ("storage_conditions", "Exosomes were stored at -80 °C for up to a month.",
         "Exosomes were used fresh."),
        ("dose_reported", "Mice received 100 µg of exosomes.", "Mice received exosomes."),
        ("functional_controls", "Exosome-treated wounds closed faster than the PBS group.",
         "Exosome-treated wounds closed fast."),
        ("data_shared", "Exosome methods were submitted to EV-TRACK.", "Exosome methods were described in detail."),
    ],
)
def test_item_reported_and_its_near_miss(appraiser: Appraiser, classifier: RuleClassifier, item: str,
                                         reported: str, near_miss: str) -> None:
    hit = rate(appraiser, classifier, reported)[item]
    assert hit.rating == REPORTED, reported
    assert hit.evidence is not None and hit.evidence.sentence == reported and hit.evidence.match
    assert rate(appraiser, classifier, near_miss)[item].rating == NOT_REPORTED, near_miss


def test_evidence_says_which_rule_found_it(appraiser: Appraiser, classifier: RuleClassifier) -> None:
    ratings = rate(appraiser, classifier, "Adipose-derived stem cell exosomes were pelleted at 100,000 × g for 70 min.")
    assert ratings["separation_method"].evidence.method == "label:isolation.differential_ultracentrifugation"
    assert ratings["separation_parameters"].evidence.method == "pattern:separation_parameters"
    assert ratings["source_named"].evidence.method == "label:ev_source.adipose_msc"


# -- applicability and the score ---------------------------------------------------------------------------


def test_rotor_applies_only_to_ultracentrifugation(appraiser: Appraiser, classifier: RuleClassifier) -> None:
    sec = rate(appraiser, classifier, "Exosomes were separated by size-exclusion chromatography.")
    assert sec["centrifugation_rotor"].rating == NOT_APPLICABLE
    assert "ultracentrifugation" in sec["centrifugation_rotor"].detail
    uc = rate(appraiser, classifier, "Exosomes were separated by ultracentrifugation.")
    assert uc["centrifugation_rotor"].rating == NOT_REPORTED


def test_culture_conditions_apply_to_cell_sources_only(appraiser: Appraiser, classifier: RuleClassifier) -> None:
    plant = rate(appraiser, classifier, "Ginseng-derived exosomes lightened the skin.")
    assert plant["source_conditions"].rating == NOT_APPLICABLE
    cells = rate(appraiser, classifier, "Exosomes from bone marrow MSCs grown in serum-free medium helped wounds.")
    assert cells["source_conditions"].rating == REPORTED


def test_score_is_the_fraction_of_applicable_items_reported(appraiser: Appraiser,
                                                           classifier: RuleClassifier) -> None:
    ratings = list(rate(appraiser, classifier, "Exosomes from bone marrow MSCs were separated by ultracentrifugation "
                                               "and counted by NTA.").values())
    items = [r for r in ratings if r.item != SCORE_ITEM]
    applicable = [r for r in items if r.rating != NOT_APPLICABLE]
    reported = [r for r in applicable if r.rating == REPORTED]
    assert [r.item for r in reported] == ["source_named", "separation_method", "particle_quantification"]
    assert score_of(ratings) == pytest.approx(round(len(reported) / len(applicable), 3))
    assert ratings[-1].detail == f"{len(reported)} of {len(applicable)} applicable items reported"


@pytest.mark.parametrize(
    ("title", "abstract", "reason"),
    [
        ("Exosomes in aesthetic dermatology: a narrative review", "This review summarizes exosome trials.",
         "narrative review"),
        ("Hyaluronic acid fillers for the lips", "Thirty women received a filler.", "not an EV study"),
        # a source of vesicles named, but the study is of the cells themselves
        ("Bone marrow stromal cells for ageing skin", "Bone marrow mesenchymal stem cells were injected.",
         "not an EV study"),
    ],
)
def test_reviews_and_non_ev_studies_get_no_items(appraiser: Appraiser, classifier: RuleClassifier, title: str,
                                                 abstract: str, reason: str) -> None:
    ratings = rate(appraiser, classifier, abstract, title=title)
    assert list(ratings) == [SCORE_ITEM]
    assert ratings[SCORE_ITEM].rating == NOT_APPLICABLE and reason in ratings[SCORE_ITEM].detail
    assert score_of(list(ratings.values())) is None


def test_methods_text_adds_evidence_from_the_full_text(appraiser: Appraiser, classifier: RuleClassifier) -> None:
    abstract_only = rate(appraiser, classifier, "Exosomes from adipose-derived stem cells reduced wrinkles.")
    methods = "Vesicles were pelleted at 100,000 × g for 70 min. Calnexin was not detected."
    with_methods = rate(appraiser, classifier, "Exosomes from adipose-derived stem cells reduced wrinkles.",
                        methods=methods)
    assert abstract_only["negative_marker"].rating == NOT_REPORTED
    evidence = with_methods["negative_marker"].evidence
    assert with_methods["negative_marker"].rating == REPORTED
    assert evidence.field_name == "fulltext_methods" and methods[evidence.start:evidence.end] == evidence.sentence
    assert score_of(list(with_methods.values())) > score_of(list(abstract_only.values()))


# -- the store ---------------------------------------------------------------------------------------------


def test_classify_records_stores_appraisals_beside_labels(tmp_path: Path) -> None:
    records = [
        Record(pmid="101", title="Umbilical cord MSC exosomes for acne scars",
               abstract=[AbstractSection("Exosomes were isolated by ultracentrifugation at 100,000 × g for 70 min "
                                         "and showed CD63 by western blot.", "METHODS"),
                         AbstractSection("Scars improved.", "RESULTS")]),
        Record(pmid="102", title="Exosomes in dermatology: a systematic review",
               abstract=[AbstractSection("We systematically searched four databases.")]),
    ]
    taxonomy = load_protocol("exosome-aesthetics").taxonomy
    with Store.open(tmp_path / "review.sqlite") as store:
        ids = store.add_records(records, source="test")
        run_id = store.start_run("classify")
        classify_records(store, ids, taxonomy, run_id=run_id)
        first = store.appraisals(ids[0])
        assert [r.item for r in first] == [*ITEMS, SCORE_ITEM]
        assert {r.instrument for r in first} == {"exoreview-misev@1"}
        for rating in first:
            if rating.rating == REPORTED:
                evidence = rating.evidence
                assert field_text(records[0], evidence.field_name)[evidence.start:evidence.end] == evidence.sentence
                assert evidence.match in evidence.sentence
        assert 0 < score_of(first) < 1
        second = store.appraisals(ids[1])
        assert [(r.item, r.rating) for r in second] == [(SCORE_ITEM, NOT_APPLICABLE)]
        classify_records(store, ids, taxonomy)  # again: replaced, not appended
        assert len(store.appraisals(ids[0])) == len(first)
        assert "appraised against exoreview-misev@1" in " ".join(r["message"] for r in store.run_log(run_id))


# -- real records ----------------------------------------------------------------------------------------


def test_real_medline_records_label_and_appraise_consistently(appraiser: Appraiser, classifier: RuleClassifier,
                                                             shared: object) -> None:
    """605 real MEDLINE records: every evidence slices back out of its field; only EV studies get scored."""
    import gzip
    import re

    from exoreview.formats.pubmed import iter_pubmed_xml

    path = shared("fixtures", "pubmed_xml", "medline16n0902.xml.gz")  # type: ignore[operator]
    with gzip.open(path) as compressed:
        records = list(iter_pubmed_xml(compressed.read()))
    assert len(records) > 600
    vesicles = re.compile(r"exosom|extracellular vesicle|nanovesicle|microvesicle", re.IGNORECASE)
    scored = designs = 0
    for record in records:
        labels = classifier.classify(record, 1)
        designs += sum(lab.facet == "design" for lab in labels) == 1
        ratings = appraiser.appraise(record, labels, 1)
        for item in [*labels, *(r for r in ratings if r.evidence is not None)]:
            evidence = item.evidence
            assert field_text(record, evidence.field_name)[evidence.start:evidence.end] == evidence.sentence
            assert evidence.match in evidence.sentence
        assert ratings[-1].item == SCORE_ITEM
        if score_of(ratings) is not None:
            scored += 1
            assert vesicles.search(record.title + record.abstract_text), record.pmid
    assert designs == sum(bool(r.title or r.abstract_text) for r in records)  # one design each, "other" included
    assert scored <= sum(bool(vesicles.search(r.title + r.abstract_text)) for r in records)
