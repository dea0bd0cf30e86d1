"""What the synthetic studies are made of: EV sources, methods, mechanisms, delivery, safety.

Keys are the class ids of the built-in taxonomy (protocol/builtin/taxonomies/
exosome-aesthetics.toml), so a record's ground truth can be compared with the
classifier's labels without a mapping table. Every phrase is written to express
exactly its own class and nothing else: a stray "wound" or "dermal papilla" in a
phrase would make the text claim an indication the ground truth does not list.
"""

from __future__ import annotations

from dataclasses import dataclass

from exoreview.corpus import bibliography as b
from exoreview.corpus.bibliography import Mesh

MeshEntry = tuple[Mesh, tuple[str, str] | None, bool]  # descriptor, qualifier, major


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    titles: tuple[str, ...]  # capitalised, for the start of a title
    long: str  # first mention in an abstract; defines the short form
    short: str  # later mentions (plural subject)
    origin: str  # "isolated from <origin>"
    noun: str  # "Exosomes", "Extracellular vesicles" or "Exosome-like nanovesicles"
    mesh: tuple[MeshEntry, ...]
    keyword: str
    only_for: tuple[str, ...] = ()  # indications this source is limited to (empty: any)
    weight: float = 1.0


_EXO, _EV = "Exosomes", "Extracellular vesicles"
_MSC_META: MeshEntry = (b.MSC, b.Q_METABOLISM, False)

