"""The conditions synthetic studies treat, one per taxonomy sub-class of indication.

Each background sentence names the condition with at least one phrase of the seed
review's second search block (aesthetic, wrinkles, photoaging, hair loss, hair growth,
melasma, pigmentation, skin rejuvenation), so an abstract always matches the seed
query. Background sentences avoid "patients" and other words that would signal human
participants, because they are shared by in vitro and animal studies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exoreview.corpus import bibliography as b
from exoreview.corpus.vocabulary import MeshEntry

# Descriptors of the seed query's second block, after explosion; a condition without
# one of them gets "Esthetics" so its MEDLINE indexing alone matches the query.
_BLOCK2_UIS = frozenset({
    "D004954", "D003357", "D012060", "D015595", "D006197", "D018859", "D000505", "D000506",
    "D017495", "D008548", "D002921", "D017439", "D007627", "D003880", "D003358",
})


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    indication: str  # taxonomy class id
    name: str  # as named in running text
    target: str  # what vesicles act on, for titles ("hair growth")
    polarity: str  # "promote" or "reduce": which verbs fit the target
    mesh: tuple[MeshEntry, ...]
    background: tuple[str, ...]
    cells: str  # in vitro target cells
    explant: str  # ex vivo tissue
    models: dict[str, str]  # species -> animal model
    readout: str  # what improves in preclinical work
    population: str  # clinical population, after a count ("24 women with melasma")
    endpoint: str  # primary clinical endpoint
    site: str  # "face", "scalp" or "body"
    comparator: str
    mechanisms: tuple[str, ...]
    deliveries: tuple[str, ...]  # clinical delivery routes that fit
    keywords: tuple[str, ...]
    fibrotic: bool = False
    weight: float = 1.0
    implied: tuple[str, ...] = ()  # delivery classes the condition's own wording already names
    case_phrase: str = ""  # follows "12 patients" / "a 45-year-old woman"; default "with <name>"
    needs_esthetics: bool = field(init=False)

    def __post_init__(self) -> None:
        if not self.case_phrase:
            object.__setattr__(self, "case_phrase", f"with {self.name}")
        object.__setattr__(self, "needs_esthetics", not any(m[0][1] in _BLOCK2_UIS for m in self.mesh))


CONDITIONS: tuple[Condition, ...] = (
    Condition(
        "photoaging", "skin_rejuvenation", "photoaging", "UVB-induced photoaging", "reduce",
        ((b.SKIN_AGING, b.Q_RADIATION_EFFECTS, True), (b.ULTRAVIOLET_RAYS, b.Q_ADVERSE_EFFECTS, False)),
        ("Chronic ultraviolet exposure causes photoaging, with wrinkles, laxity and uneven texture.",
         "Photoaging is the main driver of visible facial ageing and a frequent reason for aesthetic care."),
        "UVB-irradiated human dermal fibroblasts (HDFs)", "UVB-irradiated human skin explants",
        {"mouse": "UVB-irradiated hairless mice", "rat": "UVB-irradiated Sprague-Dawley rats"},
        "wrinkle scores and skin elasticity", "adults with photoaged facial skin",
        "wrinkle depth on three-dimensional imaging", "face", "a vehicle gel",
        ("collagen_elastin", "mmp_timp", "fibroblast_proliferation_migration", "antioxidant_ros",
         "tgfb_smad", "erk_mapk", "microrna_cargo"),
        ("topical", "microneedling", "fractional_laser", "intradermal_injection"),
        ("photoaging", "skin rejuvenation"), weight=1.6,
    ),
    Condition(
        "wrinkles", "skin_rejuvenation", "facial wrinkles", "skin ageing", "reduce",
        ((b.SKIN_AGING, b.Q_DRUG_EFFECTS, True), (b.REJUVENATION, None, False)),
        ("Facial wrinkles are the most visible sign of skin ageing and a leading reason for aesthetic visits.",
         "Demand for wrinkle reduction without surgery keeps growing in cosmetic dermatology."),
        "senescent human dermal fibroblasts (HDFs)", "human skin explants from aged donors",
        {"mouse": "D-galactose-induced aged mice", "rat": "naturally aged rats"},
        "wrinkle scores and dermal thickness", "women with periorbital wrinkles",
        "wrinkle severity on a validated photonumeric scale", "face", "saline",
        ("collagen_elastin", "fibroblast_proliferation_migration", "mmp_timp", "tgfb_smad", "pi3k_akt"),
        ("topical", "microneedling", "intradermal_injection"), ("wrinkles", "skin ageing"), weight=1.4,
    ),
    Condition(
        "androgenetic_alopecia", "hair_loss", "androgenetic alopecia", "androgen-induced hair loss", "reduce",
        ((b.ALOPECIA, b.Q_THERAPY, True), (b.SCALP, None, False)),
        ("Androgenetic alopecia is the most common form of hair loss in men and women.",
         "Current drugs for androgenetic alopecia slow hair loss in some users but rarely restore density."),
        "dihydrotestosterone-treated human dermal papilla cells (HDPCs)", "isolated human hair follicles",
        {"mouse": "testosterone-treated C57BL/6 mice", "rat": "dihydrotestosterone-treated Wistar rats"},
        "hair regrowth and follicle density", "men with androgenetic alopecia",
        "hair density on phototrichograms", "scalp", "saline",
        ("wnt_beta_catenin", "anagen_prolongation", "pi3k_akt", "erk_mapk", "angiogenesis_vegf", "microrna_cargo"),
        ("topical", "microneedling", "intradermal_injection"),
        ("androgenetic alopecia", "hair loss"), weight=1.5,
    ),
    Condition(
        "alopecia_areata", "hair_loss", "alopecia areata", "alopecia areata-like hair loss", "reduce",
        ((b.ALOPECIA_AREATA, b.Q_THERAPY, True),),
        ("Alopecia areata is an autoimmune form of hair loss with patchy, often recurrent bald areas.",),
        "interferon-gamma-stimulated human dermal papilla cells (HDPCs)", "isolated human hair follicles",
        {"mouse": "C3H/HeJ mice with spontaneous hair loss"},
        "hair regrowth in bald patches", "adults with patchy alopecia areata",
        "the Severity of Alopecia Tool score", "scalp", "saline",
        ("anti_inflammatory", "anagen_prolongation", "wnt_beta_catenin", "microrna_cargo"),
        ("intradermal_injection", "microneedling"), ("alopecia areata", "hair loss"), weight=0.7,
    ),
    Condition(
        "hair_growth", "hair_loss", "hair thinning", "hair growth", "promote",
        ((b.HAIR_FOLLICLE, b.Q_GROWTH, True), (b.HAIR, b.Q_GROWTH, False)),
        ("Stimulating hair growth remains a central goal of hair loss treatment.",
         "Hair growth depends on signals between the dermal papilla and the follicle epithelium."),
        "human dermal papilla cells (HDPCs)", "isolated human hair follicles",
        {"mouse": "depilated C57BL/6 mice in telogen"},
        "hair regrowth and hair shaft length", "adults with thinning hair",
        "hair count in a marked scalp area", "scalp", "saline",
        ("wnt_beta_catenin", "anagen_prolongation", "angiogenesis_vegf", "pi3k_akt", "erk_mapk"),
        ("topical", "microneedling"), ("hair growth", "hair follicle"),
    ),
    Condition(
        "melasma", "pigmentation", "melasma", "melasma-like pigmentation", "reduce",
        ((b.MELANOSIS, b.Q_DRUG_THERAPY, True),),
        ("Melasma is a chronic pigmentation disorder of the face with a large aesthetic burden.",
         "Melasma relapses often after bleaching agents are stopped, leaving pigmentation hard to control."),
        "α-MSH-stimulated B16F10 melanoma cells", "human skin explants",
        {"mouse": "UVB- and progesterone-treated C57BL/6 mice"},
        "pigmentation scores", "women with melasma",
        "the modified Melasma Area and Severity Index (mMASI)", "face", "saline",
        ("melanogenesis_inhibition", "antioxidant_ros", "anti_inflammatory", "microrna_cargo"),
        ("topical", "microneedling", "fractional_laser"), ("melasma", "pigmentation"), weight=1.2,
    ),
    Condition(
        "hyperpigmentation", "pigmentation", "ultraviolet-induced hyperpigmentation", "UV-induced hyperpigmentation",
        "reduce",
        ((b.HYPERPIGMENTATION, b.Q_DRUG_THERAPY, True), (b.SKIN_PIGMENTATION, b.Q_RADIATION_EFFECTS, False)),
        ("Ultraviolet-induced hyperpigmentation and age spots are frequent aesthetic complaints.",),
        "normal human epidermal melanocytes", "UV-exposed human skin explants",
        {"mouse": "UVB-irradiated melanin-possessing hairless mice"},
        "pigmentation scores after UV exposure", "adults with solar lentigines",
        "the melanin index", "face", "a vehicle gel",
        ("melanogenesis_inhibition", "antioxidant_ros", "erk_mapk", "microrna_cargo"),
        ("topical", "microneedling"), ("hyperpigmentation", "melanogenesis"),
    ),
    Condition(
        "vitiligo", "pigmentation", "vitiligo", "melanocyte survival in vitiligo", "promote",
        ((b.VITILIGO, b.Q_THERAPY, True),),
        ("Vitiligo causes patchy loss of pigmentation that many consider a major aesthetic burden.",),
        "hydrogen peroxide-stressed human melanocytes", "human skin explants",
        {"mouse": "monobenzone-treated C57BL/6 mice"},
        "repigmentation of depigmented skin", "adults with stable vitiligo",
        "the Vitiligo Area Scoring Index", "body", "saline",
        ("antioxidant_ros", "anti_inflammatory", "microrna_cargo"),
        ("microneedling", "fractional_laser"), ("vitiligo", "pigmentation"), weight=0.6,
    ),
    Condition(
        "acne_scars", "scars", "atrophic acne scars", "atrophic scar remodelling", "promote",
        ((b.CICATRIX, b.Q_THERAPY, True),),
        ("Atrophic acne scars are a common aesthetic concern that resurfacing treats only in part.",),
        "human dermal fibroblasts (HDFs)", "human skin explants",
        {"rat": "rats with induced atrophic scars", "pig": "minipigs with induced atrophic scars"},
        "dermal remodelling of atrophic scars", "adults with atrophic acne scars",
        "the ECCA acne scar grading scale", "face", "saline",
        ("collagen_elastin", "fibroblast_proliferation_migration", "tgfb_smad"),
        ("fractional_laser", "microneedling", "intradermal_injection"), ("acne scars", "scar"), weight=1.2,
    ),
    Condition(
        "hypertrophic_scars", "scars", "hypertrophic scars", "hypertrophic scar formation", "reduce",
        ((b.CICATRIX_HYPERTROPHIC, b.Q_PATHOLOGY, True),),
        ("Hypertrophic scars form after surgery or trauma and remain an aesthetic and functional problem.",),
        "hypertrophic scar fibroblasts", "hypertrophic scar explants",
        {"mouse": "C57BL/6 mice with mechanical load-induced hypertrophic scars",
         "pig": "minipigs with full-thickness excisions"},
        "scar elevation and thickness scores", "adults with hypertrophic scars",
        "the Vancouver Scar Scale", "body", "saline",
        ("tgfb_smad", "fibroblast_proliferation_migration", "collagen_elastin", "microrna_cargo"),
        ("intradermal_injection", "fractional_laser"), ("hypertrophic scar", "fibrosis"), fibrotic=True,
    ),
    Condition(
        "keloids", "scars", "keloids", "keloid fibroblast activity", "reduce",
        ((b.KELOID, b.Q_THERAPY, True),),
        ("Keloids grow beyond the original injury, recur after excision and cause aesthetic distress.",),
        "keloid fibroblasts", "keloid explants",
        {"mouse": "BALB/c nude mice carrying keloid implants"},
        "keloid regression", "adults with earlobe keloids", "keloid volume on three-dimensional imaging",
        "body", "triamcinolone",
        ("tgfb_smad", "fibroblast_proliferation_migration", "microrna_cargo", "pi3k_akt"),
        ("intradermal_injection",), ("keloid", "fibrosis"), fibrotic=True, weight=0.8,
    ),
    Condition(
        "diabetic_wounds", "wound_healing", "diabetic wounds", "diabetic wound healing", "promote",
        ((b.WOUND_HEALING, b.Q_DRUG_EFFECTS, True), (b.DIABETES_EXPERIMENTAL, b.Q_COMPLICATIONS, False)),
        ("Diabetic wounds close slowly, become infected easily and often heal with poor aesthetic results.",),
        "high glucose-treated HUVECs and HDFs", "wounded human skin explants",
        {"mouse": "db/db mice with full-thickness excisional wounds",
         "rat": "streptozotocin-induced diabetic Sprague-Dawley rats with full-thickness wounds"},
        "wound closure and re-epithelialization", "adults with diabetic foot ulcers",
        "time to complete wound closure", "body", "standard care",
        ("angiogenesis_vegf", "pi3k_akt", "anti_inflammatory", "fibroblast_proliferation_migration",
         "microrna_cargo", "antioxidant_ros", "erk_mapk"),
        ("topical",), ("diabetic wound", "wound healing"), weight=1.3,
    ),
    Condition(
        "burns", "wound_healing", "burn wounds", "burn wound healing", "promote",
        ((b.BURNS, b.Q_THERAPY, True), (b.WOUND_HEALING, None, False)),
        ("Deep burns heal slowly and frequently leave functional and aesthetic sequelae.",),
        "heat-injured HaCaT cells", "thermally injured human skin explants",
        {"rat": "Sprague-Dawley rats with deep second-degree burns",
         "pig": "Bama minipigs with partial-thickness burns", "mouse": "BALB/c mice with contact burns"},
        "burn wound closure", "adults with partial-thickness burns", "time to re-epithelialization",
        "body", "standard care",
        ("angiogenesis_vegf", "anti_inflammatory", "collagen_elastin", "pi3k_akt"),
        ("topical",), ("burns", "wound healing"),
    ),
    Condition(
        "atopic_dermatitis", "inflammatory_skin", "atopic dermatitis", "atopic dermatitis-like skin inflammation",
        "reduce",
        ((b.DERMATITIS_ATOPIC, b.Q_DRUG_THERAPY, True),),
        ("Atopic dermatitis is a chronic itchy skin disease whose visible lesions carry an aesthetic burden.",),
        "cytokine-stimulated HaCaT cells", "cytokine-stimulated human skin explants",
        {"mouse": "DNCB-sensitized BALB/c mice"},
        "dermatitis scores and epidermal thickness", "adults with mild to moderate atopic dermatitis",
        "the Eczema Area and Severity Index (EASI)", "body", "a vehicle gel",
        ("anti_inflammatory", "microrna_cargo", "antioxidant_ros"),
        ("topical",), ("atopic dermatitis", "skin barrier"),
    ),
    Condition(
        "psoriasis", "inflammatory_skin", "psoriasis", "psoriasis-like inflammation", "reduce",
        ((b.PSORIASIS, b.Q_DRUG_THERAPY, True),),
        ("Psoriasis causes scaly plaques whose visibility adds an aesthetic and social burden.",),
        "cytokine-stimulated HaCaT cells", "cytokine-stimulated human skin explants",
        {"mouse": "imiquimod-treated BALB/c mice"},
        "plaque scores and epidermal thickness", "adults with plaque psoriasis",
        "the Psoriasis Area and Severity Index (PASI)", "body", "a vehicle gel",
        ("anti_inflammatory", "microrna_cargo", "erk_mapk"),
        ("topical", "intradermal_injection"), ("psoriasis", "keratinocytes"), weight=0.8,
    ),
    Condition(
        "acne", "inflammatory_skin", "acne vulgaris", "acne lesions", "reduce",
        ((b.ACNE_VULGARIS, b.Q_DRUG_THERAPY, True),),
        ("Acne vulgaris is common in adolescents and adults, and its visible lesions are an aesthetic concern.",),
        "Cutibacterium acnes-stimulated HaCaT cells", "human skin explants",
        {"mouse": "mice injected in the ear with Cutibacterium acnes",
         "rat": "rats injected in the ear with Cutibacterium acnes"},
        "inflammatory lesion scores", "adults with moderate acne vulgaris", "the inflammatory lesion count",
        "face", "a vehicle gel",
        ("anti_inflammatory", "antioxidant_ros"),
        ("topical",), ("acne", "sebum"), weight=0.7,
    ),
    Condition(
        "rosacea", "inflammatory_skin", "rosacea", "rosacea-like inflammation", "reduce",
        ((b.ROSACEA, b.Q_THERAPY, True),),
        ("Rosacea is a chronic facial disorder with flushing and papules that many find an aesthetic problem.",),
        "LL-37-stimulated HaCaT cells", "human skin explants",
        {"mouse": "LL-37-injected BALB/c mice"},
        "redness scores and lesion area", "adults with erythematotelangiectatic rosacea",
        "the erythema index", "face", "saline",
        ("anti_inflammatory", "antioxidant_ros"),
        ("topical", "microneedling"), ("rosacea", "erythema"), weight=0.7,
    ),
    Condition(
        "post_laser", "post_procedure", "recovery after fractional laser resurfacing",
        "skin recovery after fractional laser treatment", "promote",
        ((b.LASER_THERAPY, b.Q_ADVERSE_EFFECTS, False), (b.COSMETIC_TECHNIQUES, None, True)),
        ("Fractional laser resurfacing is a common aesthetic procedure, but post-laser redness and downtime "
         "limit its acceptance.",),
        "HaCaT cells and HDFs exposed to thermal stress", "laser-treated human skin explants",
        {"pig": "minipigs after fractional CO2 laser resurfacing", "mouse": "mice after fractional laser exposure"},
        "post-laser barrier recovery", "adults undergoing fractional CO2 laser resurfacing",
        "post-laser erythema duration", "face", "saline",
        ("anti_inflammatory", "collagen_elastin", "antioxidant_ros"),
        ("fractional_laser",), ("post-laser care", "downtime"), weight=0.9, implied=("fractional_laser",),
        case_phrase="treated after fractional laser resurfacing",
    ),
    Condition(
        "post_microneedling", "post_procedure", "recovery after microneedling",
        "skin repair after microneedling", "promote",
        ((b.COSMETIC_TECHNIQUES, b.Q_ADVERSE_EFFECTS, True), (b.ESTHETICS, None, False)),
        ("Microneedling is a popular aesthetic procedure, yet redness and downtime after it can last days.",),
        "human dermal fibroblasts (HDFs)", "human skin explants",
        {"rat": "rats after dorsal microneedling"},
        "post-procedure barrier recovery", "adults undergoing facial microneedling",
        "transepidermal water loss after the procedure", "face", "saline",
        ("collagen_elastin", "anti_inflammatory", "fibroblast_proliferation_migration"),
        ("microneedling",), ("microneedling", "downtime"), weight=0.7, implied=("microneedling",),
        case_phrase="treated after facial microneedling",
    ),
)
CONDITION_BY_KEY = {c.key: c for c in CONDITIONS}
INDICATIONS = ("skin_rejuvenation", "hair_loss", "pigmentation", "scars", "wound_healing",
               "inflammatory_skin", "post_procedure")
# How reviews and off-topic abstracts name a whole indication.
INDICATION_PHRASES = {
    "skin_rejuvenation": "skin rejuvenation", "hair_loss": "hair loss",
    "pigmentation": "pigmentation disorders", "scars": "scars", "wound_healing": "wound healing",
    "inflammatory_skin": "inflammatory skin disease", "post_procedure": "post-procedure recovery",
}
