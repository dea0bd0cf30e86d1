"""Irrelevant records that the seed query still retrieves, so screening has real work.

Two families: vesicle studies outside aesthetics (oncology, neurology, cardiology)
that carry a second-block term through a MeSH heading or a passing phrase (glial
scar, brain rejuvenation, tumour pigmentation), and aesthetic studies without
vesicles that name exosomes only in passing. Placeholders {n}, {pct}, {p} and
{months} are filled per record so repeated kinds do not produce identical text.
"""

from __future__ import annotations

from dataclasses import dataclass

from exoreview.corpus import bibliography as b
from exoreview.corpus.vocabulary import MeshEntry


@dataclass(frozen=True, slots=True)
class OffTopic:
    noise: str  # ground-truth label for why the record is irrelevant
    titles: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]
    mesh: tuple[MeshEntry, ...]
    publication_types: tuple[tuple[str, str], ...] = (b.PT_JOURNAL_ARTICLE,)
    weight: float = 1.0
    slots: tuple[tuple[str, tuple[str, ...]], ...] = ()  # per-record variants, so titles rarely repeat


_MELANOMA = ("Melanoma", "D008545")
_SKIN_NEOPLASMS = ("Skin Neoplasms", "D012878")
_METASTASIS = ("Neoplasm Metastasis", "D009362")
_SCC = ("Carcinoma, Squamous Cell", "D002294")
_BREAST = ("Breast Neoplasms", "D001943")
_AGING = ("Aging", "D000375")
_HIPPOCAMPUS = ("Hippocampus", "D006624")
_NEUROGENESIS = ("Neurogenesis", "D055495")
_GLIOSIS = ("Gliosis", "D005911")
_MI = ("Myocardial Infarction", "D009203")
_FILLERS = ("Dermal Fillers", "D000067548")
_HYALURONIC = ("Hyaluronic Acid", "D006820")
_BOTOX = ("Botulinum Toxins, Type A", "D019274")
_TRANEXAMIC = ("Tranexamic Acid", "D014148")

