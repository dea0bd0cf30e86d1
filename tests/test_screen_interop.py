"""ASReview CSV interop on a real SYNERGY dataset (Donners 2021, shared data): labels out and back in."""

from __future__ import annotations

from pathlib import Path

from exoreview.cli.app import main
from exoreview.formats.asreview_csv import iter_asreview_csv, write_asreview_csv
from exoreview.formats.openalex import iter_synergy
from exoreview.results import EXCLUDE, INCLUDE, TITLE_ABSTRACT
from exoreview.review import init_folder
from exoreview.store import Store
from tests.conftest import shared_path


def test_labels_round_trip_through_asreview_csv(tmp_path: Path):
    rows = list(iter_synergy(shared_path("data", "synergy", "Donners_2021")))
    records = [r.record for r in rows]
    truth = [r.included for r in rows]
    # Half the records are already in the review (as if found by a search); the CSV holds them all.
    folder = init_folder(tmp_path / "review")
    with Store.open(folder.store_file) as store:
        store.add_records(records[: len(records) // 2], source="openalex")
    dataset = tmp_path / "donners.csv"
    labels = [label if n % 7 else None for n, label in enumerate(truth)]  # some rows left unlabelled
    dataset.write_text(write_asreview_csv(records, labels, label_column="label_included"), encoding="utf-8")

    assert main(["asreview", "import", str(folder.root), str(dataset), "--reviewer", "asreview-lab"]) == 0
    with Store.open(folder.store_file) as store:
        history = store.decisions(TITLE_ABSTRACT, reviewer="asreview-lab", history=True)
        assert len(history) == sum(label is not None for label in labels)
        # The dataset holds a few copies of one study (same PMID, DOI or title): each copy's label lands on
        # the one stored record, so no row is stored twice.
        stored_titles = {record.title for _, record in store.iter_records()}
        assert stored_titles == {record.title for record in records}
        assert store.record_count() < len(records)
        included = {store.record(d.record_id).title for d in history if d.label == INCLUDE}
        assert included == {r.title for r, label in zip(records, labels, strict=True) if label}
        assert sum(d.label == EXCLUDE for d in history) == sum(label is False for label in labels)

    exported = tmp_path / "export.csv"
    assert main(["asreview", "export", str(folder.root), str(exported)]) == 0
    back = list(iter_asreview_csv(exported))
    assert len(back) == store_count(folder.store_file)
    labelled = {row.record.title: row.included for row in back}
    for record, label in zip(records, labels, strict=True):
        if label is not None:
            assert labelled[record.title] in (label, True)  # a copy's include stands for the study
    assert sum(v is True for v in labelled.values()) == len(included)


def store_count(path: Path) -> int:
    with Store.open(path) as store:
        return len(store.unique_record_ids())
