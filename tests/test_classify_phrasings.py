"""Common ways papers name an EV source, a delivery route and a design, in sentences we wrote.

Delivery follows the labelling guide (benchmarks/data/LABELING.md): a vehicle (hydrogel, dressing,
patch) and the way it was given (applied on the wound, injected, a microneedle patch) are both labels.

The real-paper benchmark (benchmarks/real_labels.py) shows where the classifier fails on text it
was not tuned on; these cases check the vocabulary itself, one phrasing per line, so a change
that loses a phrasing fails here. Left alone on purpose: vesicles from eggs (no class fits),
iontophoresis (the guide names no route for it), "applied after microneedling" with no
surface named (labellers differ on whether it is also topical), vesicles "from the serum of young
rats" tested on cells (read as an animal study: the plural species word alone), and a review whose
only review words are passive ("studies in cells and animal models are described", read as the
strongest design it lists).
"""

from __future__ import annotations

import pytest

from exoreview.classify import StudyClassifier
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, PubDate, Record

CLASSIFIER = StudyClassifier(load_protocol("exosome-aesthetics").taxonomy)


def record(title: str, body: str) -> Record:
    return Record(title=title, abstract=[AbstractSection(body)], pub_date=PubDate(year=2021))


def values(rec: Record, facet: str) -> set[str]:
    return {lab.value for lab in CLASSIFIER.classify(rec) if lab.facet == facet and not lab.negated}