OFF_TOPIC: tuple[OffTopic, ...] = (
    OffTopic(
        "off_topic_oncology",
        ("Melanoma-derived exosomes prepare the {organ} for metastasis",
         "Exosomal {protein} from melanoma cells predicts {endpoint}",
         "Circulating melanoma exosomes carrying {protein} mark {endpoint}"),
        (("BACKGROUND", "Melanoma cells release large numbers of exosomes that alter distant tissues before "
                        "metastasis."),
         ("METHODS", "Exosomes from {n} melanoma cell lines were profiled by proteomics and injected into mice."),
         ("RESULTS", "Exosome uptake increased vascular leakiness in the {organ} by {pct}% ({p}), independent of "
                     "tumour pigmentation."),
         ("CONCLUSIONS", "Melanoma exosomes may serve as markers of metastatic risk.")),
        ((b.EXOSOMES, b.Q_METABOLISM, True), (_MELANOMA, b.Q_PATHOLOGY, True), (_SKIN_NEOPLASMS, b.Q_PATHOLOGY, False),
         (_METASTASIS, None, False), (b.HUMANS, None, False), (b.ANIMALS, None, False), (b.MICE, None, False)),
        weight=1.5,
        slots=(("organ", ("lymph node", "lung", "liver", "brain", "bone marrow")),
               ("protein", ("PD-L1", "MIF", "integrin beta-4", "HSP90", "caveolin-1")),
               ("endpoint", ("early metastatic spread", "response to immunotherapy", "relapse after surgery",
                             "brain metastasis"))),
    ),
    OffTopic(
        "off_topic_oncology",
        ("Exosomes from senescent fibroblasts in photoaged skin promote {tumour} {process}",
         "Photoaged dermis releases exosomes that drive {tumour} {process}"),
        (("BACKGROUND", "Photoaging leaves senescent dermal fibroblasts that may favour skin cancer."),
         ("METHODS", "Exosomes from senescent and young fibroblasts were added to {n} carcinoma cell cultures."),
         ("RESULTS", "Senescent fibroblast exosomes raised carcinoma cell invasion by {pct}% ({p})."),
         ("CONCLUSIONS", "Exosomes from aged dermis may link photoaging with skin cancer progression.")),
        ((b.EXOSOMES, b.Q_METABOLISM, True), (_SCC, b.Q_PATHOLOGY, True), (b.SKIN_AGING, b.Q_PATHOLOGY, False),
         (_SKIN_NEOPLASMS, None, False), (b.HUMANS, None, False)),
        slots=(("tumour", ("squamous cell carcinoma", "basal cell carcinoma", "keratinocyte carcinoma")),
               ("process", ("invasion", "growth", "immune escape", "progression"))),
    ),
    OffTopic(
        "off_topic_oncology",
        ("Tumour-derived exosomes and the oncological safety of fat grafting in {procedure}",
         "Circulating tumour exosomes after fat grafting in {procedure}: a safety study"),
        (("BACKGROUND", "Fat grafting is used in aesthetic and reconstructive breast surgery after cancer."),
         ("METHODS", "We measured circulating tumour exosomes in {n} women before and after grafting."),
         ("RESULTS", "Tumour exosome levels did not rise after grafting ({p})."),
         ("CONCLUSIONS", "Fat grafting did not appear to mobilize tumour exosomes over {months} months.")),
        ((b.EXOSOMES, None, False), (_BREAST, b.Q_SURGERY, True), (b.HUMANS, None, False),
         (b.FEMALE, None, False)),
        weight=0.7,
        slots=(("procedure", ("aesthetic breast surgery", "aesthetic breast augmentation",
                              "aesthetic breast contour correction")),),
    ),
    OffTopic(
        "off_topic_neurology",
        ("Young plasma extracellular vesicles rejuvenate {brain} in aged {species}",
         "Extracellular vesicles from young blood and the rejuvenation of {brain} in old {species}"),
        (("BACKGROUND", "Factors in young blood can reverse some features of brain ageing."),
         ("METHODS", "Extracellular vesicles from young plasma were injected into {n} aged {species} for four weeks."),
         ("RESULTS", "Neurogenesis in the hippocampus rose by {pct}% ({p}), and memory tests improved."),
         ("CONCLUSIONS", "Extracellular vesicles may carry part of the rejuvenating effect of young plasma on the "
                         "brain.")),
        ((b.EXTRACELLULAR_VESICLES, b.Q_PHYSIOLOGY, True), (b.REJUVENATION, None, False), (_AGING, None, False),
         (_HIPPOCAMPUS, b.Q_PHYSIOLOGY, False), (_NEUROGENESIS, None, True), (b.ANIMALS, None, False),
         (b.MALE, None, False)),
        slots=(("brain", ("hippocampal neurogenesis", "synaptic plasticity", "cognitive function", "myelin repair")),
               ("species", ("mice", "rats"))),
    ),
    OffTopic(
        "off_topic_neurology",
        ("{origin} exosomes reduce glial scar formation after {injury} in {species}",
         "Glial scar and {injury}: effects of {origin_lower} exosomes in {species}"),
        (("BACKGROUND", "The glial scar limits axon regrowth after {injury}."),
         ("METHODS", "Injured {species} received exosomes intravenously for {n} days."),
         ("RESULTS", "Glial scar area fell by {pct}% and locomotor scores improved ({p})."),
         ("CONCLUSIONS", "Exosomes may support repair after {injury} by limiting the glial scar.")),
        ((b.EXOSOMES, b.Q_TRANSPLANTATION, True), (_GLIOSIS, b.Q_THERAPY, True),
         (b.CICATRIX, b.Q_PATHOLOGY, False), (b.ANIMALS, None, False)),
        slots=(("origin", ("Bone marrow stromal cell", "Neural stem cell", "Microglia-derived", "Astrocyte-derived")),
               ("injury", ("spinal cord injury", "traumatic brain injury", "ischaemic stroke")),
               ("species", ("rats", "mice"))),
    ),
    OffTopic(
        "off_topic_cardiology",
        ("Extracellular vesicles from {cell} limit myocardial scar expansion in {species}",
         "Myocardial scar size after infarction: a role for extracellular vesicles from {cell} in {species}"),
        (("BACKGROUND", "Scar expansion after myocardial infarction drives heart failure."),
         ("METHODS", "{species_cap} with infarction received intracoronary extracellular vesicles or saline "
                     "({n} per group)."),
         ("RESULTS", "Scar size was {pct}% smaller with vesicles at eight weeks ({p})."),
         ("CONCLUSIONS", "Extracellular vesicles may limit adverse remodelling after infarction.")),
        ((b.EXTRACELLULAR_VESICLES, b.Q_TRANSPLANTATION, True), (_MI, b.Q_THERAPY, True),
         (b.CICATRIX, b.Q_PREVENTION, False), (b.ANIMALS, None, False)),
        weight=0.7,
        slots=(("cell", ("cardiac progenitor cells", "cardiosphere-derived cells", "endothelial cells")),
               ("species", ("pigs", "rats", "mice"))),
    ),
    OffTopic(
        "aesthetic_without_ev",
        ("Platelet-rich plasma {regimen} for androgenetic alopecia: a prospective study of {n} men",
         "Hair density after {regimen} of platelet-rich plasma in androgenetic alopecia"),
        (("BACKGROUND", "Platelet-rich plasma is widely offered for hair loss."),
         ("METHODS", "{n} men received three monthly injections of platelet-rich plasma into the scalp."),
         ("RESULTS", "Hair density rose by {pct}% at six months ({p})."),
         ("CONCLUSIONS", "Unlike the exosome products now marketed for hair loss, platelet-rich plasma is prepared at "
                         "the bedside; exosomes were not studied here.")),
        ((b.ALOPECIA, b.Q_THERAPY, True), (b.PRP, None, True), (b.HUMANS, None, False), (b.MALE, None, False)),
        (b.PT_JOURNAL_ARTICLE, b.PT_CLINICAL_TRIAL), weight=1.5,
        slots=(("regimen", ("injections", "three monthly sessions", "a single-spin protocol",
                            "a double-spin protocol")),),
    ),
    OffTopic(
        "aesthetic_without_ev",
        ("Hyaluronic acid filler for {area}: {months}-month outcomes",
         "Durability of hyaluronic acid filler in {area} over {months} months"),
        (("BACKGROUND", "Fillers are a mainstay of non-surgical wrinkle reduction."),
         ("METHODS", "{n} adults received hyaluronic acid filler for {area}."),
         ("RESULTS", "Wrinkle severity improved by {pct}% and was sustained at {months} months ({p})."),
         ("CONCLUSIONS", "Exosome serums are often sold alongside fillers, but none were used in this study.")),
        ((_FILLERS, None, True), (_HYALURONIC, b.Q_ADMINISTRATION, False), (b.SKIN_AGING, None, False),
         (b.COSMETIC_TECHNIQUES, None, False), (b.HUMANS, None, False), (b.FEMALE, None, False)),
        (b.PT_JOURNAL_ARTICLE,),
        slots=(("area", ("nasolabial folds", "marionette lines", "tear troughs", "midface volume loss")),),
    ),
    OffTopic(
        "aesthetic_without_ev",
        ("Botulinum toxin type A for {lines}: a {study}",),
        (("BACKGROUND", "Expression lines such as {lines} are among the first wrinkles to appear."),
         ("METHODS", "{n} adults were treated with one of three doses of botulinum toxin type A."),
         ("RESULTS", "Response rates were {pct}% at the highest dose ({p})."),
         ("CONCLUSIONS", "The middle dose balanced efficacy and duration; combined exosome protocols were not "
                         "assessed.")),
        ((_BOTOX, b.Q_ADMINISTRATION, True), (b.SKIN_AGING, b.Q_DRUG_EFFECTS, False), (b.ESTHETICS, None, False),
         (b.HUMANS, None, False)),
        (b.PT_JOURNAL_ARTICLE, b.PT_CLINICAL_TRIAL),
        slots=(("lines", ("lateral canthal lines", "glabellar lines", "forehead lines", "platysmal bands")),
               ("study", ("dose-ranging study", "comparative study", "real-world analysis"))),
    ),
    OffTopic(
        "aesthetic_without_ev",
        ("{route} tranexamic acid for melasma: a {study}",),
        (("BACKGROUND", "Melasma often resists topical bleaching."),
         ("METHODS", "We analysed the records of {n} women given {route_lower} tranexamic acid."),
         ("RESULTS", "Pigmentation scores fell by {pct}% after {months} months ({p})."),
         ("CONCLUSIONS", "Tranexamic acid helped many women with melasma; products based on exosomes, although "
                         "promoted for melasma, have not been compared with it.")),
        ((_TRANEXAMIC, b.Q_THERAPEUTIC_USE, True), (b.MELANOSIS, b.Q_DRUG_THERAPY, True), (b.HUMANS, None, False),
         (b.FEMALE, None, False)),
        slots=(("route", ("Oral", "Low-dose oral", "Sustained-release oral")),
               ("study", ("retrospective analysis", "chart review", "real-world analysis"))),
    ),
    OffTopic(
        "aesthetic_without_ev",
        ("{laser} alone for atrophic acne scars in {skin}",),
        (("BACKGROUND", "Fractional lasers improve acne scars but carry pigmentation risks in darker skin."),
         ("METHODS", "{n} adults received three sessions with a {laser_lower}."),
         ("RESULTS", "Scar grades improved by {pct}% ({p})."),
         ("CONCLUSIONS", "Laser alone was effective; protocols adding exosomes were not compared.")),
        ((b.CICATRIX, b.Q_THERAPY, True), (b.LASERS_GAS, b.Q_THERAPEUTIC_USE, False), (b.HUMANS, None, False)),
        slots=(("laser", ("Fractional CO2 laser", "Fractional erbium laser", "Picosecond laser")),
               ("skin", ("darker skin types", "Asian adults", "adolescents"))),
    ),
)
OFF_TOPIC_WEIGHTS = tuple(o.weight for o in OFF_TOPIC)
