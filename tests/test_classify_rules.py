"""The rule-based classifier: taxonomy, per-class sentences, cues, evidence, design, details, stage."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from exoreview.classify import RuleClassifier, field_text, find_doses, is_hedged, is_negated
from exoreview.classify.cues import clause_spans
from exoreview.protocol import ProtocolError, Taxonomy, TaxonomyClass, load_protocol
from exoreview.records import AbstractSection, MeshHeading, PublicationType, Record
from exoreview.results import Label
from exoreview.stages.classify import classify_records
from exoreview.store.database import Store
from tests.conftest import shared_path

SUITE = tomllib.loads((Path(__file__).parent / "data" / "classify_sentences.toml").read_text(encoding="utf-8"))

EXPECTED_CLASSES = {
    "indication": "skin_rejuvenation hair_loss pigmentation scars wound_healing inflammatory_skin post_procedure",
    "ev_source": "adipose_msc bone_marrow_msc umbilical_cord_msc wharton_jelly_msc placenta amnion ipsc keratinocyte "
    "fibroblast dermal_papilla melanocyte platelet_prp plasma_serum plant milk bacteria engineered "
    "synthetic_mimetic msc_unspecified",
    "isolation": "differential_ultracentrifugation density_gradient size_exclusion_chromatography "
    "polymer_precipitation ultrafiltration tangential_flow_filtration immunoaffinity microfluidics af4",
    "characterization": "nta dls trps tem_cryoem nano_flow flow_cytometry single_vesicle western_blot"
    " positive_cd9 positive_cd63 positive_cd81 "
    "positive_tsg101 positive_alix positive_hsp70 positive_flotillin negative_calnexin negative_gm130 "
    "negative_apoa1 protein_quantification particle_protein_ratio",
    "design": "in_vitro ex_vivo animal case_report case_series nonrandomized_trial split_face rct narrative_review "
    "systematic_review meta_analysis",
    "subjects": "human animal in_vitro ex_vivo",
    "species": "mouse rat pig rabbit guinea_pig",
    "mechanism": "collagen_elastin fibroblast_proliferation_migration mmp_timp tgfb_smad pi3k_akt erk_mapk "
    "wnt_beta_catenin anagen_prolongation angiogenesis_vegf antioxidant_ros anti_inflammatory "
    "melanogenesis_inhibition microrna_cargo",
    "delivery": "topical microneedling fractional_laser intradermal_injection hydrogel_scaffold subcutaneous "
    "intravenous",
    "safety": "adverse_events_reported no_adverse_events serious_adverse_event",
}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_protocol("exosome-aesthetics").taxonomy


@pytest.fixture(scope="module")
def classifier(taxonomy: Taxonomy) -> RuleClassifier:
    return RuleClassifier(taxonomy)


def one_sentence(text: str, **fields: object) -> Record:
    return Record(abstract=[AbstractSection(text)], **fields)  # type: ignore[arg-type]


def labels_of(classifier: RuleClassifier, record: Record) -> dict[tuple[str, str], Label]:
    labels = classifier.classify(record, 7)
    keys = [(lab.facet, lab.value) for lab in labels]
    assert len(keys) == len(set(keys)), "one label per (facet, class)"
    return dict(zip(keys, labels, strict=True))


def affirmed(classifier: RuleClassifier, text: str, facet: str) -> set[str]:
    return {v for (f, v), lab in labels_of(classifier, one_sentence(text)).items() if f == facet and not lab.negated}


# -- the built-in taxonomy ----------------------------------------------------------------------------


def test_builtin_protocol_has_every_facet_and_class(taxonomy: Taxonomy) -> None:
    for facet, classes in EXPECTED_CLASSES.items():
        assert set(classes.split()) <= set(taxonomy.classes(facet)), facet
    for facet, classes in taxonomy.facets.items():
        for class_id, spec in classes.items():
            # A laboratory design is read from what was studied: its evidence is the subjects facet's.
            lab_design = facet == "design" and class_id in ("animal", "ex_vivo", "in_vitro")
            assert spec.label and (spec.patterns or lab_design), f"{facet}.{class_id}"
            assert not lab_design or taxonomy.classes("subjects")[class_id].patterns, class_id
            for pattern in spec.patterns:
                re.compile(pattern, re.IGNORECASE)


def test_design_classes_carry_evidence_levels_in_order(taxonomy: Taxonomy) -> None:
    levels = {cid: spec.evidence_level for cid, spec in taxonomy.classes("design").items()}
    # Letters, editorials and bibliometric studies ("other") report no evidence of their own: no level.
    assert levels.pop("other") is None
    assert all(level is not None and 1 <= level <= 7 for level in levels.values())
    assert levels["meta_analysis"] == levels["systematic_review"] == 1
    assert levels["rct"] < levels["nonrandomized_trial"] < levels["case_series"] < levels["case_report"]
    assert levels["case_report"] < levels["animal"] < levels["in_vitro"] == 7


def test_mesh_uis_exist_in_the_2017_tree(taxonomy: Taxonomy) -> None:
    tree = shared_path("data", "mesh", "2017MeshTree.tsv").read_text(encoding="utf-8-sig")
    known = {line.split("\t")[1] for line in tree.splitlines()[1:] if line.count("\t") >= 2}
    used = {ui for classes in taxonomy.facets.values() for spec in classes.values() for ui in spec.mesh}
    assert used and used <= known, sorted(used - known)


def test_invalid_pattern_names_facet_class_and_pattern() -> None:
    with pytest.raises(ValidationError, match=r"'\(alopecia' is not a regular expression"):
        TaxonomyClass(label="Hair", patterns=["(alopecia"])  # refused as the protocol loads
    # A taxonomy built in code without validation still fails with the facet, class and pattern named.
    unchecked = TaxonomyClass.model_construct(label="Hair", patterns=["(alopecia"], weak_patterns=[], yields_to=[],
                                              implies=[], mesh=[], publication_types=[], modifier=False)
    broken = Taxonomy(facets={"indication": {"hair_loss": unchecked}})
    with pytest.raises(ProtocolError, match=r"indication.*hair_loss.*\(alopecia"):
        RuleClassifier(broken)


def test_implies_must_name_a_sibling_class() -> None:
    broken = Taxonomy(facets={"safety": {
        "serious": TaxonomyClass(label="Serious", patterns=[r"\bserious\b"], implies=["reported"])}})
    with pytest.raises(ProtocolError, match=r"safety.*serious.*implies 'reported'"):
        RuleClassifier(broken)


def test_a_serious_adverse_event_is_also_an_adverse_event_on_its_sentence(taxonomy: Taxonomy) -> None:
    classifier = RuleClassifier(taxonomy)
    record = Record(abstract=[AbstractSection("Exosome injections softened the keloid. "
                                              "One participant had a severe allergic reaction.")])
    safety = {lab.value: lab for lab in classifier.classify(record) if lab.facet == "safety"}
    assert set(safety) == {"serious_adverse_event", "adverse_events_reported"}
    implied, serious = safety["adverse_events_reported"].evidence, safety["serious_adverse_event"].evidence
    assert implied.method == "implied:safety.serious_adverse_event"
    assert (implied.sentence, implied.start, implied.match) == (serious.sentence, serious.start, serious.match)
    # Denied, it implies nothing: "no serious adverse events" is a finding of its own.
    denied = Record(abstract=[AbstractSection("No serious adverse events occurred.")])
    assert [lab.value for lab in classifier.classify(denied) if lab.facet == "safety"] == ["no_adverse_events"]


# -- the composed sentence suite: positives and hard negatives for every class --------------------------

POSITIVES = [(f, c, s) for f, cs in SUITE.items() for c, d in cs.items() for s in d.get("positive", [])]
NEGATIVES = [(f, c, s) for f, cs in SUITE.items() for c, d in cs.items() for s in d.get("negative", [])]


def test_suite_covers_every_class(taxonomy: Taxonomy) -> None:
    for facet, classes in EXPECTED_CLASSES.items():
        for class_id in classes.split():
            assert SUITE[facet][class_id]["positive"], f"{facet}.{class_id}"


@pytest.mark.parametrize(("facet", "class_id", "sentence"), POSITIVES)
def test_positive_sentence_gets_its_class(classifier: RuleClassifier, facet: str, class_id: str, sentence: str) -> None:
    record = one_sentence(sentence)
    label = labels_of(classifier, record).get((facet, class_id))
    assert label is not None and not label.negated, sentence
    text = field_text(record, label.evidence.field_name)
    assert text[label.evidence.start : label.evidence.end] == label.evidence.sentence
    assert label.evidence.match in label.evidence.sentence


@pytest.mark.parametrize(("facet", "class_id", "sentence"), NEGATIVES)
def test_hard_negative_does_not_get_the_class(classifier: RuleClassifier, facet: str, class_id: str,
                                              sentence: str) -> None:
    assert class_id not in affirmed(classifier, sentence, facet)


def test_index_finds_exactly_what_plain_matching_finds(classifier: RuleClassifier) -> None:
    """The word-start index only skips work: hits equal running every pattern on every sentence."""
    for _, _, sentence in POSITIVES + NEGATIVES:
        naive = sorted((r.facet, r.value, m.start(), m.end()) for r in classifier._rules
                       for m in r.pattern.finditer(sentence) if m.end() > m.start())
        indexed = sorted((h.rule.facet, h.rule.value, h.start, h.end) for h in classifier._hits(sentence))
        assert indexed == naive, sentence


# -- negation, hedging, evidence --------------------------------------------------------------------------


def test_no_adverse_events_is_safety_positive_never_adverse_events_reported(classifier: RuleClassifier) -> None:
    labels = labels_of(classifier, one_sentence("No adverse events were reported during follow-up."))
    assert not labels[("safety", "no_adverse_events")].negated
    assert ("safety", "adverse_events_reported") not in labels


def test_negation_stays_in_its_clause(classifier: RuleClassifier) -> None:
    labels = labels_of(classifier, one_sentence("No serious adverse events occurred and wrinkles improved."))
    assert not labels[("indication", "skin_rejuvenation")].negated
    assert ("safety", "serious_adverse_event") not in labels
    assert labels[("outcome", "improved")].evidence.match == "improved"


def test_only_negated_evidence_is_kept_as_negated(classifier: RuleClassifier) -> None:
    labels = labels_of(classifier, one_sentence("The vesicles did not improve melasma; no adverse events occurred."))
    # A condition that did not improve is still the one studied; the outcome carries the negation.
    assert not labels[("indication", "pigmentation")].negated
    assert labels[("outcome", "no_change")].evidence.match == "did not improve"
    assert ("outcome", "improved") not in labels
    assert ("safety", "adverse_events_reported") not in labels or labels[("safety", "adverse_events_reported")].negated


def test_affirmed_evidence_wins_over_negated(classifier: RuleClassifier) -> None:
    record = Record(abstract=[AbstractSection("Microneedling was not used at week 4. Microneedling was added at "
                                              "week 12 to deliver the exosomes.")])
    label = labels_of(classifier, record)[("delivery", "microneedling")]
    assert not label.negated and label.evidence.sentence.startswith("Microneedling was added")


def test_hedged_claim_is_flagged(classifier: RuleClassifier) -> None:
    labels = labels_of(classifier, one_sentence("Exosomes may promote hair growth."))
    assert labels[("indication", "hair_loss")].hedged
    assert labels[("outcome", "improved")].hedged


def test_characterization_ignores_negation(classifier: RuleClassifier) -> None:
    labels = labels_of(classifier, one_sentence("Vesicles expressed CD63 and TSG101 but lacked calnexin."))
    assert not labels[("characterization", "negative_calnexin")].negated


@pytest.mark.parametrize(
    ("sentence", "phrase", "negated", "hedged"),
    [
        ("Wrinkles did not improve.", "Wrinkles", True, False),
        ("There was no erythema, edema or pruritus.", "pruritus", True, False),
        ("Neither melasma nor vitiligo responded.", "vitiligo", True, False),
        ("Patients healed without scarring.", "scarring", True, False),
        ("Treatment failed to reduce keloids.", "keloids", True, False),
        ("The vesicles were tested with or without laser.", "laser", False, False),
        ("Not only wrinkles but also texture improved.", "wrinkles", False, False),
        ("No edema was seen, but wrinkles faded.", "wrinkles", False, False),
        ("Exosomes did not improve wrinkles and texture.", "texture", True, False),
        ("These data suggest that vesicles reverse photoaging.", "photoaging", False, True),
        ("We hypothesized that vesicles could restore hair growth.", "hair growth", False, True),
        ("Wrinkles improved, whereas pigmentation might need more sessions.", "Wrinkles", False, False),
        ("Randomized controlled trials are needed.", "Randomized controlled trials", False, True),
    ],
)
def test_cues_scoped_to_the_phrase(sentence: str, phrase: str, negated: bool, hedged: bool) -> None:
    start = sentence.index(phrase)
    end = start + len(phrase)
    assert is_negated(sentence, start, end) is negated
    assert is_hedged(sentence, start, end) is hedged


def test_clause_spans_cover_the_sentence() -> None:
    sentence = "No adverse events occurred and wrinkles improved; texture did not change."
    spans = clause_spans(sentence)
    assert spans[0][0] == 0 and spans[-1][1] == len(sentence) and len(spans) == 3


def test_near_misses(classifier: RuleClassifier) -> None:
    assert "hair_loss" not in affirmed(classifier, "Vesicles protected cochlear hair cells.", "indication")
    assert "scars" not in affirmed(classifier, "Clinical data remain scarce.", "indication")
    assert not affirmed(classifier, "Cells grew in exosome-depleted fetal bovine serum.", "ev_source")
    assert affirmed(classifier, "Atrophic acne scars were treated.", "indication") == {"scars"}


def test_specific_msc_source_replaces_the_fallback(classifier: RuleClassifier) -> None:
    record = Record(abstract=[AbstractSection("MSC-Exos are studied widely. We used ADSC-derived exosomes.")])
    sources = {v for f, v in labels_of(classifier, record) if f == "ev_source"}
    assert sources == {"adipose_msc"}


def test_mesh_and_publication_type_evidence(classifier: RuleClassifier) -> None:
    record = Record(
        title="Vesicles in dermatology",
        mesh=[MeshHeading("Humans", "D006801"), MeshHeading("Alopecia", "D000505")],
        publication_types=[PublicationType("Journal Article"), PublicationType("Randomized Controlled Trial")],
    )
    labels = labels_of(classifier, record)
    hair = labels[("indication", "hair_loss")].evidence
    assert (hair.field_name, hair.method, hair.sentence) == ("mesh", "mesh:D000505", "Alopecia")
    assert field_text(record, "mesh")[hair.start : hair.end] == "Alopecia"
    design = labels[("design", "rct")]
    assert design.evidence.method == "pubtype:Randomized Controlled Trial" and design.detail == "evidence_level=2"
    assert labels[("subjects", "human")].evidence.method == "design:rct"


def test_text_evidence_is_preferred_to_mesh(classifier: RuleClassifier) -> None:
    record = Record(abstract=[AbstractSection("Men with alopecia applied the serum.")],
                    mesh=[MeshHeading("Alopecia", "D000505")])
    assert labels_of(classifier, record)[("indication", "hair_loss")].evidence.field_name == "abstract"


# -- the primary design -----------------------------------------------------------------------------------


def design_of(classifier: RuleClassifier, record: Record) -> list[Label]:
    return [lab for lab in classifier.classify(record) if lab.facet == "design"]


@pytest.mark.parametrize(
    ("title", "abstract", "pubtypes", "expected"),
    [
        ("Exosomes for acne scars: a review", "We reviewed RCTs and animal studies.", ["Review"], "narrative_review"),
        ("Vesicles and skin", "This review covers randomized controlled trials of exosomes.", [], "narrative_review"),
        ("Exosomes for hair", "A systematic review and meta-analysis of randomized controlled trials.", [],
         "meta_analysis"),
        ("A split-face randomized controlled trial", "Twenty women were enrolled.", [], "rct"),
        ("A split-face study", "Twenty women were enrolled.", [], "split_face"),
        ("Exosomes after laser", "A previous meta-analysis was inconclusive. We treated 12 consecutive patients.", [],
         "case_series"),
        ("Exosomes in mice", "In vitro and in vivo, vesicles helped.", [], "animal"),
        ("Vesicles in HaCaT cells", "Randomized controlled trials are needed.", [], "in_vitro"),
        ("Vesicles", "Literature review aside, patients were treated.", ["Clinical Trial"], "nonrandomized_trial"),
    ],
)
def test_primary_design(classifier: RuleClassifier, title: str, abstract: str, pubtypes: list[str],
                        expected: str) -> None:
    record = Record(title=title, abstract=[AbstractSection(abstract)],
                    publication_types=[PublicationType(p) for p in pubtypes])
    designs = design_of(classifier, record)
    assert [lab.value for lab in designs] == [expected]
    assert designs[0].detail.startswith("evidence_level=")


def test_no_design_evidence_gives_design_other_with_its_sentence(classifier: RuleClassifier) -> None:
    [design] = design_of(classifier, one_sentence("Exosomes are small vesicles."))
    assert (design.value, design.detail, design.evidence.method) == ("other", "evidence_level=none",
                                                                     "design:no-design-cue")
    assert design.evidence.sentence == "Exosomes are small vesicles."
    assert design_of(classifier, Record()) == []


def test_design_from_subjects_when_no_design_is_named(classifier: RuleClassifier) -> None:
    labels = labels_of(classifier, one_sentence("Sprague-Dawley rats received the hydrogel."))
    assert labels[("design", "animal")].detail == "evidence_level=6"


# -- details: dose and outcome ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "doses"),
    [
        ("Each site received 1 × 10^10 particles of exosomes.", ["1 × 10^10 particles"]),
        ("Cells were treated with 50–200 µg/mL exosomes.", ["50–200 µg/mL"]),
        ("Patients received 2 mL and then 0.5 mL.", ["2 mL", "0.5 mL"]),
        ("Exosomes were pelleted at 100,000 × g.", []),
        ("The cohort had 30 patients.", []),
    ],
)
def test_find_doses(sentence: str, doses: list[str]) -> None:
    assert find_doses(sentence) == doses


def test_dose_and_outcome_labels(classifier: RuleClassifier) -> None:
    record = Record(abstract=[
        AbstractSection("Mice received 100 µg of exosomes. Some got 5 µL extra.", "METHODS", "METHODS"),
        AbstractSection("Hair density significantly increased. Weight did not change. Scaling worsened.",
                        "RESULTS", "RESULTS"),
    ])
    labels = labels_of(classifier, record)
    dose = labels[("dose", "stated")]
    assert dose.detail == "100 µg" and dose.evidence.sentence == "Mice received 100 µg of exosomes."
    assert {v for f, v in labels if f == "outcome"} == {"improved", "no_change", "worse"}
    for label in labels.values():
        text = field_text(record, label.evidence.field_name)
        assert text[label.evidence.start : label.evidence.end] == label.evidence.sentence


def test_outcomes_come_from_findings_in_structured_abstracts(classifier: RuleClassifier) -> None:
    record = Record(abstract=[
        AbstractSection("Vesicles improved wound healing in earlier work.", "BACKGROUND", "BACKGROUND"),
        AbstractSection("Closure rates did not differ.", "RESULTS", "RESULTS"),
    ])
    assert {v for f, v in labels_of(classifier, record) if f == "outcome"} == {"no_change"}


# -- the stage, on a real SQLite file -------------------------------------------------------------------------


def test_classify_records_writes_labels_to_the_store(tmp_path: Path, taxonomy: Taxonomy) -> None:
    store = Store.open(tmp_path / "r.sqlite")
    try:
        records = [
            Record(pmid="1", title="Exosomes for alopecia", abstract=[AbstractSection("No adverse events occurred.")]),
            Record(pmid="2", title="Vesicles in a rabbit ear model of keloid"),
        ]
        ids = store.add_records(records, source="test")
        run_id = store.start_run("classify")
        seen: list[tuple[int, int]] = []
        written = classify_records(store, ids, taxonomy, run_id=run_id, progress=lambda d, t: seen.append((d, t)))
        stored = store.labels()
        assert written == len(stored) > 0
        assert seen == [(1, 2), (2, 2)]
        first = {(lab.facet, lab.value) for lab in store.labels(ids[0])}
        assert {("indication", "hair_loss"), ("safety", "no_adverse_events")} <= first
        assert ("species", "rabbit") in {(lab.facet, lab.value) for lab in store.labels(ids[1])}
        assert all(lab.evidence.method for lab in stored)
        # Running again replaces, never duplicates.
        assert classify_records(store, ids, taxonomy) == written
        assert len(store.labels()) == written
    finally:
        store.close()
