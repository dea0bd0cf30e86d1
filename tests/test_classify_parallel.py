"""The classify stage on every core: the same labels and appraisals, in the same order, as one process.

Real records (604 MEDLINE citations from ../shared) go through one process and through two; the
store rows must match exactly, and the run log says how many processes labelled them.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.protocol import load_protocol
from exoreview.stages.classify import PARALLEL_FROM, classify_records, worker_count
from exoreview.store.database import Store


def _stored(store: Store) -> tuple[list, list]:
    labels = [(lab.record_id, lab.facet, lab.value, lab.evidence, lab.negated, lab.hedged, lab.detail)
              for lab in store.labels()]
    ratings = store.appraisals()
    return labels, ratings


@pytest.mark.shared
def test_two_processes_write_exactly_what_one_writes(shared, tmp_path: Path) -> None:
    with gzip.open(shared("fixtures", "pubmed_xml", "medline16n0902.xml.gz")) as compressed:
        records = list(iter_pubmed_xml(compressed.read()))
    taxonomy = load_protocol("exosome-aesthetics").taxonomy
    results = {}
    for workers in (1, 2):
        store = Store.open(tmp_path / f"w{workers}.sqlite")
        try:
            ids = store.add_records(records, source="medline")
            run_id = store.start_run("classify")
            seen: list[int] = []
            written = classify_records(store, ids, taxonomy, run_id=run_id, appraise=True, workers=workers,
                                       progress=lambda done, _total, seen=seen: seen.append(done))
            assert seen == list(range(1, len(ids) + 1))  # progress per record, in order
            log = " ".join(row["message"] for row in store.run_log(run_id))
            assert f"({workers} process" in log
            results[workers] = (written, *_stored(store))
        finally:
            store.close()
    assert results[1][0] == results[2][0] > 0
    assert results[1][1] == results[2][1]  # labels, with their evidence, in the order written
    assert results[1][2] == results[2][2] and results[1][2]  # appraisals likewise


def test_small_runs_stay_in_one_process_and_a_set_count_is_kept() -> None:
    assert worker_count(PARALLEL_FROM - 1) == 1
    assert worker_count(10, workers=2) == 2 and worker_count(10_000, workers=1) == 1
    assert worker_count(10, workers=0) == 1
