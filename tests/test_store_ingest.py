"""Ingesting several PubMed XML files into the store with worker processes (store.ingest)."""

from __future__ import annotations

import gzip
import multiprocessing
import os
import signal
import sqlite3
import threading
from pathlib import Path

import pytest

from exoreview.bench.pubmed_tiling import tile_pubmed_xml
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.store import Store
from exoreview.store.database import record_row
from exoreview.store.ingest import BATCH, IngestError, ingest_pubmed_files

PER_FILE = 700  # several batches per file, and past a tile boundary (604 real citations)
ROWS = ("SELECT source, source_id, pmid, doi, pmcid, title, year, synthetic, data, first_run_id, updated_run_id "
        "FROM records ORDER BY source, source_id")


def stored_rows(store: Store) -> list[tuple[object, ...]]:
    """Every stored record row but its id (ids follow insertion order, which interleaves files)."""
    return [tuple(row) for row in store.db.execute(ROWS)]


def tiled(folder: Path, count: int, per_file: int, first_pmid: int) -> list[Path]:
    from tests.conftest import shared_path

    source = shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")
    paths = []
    for number in range(count):
        path = folder / f"part{number}.xml.gz"
        tile_pubmed_xml(source, path, per_file, first_pmid=first_pmid + number * per_file)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return tiled(tmp_path_factory.mktemp("ingest"), 3, PER_FILE, 80_000_000)


@pytest.mark.shared
def test_record_rows_are_the_rows_add_records_writes(shared: object, tmp_path: Path) -> None:
    records = list(iter_pubmed_xml(shared("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))  # type: ignore[operator]
    assert len(records) > 600
    with Store.open(tmp_path / "a.db") as by_records, Store.open(tmp_path / "b.db") as by_rows:
        run = by_records.start_run("test")
        assert by_rows.start_run("test") == run
        by_records.add_records(records, source="pubmed", run_id=run)
        kept = [r for r in records if r.kind != "deleted"]  # deletion notices are not records
        assert len(kept) < len(records)
        assert by_rows.add_record_rows([record_row(r) for r in kept], source="pubmed", run_id=run) == len(kept)
        everything = "SELECT * FROM records ORDER BY id"
        written = [tuple(r) for r in by_records.db.execute(everything)]
        assert written == [tuple(r) for r in by_rows.db.execute(everything)]
        assert by_rows.record(1) == records[0]


@pytest.mark.shared
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_ingest_stores_what_the_sequential_path_stores(files: list[Path], tmp_path: Path, workers: int) -> None:
    with Store.open(tmp_path / "seq.db") as sequential, Store.open(tmp_path / "par.db") as parallel:
        for store in (sequential, parallel):
            first, second = store.start_run("import"), store.start_run("import again")
            store.add_records(list(iter_pubmed_xml(files[0]))[:5], source="other", run_id=first)  # left alone
        for path in files:
            sequential.add_records(iter_pubmed_xml(path), source="pubmed", run_id=first)
        sequential.add_records(iter_pubmed_xml(files[1]), source="pubmed", run_id=second)

        errors: list[MalformedRecord] = []
        summary = ingest_pubmed_files(parallel, files, source="pubmed", run_id=first, workers=workers, errors=errors)
        assert (summary.files, summary.stored, summary.skipped, summary.errors, errors) == (3, 3 * PER_FILE, 0, [], [])
        # Again, as an update of one file: the upsert keeps first_run_id and sets updated_run_id.
        again = ingest_pubmed_files(parallel, [files[1]], source="pubmed", run_id=second, workers=workers)
        assert again.stored == PER_FILE

        rows = stored_rows(parallel)
        assert len(rows) == 5 + 3 * PER_FILE
        assert rows == stored_rows(sequential)
        assert {(r[9], r[10]) for r in rows if r[2].startswith("80000")} == {(first, first), (first, second)}


@pytest.mark.shared
def test_bad_records_and_broken_files_are_reported_and_nothing_else_lost(files: list[Path], tmp_path: Path) -> None:
    packed = files[0].read_bytes()
    truncated = tmp_path / "truncated.xml.gz"
    truncated.write_bytes(packed[: len(packed) // 2])
    salvaged = []
    with pytest.raises(MalformedRecord):
        salvaged.extend(iter_pubmed_xml(truncated))
    missing = tmp_path / "missing.xml.gz"
    bad_pmid = tmp_path / "bad.xml.gz"
    bad_pmid.write_bytes(gzip.compress(gzip.decompress(files[2].read_bytes()).replace(b">80001400<", b">8x<", 1)))

    with Store.open(tmp_path / "review.db") as store:
        summary = ingest_pubmed_files(store, [truncated, files[1], missing, bad_pmid], source="pubmed", workers=2)
        assert summary.stored == store.record_count() == len(salvaged) + PER_FILE + PER_FILE - 1
        assert sorted(summary.broken_files) == sorted([str(truncated), str(missing)])
        assert summary.skipped == 1
        by_file = {e.source: e for e in summary.errors}
        assert set(by_file) == {str(truncated), str(missing), str(bad_pmid)}
        assert by_file[str(missing)].reason.startswith("cannot read")
        assert (by_file[str(bad_pmid)].position, by_file[str(bad_pmid)].pmid) == (0, "8x")
        assert by_file[str(truncated)].position == len(salvaged)
        # Everything before the fault is kept, exactly as parsed.
        last = salvaged[-1]
        record_id = store.find_record(pmid=last.pmid)
        assert record_id is not None and store.record(record_id) == last
        assert store.find_record(pmid="80001401") is not None  # the record after the bad one


@pytest.mark.shared
@pytest.mark.slow
def test_a_worker_killed_mid_ingest_raises_and_keeps_what_was_stored(tmp_path: Path) -> None:
    files = tiled(tmp_path, 2, 2_500, 70_000_000)
    database = tmp_path / "review.db"
    killed: list[int] = []

    def kill_workers_once_rows_are_stored() -> None:
        watcher = sqlite3.connect(database, timeout=30)
        try:
            while not killed:
                if watcher.execute("SELECT count(*) FROM records").fetchone()[0] >= BATCH:
                    for child in multiprocessing.active_children():
                        os.kill(child.pid or 0, signal.SIGKILL)
                        killed.append(child.pid or 0)
                threading.Event().wait(0.01)
        finally:
            watcher.close()

    with Store.open(database) as store:
        thread = threading.Thread(target=kill_workers_once_rows_are_stored)
        thread.start()
        try:
            # The message names the file too when the worker died mid-file; it may also die between files.
            died = r"worker \d died \(exit code -9\)( while parsing .*part\d\.xml\.gz)?"
            with pytest.raises(IngestError, match=died):
                ingest_pubmed_files(store, files, source="pubmed", workers=2)
        finally:
            killed.append(0)  # stops the watcher if the ingest ended some other way
            thread.join()
        assert multiprocessing.active_children() == []
        stored = store.record_count()
        assert BATCH <= stored < 5_000
        expected = {r.pmid: r for path in files for r in iter_pubmed_xml(path)}
        for _record_id, record in store.iter_records():
            assert record == expected[record.pmid]
