"""One primary study design per record, its evidence level, and what the study studied.

Abstracts mention many designs: a review says "we reviewed RCTs", a trial cites "a previous
meta-analysis", a discussion asks for "randomized controlled trials". So the decision weighs
evidence instead of taking every mention. The caller passes only the record's own sentences
(the title, aims, methods, results, conclusions: not the background that cites other work).

- A review is a review whatever designs it lists ("animal, cell and human studies were
  included"), and a sentence that says what the review is stays a review cue even when it also
  asks for more research: hedging does not undo "This concise review summarises...". It is
  systematic when it describes its search (databases, the studies found and kept), a
  meta-analysis when it pools.
- A primary study's design is the strongest it did: a human study before animal work, animal
  work before tissue ex vivo, tissue before cells. Human designs must be named (and not hedged
  or negated: "RCTs are needed" names none); laboratory designs follow from what was studied.
- Reviews and other secondary papers have no subjects. A primary study's subjects are what its
  own sentences say it studied, plus what its design implies (a trial studied people).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from exoreview.classify.scope import reports_own_work
from exoreview.results import Evidence, Label

DESIGN = "design"
SUBJECTS = "subjects"

# Editorials, letters, commentaries, bibliometric studies, consensus statements, surveys of clinicians.
SECONDARY_OTHER = "other"
REVIEW_DESIGNS = frozenset({"meta_analysis", "systematic_review", "narrative_review"})
HUMAN_DESIGNS = ("rct", "split_face", "nonrandomized_trial", "case_series", "case_report")  # strongest first
LAB_DESIGNS = ("animal", "ex_vivo", "in_vitro")
SUBJECT_ORDER = ("human", "animal", "in_vitro", "ex_vivo")
# The subjects a primary design implies, whether or not the abstract names them.
IMPLIED_SUBJECTS = {
    "rct": "human", "split_face": "human", "nonrandomized_trial": "human", "case_series": "human",
    "case_report": "human", "animal": "animal", "ex_vivo": "ex_vivo", "in_vitro": "in_vitro",
}
# The method of a label read from a weak cue (TaxonomyClass.weak_patterns): a design named only when no other is.
WEAK_METHOD = "weak-pattern"
# People took part but no design is named: the weakest trial design that treats people.
UNNAMED_HUMAN_DESIGN = "nonrandomized_trial"
# "Two women developed", "In one patient", "A 32-year-old man": a human cue that counts one or two people.
CASE_REPORT = "case_report"
_ONE_OR_TWO_PEOPLE = re.compile(
    r"(?:(?:in|of|for|to) )?(?:one|two|both|1|2|a single|a(?= [\w-]+ ?(?:patient|woman|man|girl|boy|child)\b)"
    r"|an? (?:\d{1,3}|[a-z]+)[- ]year[- ]old)\b(?! (?:hundred|thousand|or more|groups?)\b)"
    r"(?![\d,.])", re.IGNORECASE)
# When no design is named, what was studied tells the design of a laboratory study.
DESIGN_FROM_SUBJECT = {"animal": "animal", "ex_vivo": "ex_vivo", "in_vitro": "in_vitro"}
# "We report a case and review the literature": a case report, not a review.
_LITERATURE_REVIEW = re.compile(r"\b(?:review(?:ed|ing)? (?:of )?the (?:relevant |current )?literature"
                                r"|literature review)\b", re.IGNORECASE)

_EX_VIVO = re.compile(r"\bex vivo\b|\bexplants?\b|\borgan cultures?\b", re.IGNORECASE)
# The animal word and the tissue it names: "porcine skin", "pig ear skin", "mouse skin explants".
_ANIMAL_TISSUE = re.compile(r"[\w-]+(?: [\w-]+){0,2}? (?:skin|ears?|tissues?|explants?)\b", re.IGNORECASE)

# "a previous meta-analysis", "several systematic reviews": someone else's review.
_OTHERS_REVIEW = re.compile(
    r"\b(?:previous|prior|earlier|existing|published|recent|several|many|other|few|two|three)\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class DesignDecision:
    design: Label | None  # facet "design"; detail "evidence_level=N" when the taxonomy gives a level
    evidence_level: int | None
    subjects: list[str] = field(default_factory=list)
    implied_subjects: list[Label] = field(default_factory=list)  # subjects the design adds
    ruled_out: frozenset[str] = frozenset()  # subjects whose cues the decision found to name no one

    @property
    def is_review(self) -> bool:
        return self.design is not None and self.design.value in REVIEW_DESIGNS

    @property
    def value(self) -> str | None:
        return self.design.value if self.design is not None else None


def decide_design(
    candidates: list[Label], levels: dict[str, int | None], rank: Callable[[Label], tuple] | None = None
) -> DesignDecision:
    """Pick the primary design from the design and subjects candidates of one record's own sentences.

    `candidates` holds every piece of evidence (not yet one per class); `levels` maps design
    class ids to evidence levels; `rank` orders evidence, best first (a key function).
    """
    key = rank or _default_rank
    weak = [c for c in candidates if c.facet == DESIGN and c.evidence.method.startswith(WEAK_METHOD)]
    candidates = [c for c in candidates if c not in weak]
    decision = _decide(candidates, levels, key)
    # Hedging does not undo what a review says it is ("We provide an overview ... for future studies").
    fallback = [c for c in weak if not c.negated and (not c.hedged or c.value in REVIEW_DESIGNS)]
    if decision.design is None and fallback:
        return _weak_decision(fallback, levels, key)
    if _survey_of_laboratory_work(decision, candidates, fallback):
        return _weak_decision([c for c in fallback if c.value in REVIEW_DESIGNS], levels, key)
    return decision


def _survey_of_laboratory_work(decision: DesignDecision, candidates: list[Label], fallback: list[Label]) -> bool:
    """A laboratory design read only from sentences that report no work of the paper's own, and a review's cue.

    "The following aspects are addressed: ... uptake by keratinocytes", "Mouse models and the first
    trials are discussed": the cells and animals are the literature's, and the paper is a review.
    """
    if decision.value not in LAB_DESIGNS or not any(c.value in REVIEW_DESIGNS for c in fallback):
        return False
    laboratory = [c for c in candidates if not c.negated and c.value in LAB_DESIGNS
                  and c.facet in (DESIGN, SUBJECTS) and c.evidence.field_name == "abstract"]
    return bool(laboratory) and not any(reports_own_work(c.evidence.sentence) for c in laboratory)


def _weak_decision(fallback: list[Label], levels: dict[str, int | None], key: Callable[[Label], tuple]
                   ) -> DesignDecision:
    """The design read from weak cues alone, when no strong cue names one."""
    # A review's weak cue before a laboratory one: reviews also name the cells their studies used.
    reviews = [c for c in fallback if c.value in REVIEW_DESIGNS]
    best = min(reviews or fallback, key=key)
    level = levels.get(best.value)
    label = replace(best, detail=_level_detail(level))
    implied_value = None if best.value in REVIEW_DESIGNS else IMPLIED_SUBJECTS.get(best.value)
    if implied_value is None:
        return DesignDecision(label, level)
    subject = Label(best.record_id, SUBJECTS, implied_value, replace(best.evidence, method=f"design:{best.value}"))
    return DesignDecision(label, level, [implied_value], [subject])


def _decide(candidates: list[Label], levels: dict[str, int | None], key: Callable[[Label], tuple]) -> DesignDecision:
    """The design from the strong cues: a letter or editorial, a review of its own, else the primary design."""
    designs = [c for c in candidates if c.facet == DESIGN and not c.negated]
    secondary = [c for c in designs if c.value == SECONDARY_OTHER and not c.hedged]
    if secondary:  # a letter, editorial or bibliometric study, whatever studies it discusses
        best = min(secondary, key=key)
        return DesignDecision(replace(best, detail=_level_detail(levels.get(SECONDARY_OTHER))), None)
    primary = [c for c in designs if c.value not in REVIEW_DESIGNS and c.value != SECONDARY_OTHER and not c.hedged]
    studied = _without_animal_patients(
        [c for c in candidates if c.facet == SUBJECTS and not c.negated and not c.hedged])
    reviews = _own_reviews(designs, primary)
    if reviews:
        best = _best_evidence(reviews, chosen := _review_kind(reviews), key)
        return DesignDecision(Label(best.record_id, DESIGN, chosen, best.evidence,
                                    detail=_level_detail(levels.get(chosen))), levels.get(chosen))
    return _primary_decision(primary, studied, levels, key)


def _primary_decision(primary: list[Label], studied: list[Label], levels: dict[str, int | None],
                      key: Callable[[Label], tuple]) -> DesignDecision:
    """A primary study's design and subjects; a trial's words about animals only make an animal study."""
    ruled_out: frozenset[str] = frozenset()
    if _trial_of_animals(primary, studied):
        primary = [c for c in primary if c.value not in HUMAN_DESIGNS]
        studied = [c for c in studied if c.value != "human"]
        ruled_out = frozenset({"human"})
    chosen, pool = _primary_design(primary, studied)
    if chosen is None:
        return DesignDecision(None, None)
    best = _best_evidence(pool, chosen, key)
    level = levels.get(chosen)
    label = Label(best.record_id, DESIGN, chosen, best.evidence, detail=_level_detail(level))
    return replace(_with_subjects(label, level, studied), ruled_out=ruled_out)


def _trial_of_animals(primary: list[Label], studied: list[Label]) -> bool:
    """A trial's words ("a pilot study", "randomly assigned") whose only participants named are animals.

    "Six beagle dogs were randomly assigned": an animal study. The people a human design needs
    must be named by some cue other than the design's own words.
    """
    if not any(c.value == "animal" for c in studied) or not any(c.value in HUMAN_DESIGNS for c in primary):
        return False
    design_words = {(c.evidence.sentence, c.evidence.match) for c in primary if c.value in HUMAN_DESIGNS}
    return all((c.evidence.sentence, c.evidence.match) in design_words for c in studied if c.value == "human")


# Companion animals seen in a veterinary clinic are that clinic's "patients".
_VETERINARY = re.compile(
    r"\b(?:dogs?|cats?|horses?|canine|feline|equine|client-owned|owned|veterinary|mares?|ponies)\b", re.IGNORECASE)
_ONLY_PATIENTS = re.compile(r"(?:\d+ (?:of \d+ )?|all |the |these )?(?:[\w-]+ )?(?:patients|cases)", re.IGNORECASE)


def _without_animal_patients(studied: list[Label]) -> list[Label]:
    """Human cues that only say "patients" or "cases", dropped when the patients are dogs, cats or horses."""
    if not any(c.value == "animal" and _VETERINARY.search(c.evidence.match or "") for c in studied):
        return studied
    return [c for c in studied if not (c.value == "human" and _ONLY_PATIENTS.fullmatch(c.evidence.match or ""))]


# A histology or staining sentence names cells of the tissue examined, not cells in culture.
_TISSUE_SECTION = re.compile(r"\b(?:histolog\w*|immunohisto\w*|biops(?:y|ies)|sections?|staining|stained)\b",
                             re.IGNORECASE)
_CULTURE = re.compile(r"\b(?:cultur\w*|in vitro|cell lines?|incubated|seeded|passage)\b", re.IGNORECASE)


def names_tissue_cells(candidate: Label) -> bool:
    """An in-vitro cue ("in Ki-67-positive basal keratinocytes") in a sentence about tissue sections."""
    if not (candidate.facet == SUBJECTS and candidate.value == "in_vitro"):
        return False
    sentence = candidate.evidence.sentence
    return bool(_TISSUE_SECTION.search(sentence)) and not _CULTURE.search(sentence)


def is_tissue_ex_vivo(candidate: Label) -> bool:
    """An animal's tissue used ex vivo ("an ex vivo test on porcine skin") names no animal model."""
    if not _names_who(candidate, ("animal",)):
        return False
    sentence, match = candidate.evidence.sentence, candidate.evidence.match
    if not match or not _EX_VIVO.search(sentence):
        return False
    at = max(sentence.find(match), 0)
    return bool(_ANIMAL_TISSUE.match(sentence, at))


