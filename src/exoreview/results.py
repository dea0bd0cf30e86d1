"""Typed results that stages write into the store: decisions, labels, duplicates.

They live beside `records` (not inside a stage) so that the stage producing a
result and the stages reading it share one definition without importing each
other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass

# Screening stages, in PRISMA 2020 order.
TITLE_ABSTRACT = "title_abstract"
ELIGIBILITY = "eligibility"

INCLUDE = "include"
EXCLUDE = "exclude"
MAYBE = "maybe"


# Rule and model decisions are not people; agreement and conflicts are between people. A
# resolution of people's conflict is recorded under RESOLVER ("consensus"), as `exoreview resolve` does.
MACHINE_PREFIXES = ("rules", "model:", "import:")
RESOLVER = "consensus"


def is_person(reviewer: str) -> bool:
    return not reviewer.startswith(MACHINE_PREFIXES)


# A person's note that a report's full text is at hand: a finding the eligibility rules then act on
# (their decision follows it), not that person's judgement of the report.
FULL_TEXT_RETRIEVED = "full text retrieved"


def is_judgement(decision: Decision) -> bool:
    """Whether a decision judges the record (a person's or a machine's), rather than record a finding."""
    return not (decision.label == MAYBE and decision.note.startswith(FULL_TEXT_RETRIEVED))


@dataclass(slots=True)
class Decision:
    record_id: int
    stage: str  # TITLE_ABSTRACT or ELIGIBILITY
    label: str  # INCLUDE, EXCLUDE or MAYBE
    reviewer: str  # a person's name, or "rules:<protocol>" / "model:<name>"
    reason_id: str = ""  # the protocol criterion that excluded it, e.g. "E1"
    note: str = ""
    score: float | None = None  # ranker score when a model took part
    decided_at: str = ""
    id: int | None = None  # the store's row id, once stored
    undone_at: str = ""  # set when the reviewer took the decision back


@dataclass(slots=True)
class Evidence:
    """The sentence that supports a label, and where it came from."""

    sentence: str
    start: int  # character offsets of the sentence within `field_name`'s text
    end: int
    field_name: str  # "title", "abstract", "mesh", "publication_types", "keywords", "fulltext"
    method: str  # the rule or model that produced the label, e.g. "pattern:hair_loss/alopecia"
    match: str = ""  # the matched words within the sentence


@dataclass(slots=True)
class Label:
    record_id: int
    facet: str  # "indication", "ev_source", "design", ...
    value: str  # the taxonomy class id, e.g. "hair_loss"
    evidence: Evidence
    negated: bool = False
    hedged: bool = False
    detail: str = ""  # free detail such as a dose string or an outcome direction


@dataclass(slots=True)
class DuplicateLink:
    record_id: int  # the copy that is set aside
    kept_id: int  # the record that stands for the study
    reason: str  # "pmid", "doi", "pmcid", "title+year+author", ...
    score: float = 1.0
    id: int | None = None
    decided_at: str = ""
    undone_at: str = ""


# Appraisal ratings (exoreview.appraise); the item "score" holds a study's reporting score.
REPORTED, NOT_REPORTED, NOT_APPLICABLE = "reported", "not_reported", "not_applicable"
SCORE_ITEM = "score"


@dataclass(slots=True)
class Rating:
    """One appraisal item for one study: reported, not reported or not applicable, and why."""

    record_id: int
    instrument: str  # "<instrument id>@<version>", e.g. "exoreview-misev@1"
    item: str  # an item id of the instrument, or SCORE_ITEM
    rating: str  # REPORTED, NOT_REPORTED, NOT_APPLICABLE; for SCORE_ITEM the fraction, e.g. "0.625"
    evidence: Evidence | None = None  # the sentence that shows the item reported
    detail: str = ""  # why not applicable; for SCORE_ITEM "5 of 8 applicable items reported"
