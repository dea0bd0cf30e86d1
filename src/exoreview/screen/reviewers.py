"""Several reviewers on one review: blind decisions, conflicts, agreement, resolution.

Each reviewer's decisions are rows of their own in the store's decision
history; nothing here overwrites another reviewer's row. Dual screening is
blind because a reviewer's queue and view are built from their own rows only
(see `screen.session`); this module is where the rows meet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sklearn.metrics import cohen_kappa_score

from exoreview.results import EXCLUDE, INCLUDE, MACHINE_PREFIXES, MAYBE, RESOLVER, TITLE_ABSTRACT, Decision, is_person
from exoreview.store import Store

LABELS = (INCLUDE, EXCLUDE, MAYBE)
__all__ = ["LABELS", "MACHINE_PREFIXES", "Agreement", "Conflict", "agreement", "conflicts", "is_person", "people",
           "resolve", "reviewer_decisions"]


def reviewer_decisions(store: Store, reviewer: str, stage: str = TITLE_ABSTRACT) -> dict[int, Decision]:
    """The standing decision of one reviewer per record."""
    return {d.record_id: d for d in store.decisions(stage, reviewer=reviewer)}


def people(store: Store, stage: str = TITLE_ABSTRACT) -> list[str]:
    """Reviewers (not rules or models) with at least one standing decision at a stage, by name."""
    return sorted({d.reviewer for d in store.decisions(stage) if is_person(d.reviewer)})


@dataclass(slots=True)
class Conflict:
    record_id: int
    labels: dict[str, str]  # reviewer -> label
    resolved_by: str = ""  # the resolution's reviewer name, once resolved
    resolution: str = ""


@dataclass(slots=True)
class Agreement:
    reviewers: tuple[str, str]
    n_both: int  # records both reviewers decided
    observed: float  # share of those on which they gave the same label
    kappa: float | None  # Cohen's kappa; None when fewer than two records were decided by both
    table: dict[tuple[str, str], int] = field(default_factory=dict)  # (label a, label b) -> count


def agreement(store: Store, first: str, second: str, stage: str = TITLE_ABSTRACT) -> Agreement:
    """Cohen's kappa between two reviewers over the records both decided."""
    a = reviewer_decisions(store, first, stage)
    b = reviewer_decisions(store, second, stage)
    both = sorted(set(a) & set(b))
    pairs = [(a[i].label, b[i].label) for i in both]
    table = dict(Counter(pairs))
    if len(pairs) < 2:
        return Agreement((first, second), len(pairs), 1.0 if pairs and pairs[0][0] == pairs[0][1] else 0.0,
                         None, table)
    left, right = zip(*pairs, strict=True)
    observed = sum(x == y for x, y in pairs) / len(pairs)
    # Both giving one and the same label throughout leaves kappa undefined by formula (chance
    # agreement is 1); perfect agreement on a single category is reported as 1.
    single = len(set(left) | set(right)) == 1
    kappa = 1.0 if single else float(cohen_kappa_score(left, right, labels=list(LABELS)))
    return Agreement((first, second), len(pairs), observed, kappa, table)


def conflicts(store: Store, reviewers: Sequence[str] | None = None, stage: str = TITLE_ABSTRACT,
              *, include_resolved: bool = False, resolver: str = RESOLVER) -> list[Conflict]:
    """Records on which the named reviewers (default: every person) gave different labels."""
    names = list(reviewers) if reviewers else [p for p in people(store, stage) if p != resolver]
    by_reviewer = {name: reviewer_decisions(store, name, stage) for name in names}
    resolutions = reviewer_decisions(store, resolver, stage)
    found = []
    record_ids = sorted(set().union(*(set(d) for d in by_reviewer.values()))) if by_reviewer else []
    for record_id in record_ids:
        labels = {name: d[record_id].label for name, d in by_reviewer.items() if record_id in d}
        if len(labels) < 2 or len(set(labels.values())) < 2:
            continue
        resolution = resolutions.get(record_id)
        if resolution and not include_resolved:
            continue
        found.append(Conflict(record_id, labels, resolver if resolution else "",
                              resolution.label if resolution else ""))
    return found


def resolve(store: Store, record_id: int, label: str, *, stage: str = TITLE_ABSTRACT, reason_id: str = "",
            note: str = "", resolver: str = RESOLVER) -> Decision:
    """Settle a conflict: the resolver's decision is the latest, so it is the one that stands."""
    if label not in LABELS:
        raise ValueError(f"label must be one of {', '.join(LABELS)}, not {label!r}")
    decision = Decision(record_id, stage, label, resolver, reason_id, note)
    store.add_decisions([decision])
    return decision