SOURCES: tuple[Source, ...] = (
    Source("adipose_msc", ("Adipose-derived stem cell exosomes", "Exosomes from human adipose-derived stem cells"),
           "exosomes derived from human adipose-derived stem cells (ADSC-Exos)", "ADSC-Exos",
           "the conditioned medium of human adipose-derived stem cells", _EXO,
           (_MSC_META, (b.ADIPOSE_TISSUE, b.Q_CYTOLOGY, False)), "adipose-derived stem cells", weight=3.0),
    Source("bone_marrow_msc", ("Bone marrow mesenchymal stem cell exosomes",),
           "exosomes from bone marrow mesenchymal stem cells (BMSC-Exos)", "BMSC-Exos",
           "the conditioned medium of bone marrow mesenchymal stem cells", _EXO,
           (_MSC_META, (b.BONE_MARROW, b.Q_CYTOLOGY, False)), "bone marrow", weight=1.5),
    Source("umbilical_cord_msc", ("Umbilical cord mesenchymal stem cell exosomes",),
           "exosomes derived from human umbilical cord mesenchymal stem cells (hUCMSC-Exos)", "hUCMSC-Exos",
           "the conditioned medium of umbilical cord mesenchymal stem cells", _EXO,
           (_MSC_META, (b.UMBILICAL_CORD, b.Q_CYTOLOGY, False)), "umbilical cord", weight=2.0),
    Source("wharton_jelly_msc", ("Extracellular vesicles from Wharton's jelly mesenchymal stem cells",),
           "extracellular vesicles from Wharton's jelly mesenchymal stem cells (WJ-MSC-EVs)", "WJ-MSC-EVs",
           "the conditioned medium of Wharton's jelly mesenchymal stem cells", _EV,
           (_MSC_META, (b.WHARTON_JELLY, b.Q_CYTOLOGY, False)), "Wharton's jelly"),
    Source("placenta", ("Placenta-derived exosomes", "Exosomes from placental mesenchymal stem cells"),
           "exosomes derived from human placental mesenchymal stem cells (PMSC-Exos)", "PMSC-Exos",
           "the conditioned medium of placental mesenchymal stem cells", _EXO,
           (_MSC_META, (b.PLACENTA, b.Q_CYTOLOGY, False)), "placenta"),
    Source("amnion", ("Amniotic epithelial cell exosomes",),
           "exosomes derived from human amniotic epithelial cells (hAEC-Exos)", "hAEC-Exos",
           "the conditioned medium of human amniotic epithelial cells", _EXO,
           ((b.AMNION, b.Q_CYTOLOGY, False),), "amnion"),
    Source("ipsc", ("Induced pluripotent stem cell-derived exosomes",),
           "exosomes from human induced pluripotent stem cells (iPSC-Exos)", "iPSC-Exos",
           "the conditioned medium of human induced pluripotent stem cells", _EXO,
           ((b.IPSC, b.Q_METABOLISM, False),), "induced pluripotent stem cells"),
    Source("keratinocyte", ("Keratinocyte-derived exosomes",),
           "keratinocyte-derived exosomes (KC-Exos)", "KC-Exos",
           "the conditioned medium of primary epidermal keratinocytes", _EXO,
           ((b.KERATINOCYTES, b.Q_METABOLISM, False),), "keratinocyte-derived exosomes", weight=0.7),
    Source("fibroblast", ("Dermal fibroblast-derived exosomes",),
           "dermal fibroblast-derived exosomes (DF-Exos)", "DF-Exos",
           "the conditioned medium of young donor dermal fibroblasts", _EXO,
           ((b.FIBROBLASTS, b.Q_METABOLISM, False),), "fibroblast-derived exosomes", weight=0.7),
    Source("dermal_papilla", ("Dermal papilla cell-derived exosomes",),
           "dermal papilla cell-derived exosomes (DPC-Exos)", "DPC-Exos",
           "three-dimensional spheroid cultures of dermal papilla cells", _EXO,
           ((b.HAIR_FOLLICLE, b.Q_CYTOLOGY, False),), "dermal papilla", only_for=("hair_loss",), weight=0.7),
    Source("melanocyte", ("Melanocyte-derived exosomes",),
           "melanocyte-derived exosomes (MC-Exos)", "MC-Exos",
           "the conditioned medium of normal epidermal melanocytes", _EXO,
           ((b.MELANOCYTES, b.Q_METABOLISM, False),), "melanocyte-derived exosomes",
           only_for=("pigmentation",), weight=0.5),
    Source("platelet_prp", ("Platelet-rich plasma-derived exosomes", "Platelet-derived extracellular vesicles"),
           "platelet-rich plasma-derived exosomes (PRP-Exos)", "PRP-Exos",
           "activated platelet-rich plasma from healthy donors", _EXO,
           ((b.PRP, b.Q_CHEMISTRY, False), (b.PLATELETS, b.Q_METABOLISM, False)), "platelet-rich plasma"),
    Source("plasma_serum", ("Plasma-derived exosomes", "Serum-derived extracellular vesicles"),
           "human plasma-derived exosomes (P-Exos)", "P-Exos",
           "pooled plasma of young healthy donors", _EXO,
           ((b.PLASMA, b.Q_CHEMISTRY, False),), "plasma-derived exosomes", weight=0.6),
    Source("plant", ("Ginseng-derived exosome-like nanovesicles", "Grape-derived exosome-like nanovesicles",
                     "Aloe vera-derived exosome-like nanovesicles"),
           "{plant}-derived exosome-like nanovesicles ({abbr}-ELNs)", "{abbr}-ELNs",
           "fresh {plant} juice", "Exosome-like nanovesicles",
           (), "plant-derived nanovesicles", weight=1.5),
    Source("milk", ("Bovine milk-derived exosomes",),
           "bovine milk-derived exosomes (mExos)", "mExos",
           "skimmed raw bovine milk", _EXO,
           ((b.MILK, b.Q_CHEMISTRY, False),), "milk exosomes", weight=0.6),
    Source("bacteria", ("Extracellular vesicles derived from Lactobacillus plantarum",),
           "extracellular vesicles derived from Lactobacillus plantarum (LpEVs)", "LpEVs",
           "Lactobacillus plantarum culture supernatant", _EV,
           ((b.LACTOBACILLUS, b.Q_METABOLISM, False),), "probiotic vesicles", weight=0.6),
    Source("engineered", ("Engineered exosomes displaying a skin-penetrating peptide",),
           "engineered exosomes from HEK293T cells displaying a skin-penetrating peptide (eExos)", "eExos",
           "HEK293T cells transfected to display a skin-penetrating peptide", _EXO,
           ((b.HEK293, b.Q_METABOLISM, False),), "engineered exosomes", weight=0.7),
    Source("synthetic_mimetic", ("Exosome-mimetic nanovesicles",),
           "exosome-mimetic nanovesicles (EMNVs) produced by serial extrusion of parent cells", "EMNVs",
           "parent cells extruded through polycarbonate membranes", "Exosome-mimetic nanovesicles",
           ((b.BIOMIMETICS, None, False), (b.NANOPARTICLES, b.Q_CHEMISTRY, False)), "exosome mimetics",
           weight=0.5),
    Source("msc_unspecified", ("Mesenchymal stem cell-derived exosomes",),
           "mesenchymal stem cell-derived exosomes (MSC-Exos)", "MSC-Exos",
           "the conditioned medium of mesenchymal stem cells", _EXO,
           (_MSC_META,), "mesenchymal stem cells", weight=0.8),
)
SOURCE_BY_KEY = {s.key: s for s in SOURCES}