SOURCES = [
    ("Exosomes secreted by human adipose stromal cells promote wound closure in diabetic mice", {"adipose_msc"}),
    ("Small extracellular vesicles from lipoaspirate-derived stem cells reduce photoaging in mice", {"adipose_msc"}),
    ("ADSC-sEVs accelerate skin repair in rats", {"adipose_msc"}),
    ("Adipose mesenchymal stem cell exosomes improve hair regrowth in mice", {"adipose_msc"}),
    ("Human adipose tissue-derived stem cell exosomes attenuate atopic dermatitis in mice", {"adipose_msc"}),
    ("Exosomes derived from hUC-MSCs accelerate cutaneous wound healing in rats", {"umbilical_cord_msc"}),
    ("hucMSC-Ex promote re-epithelialization of burned rat skin", {"umbilical_cord_msc"}),
    (
        "Human umbilical cord mesenchymal stem cell-derived exosomes reduce scar formation in mice",
        {"umbilical_cord_msc"},
    ),
    ("Bone marrow stromal cell-derived exosomes promote wound healing in rats", {"bone_marrow_msc"}),
    ("BMSC-Exos improve diabetic wound healing in rats", {"bone_marrow_msc"}),
    (
        "Exosomes from mesenchymal stromal cells of bone marrow origin accelerate wound closure in mice",
        {"bone_marrow_msc"},
    ),
    ("Dental pulp stem cell-derived exosomes promote wound healing in mice", {"other_stem_cells"}),
    (
        "Exosomes from stem cells from human exfoliated deciduous teeth accelerate wound healing in mice",
        {"other_stem_cells"},
    ),
    ("Gingival mesenchymal stem cell exosomes reduce skin inflammation in mice", {"other_stem_cells"}),
    ("Urine-derived stem cell exosomes promote diabetic wound healing in mice", {"other_stem_cells"}),
    ("Menstrual blood-derived stem cell exosomes accelerate wound healing in diabetic mice", {"other_stem_cells"}),
    ("Endothelial progenitor cell-derived exosomes accelerate wound healing in diabetic rats", {"other_stem_cells"}),
    ("Epidermal stem cell exosomes reduce scar formation in rats", {"other_stem_cells"}),
    ("Hair follicle stem cell-derived exosomes promote hair growth in mice", {"other_stem_cells"}),
    ("Embryonic stem cell-derived exosomes rejuvenate aged skin in mice", {"other_stem_cells"}),
    ("Exosomes derived from iPSC-derived mesenchymal stem cells promote wound healing in rats", {"ipsc"}),
    (
        "Human induced pluripotent stem cell-derived exosomes protect dermal fibroblasts from UV damage in mice",
        {"ipsc"},
    ),
    ("Amniotic epithelial cell-derived exosomes promote wound healing in rats", {"amnion"}),
    ("Exosomes from human amniotic mesenchymal stem cells reduce scar in rabbits", {"amnion"}),
    ("Amniotic fluid stem cell exosomes accelerate wound healing in rats", {"amnion"}),
    ("Placental mesenchymal stem cell exosomes improve skin aging in mice", {"placenta"}),
    ("Exosomes from human placenta-derived MSCs promote hair growth in mice", {"placenta"}),
    ("Wharton's jelly MSC-derived exosomes accelerate wound healing in mice", {"wharton_jelly_msc"}),
    ("Keratinocyte-derived extracellular vesicles regulate melanogenesis in melanocytes in vitro", {"keratinocyte"}),
    ("Exosomes released by HaCaT cells promote fibroblast migration in vitro", {"keratinocyte"}),
    ("Human dermal fibroblast-derived exosomes reduce photoaging in mice", {"fibroblast"}),
    ("Exosomes from three-dimensional spheroids of dermal fibroblasts improve skin aging in mice", {"fibroblast"}),
    ("Dermal papilla cell-derived exosomes promote hair follicle growth in mice", {"dermal_papilla"}),
    ("Exosomes from dermal papilla spheroids promote hair regrowth in mice", {"dermal_papilla"}),
    ("Platelet-derived extracellular vesicles promote wound healing in diabetic rats", {"platelet_prp"}),
    ("Exosomes isolated from platelet-rich plasma accelerate chronic wound healing in rats", {"platelet_prp"}),
    ("Serum-derived exosomes from young mice rejuvenate aged skin", {"plasma_serum"}),
    ("Plasma exosomes from healthy donors improve wound healing in mice", {"plasma_serum"}),
    ("Bovine milk-derived exosomes promote hair growth in mice", {"milk"}),
    ("Milk extracellular vesicles attenuate UV-induced skin damage in mice", {"milk"}),
    ("Exosomes from Lactobacillus plantarum reduce skin inflammation in mice", {"bacteria"}),
    ("Extracellular vesicles of Staphylococcus epidermidis protect against skin inflammation in mice", {"bacteria"}),
    ("Cutibacterium acnes-derived extracellular vesicles induce acne-like inflammation in keratinocytes", {"bacteria"}),
    ("Probiotic-derived extracellular vesicles improve skin barrier in mice", {"bacteria"}),
    ("Ginseng-derived exosome-like nanoparticles reduce skin pigmentation in vitro", {"plant"}),
    ("Exosome-like nanovesicles from Aloe vera peels promote wound healing in mice", {"plant"}),
    ("Grapefruit-derived nanovesicles protect keratinocytes from oxidative stress", {"plant"}),
    (
        "Centella asiatica-derived extracellular vesicles soothe skin irritation in a clinical study of 20 volunteers",
        {"plant"},
    ),
    ("Rose stem cell-derived exosomes improve skin barrier in a split-face study of 25 women", {"plant"}),
    ("Extracellular vesicles from the brown alga Sargassum reduce melanin in B16 cells", {"plant"}),
    ("Exosomes from M2 macrophages accelerate wound healing in mice", {"other_cells"}),
    ("M2 macrophage-derived exosomes promote diabetic wound repair in rats", {"other_cells"}),
    ("Exosomes derived from HUVECs promote fibroblast proliferation in vitro", {"other_cells"}),
    ("Schwann cell-derived exosomes promote wound healing in diabetic mice", {"other_cells"}),
    ("Neutrophil-derived extracellular vesicles impair wound healing in diabetic mice", {"other_cells"}),
    ("Melanoma cell-derived exosomes promote metastasis in mice", {"other_cells"}),
    ("Exosomes secreted by mesenchymal stem cells attenuate psoriasis in mice", {"msc_unspecified"}),
    ("MSC-EVs promote hair regrowth in mice", {"msc_unspecified"}),
    ("Mesenchymal stromal cell-derived small extracellular vesicles reduce skin fibrosis in mice", {"msc_unspecified"}),
    ("Human adipose-derived stem cell conditioned medium exosomes reduce wrinkles in mice", {"adipose_msc"}),
    ("Exosomes from adipose-derived stem cells pretreated with hypoxia enhance wound healing in rats", {"adipose_msc"}),
    (
        "Exosomes from adipose derived mesenchymal stem cells overexpressing Nrf2 accelerate wound healing in "
        "diabetic rats",
        {"adipose_msc", "engineered"},
    ),
    (
        "miR-21-loaded exosomes from umbilical cord MSCs promote wound repair in mice",
        {"umbilical_cord_msc", "engineered"},
    ),
    ("Exosome mimetic nanovesicles from MSCs promote wound healing in mice", {"msc_unspecified", "synthetic_mimetic"}),
    ("Extracellular vesicles from human adipose stem cells (hASCs) promote hair growth in mice", {"adipose_msc"}),
    ("Exosomes from stem cells of the apical papilla accelerate wound healing in rats", {"other_stem_cells"}),
    (
        "Exosomes from human periodontal ligament stem cells reduce inflammation in skin wounds of mice",
        {"other_stem_cells"},
    ),
    ("Adipocyte-derived exosomes regulate skin wound healing in obese mice", {"other_cells"}),
    ("Exosomes from fibroblasts of young donors reverse senescence of aged fibroblasts in vitro", {"fibroblast"}),
    (
        "Exosomes from human mesenchymal stem cells of the umbilical cord reduce scarring in rats",
        {"umbilical_cord_msc"},
    ),
    (
        "Adipose stem cell-derived extracellular vesicles in a serum for skin rejuvenation: a clinical study "
        "in 30 women",
        {"adipose_msc"},
    ),
    ("Exosomes from hair follicle dermal papilla cells enhance hair growth in mice", {"dermal_papilla"}),
    ("Exosomes from mouse embryonic fibroblasts promote wound healing in mice", {"fibroblast"}),
    ("Horse serum exosomes", {"plasma_serum"}),
    ("Exosomes from bovine colostrum promote hair growth in mice", {"milk"}),
    ("Extracellular vesicles from Akkermansia muciniphila reduce skin inflammation in mice", {"bacteria"}),
    ("Exosomes derived from human umbilical vein endothelial cells promote wound healing in mice", {"other_cells"}),
    (
        "Exosomes derived from human bone marrow mesenchymal stem cells (hBM-MSCs) promote wound healing in rats",
        {"bone_marrow_msc"},
    ),
    ("Exosomes from ADMSCs promote wound healing in rats", {"adipose_msc"}),
    ("Exosomes from AMSCs accelerate skin wound healing in mice", set()),
    ("Exosomes from human skin-derived precursors promote hair growth in mice", {"other_stem_cells"}),
    ("Exosomes derived from keratinocyte stem cells accelerate wound healing in mice", {"other_stem_cells"}),
    ("Exosomes derived from fibroblast-like synoviocytes promote fibroblast migration in vitro", {"other_cells"}),
    ("Exosomes of human decidua-derived MSCs reduce wrinkles in mice", {"placenta"}),
    ("Chorionic plate-derived MSC exosomes promote wound healing in mice", {"placenta"}),
    ("Exosomes of oral tissue stem cells in skin regeneration", {"other_stem_cells"}),
    ("Euglena gracilis-derived extracellular vesicles promote skin regeneration", {"plant"}),
    # The jelly is the cord's tissue the cells came from: the more specific class alone, as the readers label it.
    (
        "Exosomes from human umbilical cord Wharton's jelly mesenchymal stem cells promote wound healing in rats",
        {"wharton_jelly_msc"},
    ),
]


