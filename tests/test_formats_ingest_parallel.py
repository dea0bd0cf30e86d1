"""Multi-file ingest on several processes, and the wire form its helpers use."""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pytest

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.parallel import iter_pubmed_files
from exoreview.formats.pubmed_tiling import tile_pubmed_xml
from exoreview.formats.pubmed_xml import iter_pubmed_xml
from exoreview.formats.record_codec import decode_batch, encode_batch
from exoreview.records import (
    AbstractSection,
    Author,
    Correction,
    Journal,
    MeshHeading,
    MeshQualifier,
    PubDate,
    PublicationType,
    Record,
)

PER_FILE = 700  # more than one 64-record batch per file, and a tile boundary (604)


def full_record() -> Record:
    """A Record with every field away from its default, nested lists included."""
    return Record(
        pmid="1",
        pmid_version=2,
        doi="10.1/x",
        pmcid="PMC1",
        pii="S1",
        title="T",
        vernacular_title="V",
        abstract=[AbstractSection("a", "L", "RESULTS")],
        other_abstracts=[AbstractSection("o")],
        authors=[Author("Doe", "Jane", "J", "", ["Here", "There"], "0000-0001-2345-678X"), Author(collective_name="G")],
        journal=Journal("J", "J.", "1-1", "2-2", "3-3", "99", "4", "5", "6-7"),
        pub_date=PubDate(2003, 11, 2, "2003 Nov-Dec"),
        mesh=[MeshHeading("M", "D1", True, [MeshQualifier("q", "Q1", True)])],
        publication_types=[PublicationType("Review", "D016454")],
        keywords=["k"],
        chemicals=["c"],
        grants=["g / a"],
        languages=["eng"],
        corrections=[Correction("RetractionIn", "2", "src")],
        elocation_ids=["e1"],
        free_full_text=True,
        synthetic=True,
        status="MEDLINE",
        kind="book",
        openalex_id="W1",
        work_type="article",
        cited_by_count=3,
        referenced_works=["W2"],
        extra={"nct_id": "NCT0"},
    )


def test_codec_round_trips_every_field() -> None:
    record = full_record()
    defaults = Record()
    # Guard: a field added to Record must be set above, so that this test covers it.
    unset = [f.name for f in dataclasses.fields(Record) if getattr(record, f.name) == getattr(defaults, f.name)]
    assert unset == []
    assert decode_batch(encode_batch([record, defaults])) == [record, defaults]
    assert decode_batch(encode_batch([])) == []


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from tests.conftest import shared_path

    source = shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")
    folder = tmp_path_factory.mktemp("ingest")
    paths = []
    for number in range(3):
        path = folder / f"part{number}.xml.gz"
        tile_pubmed_xml(source, path, PER_FILE, first_pmid=80_000_000 + number * PER_FILE)
        paths.append(path)
    return paths


@pytest.mark.shared
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_parallel_records_equal_sequential_and_keep_file_order(files: list[Path], workers: int) -> None:
    expected = [list(iter_pubmed_xml(path)) for path in files]
    errors: list[MalformedRecord] = []
    received = list(iter_pubmed_files(files, workers=workers, errors=errors))
    assert errors == []
    assert len(received) == 3 * PER_FILE
    for records in expected:
        first = int(records[0].pmid)
        assert [r for r in received if first <= int(r.pmid) < first + PER_FILE] == records  # same order


@pytest.mark.shared
def test_broken_and_missing_files_lose_nothing_else(files: list[Path], tmp_path: Path) -> None:
    packed = files[0].read_bytes()
    truncated = tmp_path / "truncated.xml.gz"
    truncated.write_bytes(packed[: len(packed) // 2])
    salvaged = []
    with pytest.raises(MalformedRecord):
        salvaged.extend(iter_pubmed_xml(truncated))
    missing = tmp_path / "missing.xml.gz"
    bad_pmid = tmp_path / "bad.xml.gz"
    bad_pmid.write_bytes(gzip.compress(gzip.decompress(files[2].read_bytes()).replace(b">80001400<", b">8x<", 1)))
    inputs = [truncated, files[1], missing, bad_pmid]

    errors: list[MalformedRecord] = []
    received = list(iter_pubmed_files(inputs, workers=2, errors=errors))
    assert len(received) == len(salvaged) + PER_FILE + PER_FILE - 1
    assert {e.source for e in errors} == {str(truncated), str(missing), str(bad_pmid)}
    by_source = {e.source: e for e in errors}
    assert by_source[str(missing)].reason.startswith("cannot read")
    assert (by_source[str(bad_pmid)].position, by_source[str(bad_pmid)].pmid) == (0, "8x")
    assert by_source[str(truncated)].position == len(salvaged)

    # Without an errors list, a broken file is raised only after every other record was delivered.
    delivered: list[Record] = []
    with pytest.raises(MalformedRecord) as caught:
        delivered.extend(iter_pubmed_files([truncated, files[1]], workers=2))
    assert caught.value.source == str(truncated)
    assert len(delivered) == len(salvaged) + PER_FILE


@pytest.mark.shared
def test_stopping_early_ends_the_helpers_and_removes_the_spool(files: list[Path]) -> None:
    import multiprocessing
    import tempfile

    def spools() -> set[str]:
        found: set[str] = set()
        for folder in ("/dev/shm", tempfile.gettempdir()):
            if Path(folder).is_dir():
                found |= {str(p) for p in Path(folder).glob("exoreview-ingest-*")}
        return found

    before = spools()
    records = iter_pubmed_files(files, workers=2)
    first = [next(records) for _ in range(10)]
    assert len({r.pmid for r in first}) == 10
    assert multiprocessing.active_children()
    records.close()
    assert multiprocessing.active_children() == []
    assert spools() == before
