"""Bibliographic vocabulary: MeSH identifiers, publication types, invented people and journals.

Descriptor and qualifier names and UIs are real (checked against the 2017 MeSH tree
in ../shared/data/mesh and NLM's publication-type list) so the local E-utilities
service can explode and filter on them exactly as PubMed would. Everything that
identifies a person, an institution or a journal is invented: the corpus must never
look like it attributes a claim to a real author.
"""

from __future__ import annotations

Mesh = tuple[str, str]  # (descriptor name, descriptor UI)

# -- MeSH descriptors ----------------------------------------------------------------------
EXOSOMES: Mesh = ("Exosomes", "D055354")
EXTRACELLULAR_VESICLES: Mesh = ("Extracellular Vesicles", "D000067128")
ESTHETICS: Mesh = ("Esthetics", "D004954")
COSMETIC_TECHNIQUES: Mesh = ("Cosmetic Techniques", "D003357")
REJUVENATION: Mesh = ("Rejuvenation", "D012060")
SKIN_AGING: Mesh = ("Skin Aging", "D015595")
HAIR: Mesh = ("Hair", "D006197")
HAIR_FOLLICLE: Mesh = ("Hair Follicle", "D018859")
ALOPECIA: Mesh = ("Alopecia", "D000505")
ALOPECIA_AREATA: Mesh = ("Alopecia Areata", "D000506")
HYPERPIGMENTATION: Mesh = ("Hyperpigmentation", "D017495")
MELANOSIS: Mesh = ("Melanosis", "D008548")
VITILIGO: Mesh = ("Vitiligo", "D014820")
SKIN_PIGMENTATION: Mesh = ("Skin Pigmentation", "D012880")
CICATRIX: Mesh = ("Cicatrix", "D002921")
CICATRIX_HYPERTROPHIC: Mesh = ("Cicatrix, Hypertrophic", "D017439")
KELOID: Mesh = ("Keloid", "D007627")
WOUND_HEALING: Mesh = ("Wound Healing", "D014945")
BURNS: Mesh = ("Burns", "D002056")
DIABETIC_FOOT: Mesh = ("Diabetic Foot", "D017719")
DIABETES_EXPERIMENTAL: Mesh = ("Diabetes Mellitus, Experimental", "D003921")
DERMATITIS_ATOPIC: Mesh = ("Dermatitis, Atopic", "D003876")
PSORIASIS: Mesh = ("Psoriasis", "D011565")
ACNE_VULGARIS: Mesh = ("Acne Vulgaris", "D000152")
ROSACEA: Mesh = ("Rosacea", "D012393")
LASER_THERAPY: Mesh = ("Laser Therapy", "D053685")
LASERS_GAS: Mesh = ("Lasers, Gas", "D054020")
NEEDLES: Mesh = ("Needles", "D009339")
ULTRAVIOLET_RAYS: Mesh = ("Ultraviolet Rays", "D014466")
DERMATOLOGY: Mesh = ("Dermatology", "D003880")
COSMETICS: Mesh = ("Cosmetics", "D003358")
SKIN: Mesh = ("Skin", "D012867")
FACE: Mesh = ("Face", "D005145")
SCALP: Mesh = ("Scalp", "D012535")

# Sources
MSC: Mesh = ("Mesenchymal Stromal Cells", "D059630")
ADIPOSE_TISSUE: Mesh = ("Adipose Tissue", "D000273")
BONE_MARROW: Mesh = ("Bone Marrow", "D001853")
UMBILICAL_CORD: Mesh = ("Umbilical Cord", "D014470")
WHARTON_JELLY: Mesh = ("Wharton Jelly", "D059631")
PLACENTA: Mesh = ("Placenta", "D010920")
AMNION: Mesh = ("Amnion", "D000650")
IPSC: Mesh = ("Induced Pluripotent Stem Cells", "D057026")
KERATINOCYTES: Mesh = ("Keratinocytes", "D015603")
FIBROBLASTS: Mesh = ("Fibroblasts", "D005347")
MELANOCYTES: Mesh = ("Melanocytes", "D008544")
PLATELETS: Mesh = ("Blood Platelets", "D001792")
PRP: Mesh = ("Platelet-Rich Plasma", "D053657")
PLASMA: Mesh = ("Plasma", "D010949")
SERUM: Mesh = ("Serum", "D044967")
PANAX: Mesh = ("Panax", "D005894")
VITIS: Mesh = ("Vitis", "D027843")
ALOE: Mesh = ("Aloe", "D000504")
MILK: Mesh = ("Milk", "D008892")
LACTOBACILLUS: Mesh = ("Lactobacillus", "D007778")
HEK293: Mesh = ("HEK293 Cells", "D057809")
NANOPARTICLES: Mesh = ("Nanoparticles", "D053758")
BIOMIMETICS: Mesh = ("Biomimetics", "D032701")
CONDITIONED_MEDIA: Mesh = ("Culture Media, Conditioned", "D017077")

