"""The classify stage: read records from the store, label them, write the labels back."""

from __future__ import annotations

from collections.abc import Callable

from exoreview.classify.rules import RuleClassifier
from exoreview.protocol.model import Taxonomy
from exoreview.store.database import Store

Progress = Callable[[int, int], None]  # (records done, records in total)


def classify_records(
    store: Store,
    record_ids: list[int],
    taxonomy: Taxonomy,
    run_id: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Label each record and replace its stored labels; returns how many labels were written.

    Each record's labels are replaced in their own transaction, so an interrupted run leaves
    every record either with its old labels or with its new ones, never with a mix.
    """
    classifier = RuleClassifier(taxonomy)
    total = len(record_ids)
    written = 0
    for done, (record_id, record) in enumerate(store.iter_records(record_ids), start=1):
        labels = classifier.classify(record, record_id)
        store.replace_labels(record_id, labels, run_id)
        written += len(labels)
        if progress is not None:
            progress(done, total)
    if run_id is not None:
        store.log(run_id, f"classify: {written} labels for {total} records")
    return written
