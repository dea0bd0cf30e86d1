"""Full-text retrieval: records whose full-text availability no source reported wait for a person.

The eligibility rules leave such a record undecided ("maybe", awaiting retrieval) instead of
excluding it as "not retrieved". A reviewer then says what happened: retrieved (the remaining
eligibility criteria are applied to it) or not retrieved, with the reason; PRISMA 2020 counts the
latter under "reports not retrieved". Every step is a decision row, with who and when.
"""

from __future__ import annotations

from exoreview.classify import StudyClassifier
from exoreview.errors import BadInput
from exoreview.protocol import Protocol
from exoreview.results import ELIGIBILITY, EXCLUDE, FULL_TEXT_RETRIEVED, MAYBE, Decision
from exoreview.screen.rules import AWAITING_RETRIEVAL, CriteriaRules, Labeler
from exoreview.store import Store


class RetrievalError(BadInput, ValueError):
    """A retrieval outcome that cannot be recorded; the message names the record and why."""


def awaiting_retrieval(store: Store) -> list[int]:
    """Records whose standing eligibility decision waits for their full text."""
    return sorted(i for i, d in store.final_decisions(ELIGIBILITY).items()
                  if d.label == MAYBE and d.note.startswith(AWAITING_RETRIEVAL))


def record_retrieval(store: Store, protocol: Protocol, record_id: int, *, retrieved: bool, reviewer: str,
                     note: str = "", labeler: Labeler | None = None) -> Decision:
    """Store what a reviewer found for one record's full text and the eligibility decision that follows."""
    if record_id not in set(awaiting_retrieval(store)):
        raise RetrievalError(f"record {record_id} is not awaiting full-text retrieval")
    criterion = next((c for c in protocol.exclude if c.stage == ELIGIBILITY and c.requires_full_text), None)
    if criterion is None:
        raise RetrievalError(f"protocol {protocol.name!r} has no eligibility criterion that requires full text")
    if not retrieved:
        decision = Decision(record_id, ELIGIBILITY, EXCLUDE, reviewer, criterion.id,
                            note or "full text could not be retrieved")
        store.add_decisions([decision])
        return decision
    # The person's finding, then the remaining criteria applied to the retrieved report.
    found = Decision(record_id, ELIGIBILITY, MAYBE, reviewer, "", FULL_TEXT_RETRIEVED + (f": {note}" if note else ""))
    needs_labels = any(c.requires_labels or c.excludes_labels for c in protocol.exclude if c.stage == ELIGIBILITY)
    if labeler is None and needs_labels:
        labeler = StudyClassifier(protocol.taxonomy).classify
    outcome = CriteriaRules(protocol.exclude, ELIGIBILITY, labeler).decide(store.record(record_id), full_text=True)
    decision = Decision(record_id, ELIGIBILITY, outcome.label, protocol.screening.reviewer, outcome.reason_id,
                        outcome.note or f"full text retrieved by {reviewer}; no eligibility criterion excludes it")
    store.add_decisions([found, decision])
    return decision
