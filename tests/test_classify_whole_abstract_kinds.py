"""Kinds of error found by scoring whole abstracts written blind to the real papers, in our own words.

Helpers wrote 360 abstracts the way papers in the field are written, without reading any real
paper of the benchmark set (benchmarks/blind_phrasings.py scores them). Each test below holds one
kind of miss they showed, rebuilt from sentences written for this file.
"""

from __future__ import annotations

import pytest

from exoreview.classify import StudyClassifier
from exoreview.classify.abbreviations import expand_short_forms
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, PubDate, Record

CLASSIFIER = StudyClassifier(load_protocol("exosome-aesthetics").taxonomy)


def record(title: str, *sentences: str) -> Record:
    return Record(title=title, abstract=[AbstractSection(" ".join(sentences))], pub_date=PubDate(year=2022))


def values(rec: Record, facet: str) -> set[str]:
    return {lab.value for lab in CLASSIFIER.classify(rec) if lab.facet == facet and not lab.negated}


def design(rec: Record) -> str:
    return next(lab.value for lab in CLASSIFIER.classify(rec) if lab.facet == "design")


# -- the matching copy ---------------------------------------------------------------------------------


def test_a_definition_and_a_group_size_do_not_split_a_cue() -> None:
    rec = record("Vesicles and hair", "Human dermal papilla cells (hDPCs) treated with vesicles grew faster. "
                                      "Wnt signalling was activated.")
    assert design(rec) == "in_vitro"
    rec = record("A cream with vesicles", "Children with mild eczema (n = 30) applied the vesicle cream for a month.")
    assert values(rec, "subjects") == {"human"}


def test_the_copy_drops_asides_and_maps_every_span_back() -> None:
    text = "Dermal papilla cell (DPC)-derived 'exosome' products were purified from the supernatant of DPCs."
    expansion = expand_short_forms(text, {"DPC": "dermal papilla cell"})
    assert expansion.text == ("Dermal papilla cell-derived exosome products were purified from "
                              "dermal papilla cells.")
    start = expansion.text.index("exosome")
    begin, end = expansion.original_span(start, start + len("exosome"))
    assert text[begin:end] == "exosome"


# -- reviews, letters and other papers -----------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Topics include hair cycling, vesicles from stromal cells and mouse models of alopecia.",
    "Sources, isolation methods and uptake by keratinocytes and fibroblasts are described.",
    "We survey the literature on vesicles for burns, from cell culture to the first patients.",
    "What are vesicles? What do mouse studies show? Which products are sold?",
])
def test_a_paper_that_only_tells_what_it_covers_is_a_review(sentence: str) -> None:
    rec = record("Extracellular vesicles for skin and hair", sentence)
    assert design(rec) == "narrative_review"
    assert values(rec, "subjects") == set()


def test_a_review_cue_hedged_by_a_call_for_research_still_names_the_review() -> None:
    rec = record("Platelet vesicles in skin repair",
                 "Platelet vesicles stimulate fibroblast proliferation and keratinocyte migration.",
                 "We here give an overview of their biology and list questions that future studies should answer.")
    assert design(rec) == "narrative_review"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Co-citation and keyword burst analyses of 480 documents found mouse models to dominate.", "other"),
    ("We read with great interest the trial by Park et al. in 30 patients with acne scars.", "other"),
    ("In this editorial, we discuss vesicle products sold to patients without approval.", "other"),
    ("The working group recommends that animal studies report vesicle dose.", "other"),
])
def test_letters_editorials_and_bibliometric_studies_are_other(sentence: str, expected: str) -> None:
    rec = record("Vesicles in aesthetic practice", sentence)
    assert design(rec) == expected
    assert values(rec, "subjects") == set()


