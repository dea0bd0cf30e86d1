"""One primary study design per record, its evidence level, and the subjects it implies.

Abstracts mention many designs: a review says "we reviewed RCTs", a trial cites "a previous
meta-analysis", a discussion asks for "randomized controlled trials". So the decision weighs
evidence instead of taking every mention: hedged or negated mentions ("RCTs are needed",
"no RCT has tested") do not count, a review's mentions of primary designs do not make it one,
and a primary study's mention of someone else's review does not make it a review.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from exoreview.results import Evidence, Label

DESIGN = "design"
SUBJECTS = "subjects"

# Strongest first; the first design with evidence is the record's primary design.
PRECEDENCE = (
    "meta_analysis", "systematic_review", "rct", "split_face", "nonrandomized_trial", "case_series",
    "case_report", "animal", "ex_vivo", "in_vitro", "narrative_review",
)
REVIEW_DESIGNS = frozenset({"meta_analysis", "systematic_review", "narrative_review"})
SUBJECT_ORDER = ("human", "animal", "in_vitro", "ex_vivo")
# The subjects a primary design implies, whether or not the abstract names them.
IMPLIED_SUBJECTS = {
    "rct": "human", "split_face": "human", "nonrandomized_trial": "human", "case_series": "human",
    "case_report": "human", "animal": "animal", "ex_vivo": "ex_vivo", "in_vitro": "in_vitro",
}
# When no design is named, what was studied still tells the design of a laboratory study.
DESIGN_FROM_SUBJECT = {"animal": "animal", "ex_vivo": "ex_vivo", "in_vitro": "in_vitro"}

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


def decide_design(
    candidates: list[Label], levels: dict[str, int | None], rank: Callable[[Label], tuple] | None = None
) -> DesignDecision:
    """Pick the primary design from all design and subjects candidates of one record.

    `candidates` holds every piece of evidence (not yet one per class); `levels` maps design
    class ids to evidence levels; `rank` orders evidence, best first (a key function).
    """
    key = rank or _default_rank
    designs = [c for c in candidates if c.facet == DESIGN and not c.negated and not c.hedged]
    designs = [c for c in designs if not _cites_others_review(c)]
    primary_pubtype = any(c.evidence.field_name == "publication_types" and c.value not in REVIEW_DESIGNS
                          for c in designs)
    reviews = [c for c in designs if c.value in REVIEW_DESIGNS]
    if primary_pubtype and not any(c.evidence.field_name == "publication_types" for c in reviews):
        # An indexed trial or case report that mentions "a literature review" is still primary research.
        reviews = []
    is_review = bool(reviews)
    pool = reviews if is_review else [c for c in designs if c.value not in REVIEW_DESIGNS]
    if not pool:
        pool = [
            replace(c, facet=DESIGN, value=DESIGN_FROM_SUBJECT[c.value])
            for c in candidates
            if c.facet == SUBJECTS and c.value in DESIGN_FROM_SUBJECT and not c.negated and not c.hedged
        ]
    chosen = next((value for value in PRECEDENCE if any(c.value == value for c in pool)), None)
    subjects = {c.value for c in candidates if c.facet == SUBJECTS and not c.negated}
    if chosen is None:
        return DesignDecision(None, None, _ordered(subjects))
    best = min((c for c in pool if c.value == chosen), key=key)
    level = levels.get(chosen)
    label = Label(best.record_id, DESIGN, chosen, best.evidence, detail=f"evidence_level={level}" if level else "")
    implied: list[Label] = []
    implied_value = None if is_review else IMPLIED_SUBJECTS.get(chosen)
    if implied_value and implied_value not in subjects:
        evidence = replace(best.evidence, method=f"design:{chosen}")
        implied.append(Label(best.record_id, SUBJECTS, implied_value, evidence))
        subjects.add(implied_value)
    return DesignDecision(label, level, _ordered(subjects), implied)


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
