"""The on-disk search index answers every query exactly as the in-memory one does, over real PubMed records."""

from __future__ import annotations

import random
from pathlib import Path

import httpx
import pytest

from exoreview.eutils.disk_index import DiskIndex
from exoreview.eutils.index import RecordIndex
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.eutils.textnorm import tokenize
from exoreview.mesh.tree import MeshTree
from exoreview.records import AbstractSection, MeshHeading, PubDate, Record
from tests.sources_helpers import medline_records

FIXED_QUERIES = (
    "exosomes", "skin", "skin[ti]", "cell*", "cell*[tiab]", '"cell proliferation"', '"cell prolif*"[tiab]',
    "humans[mh]", "humans[mh:noexp]", "neoplasms[mh]", "neoplasms[majr]", "english[la]", "eng[la]",
    "review[pt]", "journal article[pt]", "2014/01/01:2015/12/31[dp]", "2016[dp]", "hasabstract[sb]",
    "free full text[sb]", "medline[sb]", "smith[au]", "smith j[au]", '"smith j"[au]', "sm*[au]",
    "(skin OR hair) AND humans[mh]", "cancer NOT humans[mh]", "mice AND (tumor OR tumour) NOT review[pt]",
    "TGF-beta", "café", "a", "zzzzqqqq", "j biol chem[ta]", "0021-9258[ta]", "virus*[tw]", "protein[all]",
)  # fmt: skip


def _both(records: list[Record], tmp_path: Path, mesh: MeshTree | None) -> tuple[RecordIndex, DiskIndex]:
    return RecordIndex(records, mesh=mesh), DiskIndex.build(tmp_path / "index.sqlite", records, mesh=mesh)


def _queries_from(records: list[Record], rng: random.Random) -> list[str]:
    """Phrases, stems, headings, authors, journals and their combinations, taken from the records themselves."""
    queries: list[str] = []
    for record in rng.sample(records, 60):
        words = tokenize(record.title)
        if len(words) >= 3:
            start = rng.randrange(len(words) - 2)
            queries += [f'"{words[start]} {words[start + 1]}"[ti]', f'"{" ".join(words[start:start + 3])}"',
                        f"{words[start][:4]}*[tiab]", f'"{words[start]} {words[start + 1][:3]}*"[tiab]']
        if record.mesh:
            heading = rng.choice(record.mesh)
            queries += [f"{heading.descriptor}[mh]", f"{heading.descriptor}[majr]", heading.descriptor]
        if record.authors:
            author = record.authors[0]
            queries += [f"{author.last_name} {author.initials}[au]", f"{author.last_name}[au]"]
        queries.append(f'"{record.journal.iso_abbreviation}"[ta]')
    return queries + [f"({a}) AND ({b})" for a, b in zip(queries[::2], queries[1::2], strict=False)] + [
        f"({a}) OR ({b}) NOT {c}" for a, b, c in zip(queries[::3], queries[1::3], queries[2::3], strict=False)]


def test_answers_match_the_in_memory_index_on_real_records(tmp_path: Path) -> None:
    records = medline_records()
    memory, disk = _both(records, tmp_path, MeshTree.demo())
    queries = list(FIXED_QUERIES) + _queries_from([r for r in records if r.pmid and r.kind != "deleted"],
                                                  random.Random(7))
    assert len(disk) == len(memory) > 500
    answered = 0
    for query in queries:
        expected = memory.search(query)
        assert disk.search(query) == expected, query  # the same PMIDs in the same order
        assert disk.translate(query) == memory.translate(query), query
        answered += bool(expected)
    assert answered > len(queries) * 0.8  # the battery finds records, so agreement is not agreement on nothing
    for typo in ("protien", "cancr cell", "mouce[tiab] AND humans", "zzzzqqqq"):
        assert disk.spell(typo) == memory.spell(typo), typo
    some = records[10]
    assert disk.get(some.pmid) == memory.get(some.pmid)
    disk.close()


def _record(pmid: str, title: str, year: int, **fields: object) -> Record:
    return Record(pmid=pmid, title=title, pub_date=PubDate(year=year), abstract=[AbstractSection("An abstract.")],
                  **fields)  # type: ignore[arg-type]