# -- who was studied -----------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Two women developed facial nodules after vesicle mesotherapy; both recovered with steroids.",
    "Vesicles healed a burn in rats. In one patient with a chronic ulcer, the vesicle gel closed the wound.",
])
def test_one_or_two_people_with_no_design_named_are_a_case_report(sentence: str) -> None:
    assert design(record("Vesicle treatment", sentence)) == "case_report"


@pytest.mark.parametrize("sentence", [
    "LPS-stimulated murine RAW 264.7 macrophages were incubated with milk vesicles.",
    "Dermal fibroblasts were embedded in rat tail collagen gels and treated with stromal cell vesicles.",
    "Rat skin fibroblasts were exposed to high glucose and then to marrow stromal cell vesicles.",
])
def test_an_animal_word_that_says_what_cells_or_material_are_names_no_animal_model(sentence: str) -> None:
    rec = record("Vesicles in culture", sentence)
    assert design(rec) == "in_vitro"
    assert "animal" not in values(rec, "subjects")


def test_cells_flushed_from_an_animal_are_a_source_not_a_model() -> None:
    rec = record("Marrow vesicles and keratinocytes",
                 "Stromal cells were flushed from the femurs and tibiae of 4-week-old Wistar rats.",
                 "Their vesicles sped the migration of HaCaT cells.")
    assert design(rec) == "in_vitro"


@pytest.mark.parametrize("closing", [
    "Animal studies are now underway.",
    "In vivo studies are now needed to confirm these effects.",
    "This requires confirmation in vivo.",
    "Their efficacy should next be tested in animal models.",
])
def test_animals_named_only_as_future_work_are_not_studied(closing: str) -> None:
    rec = record("Vesicles and fibroblasts", "Vesicles increased collagen synthesis in aged fibroblasts.", closing)
    assert design(rec) == "in_vitro"
    assert values(rec, "subjects") == {"in_vitro"}


def test_a_finding_told_as_done_is_not_deferred_by_a_later_clause() -> None:
    rec = record("Citrus vesicles", "Citrus vesicles lowered melanin in B16F10 cells and are candidates "
                                    "for future whitening studies.")
    assert values(rec, "subjects") == {"in_vitro"}


def test_the_authors_earlier_work_is_cited_not_repeated() -> None:
    rec = record("Vesicles for venous ulcers",
                 "We have previously shown that platelet vesicles promote fibroblast function in vitro.",
                 "Twelve patients with venous ulcers received the vesicle gel weekly.")
    assert values(rec, "subjects") == {"human"}


# -- sources -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Vesicles came from adipose tissue, bone marrow and umbilical cord.",
     {"adipose_msc", "bone_marrow_msc", "umbilical_cord_msc"}),
    ("Vesicles were derived from adipose stem cells (n = 8), followed by dermal papilla cells (n = 4) "
     "and plants (n = 2).", {"adipose_msc", "dermal_papilla", "plant"}),
    ("Sold creams hold plant-derived and bovine colostrum-derived 'exosome' preparations.", {"plant", "milk"}),
    ("Vesicles were purified from the conditioned medium of HEK293T cells.", {"other_cells"}),
])
def test_sources_in_a_list_share_its_head(sentence: str, expected: set[str]) -> None:
    assert values(record("Vesicle sources", sentence), "ev_source") == expected


def test_cells_after_vesicles_named_by_their_source_are_no_list() -> None:
    rec = record("Human breast milk exosomes and keratinocytes", "Milk vesicles sped keratinocyte migration.")
    assert values(rec, "ev_source") == {"milk"}


def test_a_source_set_aside_is_not_this_studys() -> None:
    rec = record("Ginseng vesicles as an alternative to stromal cell vesicles",
                 "We isolated vesicles from ginseng roots.")
    assert values(rec, "ev_source") == {"plant"}