# "isolated from the bone marrow of Sprague-Dawley rats", "obtained from six patients undergoing excision":
# the words up to a subject cue that say the cue is where material came from, not who was studied.
_DONOR = re.compile(
    r"(?:\b(?:isolated|obtained|derived|harvested|collected|extracted|prepared|purified|sourced|donated|taken|sampled"
    r"|biopsied|excised|dissected|microdissected|cultured|established|flushed|generated|grown|expanded|cultivated)"
    r"|\b(?:cells|fibroblasts|keratinocytes|melanocytes|ADSCs|BMSCs|MSCs|macrophages|follicles|vibrissae|skin|tissue"
    r"|plasma|PRP|serum|blood|explants)(?: [\w-]+){0,5}?) from (?:(?!(?:were|was|into|to|in|then|on|after)\b)"
    r"(?!and (?:then |were |was )?[a-z]+ed\b)[\w/,()-]+ ){0,8}$",
    re.IGNORECASE,
)
# A second donor in the same list: "established from ulcer tissue of eight patients ... and from the skin of six".
_ANOTHER_DONOR = re.compile(
    r"\b(?:isolated|obtained|derived|harvested|collected|established|grown|cultured|expanded)\b.*\b(?:and|or) "
    r"(?:also )?from (?:the )?(?:[\w/,()-]+ ){0,5}$", re.IGNORECASE)