def test_replacements_and_deletions_as_in_memory(tmp_path: Path) -> None:
    first = [_record("11", "Vesicles for wrinkles", 2020, mesh=[MeshHeading("Skin Aging", ui="D015595")]),
             _record("12", "Hair growth with vesicles", 2021), _record("0013", "A PMID with a leading zero", 2021),
             _record("x14", "A PMID that is not a number", 2019),
             _record("16", "Two keywords apart", 2018, keywords=["hair", "loss"])]
    later = [_record("11", "Revised: scalp care", 2022), Record(pmid="12", kind="deleted"),
             _record("15", "Vesicles again", 2021)]
    memory, disk = _both(first, tmp_path, None)
    memory.add(later)
    disk.add(later)
    for query in ("wrinkles[ti]", "scalp[ti]", "hair", "vesicles", "2014:2030[dp]", "skin aging[mh]", "pmid",
                  "12[pmid]", "x14[pmid]", "leading zero", "number",
                  '"hair loss"[tiab]', "hair[tiab] AND loss[tiab]"):
        assert disk.search(query) == memory.search(query), query
    assert disk.search("2014:2030[dp]") == ["11", "15", "0013", "x14", "16"]
    assert disk.search('"hair loss"[tiab]') == [] and disk.search("hair[tiab] AND loss[tiab]") == ["16"]
    assert len(disk) == len(memory) == 5 and "12" not in disk and disk.get("11").title.startswith("Revised")


def test_batches_written_whole_or_row_by_row_answer_as_in_memory(tmp_path: Path) -> None:
    """New PMIDs go in with one statement per table; a batch that repeats a PMID or revises an indexed one
    goes row by row, the later copy replacing the earlier, as the in-memory index does."""
    memory, disk = _both([_record("21", "Vesicles for scars", 2020), _record("22", "Vesicles for acne", 2021)],
                         tmp_path, None)
    for batch in ([_record("23", "Scalp vesicles", 2019), _record("24", "Milk vesicles", 2022)],
                  [_record("25", "Plant vesicles, first copy", 2021), _record("26", "Other", 2020),
                   _record("25", "Plant vesicles, second copy", 2021)],
                  [_record("21", "Vesicles for scars, revised", 2023), _record("27", "Algae vesicles", 2018)]):
        memory.add(batch)
        disk.add(batch)
    for query in ("vesicles", "first[ti]", "second[ti]", "revised[ti]", "2014:2030[dp]", "25[pmid]"):
        assert disk.search(query) == memory.search(query), query
    assert len(disk) == len(memory) == 7 and disk.get("25").title.endswith("second copy")
    assert disk.get("21").title.endswith("revised")


def test_reopened_index_answers_the_same(tmp_path: Path) -> None:
    records = medline_records()[:200]
    built = DiskIndex.build(tmp_path / "index.sqlite", records)
    expected = built.search("humans[mh] AND (cell* OR protein)")
    built.close()
    with DiskIndex(tmp_path / "index.sqlite") as reopened:
        assert reopened.search("humans[mh] AND (cell* OR protein)") == expected and expected


def test_a_missing_index_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nothing\.sqlite"):
        DiskIndex(tmp_path / "nothing.sqlite")


def test_the_service_answers_from_disk_over_http(tmp_path: Path) -> None:
    records = medline_records()
    disk = DiskIndex.build(tmp_path / "index.sqlite", records, mesh=MeshTree.demo())
    in_memory = RunningService(EutilsService(records, mesh=MeshTree.demo()))
    on_disk = RunningService(EutilsService(index=disk, mesh=MeshTree.demo()))
    with in_memory, on_disk:
        for params in ({"db": "pubmed", "term": "humans[mh] AND cell*", "retmax": "50"},
                       {"db": "pubmed", "term": "protien", "retmax": "5"},
                       {"db": "pubmed", "id": ",".join(r.pmid for r in records[:5]), "retmode": "xml"}):
            utility = "efetch.fcgi" if "id" in params else "esearch.fcgi"
            answers = [httpx.get(f"{service.base_url}{utility}", params=params) for service in (in_memory, on_disk)]
            assert answers[0].status_code == answers[1].status_code == 200
            assert answers[0].text == answers[1].text, params
        einfo = httpx.get(f"{on_disk.base_url}einfo.fcgi", params={"db": "pubmed"}).text
        assert f"<Count>{len(disk)}</Count>" in einfo


def test_serve_eutils_builds_the_index_from_a_store_and_answers(tmp_path: Path) -> None:
    """The command's own path: the store's records streamed into a new index, then served from it."""
    from exoreview.cli.tools import _disk_service
    from exoreview.store import Store

    records = medline_records()[:120]
    store_file = tmp_path / "mirror.sqlite"
    with Store.open(store_file) as store:
        store.add_records(records, source="pubmed")
        store.add_records([_record(records[0].pmid, "An imported copy of the same paper", 2020)], source="ris")
    (tmp_path / "index.sqlite.partial").write_text("left by an interrupted build")
    service, served = _disk_service(tmp_path / "index.sqlite", store_file)
    assert not (tmp_path / "index.sqlite.partial").exists()
    assert served == len({r.pmid for r in records if r.pmid and r.kind != "deleted"})
    assert service.index.get(records[0].pmid).title == records[0].title  # PubMed's own copy is the one kept
    assert service.index.search(f"{records[1].pmid}[pmid]") == [records[1].pmid]
