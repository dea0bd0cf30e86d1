"""The dedup stage: find copies among the records not yet set aside, and record the links.

Pairs too uncertain to merge go to the run log as a review queue: one line per
pair naming both records, the score and the evidence, for a reviewer to
merge by hand or leave apart.
"""

from __future__ import annotations

from exoreview.dedup.matcher import MatchResult, ReviewPair, match_records
from exoreview.store import Store


def review_queue(store: Store) -> list[ReviewPair]:
    """The pairs a reviewer should look at, among the records not set aside (nothing is stored)."""
    return _match(store).review


def _match(store: Store) -> MatchResult:
    active = store.duplicates()
    set_aside = {d.record_id for d in active}
    forbidden = {
        frozenset((d.record_id, d.kept_id)) for d in store.duplicates(include_undone=True) if d.undone_at
    }
    candidates = [(i, r) for i, r in store.iter_records() if i not in set_aside]
    preference = {i: (0 if store.record_source(i) == "pubmed" else 1) for i, _ in candidates}
    return match_records(candidates, preference=preference, forbidden=forbidden)


def deduplicate(store: Store, *, run_id: int | None = None) -> int:
    """Link new copies to the records kept for their studies; returns how many were set aside.

    Existing links stay; a link a reviewer undid is never made again.
    """
    result = _match(store)
    links = result.links
    store.add_duplicates(links)
    if run_id is not None:
        reasons: dict[str, int] = {}
        for link in links:
            reasons[link.reason] = reasons.get(link.reason, 0) + 1
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items())) or "none"
        store.log(run_id, f"dedup: {len(links)} duplicates set aside ({detail}); "
                          f"{len(result.review)} pairs left for a reviewer")
        for pair in result.review:
            store.log(run_id, f"dedup: review: records {pair.record_id} and {pair.other_id} may be one study "
                              f"(score {pair.score:.2f}; agree on {pair.reason})", level="warning")
    return len(links)