# Samples taken from people around a treatment they received in the study: they took part.
# "discarded during hair transplantation surgery in 7 men": people named as the surgery's patients.
_SURGERY_DONOR = re.compile(
    r"\b(?:surger(?:y|ies)|transplantation|abdominoplast(?:y|ies)|blepharoplast(?:y|ies)|face-?lifts?|reductions?"
    r"|circumcisions?|excisions?|operations?|procedures)(?: [\w-]+){0,2}? (?:in|of|from) $", re.IGNORECASE)
_SAMPLED_IN_THE_STUDY = re.compile(
    r"\b(?:before and after|at baseline|after (?:\w+ ){0,3}?(?:weeks?|months?|sessions?|treatments?|application)"
    r"|post-?treatment|pre-? and post-?treatment|following (?:the )?(?:treatment|application|injections?))\b",
    re.IGNORECASE,
)
# A disease modelled in cells ("a UVB-induced photodamage model was established in HaCaT cells"): no animals.
_CELL_MODEL = re.compile(
    r"\b(?:in vitro|cells?|cellular|cell lines?|keratinocytes?|fibroblasts?|melanocytes?|HaCaT|HDFs?|DPCs?"
    r"|spheroids|skin equivalents?|reconstructed (?:human )?(?:skin|epidermis)|co-?cultures?)\b",
    re.IGNORECASE,
)
_SPECIES_WORD = re.compile(r"\b(?:mice|mouse|murine|rats?|rabbits?|pigs?|porcine|zebrafish|dogs?|animals?)\b",
                           re.IGNORECASE)
