"""The protocol's exclusion criteria applied as rules, each decision citing its criterion.

A criterion can exclude on terms (none of its `unless_any` terms occurs), publication types,
language, publication date, the classifier's labels (`requires_labels`, `excludes_labels`) and
free full text. Where the record cannot tell, the rule does not guess: a record without a date
is not excluded by the date window, and a record whose full-text availability is unknown (a
reference imported from RIS, BibTeX or CSV without a PMC ID) is not excluded as "not retrieved"
but waits for a person to retrieve it ("maybe", awaiting full-text assessment).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from exoreview.protocol import Criterion
from exoreview.records import Record
from exoreview.results import EXCLUDE, INCLUDE, MAYBE, Label

Labeler = Callable[[Record], list[Label]]
AWAITING_RETRIEVAL = "full-text availability unknown: awaiting retrieval by a reviewer"


@dataclass(slots=True)
class RuleOutcome:
    label: str
    reason_id: str = ""
    note: str = ""


def screening_text(record: Record) -> str:
    """What a screener reads: title, abstract, keywords and MeSH headings."""
    return "\n".join([record.title, record.abstract_text, "; ".join(record.keywords),
                      "; ".join(m.descriptor for m in record.mesh)])


class CriteriaRules:
    """Exclusion criteria of one stage, compiled once.

    `labeler` gives a record's labels for criteria that read them (`requires_labels`,
    `excludes_labels`); such a criterion without a labeler is an error, not a silent pass.
    """

    def __init__(self, criteria: list[Criterion], stage: str, labeler: Labeler | None = None) -> None:
        self.criteria = [c for c in criteria if c.stage == stage]
        self.labeler = labeler
        self._patterns = {
            c.id: re.compile("|".join(f"(?:{p})" for p in c.unless_any), re.IGNORECASE)
            for c in self.criteria if c.unless_any
        }
        self._titles = {c.id: re.compile("|".join(f"(?:{p})" for p in c.title_any), re.IGNORECASE)
                        for c in self.criteria if c.title_any}
        needs_labels = [c.id for c in self.criteria if c.requires_labels or c.excludes_labels]
        if needs_labels and labeler is None:
            raise ValueError(f"criteria {', '.join(needs_labels)} read the classifier's labels: "
                             "give CriteriaRules a labeler")

    @property
    def reads_labels(self) -> bool:
        return any(c.requires_labels or c.excludes_labels for c in self.criteria)

    def decide(self, record: Record, *, full_text: bool | None = None,
               labels: list[Label] | None = None) -> RuleOutcome:
        """The first criterion that excludes the record, in protocol order; else include.

        `full_text`: whether free full text is known to exist; None reads the record's own
        `free_full_text` and PMC ID. `labels`: the record's labels, when the caller has them.
        """
        text = screening_text(record)
        types = {p.name for p in record.publication_types}
        awaiting = False
        for criterion in self.criteria:
            note = self._record_exclusion(criterion, record, text, types)
            if note:
                return RuleOutcome(EXCLUDE, criterion.id, note)
            if criterion.requires_labels or criterion.excludes_labels:
                if labels is None:  # classified once, for the first criterion that reads labels
                    labels = self.labeler(record) if self.labeler is not None else []
                missing = _label_rule(criterion, labels)
                if missing:
                    return RuleOutcome(EXCLUDE, criterion.id, missing)
            if criterion.requires_full_text:
                available = full_text if full_text is not None else _free_full_text(record)
                if available is False:
                    return RuleOutcome(EXCLUDE, criterion.id, "no free full text")
                awaiting = awaiting or available is None
        return RuleOutcome(MAYBE, "", AWAITING_RETRIEVAL) if awaiting else RuleOutcome(INCLUDE)

    def _record_exclusion(self, criterion: Criterion, record: Record, text: str, types: set[str]) -> str:
        """Why the record's terms, publication types, title, language or date exclude it; "" when none does."""
        pattern = self._patterns.get(criterion.id)
        if pattern and not pattern.search(text):
            return "none of the criterion's terms occur"
        hit = types.intersection(criterion.publication_types)
        if hit:
            return f"publication type: {', '.join(sorted(hit))}"
        title = self._titles.get(criterion.id)
        found = title.search(record.title) if title else None
        if found:
            return f"title: {found.group()!r}"
        if criterion.languages and record.languages and not set(record.languages) & set(criterion.languages):
            return f"language: {', '.join(record.languages)}"
        return _outside_window(record, criterion)


def _free_full_text(record: Record) -> bool | None:
    if record.pmcid or record.free_full_text:
        return True
    return record.free_full_text  # False when a source said so, None when nobody knows


def _outside_window(record: Record, criterion: Criterion) -> str:
    """Why the record's publication date falls outside the criterion's window; "" when it does not (or is unknown)."""
    if not (criterion.published_from or criterion.published_to) or record.pub_date.year is None:
        return ""
    when = record.pub_date.iso()
    low = _bound(criterion.published_from, "01", "01")
    high = _bound(criterion.published_to, "12", "31")
    if low and when < low:
        return f"published {when[:4]}, before {criterion.published_from}"
    if high and when > high:
        return f"published {when[:4]}, after {criterion.published_to}"
    return ""


def _bound(value: str, month: str, day: str) -> str:
    if not value:
        return ""
    parts = value.split("/") + [month, day][len(value.split("/")) - 1:]
    return "/".join(p.zfill(2) if i else p for i, p in enumerate(parts[:3]))


def _label_rule(criterion: Criterion, labels: list[Label]) -> str:
    """Why the labels exclude the record under this criterion; "" when they do not."""
    # Hedged labels count: "may be a treatment for alopecia" still says what the study is about.
    affirmed = [lab for lab in labels if not lab.negated]
    names = {lab.facet for lab in affirmed} | {f"{lab.facet}.{lab.value}" for lab in affirmed}
    required = criterion.requires_labels
    if required and not any(r in names for r in required):
        return f"no label {' or '.join(required)} in the title or abstract"
    unwanted = sorted(e for e in criterion.excludes_labels if e in names)
    if unwanted and not any(u in names for u in criterion.unless_labels):
        return f"labelled {', '.join(unwanted)}" + (f" and not {' or '.join(criterion.unless_labels)}"
                                                    if criterion.unless_labels else "")
    return ""