@pytest.mark.parametrize(("title", "expected"), SOURCES)
def test_each_way_of_naming_where_the_vesicles_came_from(title: str, expected: set[str]) -> None:
    assert values(record(title, title + ". The vesicles were characterized by NTA."), "ev_source") == expected


WOUND_STUDY = "Exosomes from adipose-derived stem cells accelerate wound healing in diabetic rats"
ROUTES = [
    ("Exosomes were injected subcutaneously at four points around the wound.", {"subcutaneous"}),
    ("Rats received local subcutaneous injections of exosomes around the wound edges.", {"subcutaneous"}),
    ("Exosomes were injected around the wound at four sites.", {"intradermal_injection"}),
    ("Exosomes were given by local injection into the wound bed.", {"intradermal_injection"}),
    ("Exosomes were delivered by tail vein injection.", {"intravenous"}),
    ("Mice were treated with exosomes intravenously every other day.", {"intravenous"}),
    ("Exosomes were administered intraperitoneally for two weeks.", {"intravenous"}),
    ("Exosomes were applied topically to the wounds daily.", {"topical"}),
    ("Exosome solution was dropped onto the wound surface every day.", {"topical"}),
    (
        "Exosomes were embedded in a chitosan hydrogel that was placed on the wounds.",
        {"hydrogel_scaffold", "topical"},
    ),
    ("An exosome-loaded dressing covered the wounds.", {"hydrogel_scaffold"}),
    ("Exosomes were incorporated into an electrospun nanofibrous scaffold.", {"hydrogel_scaffold"}),
    ("Exosomes were delivered with a dissolving microneedle patch.", {"microneedling", "hydrogel_scaffold"}),
    ("The dorsal skin was treated with exosomes by intradermal injection.", {"intradermal_injection"}),
    ("Exosomes were injected into the dermis of the back skin.", {"intradermal_injection"}),
    ("Exosomes were administered by periwound injection.", {"intradermal_injection"}),
    ("Exosomes were sprayed on the burn wounds.", {"topical"}),
    ("Exosomes were painted on the shaved dorsal skin daily.", {"topical"}),
    ("The exosome cream was applied to the dorsal skin once a day.", {"topical"}),
    ("An exosome-containing ointment was applied to the lesions.", {"topical"}),
    ("Exosomes were intradermally injected into the shaved dorsal skin.", {"intradermal_injection"}),
    ("Exosomes were locally injected into the wound margins.", {"intradermal_injection"}),
    ("Exosomes were injected at the wound site.", {"injection_unspecified"}),
    (
        "Exosomes were mixed with a thermosensitive Pluronic F127 gel and applied on the wound.",
        {"hydrogel_scaffold", "topical"},
    ),
    ("Exosomes were administered via the tail vein.", {"intravenous"}),
    ("Exosomes were administered by subcutaneous injection in the scalp.", {"subcutaneous"}),
    ("Exosomes were loaded on a collagen sponge implanted on the wounds.", {"hydrogel_scaffold"}),
    ("Exosomes were delivered through an exosome-laden hydrogel.", {"hydrogel_scaffold"}),
    ("Exosomes were applied as eye drops.", set()),
    ("The exosome suspension was topically administered to the scalp of mice twice a week.", {"topical"}),
    ("Exosomes were administered with a dermaroller on the scalp.", {"microneedling"}),
    ("After fractional CO2 laser treatment, exosome gel was applied to the face.", {"fractional_laser", "topical"}),
    ("Exosomes were administered to the wound by local injection.", {"injection_unspecified"}),
    ("Exosomes were given intralesionally into the keloids.", {"intradermal_injection"}),
    ("Exosomes were injected into the subcutaneous tissue around the wound.", {"subcutaneous"}),
    ("Exosomes were administered in the hypodermis.", {"subcutaneous"}),
    ("Exosomes were administered orally by gavage.", {"intravenous"}),
]