# Plant species: (name in text, abbreviation, MeSH).
PLANTS: tuple[tuple[str, str, Mesh], ...] = (
    ("ginseng", "G", b.PANAX), ("grape", "Gr", b.VITIS), ("aloe vera", "A", b.ALOE),
)


@dataclass(frozen=True, slots=True)
class Method:
    key: str
    phrases: tuple[str, ...]
    mesh: Mesh | None = None
    weight: float = 1.0


ISOLATION: tuple[Method, ...] = (
    Method("differential_ultracentrifugation",
           ("differential ultracentrifugation (100,000 × g, 70 min)", "serial ultracentrifugation at 120,000 × g"),
           b.ULTRACENTRIFUGATION, 4.0),
    Method("density_gradient",
           ("iodixanol density gradient ultracentrifugation", "sucrose density gradient centrifugation"),
           b.DENSITY_GRADIENT),
    Method("size_exclusion_chromatography", ("size-exclusion chromatography", "size-exclusion columns (qEV)"),
           b.GEL_CHROMATOGRAPHY, 1.5),
    Method("polymer_precipitation", ("a polyethylene glycol-based precipitation kit (ExoQuick-TC)",
                                     "polymer-based precipitation"), None, 1.5),
    Method("ultrafiltration", ("ultrafiltration through 100-kDa centrifugal filter units",), b.ULTRAFILTRATION),
    Method("tangential_flow_filtration", ("tangential-flow filtration",), None),
    Method("immunoaffinity", ("immunoaffinity capture on antibody-coated magnetic beads",), None, 0.5),
    Method("microfluidics", ("a microfluidic chip",), b.MICROFLUIDICS, 0.5),
    Method("af4", ("asymmetric-flow field-flow fractionation (AF4)",), b.FIELD_FLOW, 0.5),
)

# Particle and morphology methods; markers are handled separately below.
CHARACTERIZATION: tuple[Method, ...] = (
    Method("nta", ("nanoparticle tracking analysis (NTA)",), None, 4.0),
    Method("dls", ("dynamic light scattering",), b.DLS),
    Method("trps", ("tunable resistive pulse sensing",), None, 0.6),
    Method("tem_cryoem", ("transmission electron microscopy", "cryo-electron microscopy"), b.TEM, 4.0),
    Method("nano_flow", ("nano flow cytometry",), None, 0.6),
)
POSITIVE_MARKERS = ("CD9", "CD63", "CD81", "TSG101", "Alix", "HSP70", "flotillin-1")
NEGATIVE_MARKERS = ("calnexin", "GM130", "ApoA1")
MARKER_CLASS = {
    "CD9": "positive_cd9", "CD63": "positive_cd63", "CD81": "positive_cd81", "TSG101": "positive_tsg101",
    "Alix": "positive_alix", "HSP70": "positive_hsp70", "flotillin-1": "positive_flotillin",
    "calnexin": "negative_calnexin", "GM130": "negative_gm130", "ApoA1": "negative_apoa1",
}


@dataclass(frozen=True, slots=True)
class Mechanism:
    key: str
    results: tuple[str, ...]  # predicates: "<short> {result}"
    title: str  # noun phrase for "via ..." in titles
    negated: str  # noun phrase for "did not alter ..."
    mesh: tuple[MeshEntry, ...]
    fibrotic: tuple[str, ...] = ()  # predicates for scar conditions, where the aim is to damp the pathway


MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism("collagen_elastin",
              ("increased type I and type III collagen and elastin expression",
               "restored dermal collagen density and elastin fibres"),
              "collagen synthesis", "collagen I expression",
              ((b.COLLAGEN, b.Q_METABOLISM, False), (b.ELASTIN, b.Q_METABOLISM, False)),
              ("reduced excessive type I collagen deposition",)),
    Mechanism("fibroblast_proliferation_migration",
              ("promoted fibroblast proliferation and migration",
               "enhanced the proliferation and migration of dermal fibroblasts"),
              "fibroblast proliferation", "fibroblast proliferation",
              ((b.CELL_PROLIFERATION, None, False), (b.CELL_MOVEMENT, None, False)),
              ("inhibited the proliferation and migration of scar fibroblasts",)),
    Mechanism("mmp_timp",
              ("lowered MMP-1 and MMP-3 expression while raising TIMP-1",
               "suppressed MMP-1 and MMP-3 and up-regulated TIMP-1"),
              "MMP-1 suppression", "MMP-1 levels",
              ((b.MMP1, b.Q_METABOLISM, False), (b.TIMP1, b.Q_METABOLISM, False))),
    Mechanism("tgfb_smad",
              ("activated TGF-β/Smad signalling", "increased TGF-β1 and phosphorylated Smad2/3"),
              "TGF-β/Smad signalling", "TGF-β1 levels",
              ((b.TGF_BETA, b.Q_METABOLISM, False), (b.SMAD, b.Q_METABOLISM, False)),
              ("suppressed TGF-β1/Smad2/3 signalling",)),
    Mechanism("pi3k_akt",
              ("activated the PI3K/Akt pathway", "increased Akt phosphorylation through PI3K"),
              "the PI3K/Akt pathway", "Akt phosphorylation",
              ((b.PI3K, b.Q_METABOLISM, False), (b.AKT, b.Q_METABOLISM, False))),
    Mechanism("erk_mapk",
              ("increased ERK1/2 phosphorylation", "activated ERK signalling"),
              "ERK activation", "ERK1/2 phosphorylation",
              ((b.MAPK_SYSTEM, None, False),)),
    Mechanism("wnt_beta_catenin",
              ("activated Wnt/β-catenin signalling in dermal papilla cells",
               "increased nuclear β-catenin in dermal papilla cells"),
              "the Wnt/β-catenin pathway", "β-catenin levels",
              ((b.WNT, None, False), (b.BETA_CATENIN, b.Q_METABOLISM, False))),
    Mechanism("anagen_prolongation",
              ("prolonged the anagen phase", "accelerated the telogen-to-anagen transition"),
              "anagen prolongation", "the anagen-to-catagen ratio", ()),
    Mechanism("angiogenesis_vegf",
              ("raised VEGF expression and promoted angiogenesis", "increased CD31-positive vessel density and VEGF"),
              "VEGF-driven angiogenesis", "VEGF expression",
              ((b.VEGF_A, b.Q_METABOLISM, False), (b.NEOVASCULARIZATION, None, False))),
    Mechanism("antioxidant_ros",
              ("lowered reactive oxygen species (ROS) levels", "reduced oxidative stress and ROS accumulation"),
              "ROS scavenging", "ROS levels",
              ((b.ROS, b.Q_METABOLISM, False), (b.OXIDATIVE_STRESS, None, False))),
    Mechanism("anti_inflammatory",
              ("decreased IL-6 and TNF-α levels", "suppressed IL-6 and TNF-α production"),
              "IL-6 and TNF-α suppression", "IL-6 levels",
              ((b.IL6, b.Q_METABOLISM, False), (b.TNF_ALPHA, b.Q_METABOLISM, False))),
    Mechanism("melanogenesis_inhibition",
              ("down-regulated MITF, tyrosinase, TRP-1 and TRP-2",
               "reduced melanin content and tyrosinase activity through MITF suppression"),
              "MITF down-regulation", "tyrosinase activity",
              ((b.MITF, b.Q_METABOLISM, False), (b.TYROSINASE, b.Q_METABOLISM, False))),
    Mechanism("microrna_cargo",
              ("transferred miR-21-5p to recipient cells, and blocking it abolished the effect",
               "carried microRNAs (notably miR-146a) that accounted for much of the effect"),
              "microRNA transfer", "miR-21 levels",
              ((b.MICRORNAS, b.Q_METABOLISM, False),)),
)
MECHANISM_BY_KEY = {m.key: m for m in MECHANISMS}
# Pathways a negated sentence may name without touching any indication's wording.
NEGATABLE = ("erk_mapk", "pi3k_akt", "tgfb_smad", "anti_inflammatory", "antioxidant_ros",
             "angiogenesis_vegf", "mmp_timp", "collagen_elastin")