_MODEL_WORD = re.compile(r"model|induced|treated|wounds?", re.IGNORECASE)


def _names_who(candidate: Label, subjects: tuple[str, ...]) -> bool:
    """A species label, or a subjects label of one of `subjects`: a cue that names who was studied."""
    return candidate.facet == "species" or (candidate.facet == SUBJECTS and candidate.value in subjects)


def is_cell_model(candidate: Label) -> bool:
    """An animal-model cue ("-induced ... model", "imiquimod-treated") in a sentence about cells, naming no animal."""
    if not (candidate.facet == SUBJECTS and candidate.value == "animal"):
        return False
    sentence, match = candidate.evidence.sentence, candidate.evidence.match
    if not match or _SPECIES_WORD.search(match) or _SPECIES_WORD.search(sentence):
        return False
    return bool(_MODEL_WORD.search(match)) and bool(_CELL_MODEL.search(sentence))


def names_a_donor(candidate: Label) -> bool:
    """A person or animal named as where cells, blood or tissue came from: no subject of the study.

    Samples taken around the study's own treatment ("biopsies from 12 patients before and after
    exosome microneedling") name participants, not donors.
    """
    donor_design = candidate.facet == DESIGN and candidate.value in ("case_report", "case_series")
    if not (_names_who(candidate, ("human", "animal")) or donor_design):
        return False
    sentence, match = candidate.evidence.sentence, candidate.evidence.match
    at = sentence.find(match) if match else -1
    before = sentence[:at]
    return at > 0 and bool(_DONOR.search(before) or _SURGERY_DONOR.search(before) or _ANOTHER_DONOR.search(before)) \
        and not _SAMPLED_IN_THE_STUDY.search(sentence)


