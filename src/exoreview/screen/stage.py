"""The screening stage: rule decisions at title/abstract and eligibility, ranker scores for each.

Records someone already decided are left alone: a person's decision is never
overwritten by a rule, and a re-run screens only what is new.
"""

from __future__ import annotations

from collections.abc import Callable

from exoreview.classify import StudyClassifier
from exoreview.protocol import Protocol
from exoreview.results import ELIGIBILITY, INCLUDE, TITLE_ABSTRACT, Decision
from exoreview.screen.ranker import BaselineRanker
from exoreview.screen.rules import CriteriaRules, Labeler
from exoreview.store import Store


def screen_records(store: Store, protocol: Protocol, *, run_id: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   labeler: Labeler | None = None) -> dict[str, int]:
    """Decide every unique record without a decision; returns counts by stage and label.

    Criteria that read labels get them from `labeler`, by default the classify stage's
    `StudyClassifier` over the protocol's taxonomy.
    """
    unique = store.unique_record_ids()
    counts: dict[str, int] = {}
    if labeler is None and any(c.requires_labels or c.excludes_labels for c in protocol.exclude):
        labeler = StudyClassifier(protocol.taxonomy).classify
    new, scores = _screen_titles(store, protocol, unique, labeler)
    _count(counts, TITLE_ABSTRACT, new)
    if progress:
        progress(len(new), len(new))
    eligibility = _assess_eligibility(store, protocol, unique, labeler, scores)
    _count(counts, ELIGIBILITY, eligibility)
    if run_id is not None:
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing new"
        store.log(run_id, f"screen: {len(new)} screened, {len(eligibility)} assessed for eligibility ({summary})")
    return counts


def _screen_titles(store: Store, protocol: Protocol, unique: list[int], labeler: Labeler | None
                   ) -> tuple[list[Decision], dict[int, float]]:
    """Title/abstract rule decisions for the records without one (stored), and every record's ranker score."""
    rules = CriteriaRules(protocol.exclude, TITLE_ABSTRACT, labeler)
    decided = store.final_decisions(TITLE_ABSTRACT)
    pending = [i for i in unique if i not in decided]
    records = dict(store.iter_records(pending))
    outcomes = {i: rules.decide(records[i]) for i in pending}
    scores = _scores(store, unique, {**{i: d.label for i, d in decided.items()},
                                     **{i: o.label for i, o in outcomes.items()}})
    reviewer = protocol.screening.reviewer
    new = [Decision(i, TITLE_ABSTRACT, o.label, reviewer, o.reason_id, o.note, scores.get(i)) for i, o in
           outcomes.items()]
    store.add_decisions(new)
    return new, scores


def _assess_eligibility(store: Store, protocol: Protocol, unique: list[int], labeler: Labeler | None,
                        scores: dict[int, float]) -> list[Decision]:
    """Eligibility rule decisions (stored) for the records included at title/abstract and not yet assessed."""
    rules = CriteriaRules(protocol.exclude, ELIGIBILITY, labeler)
    unique_set = set(unique)
    included = [i for i, d in store.final_decisions(TITLE_ABSTRACT).items() if d.label == INCLUDE and i in unique_set]
    assessed = store.final_decisions(ELIGIBILITY)
    waiting = [i for i in included if i not in assessed]
    free = store.free_full_text_ids() if waiting else set()
    reviewer = protocol.screening.reviewer
    eligibility = []
    for record_id, record in store.iter_records(waiting):
        outcome = rules.decide(record, full_text=True if record_id in free else None)
        eligibility.append(Decision(record_id, ELIGIBILITY, outcome.label, reviewer, outcome.reason_id,
                                    outcome.note, scores.get(record_id)))
    store.add_decisions(eligibility)
    return eligibility


def _scores(store: Store, record_ids: list[int], labels: dict[int, str]) -> dict[int, float]:
    """Relevance scores from a ranker trained on the decisions so far; empty when it cannot learn."""
    known = [i for i in record_ids if i in labels]
    targets = [int(labels[i] == INCLUDE) for i in known]
    if len(set(targets)) < 2:
        return {}
    records = dict(store.iter_records(record_ids))
    ranker = BaselineRanker().fit([records[i] for i in known], targets)
    probabilities = ranker.predict_proba([records[i] for i in record_ids])
    return {i: round(float(p), 4) for i, p in zip(record_ids, probabilities, strict=True)}


def _count(counts: dict[str, int], stage: str, decisions: list[Decision]) -> None:
    for decision in decisions:
        key = f"{stage}.{decision.label}" + (f".{decision.reason_id}" if decision.reason_id else "")
        counts[key] = counts.get(key, 0) + 1
