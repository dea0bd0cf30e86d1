"""`exoreview mirror build`: real MEDLINE records in twenty files of the baseline format, revisions and
deletions included, built on a two-worker Dask LocalCluster and in one process, served by E-utilities."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from exoreview.cli.app import main
from exoreview.eutils.index import RecordIndex
from exoreview.formats.pubmed.writer import write_pubmed_xml
from exoreview.mesh.tree import MeshTree
from exoreview.mirror import INDEX_NAME, build_mirror, dask_client, mirror_records
from exoreview.records import Record
from tests.sources_helpers import medline_records
from tests.test_eutils_disk_index import FIXED_QUERIES, _queries_from

BASELINE_FILES, UPDATE_FILES = 15, 5


def _revised(record: Record, round_: int) -> Record:
    return dataclasses.replace(record, title=f"{record.title} [revision {round_}]")


def _deleted(record: Record) -> Record:
    return Record(pmid=record.pmid, kind="deleted")


def _write_files(tmp_path: Path) -> tuple[Path, Path, dict[str, Record]]:
    """Fifteen baseline files, then five update files that revise, delete, revise again and bring back.

    Returns the folders and what NLM's order of application leaves: PMID -> record."""
    articles = [r for r in medline_records() if r.pmid and r.kind != "deleted"]
    per_file = len(articles) // BASELINE_FILES
    baseline, updates = tmp_path / "baseline", tmp_path / "updates"
    baseline.mkdir()
    updates.mkdir()
    expected: dict[str, Record] = {}
    for number in range(BASELINE_FILES):
        chunk = articles[number * per_file:(number + 1) * per_file]
        (baseline / f"pubmed26n{number + 1:04d}.xml").write_bytes(write_pubmed_xml(chunk))
        expected.update((r.pmid, r) for r in chunk)
    for number, day in enumerate(range(UPDATE_FILES)):
        revised = [_revised(r, day) for r in articles[day * 7:day * 7 + 20]]  # overlapping: some revised twice
        gone = articles[100 + day * 5:100 + day * 5 + 3]
        back = [_revised(r, day) for r in articles[100 + (day - 1) * 5:100 + (day - 1) * 5 + 1]] if day else []
        in_file = revised + back + [_deleted(r) for r in gone]  # the writer puts deletions last, as NLM does
        (updates / f"pubmed26n{1300 + number:04d}.xml.gz").write_bytes(_gzip(write_pubmed_xml(in_file)))
        expected.update((r.pmid, r) for r in revised + back)
        for record in gone:
            expected.pop(record.pmid, None)
    return baseline, updates, expected


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


def _mirror_rows(mirror: Path) -> dict[str, str]:
    return {record.pmid: record.to_json() for record in mirror_records(mirror)}


