"""The protocol's exclusion criteria applied as rules, each decision citing its criterion."""

from __future__ import annotations

import re
from dataclasses import dataclass

from exoreview.protocol import Criterion
from exoreview.records import Record
from exoreview.results import EXCLUDE, INCLUDE


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
    """Exclusion criteria of one stage, compiled once."""

    def __init__(self, criteria: list[Criterion], stage: str) -> None:
        self.criteria = [c for c in criteria if c.stage == stage]
        self._patterns = {
            c.id: re.compile("|".join(f"(?:{p})" for p in c.unless_any), re.IGNORECASE)
            for c in self.criteria if c.unless_any
        }

    def decide(self, record: Record) -> RuleOutcome:
        """The first criterion that excludes the record, in protocol order; else include."""
        text = screening_text(record)
        types = {p.name for p in record.publication_types}
        for criterion in self.criteria:
            pattern = self._patterns.get(criterion.id)
            if pattern and not pattern.search(text):
                return RuleOutcome(EXCLUDE, criterion.id, "none of the criterion's terms occur")
            hit = types.intersection(criterion.publication_types)
            if hit:
                return RuleOutcome(EXCLUDE, criterion.id, f"publication type: {', '.join(sorted(hit))}")
            if criterion.languages and record.languages and not set(record.languages) & set(criterion.languages):
                return RuleOutcome(EXCLUDE, criterion.id, f"language: {', '.join(record.languages)}")
            if criterion.requires_full_text and not (record.free_full_text or record.pmcid):
                return RuleOutcome(EXCLUDE, criterion.id, "no free full text")
        return RuleOutcome(INCLUDE)
