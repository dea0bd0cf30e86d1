"""Screening decisions to and from ASReview-compatible CSV.

Export: the review's unique records with the standing title/abstract label
(1 include, 0 exclude, empty for maybe or undecided), in the store's record
order, so ASReview LAB can continue or check the screening. Import: an
ASReview dataset or project export; labelled rows become decisions under one
reviewer name, matched to stored records by PMID, DOI, then exact normalized
title. Rows that match nothing are added as records of their own file source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from exoreview.formats.asreview_csv import iter_asreview_csv, write_asreview_csv
from exoreview.formats.errors import MalformedRecord
from exoreview.records import Record
from exoreview.results import EXCLUDE, INCLUDE, TITLE_ABSTRACT, Decision
from exoreview.store import Store


def export_asreview(store: Store, path: Path, *, stage: str = TITLE_ABSTRACT) -> int:
    """Write every unique record with its standing label; returns the number of rows."""
    final = store.final_decisions(stage)
    ids = store.unique_record_ids()
    records, labels = [], []
    for record_id, record in store.iter_records(ids):
        record.extra["record_id"] = str(record_id)
        decision = final.get(record_id)
        labels.append(None if decision is None or decision.label not in (INCLUDE, EXCLUDE)
                      else decision.label == INCLUDE)
        records.append(record)
    path.write_text(write_asreview_csv(records, labels), encoding="utf-8", newline="")
    return len(records)


@dataclass(slots=True)
class ImportSummary:
    rows: int = 0
    labelled: int = 0
    matched: int = 0
    added: int = 0
    errors: list[MalformedRecord] = field(default_factory=list)


def _title_key(title: str) -> str:
    return re.sub(r"[\W_]+", " ", title.lower()).strip()


def import_asreview(store: Store, path: Path, *, reviewer: str, stage: str = TITLE_ABSTRACT,
                    run_id: int | None = None) -> ImportSummary:
    """Labelled rows become `reviewer`'s decisions; unlabelled rows only make sure the record is stored."""
    summary = ImportSummary()
    rows = list(iter_asreview_csv(path, errors=summary.errors))
    summary.rows = len(rows)
    by_title = {_title_key(r.title): i for i, r in store.iter_records() if r.title}
    unmatched: list[tuple[int, Record]] = []
    targets: list[int | None] = []
    for n, row in enumerate(rows):
        record_id = _match(store, row.record, by_title)
        targets.append(record_id)
        if record_id is None:
            unmatched.append((n, row.record))
        else:
            summary.matched += 1
    if unmatched:
        new_ids = store.add_records([r for _, r in unmatched], source=f"import:{path.name}", run_id=run_id)
        for (n, _), record_id in zip(unmatched, new_ids, strict=True):
            targets[n] = record_id
        summary.added = len(set(new_ids))
    decisions = [Decision(record_id, stage, INCLUDE if row.included else EXCLUDE, reviewer,
                          note=f"imported from {path.name}")
                 for row, record_id in zip(rows, targets, strict=True)
                 if row.included is not None and record_id is not None]
    store.add_decisions(decisions)
    summary.labelled = len(decisions)
    return summary


def _match(store: Store, record: Record, by_title: dict[str, int]) -> int | None:
    if record.pmid and (found := store.find_record(pmid=record.pmid)) is not None:
        return found
    if record.doi and (found := store.find_record(doi=record.doi)) is not None:
        return found
    return by_title.get(_title_key(record.title)) if record.title else None