# Mechanisms
COLLAGEN: Mesh = ("Collagen", "D003094")
COLLAGEN_I: Mesh = ("Collagen Type I", "D024042")
ELASTIN: Mesh = ("Elastin", "D004549")
CELL_PROLIFERATION: Mesh = ("Cell Proliferation", "D049109")
CELL_MOVEMENT: Mesh = ("Cell Movement", "D002465")
MMPS: Mesh = ("Matrix Metalloproteinases", "D020782")
MMP1: Mesh = ("Matrix Metalloproteinase 1", "D020781")
TIMP1: Mesh = ("Tissue Inhibitor of Metalloproteinase-1", "D019715")
TGF_BETA: Mesh = ("Transforming Growth Factor beta", "D016212")
SMAD: Mesh = ("Smad Proteins", "D051785")
PI3K: Mesh = ("Phosphatidylinositol 3-Kinases", "D019869")
AKT: Mesh = ("Proto-Oncogene Proteins c-akt", "D051057")
MAPK_SYSTEM: Mesh = ("MAP Kinase Signaling System", "D020935")
WNT: Mesh = ("Wnt Signaling Pathway", "D060449")
BETA_CATENIN: Mesh = ("beta Catenin", "D051176")
VEGF_A: Mesh = ("Vascular Endothelial Growth Factor A", "D042461")
NEOVASCULARIZATION: Mesh = ("Neovascularization, Physiologic", "D018919")
ROS: Mesh = ("Reactive Oxygen Species", "D017382")
OXIDATIVE_STRESS: Mesh = ("Oxidative Stress", "D018384")
IL6: Mesh = ("Interleukin-6", "D015850")
TNF_ALPHA: Mesh = ("Tumor Necrosis Factor-alpha", "D014409")
MITF: Mesh = ("Microphthalmia-Associated Transcription Factor", "D051739")
TYROSINASE: Mesh = ("Monophenol Monooxygenase", "D014442")
MICRORNAS: Mesh = ("MicroRNAs", "D035683")

# Delivery and methods
ADMIN_TOPICAL: Mesh = ("Administration, Topical", "D000287")
INJ_INTRADERMAL: Mesh = ("Injections, Intradermal", "D007271")
INJ_SUBCUTANEOUS: Mesh = ("Injections, Subcutaneous", "D007279")
INJ_INTRAVENOUS: Mesh = ("Injections, Intravenous", "D007275")
HYDROGELS: Mesh = ("Hydrogels", "D020100")
SCAFFOLDS: Mesh = ("Tissue Scaffolds", "D054457")
ULTRACENTRIFUGATION: Mesh = ("Ultracentrifugation", "D014461")
DENSITY_GRADIENT: Mesh = ("Centrifugation, Density Gradient", "D002499")
GEL_CHROMATOGRAPHY: Mesh = ("Chromatography, Gel", "D002850")
ULTRAFILTRATION: Mesh = ("Ultrafiltration", "D014462")
MICROFLUIDICS: Mesh = ("Microfluidics", "D044085")
FIELD_FLOW: Mesh = ("Fractionation, Field Flow", "D031521")
TEM: Mesh = ("Microscopy, Electron, Transmission", "D046529")
CRYO_EM: Mesh = ("Cryoelectron Microscopy", "D020285")
DLS: Mesh = ("Dynamic Light Scattering", "D000067493")
WESTERN_BLOT: Mesh = ("Blotting, Western", "D015153")
PARTICLE_SIZE: Mesh = ("Particle Size", "D010316")