def test_mscs_of_no_tissue_stand_beside_platelets_but_give_way_to_a_named_tissue() -> None:
    both = record("Vesicles in wound repair", "Vesicles of mesenchymal stromal cells and platelet vesicles "
                                              "were compared.")
    assert values(both, "ev_source") == {"msc_unspecified", "platelet_prp"}
    named = record("Vesicles in wound repair", "Mesenchymal stromal cell vesicles were studied; "
                                               "the vesicles came from adipose tissue.")
    assert values(named, "ev_source") == {"adipose_msc"}


# -- routes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Bleomycin was injected subcutaneously daily to induce fibrosis; vesicles were given by tail vein.",
     {"intravenous"}),
    ("Evans blue dye was injected intravenously, and vesicles were applied topically.", {"topical"}),
    ("Vesicles were applied topically, and dexamethasone given intraperitoneally was the positive control.",
     {"topical"}),
    ("GDNVs (1 mg/mL) or 3% minoxidil were topically applied to the shaved backs of mice.", {"topical"}),
    ("Lesions were induced by applying DNCB to the back skin, and vesicles were given intravenously.",
     {"intravenous"}),
])
def test_a_route_belongs_to_what_its_clause_gives(sentence: str, expected: set[str]) -> None:
    assert values(record("Vesicles in mice", sentence), "delivery") == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The product was applied immediately after the laser session.", {"topical"}),
    ("Vesicles were administered onto the wound surface on days 0, 3 and 7.", {"topical"}),
    ("Vesicle-containing creams were used by 20 women for 8 weeks.", {"topical"}),
    ("Subcutaneous or topical administration of the vesicles reduced plaques.", {"subcutaneous", "topical"}),
    ("Vesicles were locally injected into the wound edges.", {"intradermal_injection"}),
])
def test_more_ways_of_saying_how_the_vesicles_were_given(sentence: str, expected: set[str]) -> None:
    assert values(record("Vesicles in skin", sentence), "delivery") == expected


@pytest.mark.parametrize("sentence", [
    "Patients received standard care with moisture-retentive dressings and a vesicle spray on the ulcer.",
    "The vesicle serum was applied to the shaved back under a semi-occlusive dressing.",
])
def test_a_dressing_that_only_covers_the_site_is_not_the_vehicle(sentence: str) -> None:
    assert "hydrogel_scaffold" not in values(record("Vesicles on skin", sentence), "delivery")


# -- found in review: what the rules above must not do ----------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Since vesicles accelerated wound closure in rats, a split-face trial in volunteers is planned.",
    "Vesicles improved hair growth in mice, so a randomized controlled trial in patients is now needed.",
])
def test_a_trial_announced_after_an_animal_finding_is_future_work(sentence: str) -> None:
    rec = record("Vesicles in rodents", sentence)
    assert design(rec) == "animal"
    assert values(rec, "subjects") == {"animal"}


def test_a_route_set_aside_keeps_the_people_who_received_the_other() -> None:
    rec = record("Vesicles for melasma",
                 "Vesicles were applied topically rather than injected in 24 women with melasma.")
    assert values(rec, "subjects") == {"human"}
    assert values(rec, "delivery") == {"topical"}


def test_cells_treated_after_a_list_of_sources_end_the_list() -> None:
    rec = record("Vesicles in co-culture",
                 "Vesicles derived from adipose stem cells and keratinocytes were co-cultured.")
    assert values(rec, "ev_source") == {"adipose_msc"}


def test_a_source_list_in_parentheses_after_source() -> None:
    rec = record("Stromal cell vesicles in wounds", "The MSC source (adipose, bone marrow or umbilical cord) "
                                                    "did not modify the effect.")
    assert values(rec, "ev_source") == {"adipose_msc", "bone_marrow_msc", "umbilical_cord_msc"}


def test_a_short_form_defined_with_hereafter_and_amniotic_stem_cells_are_amnion() -> None:
    rec = record("Vesicles on explants", "We studied vesicles of human amniotic epithelial stem cells "
                                         "(hereafter ASCs; ASC-Exos) on skin explants. ASC-Exos were applied to them.")
    assert values(rec, "ev_source") == {"amnion"}