# "murine RAW 264.7 macrophages", "rat tail collagen", "BALB/c 3T3 fibroblasts", "bovine milk": an animal word
# that says what cells or material are, not that animals were studied.
_MATERIAL_AFTER = re.compile(
    r"[\s-]+(?:(?!(?:were|was|received|and|or|with|the|an?|to|into|in|of)\b)[\w/.-]+[\s-]+){0,2}?"
    r"(?:cells?|cell lines?|fibroblasts?|keratinocytes?|melanocytes?|macrophages?|sebocytes?|adipocytes?|chondrocytes?"
    r"|(?:vibrissa|whisker|hair) follicles?|vibrissae"
    r"|osteoblasts|(?:[A-Z][\w-]*)?MSCs?|BMSCs?|ADSCs?|stem cells|tail|collagen|serum|sera|plasma"
    r"|milk|colostrum|platelets?|lysates?|exosomes|EVs|vesicles|(?:3T3|RAW|B16|L929|NIH)\b)",
    re.IGNORECASE)


def names_a_material(candidate: Label) -> bool:
    """An animal word that names what cells or material were used, not animals studied."""
    if not _names_who(candidate, ("animal",)):
        return False
    sentence, match = candidate.evidence.sentence, candidate.evidence.match
    first = match.split()[0] if match else ""
    if not (_SPECIES_WORD.fullmatch(first) or _STRAIN.fullmatch(first)):
        return False
    at = sentence.find(match)  # "rat skin" in "Rat skin fibroblasts were exposed": the cells' origin
    return at >= 0 and bool(_MATERIAL_AFTER.match(sentence, at + len(match)))


_STRAIN = re.compile(r"(?:murine|bovine|equine|canine|C57BL/?6\w*|BALB/?c|Sprague[- ]Dawley|Wistar)", re.IGNORECASE)


def _level_detail(level: int | None) -> str:
    return f"evidence_level={level}" if level else ""


def _own_reviews(designs: list[Label], primary: list[Label]) -> list[Label]:
    """The review cues that say what this record is (not another author's review), unless it is primary."""
    reviews = [c for c in designs if c.value in REVIEW_DESIGNS and not _cites_others_review(c)]
    if reviews and _primary_despite_review(reviews, primary):
        return []
    return reviews


