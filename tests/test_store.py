"""The SQLite store: one real file per review, migrations, WAL, atomic batches, audit trails."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from exoreview.records import AbstractSection, Author, MeshHeading, MeshQualifier, Record
from exoreview.results import EXCLUDE, INCLUDE, TITLE_ABSTRACT, Decision, DuplicateLink
from exoreview.store import SCHEMA_VERSION, Store, StoreError


def _record(pmid: str, title: str = "Invented title about vesicles") -> Record:
    return Record(
        pmid=pmid,
        doi=f"10.99999/Test.{pmid}",
        title=title,
        abstract=[AbstractSection("Invented background.", "BACKGROUND", "BACKGROUND")],
        authors=[Author("Tester", "Ann", "A", affiliations=["Nowhere Institute"])],
        mesh=[MeshHeading("Exosomes", "D055354", True, [MeshQualifier("metabolism", "Q000378")])],
        synthetic=True,
    )


def test_new_store_is_wal_at_current_schema(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.sqlite") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_records_round_trip_and_upsert_by_identifier(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.sqlite") as store:
        run = store.start_run("test")
        first = store.add_records([_record("1"), _record("2")], source="pubmed", run_id=run)
        again = store.add_records([_record("1", "A corrected title")], source="pubmed", run_id=run)
        assert again == first[:1]
        assert store.record(first[0]).title == "A corrected title"
        assert store.record(first[1]) == _record("2")
        assert store.record_count() == 2
        assert store.find_record(doi="10.99999/TEST.2") == first[1]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    Store.open(path).close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="newer exoreview"):
        Store.open(path)


def test_batch_is_stored_whole_or_not_at_all(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.sqlite") as store:
        run = store.start_run("test")
        search = store.add_search(run, "pubmed", "q")

        def failing():
            yield _record("1")
            raise RuntimeError("killed mid-batch")

        with pytest.raises(RuntimeError):
            store.store_batch(search, 0, "1", 2, failing(), source="pubmed", run_id=run)
        assert store.record_count() == 0 and store.completed_batches(search) == set()
        store.store_batch(search, 0, "1", 2, [_record("1"), _record("2")], source="pubmed", run_id=run)
        assert store.completed_batches(search) == {0} and len(store.search_hit_ids(search)) == 2


def test_decisions_keep_history_and_latest_counts(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.sqlite") as store:
        [rid] = store.add_records([_record("1")], source="pubmed")
        store.add_decisions([Decision(rid, TITLE_ABSTRACT, EXCLUDE, "ann", "E1")])
        store.add_decisions([Decision(rid, TITLE_ABSTRACT, INCLUDE, "ann", note="changed my mind")])
        assert [d.label for d in store.decisions(TITLE_ABSTRACT, history=True)] == [EXCLUDE, INCLUDE]
        assert store.final_decisions(TITLE_ABSTRACT)[rid].label == INCLUDE


def test_duplicate_links_can_be_undone(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.sqlite") as store:
        a, b = store.add_records([_record("1"), _record("2")], source="pubmed")
        store.add_duplicates([DuplicateLink(record_id=b, kept_id=a, reason="doi")])
        assert store.unique_record_ids() == [a]
        [link] = store.duplicates()
        assert link.id is not None
        store.undo_duplicate(link.id)
        assert store.unique_record_ids() == [a, b]
        assert store.duplicates(include_undone=True)[0].undone_at