# Check tags and study descriptors
HUMANS: Mesh = ("Humans", "D006801")
ANIMALS: Mesh = ("Animals", "D000818")
MICE: Mesh = ("Mice", "D051379")
RATS: Mesh = ("Rats", "D051381")
SWINE: Mesh = ("Swine", "D013552")
FEMALE: Mesh = ("Female", "D005260")
MALE: Mesh = ("Male", "D008297")
ADULT: Mesh = ("Adult", "D000328")
MIDDLE_AGED: Mesh = ("Middle Aged", "D008875")
CELLS_CULTURED: Mesh = ("Cells, Cultured", "D002478")
ORGAN_CULTURE: Mesh = ("Organ Culture Techniques", "D009924")
TREATMENT_OUTCOME: Mesh = ("Treatment Outcome", "D016896")
DOUBLE_BLIND: Mesh = ("Double-Blind Method", "D004311")
PROSPECTIVE: Mesh = ("Prospective Studies", "D011446")
RETROSPECTIVE: Mesh = ("Retrospective Studies", "D012189")
DISEASE_MODELS = ("Disease Models, Animal", "D004195")

# -- MeSH qualifiers -----------------------------------------------------------------------
Q_METABOLISM = ("metabolism", "Q000378")
Q_THERAPEUTIC_USE = ("therapeutic use", "Q000627")
Q_DRUG_THERAPY = ("drug therapy", "Q000188")
Q_THERAPY = ("therapy", "Q000628")
Q_DRUG_EFFECTS = ("drug effects", "Q000187")
Q_RADIATION_EFFECTS = ("radiation effects", "Q000528")
Q_PATHOLOGY = ("pathology", "Q000473")
Q_CYTOLOGY = ("cytology", "Q000166")
Q_TRANSPLANTATION = ("transplantation", "Q000637")
Q_CHEMISTRY = ("chemistry", "Q000737")
Q_ADMINISTRATION = ("administration & dosage", "Q000008")
Q_ADVERSE_EFFECTS = ("adverse effects", "Q000009")
Q_GENETICS = ("genetics", "Q000235")
Q_PHYSIOLOGY = ("physiology", "Q000502")
Q_GROWTH = ("growth & development", "Q000254")
Q_COMPLICATIONS = ("complications", "Q000150")
Q_PREVENTION = ("prevention & control", "Q000517")
Q_SURGERY = ("surgery", "Q000601")
Q_METHODS = ("methods", "Q000379")

# -- Publication types (PubMed names and UIs) ----------------------------------------------
PT_JOURNAL_ARTICLE = ("Journal Article", "D016428")
PT_REVIEW = ("Review", "D016454")
PT_RCT = ("Randomized Controlled Trial", "D016449")
PT_CONTROLLED_TRIAL = ("Controlled Clinical Trial", "D018848")
PT_CLINICAL_TRIAL = ("Clinical Trial", "D016430")
PT_CASE_REPORTS = ("Case Reports", "D002363")
PT_SYSTEMATIC_REVIEW = ("Systematic Review", "D000078182")
PT_META_ANALYSIS = ("Meta-Analysis", "D017418")
PT_COMPARATIVE = ("Comparative Study", "D003160")
PT_RESEARCH_SUPPORT = ("Research Support, Non-U.S. Gov't", "D013485")
PT_ENGLISH_ABSTRACT = ("English Abstract", "D004740")
PT_RETRACTED = ("Retracted Publication", "D016441")
PT_RETRACTION_NOTICE = ("Retraction of Publication", "D016440")
PT_ERRATUM = ("Published Erratum", "D016425")
PT_CONGRESS = ("Congress", "D016423")