@pytest.mark.parametrize(("sentence", "expected"), ROUTES)
def test_each_way_of_saying_how_the_vesicles_were_given(sentence: str, expected: set[str]) -> None:
    body = f"{WOUND_STUDY}. {sentence} Wound closure was faster than in controls."
    assert values(record(WOUND_STUDY, body), "delivery") == expected


# A second set, each in a sentence of its own study: systemic routes by abbreviation, ways of saying a
# product went on the skin, vehicles (mats, matrices, gauze, loaded gels, microneedles made to carry
# the vesicles) beside the way they were given, and injections that name no skin layer.
ROUTES_IN_CONTEXT = [
    (
        "Exosomes heal wounds in mice",
        "Mice with full-thickness wounds received exosomes via the tail vein.",
        {"intravenous"},
    ),
    (
        "Exosomes heal wounds in mice",
        "Exosomes were administered i.v. to diabetic mice every three days.",
        {"intravenous"},
    ),
    (
        "Exosomes in psoriatic mice",
        "Vesicles were given intraperitoneally to mice with imiquimod-induced dermatitis.",
        {"intravenous"},
    ),
    (
        "Exosomes in psoriatic mice",
        "Systemic administration of the vesicles reduced skin inflammation in mice.",
        {"intravenous"},
    ),
    ("Exosomes in scleroderma mice", "Mice were treated with exosomes by retro-orbital injection.", {"intravenous"}),
    (
        "Exosomes in scleroderma mice",
        "Intravenous infusion of exosomes reduced dermal thickness in mice.",
        {"intravenous"},
    ),
    ("Exosomes in scleroderma mice", "Exosomes (100 ug) were injected i.p. into mice twice a week.", {"intravenous"}),
    (
        "Exosome cream for ageing skin",
        "Volunteers applied an exosome-containing cream to the face twice daily.",
        {"topical"},
    ),
    ("Exosome ointment for wounds", "An ointment with exosomes was spread over the wounds of rats daily.", {"topical"}),
    ("Exosomes for wounds", "Exosomes were dropped onto the wound bed of mice every other day.", {"topical"}),
    ("Exosomes for wounds", "Exosomes were smeared on the wounds of diabetic rats.", {"topical"}),
    ("Exosome lotion", "A lotion containing plant vesicles was rubbed into the skin of the forearm.", {"topical"}),
    (
        "Exosome serum",
        "The exosome serum was applied after cleansing, once in the morning and once at night.",
        {"topical"},
    ),
    ("Exosomes for alopecia", "The vesicle solution was applied to the shaved dorsal skin of mice daily.", {"topical"}),
    ("Exosomes for alopecia", "Dermal application of the vesicles promoted hair regrowth in mice.", {"topical"}),
    ("Exosomes for photoaging", "Cutaneous application of the exosomes reduced wrinkles in mice.", {"topical"}),
    ("Exosomes for wounds", "Exosomes were painted on the wound surface twice a day.", {"topical"}),
    ("Exosome mask", "Participants used a sheet mask containing exosomes twice a week.", {"topical"}),
    ("Exosome essence", "A skin care essence with exosomes was used by 30 women for four weeks.", {"topical"}),
    ("Exosomes for wounds", "Wounds were covered with an exosome-loaded nanofibrous mat.", {"hydrogel_scaffold"}),
    (
        "Exosomes for wounds",
        "An exosome-laden foam dressing was placed on the wounds.",
        {"hydrogel_scaffold", "topical"},
    ),
    (
        "Exosomes for wounds",
        "Exosomes in a collagen matrix were placed on burn wounds.",
        {"hydrogel_scaffold", "topical"},
    ),
    ("Exosomes for wounds", "Exosome-loaded gauze was applied to the wounds.", {"hydrogel_scaffold", "topical"}),
    (
        "Exosomes for wounds",
        "Exosomes were incorporated into electrospun fibers that were applied to the wound.",
        {"hydrogel_scaffold", "topical"},
    ),
    (
        "Exosomes for wounds",
        "The exosome hydrogel was injected into the wound of diabetic mice.",
        {"hydrogel_scaffold", "injection_unspecified"},
    ),
    (
        "Exosomes for wounds",
        "The gel loaded with exosomes was injected at the wound site.",
        {"hydrogel_scaffold", "injection_unspecified"},
    ),
    (
        "Exosomes for wounds",
        "Mice received an injection of the exosome-loaded hydrogel.",
        {"hydrogel_scaffold", "injection_unspecified"},
    ),
    (
        "Exosomes for hair",
        "Exosomes were delivered to the scalp with microneedles made of hyaluronic acid.",
        {"hydrogel_scaffold", "microneedling"},
    ),
    (
        "Exosomes for hair",
        "An exosome-laden microneedle system was pressed into the skin of mice.",
        {"hydrogel_scaffold", "microneedling"},
    ),
    (
        "Exosomes for scars",
        "Exosome-loaded MN patches were applied to scars in rabbits.",
        {"hydrogel_scaffold", "microneedling"},
    ),
    (
        "Exosomes after microneedling",
        "After microneedling of the face, exosomes were applied to the skin.",
        {"microneedling", "topical"},
    ),
    ("Exosomes for scars", "Exosomes were injected into the scar tissue of rabbit ears.", {"intradermal_injection"}),
    ("Exosomes for wounds", "Exosomes were injected around the wound at four sites.", {"intradermal_injection"}),
    ("Exosomes for wounds", "Exosomes were injected subcutaneously around the wounds.", {"subcutaneous"}),
    ("Exosomes for hair", "Exosomes were injected into the scalp every four weeks.", {"injection_unspecified"}),
    ("Exosomes for hair", "Mice received local injections of the vesicles.", {"injection_unspecified"}),
]