def test_a_two_worker_cluster_builds_what_one_process_builds(tmp_path: Path) -> None:
    baseline, updates, expected = _write_files(tmp_path)
    alone = build_mirror(baseline, updates, tmp_path / "alone", partitions=4)
    with dask_client(None, 2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        clustered = build_mirror(baseline, updates, tmp_path / "cluster", client=client, partitions=4)
    assert alone.records == clustered.records == len(expected)
    rows = _mirror_rows(tmp_path / "alone")
    assert rows == _mirror_rows(tmp_path / "cluster")
    assert rows == {pmid: record.to_json() for pmid, record in expected.items()}
    assert any("[revision 1]" in json.loads(text)["title"] for text in rows.values())  # a second revision won
    for part in sorted((tmp_path / "alone" / "records").glob("*.parquet")):
        pmids = pq.read_table(part, columns=["pmid"]).column("pmid").to_pylist()
        assert pmids == sorted(pmids) and len(pmids) == len(set(pmids))
    manifest = json.loads((tmp_path / "cluster" / "manifest.json").read_text())
    assert [Path(f["path"]).name for f in manifest["files"]][:2] == ["pubmed26n0001.xml", "pubmed26n0002.xml"]
    assert sum(f["deletions"] for f in manifest["files"]) == 3 * UPDATE_FILES
    assert not (tmp_path / "cluster.partial").exists()


def test_the_mirror_answers_queries_as_the_in_memory_index(tmp_path: Path) -> None:
    import random

    from exoreview.eutils.disk_index import DiskIndex

    baseline, updates, expected = _write_files(tmp_path)
    build_mirror(baseline, updates, tmp_path / "mirror")
    records = list(expected.values())
    memory = RecordIndex(records, mesh=MeshTree.demo())
    with DiskIndex(tmp_path / "mirror" / INDEX_NAME, mesh=MeshTree.demo()) as disk:
        assert len(disk) == len(memory)
        for query in list(FIXED_QUERIES) + _queries_from(records, random.Random(3)) + ["revision[ti]"]:
            assert disk.search(query) == memory.search(query), query
        gone = next(r for r in medline_records() if r.pmid and r.pmid not in expected)
        assert disk.search(f"{gone.pmid}[pmid]") == []


def test_the_command_builds_labels_and_refuses_to_overwrite(tmp_path: Path) -> None:
    baseline, updates, expected = _write_files(tmp_path)
    mirror = tmp_path / "mirror"
    args = ["mirror", "build", "--baseline", str(baseline), "--updates", str(updates), "--out", str(mirror)]
    assert main([*args, "--workers", "0", "--classify", "exosome-aesthetics"]) == 0
    labels = pq.read_table(mirror / "labels").to_pylist()
    assert labels and {row["pmid"] for row in labels} <= {int(pmid) for pmid in expected}
    assert all(row["sentence"].strip() for row in labels)  # every label carries its evidence sentence
    log = (mirror / "build.log").read_text()
    assert "Parsed 20 files" in log and "labels by exosome-aesthetics" in log
    assert main([*args, "--workers", "0"]) == 2  # exists: refused, untouched
    assert (mirror / "labels").exists()
    assert main([*args, "--workers", "0", "--replace"]) == 0
    assert not (mirror / "labels").exists() and len(_mirror_rows(mirror)) == len(expected)


def test_a_broken_file_stops_the_build_and_a_rerun_resumes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    baseline, updates, expected = _write_files(tmp_path)
    victim = baseline / "pubmed26n0007.xml"
    whole = victim.read_bytes()
    victim.write_bytes(whole[:len(whole) // 2])
    mirror = tmp_path / "mirror"
    args = ["mirror", "build", "--baseline", str(baseline), "--updates", str(updates), "--out", str(mirror),
            "--workers", "0"]
    assert main(args) == 2
    assert "pubmed26n0007.xml" in capsys.readouterr().err
    assert not mirror.exists()
    kept = sorted((tmp_path / "mirror.partial" / "shards").glob("*/done.json"))
    assert len(kept) == 19  # every file read whole is kept for the next run (reused: the next test)
    victim.write_bytes(whole)
    assert main(args) == 0
    assert len(_mirror_rows(mirror)) == len(expected)
    assert not (tmp_path / "mirror.partial").exists()


def test_a_rerun_reuses_every_file_already_sharded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exoreview.mirror import shards

    baseline, _, _ = _write_files(tmp_path)
    parsed: list[str] = []
    real = shards.iter_pubmed_xml

    def counting(source: object, **kwargs: object) -> object:
        parsed.append(Path(str(source)).name)
        return real(source, **kwargs)

    monkeypatch.setattr(shards, "iter_pubmed_xml", counting)
    (baseline / "pubmed26n0015.xml").write_bytes(b"<PubmedArticleSet><PubmedArticle><MedlineCitation>")
    with pytest.raises(Exception, match="pubmed26n0015"):
        build_mirror(baseline, None, tmp_path / "mirror")
    assert len(parsed) == 15
    parsed.clear()
    (baseline / "pubmed26n0015.xml").unlink()
    build_mirror(baseline, None, tmp_path / "mirror")
    assert parsed == []  # the fourteen whole files were not parsed again


def test_serve_eutils_answers_from_a_mirror_over_http(tmp_path: Path) -> None:
    import httpx

    from exoreview.cli.tools import _disk_service, _mirror_index
    from exoreview.errors import BadInput
    from exoreview.eutils.server import EutilsService, RunningService

    baseline, updates, expected = _write_files(tmp_path)
    build_mirror(baseline, updates, tmp_path / "mirror")
    service, served = _disk_service(_mirror_index(tmp_path / "mirror"), None)
    assert served == len(expected)
    in_memory = RunningService(EutilsService(list(expected.values()), mesh=MeshTree.demo()))
    with RunningService(service) as on_disk, in_memory:
        params = {"db": "pubmed", "term": "humans[mh] AND revision[ti]", "retmax": "100"}
        answers = [httpx.get(f"{s.base_url}esearch.fcgi", params=params).text for s in (in_memory, on_disk)]
        assert answers[0] == answers[1] and "<Count>0</Count>" not in answers[0]
    with pytest.raises(BadInput, match="not a mirror"):
        _mirror_index(tmp_path)


def test_a_review_runs_against_a_served_mirror(tmp_path: Path) -> None:
    """`exoreview run --base-url` against the E-utilities of a mirror: the protocol's PubMed search finds the
    mirror's live records, never one an update file deleted."""
    from exoreview.cli.tools import _disk_service, _mirror_index
    from exoreview.demo.corpus import demo_corpus
    from exoreview.eutils.server import RunningService
    from exoreview.store import Store

    records = demo_corpus().pubmed
    baseline, updates = tmp_path / "baseline", tmp_path / "updates"
    baseline.mkdir()
    updates.mkdir()
    for number in range(4):
        (baseline / f"pubmed26n{number + 1:04d}.xml").write_bytes(write_pubmed_xml(records[number::4]))
    deleted = {r.pmid for r in records[:40]}
    (updates / "pubmed26n2000.xml").write_bytes(write_pubmed_xml([_deleted(r) for r in records[:40]]))
    build_mirror(baseline, updates, tmp_path / "mirror")
    service, _ = _disk_service(_mirror_index(tmp_path / "mirror"), None)
    assert main(["init", str(tmp_path / "review"), "--protocol", "exosome-aesthetics"]) == 0
    with RunningService(service) as server:
        expected = set(service.index.search(load_query(tmp_path / "review")))
        assert main(["run", str(tmp_path / "review"), "--base-url", server.base_url, "--attempts", "1"]) == 0
    with Store.open(tmp_path / "review" / "review.sqlite") as store:
        found = {store.record(i).pmid for i in store.record_ids(source="pubmed")}
    assert found == expected and len(found) > 100 and not found & deleted


def load_query(review: Path) -> str:
    from exoreview.protocol import load_protocol

    protocol = load_protocol(review / "protocol.toml")
    return next(source for source in protocol.sources if source.name == "pubmed").query_string()


def test_within_one_file_the_later_record_wins_and_a_later_deletion_removes(tmp_path: Path) -> None:
    """NLM's order inside a file counts too: a PMID revised twice in one file keeps the second revision, and a
    PMID revised then deleted in the same file is gone; a PMID with no number is skipped and named."""
    articles = [r for r in medline_records() if r.pmid and r.kind != "deleted"][:30]
    baseline = tmp_path / "baseline"
    baseline.mkdir()
    (baseline / "pubmed26n0001.xml").write_bytes(write_pubmed_xml(articles))
    twice = [_revised(articles[0], 1), _revised(articles[0], 2), _revised(articles[1], 1), _deleted(articles[1]),
             Record(pmid="12a", kind="deleted")]
    (baseline / "pubmed26n0002.xml").write_bytes(write_pubmed_xml(twice))
    build = build_mirror(baseline, None, tmp_path / "mirror")
    rows = _mirror_rows(tmp_path / "mirror")
    assert json.loads(rows[articles[0].pmid])["title"].endswith("[revision 2]")
    assert articles[1].pmid not in rows and len(rows) == 29
    assert len(build.skipped) == 1 and "12a" in build.skipped[0] and "pubmed26n0002.xml" in build.skipped[0]


def test_a_changed_file_or_partition_count_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exoreview.mirror import shards

    articles = [r for r in medline_records() if r.pmid and r.kind != "deleted"][:40]
    baseline = tmp_path / "baseline"
    baseline.mkdir()
    for number in range(2):
        (baseline / f"pubmed26n{number + 1:04d}.xml").write_bytes(write_pubmed_xml(articles[number::2]))
    (baseline / "pubmed26n0003.xml").write_bytes(b"<PubmedArticleSet><PubmedArticle>")  # breaks off: kept shards
    parsed: list[str] = []
    real = shards.iter_pubmed_xml
    monkeypatch.setattr(shards, "iter_pubmed_xml", lambda source, **kw: (parsed.append(Path(source).name),
                                                                         real(source, **kw))[1])
    for partitions in (2, 2, 3):
        with pytest.raises(Exception, match="pubmed26n0003"):
            build_mirror(baseline, None, tmp_path / "mirror", partitions=partitions)
    assert parsed.count("pubmed26n0001.xml") == 2  # once, then again for the new partition count
    first = baseline / "pubmed26n0001.xml"
    first.write_bytes(write_pubmed_xml([_revised(r, 9) for r in articles[0::2]]))  # new bytes, new size
    (baseline / "pubmed26n0003.xml").unlink()
    parsed.clear()
    build_mirror(baseline, None, tmp_path / "mirror", partitions=3)
    assert parsed == ["pubmed26n0001.xml"]
    assert all("[revision 9]" in json.loads(text)["title"]
               for pmid, text in _mirror_rows(tmp_path / "mirror").items() if pmid in {r.pmid for r in articles[0::2]})


def test_replace_refuses_a_folder_that_is_not_a_mirror(tmp_path: Path) -> None:
    baseline, _, _ = _write_files(tmp_path)
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    args = ["mirror", "build", "--baseline", str(baseline), "--out", str(keep), "--replace", "--workers", "0"]
    assert main(args) == 2
    assert (keep / "notes.txt").read_text() == "mine"
