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