@pytest.mark.parametrize(("title", "sentence", "expected"), ROUTES_IN_CONTEXT)
def test_each_way_of_saying_how_the_vesicles_were_given_in_context(
    title: str, sentence: str, expected: set[str]
) -> None:
    assert values(record(title, sentence), "delivery") == expected


DESIGNS = [
    (
        "Exosomes for atopic dermatitis in dogs: a pilot study",
        "Eight laboratory beagles with atopic dermatitis were randomly assigned to exosomes or saline. "
        "The dogs received the vesicles intravenously twice a week. Lesion scores fell.",
        "animal",
        {"animal"},
    ),
    (
        "Algal vesicles for skin regeneration",
        "Vesicles were extruded from algae. In scratch assays they sped the migration of skin cells. "
        "An ex vivo wound test on porcine skin showed more proliferating cells.",
        "ex_vivo",
        {"in_vitro", "ex_vivo"},
    ),
    (
        "Vesicles from menstrual blood stem cells as a new tool in regenerative medicine",
        "These stem cells are promising in regenerative medicine. We describe the basic properties and "
        "functions of their small vesicles. Their use in wounds and fibrosis is then considered.",
        "narrative_review",
        set(),
    ),
    (
        "Honey vesicles as bioactive components for wound healing",
        "Honey contains many bioactive compounds. In the present paper, we present recent scientific advances "
        "on these compounds and their vesicles. Whether the vesicles help wounds heal remains to be seen.",
        "narrative_review",
        set(),
    ),
    (
        "Exosomes in skin rejuvenation",
        "This article summarizes current knowledge on exosomes for skin aging. "
        "We discuss their sources, mechanisms and clinical prospects. Challenges remain before clinical use.",
        "narrative_review",
        set(),
    ),
    (
        "Extracellular vesicles for hair loss: an update",
        "Here we provide an overview of studies of extracellular vesicles in alopecia. "
        "We highlight mechanisms in dermal papilla cells and outline future directions.",
        "narrative_review",
        set(),
    ),
    (
        "Exosome therapy in dermatology: a systematic review",
        "PubMed, Embase and Web of Science were searched up to March 2023. "
        "Twenty-one studies met the inclusion criteria. Most were preclinical.",
        "systematic_review",
        set(),
    ),
    (
        "Efficacy of exosomes in wound healing: a meta-analysis of animal studies",
        "We searched four databases and pooled 30 animal studies. "
        "Exosomes increased wound closure rate (SMD 2.1, 95% CI 1.5-2.7).",
        "meta_analysis",
        set(),
    ),
    (
        "Ex vivo human skin explants respond to adipose stem cell exosomes",
        "Human skin explants from abdominoplasty were cultured with exosomes for 7 days. Collagen content increased.",
        "ex_vivo",
        {"ex_vivo"},
    ),
    (
        "Exosomes from dermal papilla cells prolong anagen in human hair follicle organ culture",
        "Human scalp hair follicles were microdissected and cultured with exosomes. Hair shaft elongation increased.",
        "ex_vivo",
        {"ex_vivo"},
    ),
    (
        "Exosomes promote hair follicle growth in organ-cultured human scalp follicles",
        "Isolated anagen follicles were maintained in culture for 6 days with or without exosomes. "
        "Exosomes increased hair shaft length.",
        "ex_vivo",
        {"ex_vivo"},
    ),
    (
        "Adipose stem cell exosomes for facial wrinkles: a randomized, double-blind, placebo-controlled trial",
        "Sixty women were randomly assigned to exosome serum or vehicle for 12 weeks. "
        "Wrinkles improved more with exosomes.",
        "rct",
        {"human"},
    ),
    (
        "Split-face comparison of exosomes after fractional laser for acne scars",
        "Twenty-five patients received exosome gel on one side of the face and saline on the other after "
        "fractional CO2 laser. Scar scores improved more on the exosome side.",
        "split_face",
        {"human"},
    ),
    (
        "Exosomes for androgenetic alopecia: a pilot study",
        "Thirty-nine patients received scalp injections of exosomes for 12 weeks. "
        "Hair density increased by 17%. No adverse events occurred.",
        "nonrandomized_trial",
        {"human"},
    ),
    (
        "Retrospective analysis of exosome treatment for hair loss in 40 patients",
        "Charts of 40 patients treated with exosomes were reviewed. Hair density improved in 32.",
        "case_series",
        {"human"},
    ),
    (
        "Granulomatous reaction after exosome microneedling: a case report",
        "A 45-year-old woman developed facial nodules after microneedling with an exosome product. "
        "Biopsy showed granulomas.",
        "case_report",
        {"human"},
    ),
    (
        "Exosomes from adipose stem cells protect fibroblasts from UVB damage",
        "Human dermal fibroblasts were irradiated with UVB and treated with exosomes. "
        "MMP-1 expression decreased and collagen increased.",
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Milk exosomes promote hair growth",
        "Mice were shaved and treated topically with milk exosomes for 3 weeks. Hair regrowth was faster. "
        "In dermal papilla cells, exosomes activated Wnt signalling.",
        "animal",
        {"animal", "in_vitro"},
    ),
    (
        "Exosomes in the treatment of melasma: a prospective open-label study",
        "Twenty patients with melasma applied an exosome serum twice daily for eight weeks. "
        "The mMASI decreased significantly.",
        "nonrandomized_trial",
        {"human"},
    ),
    (
        "A single-arm clinical study of plant exosomes for sensitive skin",
        "Thirty-two volunteers used a cream with plant exosomes for four weeks. Transepidermal water loss decreased.",
        "nonrandomized_trial",
        {"human"},
    ),
    (
        "Exosomes in aesthetic medicine: a scoping review",
        "We mapped the literature in PubMed and Scopus and included 45 articles. Most were preclinical.",
        "systematic_review",
        set(),
    ),
    (
        "Exosomes and skin: current evidence and future perspectives",
        "Exosomes have emerged as a promising tool in regenerative dermatology. "
        "This review discusses their biogenesis, isolation and applications in wound healing, hair loss and "
        "pigmentation.",
        "narrative_review",
        set(),
    ),
    (
        "Three-dimensional skin equivalents treated with keratinocyte exosomes",
        "Reconstructed human epidermis models were exposed to exosomes. Barrier gene expression increased.",
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Exosomes reduce hypertrophic scars in rabbit ears",
        "Full-thickness wounds were created on rabbit ears and injected with exosomes. Scar elevation index decreased.",
        "animal",
        {"animal"},
    ),
]