# -- Invented people -------------------------------------------------------------------------
# Surnames are stitched from syllables so that no generated name is a real, known
# researcher's; first names are common given names that identify nobody on their own.
SURNAME_HEADS = (
    "Bar", "Cor", "Dal", "Fen", "Gar", "Hal", "Jor", "Kel", "Lin", "Mor", "Nar", "Ost", "Pel",
    "Quin", "Ros", "Sel", "Tor", "Val", "Wen", "Yar", "Zel", "Ami", "Bex", "Cal", "Dov", "Eld",
    "Fal", "Gui", "Hov", "Isk", "Jas", "Kov", "Lum", "Mer", "Nov", "Orl", "Pra", "Rav", "Sor",
)
SURNAME_TAILS = (
    "ansen", "ello", "ford", "ika", "mann", "ova", "rin", "sted", "ton", "uzzi", "well", "ado",
    "etti", "berg", "quist", "aro", "enko", "ley", "mir", "oux", "sby", "tani", "vik", "wyn",
)
FIRST_NAMES = (
    "Ada", "Bruno", "Carla", "Dario", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Kira",
    "Luca", "Maya", "Nico", "Olga", "Pavel", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wei", "Yuna",
    "Zoe", "Amir", "Bea", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ilya", "Jun", "Lena",
    "Min", "Noor", "Oren", "Priya", "Rafael", "Sofia", "Tomas", "Yara", "Ji-woo", "Haruto", "Li",
)
DEPARTMENTS = (
    "Department of Dermatology", "Department of Plastic and Reconstructive Surgery",
    "Department of Cell Biology", "Laboratory of Regenerative Medicine",
    "Department of Pharmaceutics", "Center for Extracellular Vesicle Research",
    "Department of Biomedical Engineering", "Institute of Skin Science",
)
INSTITUTIONS = (
    ("Northvale University School of Medicine", "Northvale", "USA"),
    ("Eastbrook Medical University", "Eastbrook", "China"),
    ("Hanmaru National University Hospital", "Hanmaru", "South Korea"),
    ("Kiyosato Institute of Medical Science", "Kiyosato", "Japan"),
    ("Università di Valmontana", "Valmontana", "Italy"),
    ("Rheinfeld University Hospital", "Rheinfeld", "Germany"),
    ("Universidade de Serra Clara", "Serra Clara", "Brazil"),
    ("Zarin University of Medical Sciences", "Zarin", "Iran"),
    ("Westmere College of Medicine", "Westmere", "United Kingdom"),
    ("Lakeshore Dermatology Research Center", "Lakeshore", "Canada"),
    ("Université de Montclaire", "Montclaire", "France"),
    ("Sunridge Medical College", "Sunridge", "India"),
)
GRANT_AGENCIES = (
    "Synthetic Science Foundation", "Fictional Council for Medical Research",
    "Placeholder Innovation Fund", "Invented Ministry of Health Programme",
)

# -- Invented journals (title, ISO abbreviation, print ISSN stem) ----------------------------
# ISSN stems start at 9990 so they read as ISSNs but sit far from the blocks real
# dermatology journals use; the check digit is computed so validators accept them.
JOURNALS = (
    ("Journal of Synthetic Dermatology Research", "J Synth Dermatol Res", "9990001"),
    ("Archives of Imaginary Cosmetic Science", "Arch Imag Cosmet Sci", "9990002"),
    ("Extracellular Vesicle Reports (Synthetic)", "Extracell Vesicle Rep Synth", "9990003"),
    ("International Journal of Placeholder Skin Biology", "Int J Placeholder Skin Biol", "9990004"),
    ("Aesthetic Medicine Letters (Synthetic)", "Aesthet Med Lett Synth", "9990005"),
    ("Hair and Scalp Science Review (Synthetic)", "Hair Scalp Sci Rev Synth", "9990006"),
    ("Journal of Invented Regenerative Medicine", "J Invent Regen Med", "9990007"),
    ("Wound Repair Studies (Synthetic)", "Wound Repair Stud Synth", "9990008"),
    ("Pigment Cell Notes (Synthetic)", "Pigment Cell Notes Synth", "9990009"),
    ("Fictional Journal of Nanomedicine", "Fict J Nanomed", "9990010"),
    ("Clinical Trials in Synthetic Dermatology", "Clin Trials Synth Dermatol", "9990011"),
    ("Cell Signalling Reports (Synthetic)", "Cell Signal Rep Synth", "9990012"),
    ("Translational Skin Research (Synthetic)", "Transl Skin Res Synth", "9990013"),
    ("Journal of Made-Up Molecular Medicine", "J Made-Up Mol Med", "9990014"),
)
CONFERENCES = (
    "Annual Meeting of the Synthetic Society for Cutaneous Biology",
    "World Congress of Invented Aesthetic Medicine",
    "Symposium on Placeholder Extracellular Vesicle Therapeutics",
)


def issn(stem: str) -> str:
    """A 7-digit stem plus its ISSN check digit (mod 11, X for 10), formatted NNNN-NNNC."""
    total = sum(int(d) * w for d, w in zip(stem, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{stem[:4]}-{stem[4:]}{'X' if check == 10 else check}"
