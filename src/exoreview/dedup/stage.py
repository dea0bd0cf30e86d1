"""The dedup stage: find copies among the records not yet set aside, and record the links."""

from __future__ import annotations

from exoreview.dedup.matcher import find_duplicates
from exoreview.store import Store


def deduplicate(store: Store, *, run_id: int | None = None) -> int:
    """Link new copies to the records kept for their studies; returns how many were set aside.

    Existing links stay; a link a reviewer undid is never made again.
    """
    active = store.duplicates()
    set_aside = {d.record_id for d in active}
    forbidden = {
        frozenset((d.record_id, d.kept_id)) for d in store.duplicates(include_undone=True) if d.undone_at
    }
    candidates = [(i, r) for i, r in store.iter_records() if i not in set_aside]
    preference = {i: (0 if store.record_source(i) == "pubmed" else 1) for i, _ in candidates}
    links = find_duplicates(candidates, preference=preference, forbidden=forbidden)
    store.add_duplicates(links)
    if run_id is not None:
        reasons: dict[str, int] = {}
        for link in links:
            reasons[link.reason] = reasons.get(link.reason, 0) + 1
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items())) or "none"
        store.log(run_id, f"dedup: {len(links)} duplicates set aside ({detail})")
    return len(links)