# A second set, written from how papers of each design commonly read (cells named with a species or a
# donor, people who applied a product, passive review verbs, titles that mark a review, tissue kept in
# culture), after a blind second reading of the real-paper set showed its labels agree (design kappa 0.99).
DESIGNS += [
    (
        "Exosomes from adipose stem cells reduce melanogenesis",
        "Vesicles reduced melanin content in murine B16F10 melanoma cells and lowered tyrosinase activity.",
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Exosomes activate dermal papilla cells",
        "Rat dermal papilla cells were treated with exosomes, and their proliferation increased.",
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Plant vesicles calm macrophages",
        (
            "RAW264.7 murine macrophages were stimulated with LPS and then treated with the vesicles. Nitric "
            "oxide fell."
        ),
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Vesicles speed fibroblast migration",
        "NIH/3T3 mouse fibroblasts migrated faster in scratch assays after treatment with vesicles.",
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Exosomes for wound repair",
        (
            "Exosomes increased keratinocyte migration and proliferation. These results support further in vivo "
            "studies of the vesicles."
        ),
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Mouse MSC vesicles and keratinocytes",
        "Vesicles from mouse bone marrow MSCs promoted HaCaT cell migration in a scratch assay.",
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Exosomes and aged fibroblasts",
        (
            "Dermal fibroblasts from aged human donors were exposed to exosomes for 48 h. Collagen I synthesis "
            "increased."
        ),
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Exosomes and neonatal keratinocytes",
        (
            "Keratinocytes isolated from neonatal foreskin were cultured with exosomes; differentiation markers "
            "rose."
        ),
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "Vesicles reduce pigmentation in zebrafish",
        "Zebrafish embryos were treated with the vesicles, and body pigmentation decreased.",
        "animal",
        {"animal"},
    ),
    (
        "Vesicles lower melanin in melan-a cells",
        "A melanin content assay in melan-a cells showed less melanin after vesicle treatment.",
        "in_vitro",
        {"in_vitro"},
    ),
    (
        "A moisturizing cream with plant vesicles",
        (
            "The cream was applied to the forearms of 20 healthy volunteers for four weeks; skin hydration "
            "increased."
        ),
        "nonrandomized_trial",
        {"human"},
    ),
    (
        "Exosome serum against wrinkles",
        "A clinical evaluation in 25 Asian women showed fewer wrinkles after four weeks of use.",
        "nonrandomized_trial",
        {"human"},
    ),
    (
        "Exosome serum against wrinkles",
        (
            "In a 12-week clinical test, subjects aged 40 to 60 years applied the serum twice daily. Wrinkle "
            "depth decreased."
        ),
        "nonrandomized_trial",
        {"human"},
    ),
    (
        "Vesicles for skin ageing",
        (
            "Vesicles increased collagen in fibroblasts. Clinical efficacy was then tested on 30 subjects with "
            "mild wrinkles, whose skin elasticity improved."
        ),
        "nonrandomized_trial",
        {"human", "in_vitro"},
    ),
    (
        "Vesicles brighten skin",
        (
            "Melanin fell in melanocytes. Applied on the face of 21 Korean women for eight weeks, the vesicle "
            "cream reduced the melanin index."
        ),
        "nonrandomized_trial",
        {"human", "in_vitro"},
    ),
    (
        "Safety of a vesicle cream",
        (
            "The cream was tested in a human repeated insult patch test on 50 volunteers; no irritation was "
            "observed."
        ),
        "nonrandomized_trial",
        {"human"},
    ),
    (
        "Exosomes in hair restoration",
        (
            "Exosomes are small vesicles that carry proteins and RNA. The current evidence on their use in hair "
            "restoration is summarized, and open questions are identified."
        ),
        "narrative_review",
        set(),
    ),
    (
        "Vesicles and wound repair",
        (
            "Extracellular vesicles take part in every phase of wound repair. Their roles in healing are "
            "discussed, along with the hurdles to clinical use."
        ),
        "narrative_review",
        set(),
    ),
    (
        "Plant-derived vesicles in skin care",
        "Plant vesicles are cheap and abundant. Recent advances in their use for skin care are highlighted.",
        "narrative_review",
        set(),
    ),
    (
        "Exosomes in skin ageing",
        "In this chapter, we explain how exosomes act on aged skin and which sources are being tested.",
        "narrative_review",
        set(),
    ),
    (
        "Exosomes in cosmetic dermatology: where are we now?",
        (
            "Exosomes are marketed widely in aesthetic clinics. Studies in cells and animals suggest benefits, "
            "yet clinical data remain scarce and products are unregulated."
        ),
        "narrative_review",
        set(),
    ),
    (
        "Extracellular vesicles in wound healing: from bench to bedside",
        (
            "Extracellular vesicles from many cells promote angiogenesis and re-epithelialization. Engineering "
            "strategies and hydrogels improve their retention. Clinical translation faces hurdles of scale and "
            "standardization."
        ),
        "narrative_review",
        set(),
    ),
    (
        "Vesicles in dermatology",
        (
            "This review covers their biology. In vitro studies have shown that exosomes promote fibroblast "
            "proliferation, and animal studies show faster wound closure."
        ),
        "narrative_review",
        set(),
    ),
    (
        "Exosomes for acne scars",
        (
            "A literature search was performed in PubMed and Scopus for articles published between 2010 and 2023."
            " Findings on exosomes for scars are summarized."
        ),
        "systematic_review",
        set(),
    ),
    (
        "Exosomes for hair loss",
        "Articles were selected according to predefined criteria, and 18 were eligible. Most studied mice.",
        "systematic_review",
        set(),
    ),
    (
        "Exosomes for skin",
        "Of 512 records, 27 met the eligibility criteria. Most were animal studies.",
        "systematic_review",
        set(),
    ),
    (
        "Exosomes for skin",
        "Relevant studies were identified through MEDLINE and Embase. Evidence was mostly preclinical.",
        "systematic_review",
        set(),
    ),
    (
        "Exosomes on skin explants",
        (
            "Skin biopsies obtained from patients undergoing surgery were cultured with exosomes for five days. "
            "Collagen increased."
        ),
        "ex_vivo",
        {"ex_vivo"},
    ),
    (
        "Exosomes on scalp follicles",
        (
            "Scalp samples were obtained from patients undergoing hair transplantation, and follicles were "
            "cultured with vesicles."
        ),
        "ex_vivo",
        {"ex_vivo"},
    ),
    (
        "Vesicles on human skin",
        (
            "Human skin obtained from cosmetic surgery was maintained in culture and treated with vesicles; "
            "epidermal thickness increased."
        ),
        "ex_vivo",
        {"ex_vivo"},
    ),
    (
        "Exosomes induce anagen",
        "Telogen C57BL/6 mice were depilated and treated with exosomes. Hair regrew faster.",
        "animal",
        {"animal"},
    ),
    (
        "Exosomes against photoaging",
        "The back skin of nude mice was irradiated with UVB and treated with exosomes.",
        "animal",
        {"animal"},
    ),
    (
        "Vesicles in psoriasis",
        "In an imiquimod-induced murine model of psoriasis, vesicles reduced scaling and thickness.",
        "animal",
        {"animal"},
    ),
    (
        "Vesicles in photoaging",
        "SKH-1 hairless mice were exposed to UVB for eight weeks and treated with vesicles.",
        "animal",
        {"animal"},
    ),
    (
        "Vesicles heal wounds",
        "Full-thickness wounds on Sprague-Dawley rats closed faster with vesicles.",
        "animal",
        {"animal"},
    ),
    (
        "Vesicles heal diabetic wounds",
        "Wounds in db/db mice treated with exosomes closed by day 14.",
        "animal",
        {"animal"},
    ),
    (
        "Vesicles heal wounds",
        "In an in vivo wound model, closure was faster with vesicles.",
        "animal",
        {"animal"},
    ),
    (
        "Vesicles heal wounds",
        "Excisional wounds were made on the dorsum of the animals and covered with the vesicle gel.",
        "animal",
        {"animal"},
    ),
    (
        "Exosomes heal wounds in minipigs",
        "Full-thickness wounds on Bama minipigs were treated with exosomes.",
        "animal",
        {"animal"},
    ),
    (
        "Exosomes in hair loss",
        (
            "Exosomes promoted hair growth in mice and in dermal papilla cells. These findings suggest a therapy "
            "for alopecia in humans."
        ),
        "animal",
        {"animal", "in_vitro"},
    ),
]