def _primary_design(primary: list[Label], studied: list[Label]) -> tuple[str | None, list[Label]]:
    """(design, the cues it may cite) of a primary study: a named human design, people, else laboratory work."""
    named = {c.value for c in primary}
    human = next((d for d in HUMAN_DESIGNS if d in named), None)
    if human is not None:
        return human, primary
    people = [c for c in studied if c.value == "human"]
    if people:
        # People took part and no design is named: one or two people are a case report, more a
        # clinical study, read as non-randomized.
        unnamed = CASE_REPORT if all(_ONE_OR_TWO_PEOPLE.match(c.evidence.match) for c in people) \
            else UNNAMED_HUMAN_DESIGN
        return unnamed, [replace(c, facet=DESIGN, value=unnamed) for c in people]
    return _laboratory_design(primary, studied, named)


def _laboratory_design(primary: list[Label], studied: list[Label], named: set[str]) -> tuple[str | None, list[Label]]:
    """The strongest laboratory design named or implied by what was studied; its cues, or its subject cues."""
    lab = {c.value for c in studied} | (named & set(LAB_DESIGNS))
    chosen = next((d for d in LAB_DESIGNS if d in lab), None)
    pool = [c for c in primary if c.value == chosen] or [
        replace(c, facet=DESIGN, value=DESIGN_FROM_SUBJECT[c.value]) for c in studied if c.value == chosen]
    return chosen, pool


def _best_evidence(pool: list[Label], chosen: str, key: Callable[[Label], tuple]) -> Label:
    """The best cue for the chosen design; for a review kind read from its sibling cues, the best of all."""
    best = min((c for c in pool if c.value == chosen), key=key, default=None)
    if best is None:  # a review kind read from its sibling cues (a search described, no "systematic review")
        best = min(pool, key=key)
    return best


def _with_subjects(label: Label, level: int | None, studied: list[Label]) -> DesignDecision:
    """A primary design with its subjects: those its sentences name, plus the one the design implies."""
    chosen = label.value
    subjects = {c.value for c in studied}
    implied: list[Label] = []
    implied_value = IMPLIED_SUBJECTS.get(chosen)
    if implied_value and implied_value not in subjects:
        evidence = replace(label.evidence, method=f"design:{chosen}")
        implied.append(Label(label.record_id, SUBJECTS, implied_value, evidence))
        subjects.add(implied_value)
    return DesignDecision(label, level, _ordered(subjects), implied)


def _review_kind(reviews: list[Label]) -> str:
    values = {c.value for c in reviews}
    if "meta_analysis" in values:
        return "meta_analysis"
    if "systematic_review" in values:
        return "systematic_review"
    return "narrative_review"


def _primary_despite_review(reviews: list[Label], primary: list[Label]) -> bool:
    """A primary study that also reviews the literature, or is indexed as primary research."""
    if not primary:
        return False
    indexed_primary = any(c.evidence.field_name == "publication_types" for c in primary)
    indexed_review = any(c.evidence.field_name == "publication_types" for c in reviews)
    if indexed_primary and not indexed_review:
        return True
    human = any(c.value in HUMAN_DESIGNS for c in primary)
    return human and all(_LITERATURE_REVIEW.search(c.evidence.sentence) for c in reviews
                         if c.evidence.field_name != "publication_types")


def _cites_others_review(candidate: Label) -> bool:
    """A review-type mention preceded by words that make it another author's review."""
    if candidate.value not in REVIEW_DESIGNS or candidate.evidence.field_name != "abstract":
        return False
    sentence, match = candidate.evidence.sentence, candidate.evidence.match
    position = sentence.find(match) if match else -1
    return position > 0 and bool(_OTHERS_REVIEW.search(sentence, 0, position))


def _ordered(subjects: set[str]) -> list[str]:
    return [s for s in SUBJECT_ORDER if s in subjects] + sorted(subjects - set(SUBJECT_ORDER))


def _default_rank(label: Label) -> tuple[int, int, int]:
    evidence: Evidence = label.evidence
    field_rank = {"title": 0, "abstract": 1, "keywords": 2}.get(evidence.field_name, 3)
    return (field_rank, evidence.start, evidence.end)