@dataclass(frozen=True, slots=True)
class Delivery:
    key: str
    clinical: str  # how a clinical study gave the vesicles
    animal: str  # how an animal study gave them ("" if not used in animals)
    title: str  # for clinical titles ("" if none)
    mesh: tuple[MeshEntry, ...]


DELIVERY: tuple[Delivery, ...] = (
    Delivery("topical", "applied topically twice daily", "applied topically to the dorsal skin", "topical",
             ((b.ADMIN_TOPICAL, None, False),)),
    Delivery("microneedling", "delivered by microneedling (1.0 mm needle depth)",
             "delivered with a microneedle roller", "microneedling-assisted",
             ((b.NEEDLES, None, False),)),
    Delivery("fractional_laser", "delivered onto fractional CO2 laser channels", "",
             "fractional laser-assisted", ((b.LASER_THERAPY, None, False), (b.LASERS_GAS, None, False))),
    Delivery("intradermal_injection", "injected intradermally", "injected intradermally at four sites",
             "intradermal", ((b.INJ_INTRADERMAL, None, False),)),
    Delivery("hydrogel_scaffold", "", "loaded into a hyaluronic acid hydrogel", "",
             ((b.HYDROGELS, b.Q_CHEMISTRY, False), (b.SCAFFOLDS, None, False))),
    Delivery("subcutaneous", "", "injected subcutaneously in the dorsal region", "",
             ((b.INJ_SUBCUTANEOUS, None, False),)),
    Delivery("intravenous", "", "given by tail vein injection", "", ((b.INJ_INTRAVENOUS, None, False),)),
)
DELIVERY_BY_KEY = {d.key: d for d in DELIVERY}

DOSES_IN_VITRO = ("50 µg/mL", "100 µg/mL", "1 × 10^9 particles/mL", "5 × 10^9 particles/mL", "20 µg/mL")
DOSES_ANIMAL = ("100 µg per injection", "1 × 10^10 particles per site", "200 µg/mL, 100 µL", "50 µg per dose")
DOSES_CLINICAL = ("1 × 10^10 particles/mL", "2 × 10^10 particles per session", "5 × 10^9 particles/mL",
                  "3 × 10^10 particles/mL")

# Adverse events a clinical abstract may report, worded to be read as events ("transient erythema").
ADVERSE_EVENTS = ("transient erythema", "mild edema", "mild pruritus", "transient burning", "mild pain",
                  "temporary swelling")
SERIOUS_EVENTS = ("cellulitis requiring hospital admission", "a severe allergic reaction")
FOLLOW_UP_WEEKS = (4, 8, 12, 12, 16, 24, 24, 48)

# Study designs (taxonomy ids) with sampling weights for relevant studies.
DESIGN_WEIGHTS: dict[str, float] = {
    "in_vitro": 14, "ex_vivo": 3, "animal": 18, "case_report": 3, "case_series": 4,
    "nonrandomized_trial": 5, "split_face": 4, "rct": 5, "narrative_review": 12,
    "systematic_review": 3, "meta_analysis": 1.5,
}
PRECLINICAL = frozenset({"in_vitro", "ex_vivo", "animal"})
CLINICAL = frozenset({"case_report", "case_series", "nonrandomized_trial", "split_face", "rct"})
REVIEWS = frozenset({"narrative_review", "systematic_review", "meta_analysis"})
SPECIES = {"mouse": (b.MICE, "mice"), "rat": (b.RATS, "rats"), "pig": (b.SWINE, "pigs")}