@pytest.mark.parametrize(("title", "body", "design", "subjects"), DESIGNS)
def test_each_way_of_describing_a_design(title: str, body: str, design: str, subjects: set[str]) -> None:
    rec = record(title, body)
    assert values(rec, "design") == {design}
    assert values(rec, "subjects") == subjects


THIS_STUDY_VS_BACKGROUND = [
    (
        "Bovine milk exosomes promote hair growth in mice",
        "Mesenchymal stem cell-derived exosomes have shown promise for hair loss, but their production is "
        "costly. Here we isolated exosomes from bovine milk and applied them topically to shaved C57BL/6 mice. "
        "Hair regrowth was faster than with vehicle.",
        {"ev_source": {"milk"}, "delivery": {"topical"}},
    ),
    (
        "Plant exosome-like nanovesicles reduce melanin",
        "Exosomes from adipose stem cells reduce pigmentation but raise safety concerns. "
        "We prepared nanovesicles from ginseng roots. "
        "In B16F10 melanoma cells the nanovesicles reduced melanin content.",
        {"ev_source": {"plant"}, "delivery": set()},
    ),
    (
        "Umbilical cord MSC exosomes in a hydrogel heal diabetic wounds",
        "Intravenous delivery of exosomes suffers from rapid clearance. "
        "We loaded exosomes from umbilical cord MSCs into a chitosan hydrogel and applied it to full-thickness "
        "wounds in diabetic rats. Closure was faster.",
        {"ev_source": {"umbilical_cord_msc"}, "delivery": {"hydrogel_scaffold", "topical"}},
    ),
    (
        "Adipose stem cell exosomes for photoaged skin",
        "Topical retinoids and lasers are standard treatments for photoaging. "
        "We injected exosomes from adipose-derived stem cells subcutaneously into UVB-irradiated mice. "
        "Wrinkles and collagen loss were reduced.",
        {"ev_source": {"adipose_msc"}, "delivery": {"subcutaneous"}},
    ),
    (
        "Fibroblast exosomes protect keratinocytes",
        "Keratinocytes are the main target of UV damage. "
        "Exosomes released by dermal fibroblasts were added to HaCaT cells exposed to UVB. Apoptosis decreased.",
        {"ev_source": {"fibroblast"}, "delivery": set()},
    ),
    (
        "Exosomes from M2 macrophages accelerate wound closure",
        "Macrophages orchestrate wound repair, and MSC exosomes polarize them to M2. "
        "We isolated exosomes from M2 macrophages and injected them around wounds of mice. "
        "Re-epithelialization increased.",
        {"ev_source": {"other_cells"}, "delivery": {"intradermal_injection"}},
    ),
    (
        "Platelet extracellular vesicles in a dressing for burns",
        "Platelet-rich plasma is widely used in wound care. "
        "We isolated extracellular vesicles from human platelets and loaded them into an alginate dressing "
        "applied to burn wounds in rats. Healing was faster.",
        {"ev_source": {"platelet_prp"}, "delivery": {"hydrogel_scaffold", "topical"}},
    ),
    (
        "Keratinocyte exosomes regulate pigmentation",
        "Melanocytes transfer melanin to keratinocytes. "
        "We collected exosomes from keratinocytes exposed to UVB and added them to melanocytes. "
        "Melanin synthesis increased.",
        {"ev_source": {"keratinocyte"}, "delivery": set()},
    ),
]


@pytest.mark.parametrize(("title", "body", "expected"), THIS_STUDY_VS_BACKGROUND)
def test_a_source_or_route_named_as_background_is_not_this_studys(
    title: str, body: str, expected: dict[str, set[str]]
) -> None:
    rec = record(title, body)
    assert {facet: values(rec, facet) for facet in expected} == expected