def test_volunteers_named_only_as_future_work_are_not_studied() -> None:
    rec = record("Plant vesicles", "Vesicles lowered melanin in B16F10 cells. "
                                   "Clinical evaluation in human volunteers will be necessary.")
    assert values(rec, "subjects") == {"in_vitro"}


# -- round 10 (240 blind abstracts, six writers) ------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "We compared vesicles from adipose-derived, bone marrow-derived and umbilical cord-derived MSCs in mice.",
])
def test_sources_listed_with_their_derived(sentence: str) -> None:
    rec = record("Stromal vesicles for wounds", sentence)
    assert values(rec, "ev_source") == {"adipose_msc", "bone_marrow_msc", "umbilical_cord_msc"}


def test_vesicles_loaded_into_a_gel_are_not_engineered() -> None:
    rec = record("A gel with cord MSC exosomes for burns",
                 "Umbilical cord MSC exosomes were mixed into a chitosan gel.",
                 "The gel let out most of the loaded exosomes within ten days.")
    assert values(rec, "ev_source") == {"umbilical_cord_msc"}


@pytest.mark.parametrize("sentence", [
    "Pulsed electroporation of a miR-146a mimic into cord MSC exosomes raised their effect on scars.",
    "Heparin-binding peptide-decorated umbilical cord mesenchymal stem cell exosomes stayed longer in the dermis.",
])
def test_cargo_put_into_or_a_peptide_on_the_vesicles_is_engineered(sentence: str) -> None:
    rec = record("Cord MSC exosomes for scars in rabbits", sentence)
    assert values(rec, "ev_source") == {"umbilical_cord_msc", "engineered"}


def test_a_review_that_could_not_pool_is_no_meta_analysis() -> None:
    rec = record("Vesicles for melasma: a systematic review",
                 "We searched three databases and kept 14 studies.",
                 "Differences in dose and outcome measures precluded a meta-analysis.")
    assert design(rec) == "systematic_review"


@pytest.mark.parametrize("sentence", [
    "Keratinocytes were exposed to blue light at a dose chosen to approximate the in vivo exposure of the face.",
    "To mimic in vivo conditions, melanocytes were grown with keratinocytes before the vesicles were added.",
])
def test_in_vivo_as_the_condition_cells_stand_for_is_no_animal(sentence: str) -> None:
    rec = record("Vesicles and pigment cells", "Pigment cells were cultured with milk vesicles.", sentence)
    assert design(rec) == "in_vitro" and values(rec, "subjects") == {"in_vitro"}


@pytest.mark.parametrize("sentence", [
    "Topical and oral forms will be tested in a later study.",
    "Future studies should compare intradermal with topical use.",
])
def test_a_route_named_only_as_future_work_is_no_route(sentence: str) -> None:
    rec = record("Vesicles in mice with dermatitis",
                 "Mice were given the vesicles by tail vein injection on three days.", sentence)
    assert values(rec, "delivery") == {"intravenous"}


def test_an_inhibitor_given_intraperitoneally_is_not_the_vesicles_route() -> None:
    rec = record("Progenitor cell vesicles for skin flaps in rats",
                 "The vesicles were injected subcutaneously into the flap at five points.",
                 "One group also received the autophagy inhibitor chloroquine by intraperitoneal injection.")
    assert values(rec, "delivery") == {"subcutaneous"}


@pytest.mark.parametrize("sentence", [
    "Two of the participants developed mild contact dermatitis from the tape.",
    "The nodules cleared with steroid injections, leaving faint post-inflammatory hyperpigmentation.",
])
def test_what_people_developed_during_the_study_is_no_indication(sentence: str) -> None:
    rec = record("Platelet vesicles for recovery after fractional laser: a case series",
                 "Ten patients applied platelet vesicles after the laser.", sentence)
    assert values(rec, "indication") == {"post_procedure"}
