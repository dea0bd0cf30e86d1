"""MEDLINE text reader and writer, checked against the shared .nbib fixtures."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.medline import iter_medline, parse_date_published, parse_grant, write_medline
from exoreview.formats.pubmed import iter_pubmed_xml
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

pytestmark = pytest.mark.shared

FIXTURES = {"mesh_papers.txt": 284, "pubmed_result1.txt": 1, "pubmed_result2.txt": 4, "pubmed_result3.txt": 1}

Locate = Callable[..., Path]
Read = Callable[[str], list[Record]]


@functools.cache
def _parse(path: Path) -> tuple[Record, ...]:
    errors: list[MalformedRecord] = []
    records = tuple(iter_medline(path, errors=errors))
    assert errors == []
    return records


@pytest.fixture
def locate(shared: Locate) -> Locate:
    return lambda name: shared("fixtures", "medline", name)


@pytest.fixture
def read(locate: Locate) -> Read:
    """Records of a MEDLINE fixture, parsed once per session; asserts the parse reported no errors."""
    return lambda name: list(_parse(locate(name)))


@pytest.fixture
def mesh_papers(read: Read) -> dict[str, Record]:
    return {r.pmid: r for r in read("mesh_papers.txt")}


@pytest.mark.parametrize("name", list(FIXTURES))
def test_fixture_counts_and_round_trip(name: str, read: Read) -> None:
    records = read(name)
    assert len(records) == FIXTURES[name]
    text = write_medline(records)
    errors: list[MalformedRecord] = []
    assert list(iter_medline(text, errors=errors)) == records
    assert errors == []


def test_single_record_fields(read: Read) -> None:
    (record,) = read("pubmed_result1.txt")
    assert (record.pmid, record.status, record.kind) == ("12230038", "MEDLINE", "article")
    assert record.title == "The Bio* toolkits--a brief overview."
    # continuation lines are joined with single spaces
    assert record.abstract_text.startswith(
        "Bioinformatics research is often difficult to do with commercial software. The Open Source BioPerl,"
    )
    assert record.abstract_text.endswith("the beginning biologist programmer.")
    # an old-style AD line before the author list belongs to the first author
    assert record.authors == [
        Author("Mangalam", "Harry", "H", affiliations=["tacg Informatics, Irvine, CA 92612, USA. hjm@tacgi.com"])
    ]
    assert record.journal == Journal(
        title="Briefings in bioinformatics",
        iso_abbreviation="Brief Bioinform",
        issn_print="1467-5463",
        nlm_unique_id="100912837",
        volume="3",
        issue="3",
        pages="296-302",
    )
    assert record.pub_date == PubDate(year=2002, month=9)
    assert record.languages == ["eng"]
    assert record.publication_types == [PublicationType("Journal Article")]
    assert record.mesh[0] == MeshHeading("Computational Biology", major=True)
    assert [m.descriptor for m in record.mesh if m.is_major] == [
        "Computational Biology",
        "Programming Languages",
        "Software",
    ]


def test_wrapped_mesh_heading_with_qualifiers_and_doi(read: Read) -> None:
    (record,) = read("pubmed_result3.txt")
    hifu = record.mesh[1]
    assert hifu == MeshHeading(
        "High-Intensity Focused Ultrasound Ablation",
        qualifiers=[
            MeshQualifier("adverse effects"),
            MeshQualifier("instrumentation"),
            MeshQualifier("methods", major=True),
        ],
    )
    assert hifu.is_major and not hifu.major
    assert record.doi == "10.1118/1.4748329"
    assert record.elocation_ids == ["10.1118/1.4748329"]
    assert (record.journal.issn_print, record.journal.issn_linking) == ("0094-2405", "0094-2405")
    assert record.abstract == [AbstractSection(record.abstract_text)]  # labels stay inline in MEDLINE
    assert record.abstract_text.startswith("PURPOSE: High-intensity focused ultrasound")


def test_pmc_pii_and_full_dates(read: Read) -> None:
    records = {r.pmid: r for r in read("pubmed_result2.txt")}
    scop = records["16403221"]
    assert (scop.pmcid, scop.free_full_text) == ("PMC1373603", True)
    assert (scop.pii, scop.doi) == ("1471-2105-7-10", "10.1186/1471-2105-7-10")
    assert scop.pub_date == PubDate(year=2006)
    assert scop.journal.issn_electronic == "1471-2105"
    assert [a.initials for a in scop.authors] == ["JA", "GE", "MA"]  # "Saqi, Mansoor A S" / "Saqi MA"
    assert records["16377612"].pub_date == PubDate(year=2006, month=3, day=1)
    assert not records["16377612"].free_full_text


def test_orcid_collective_authors_and_investigators(mesh_papers: dict[str, Record]) -> None:
    huh = mesh_papers["28028289"].authors[0]
    assert (huh.last_name, huh.orcid) == ("Huh", "0000-0002-8559-8640")
    guidelines = mesh_papers["26227021"]
    assert len(guidelines.authors) == 21
    # the AD lines after FIR/IR belong to investigators, not to the group
    assert guidelines.authors[-1] == Author(collective_name="Updating Guidelines Working Group")
    assert guidelines.authors[0].display == "Martinez Garcia L"
    assert mesh_papers["15894554"].authors[-1].collective_name == "Hedges Team"


def test_grants_corrections_and_other_tags(mesh_papers: dict[str, Record]) -> None:
    assert mesh_papers["26631976"].grants[0] == (
        "BB/F00964X/1 / Biotechnology and Biological Sciences Research Council"
    )
    assert mesh_papers["27333889"].grants == ["R01 LM011369 / NLM NIH HHS"]
    assert "G0901530 / Medical Research Council" in mesh_papers["26456340"].grants
    assert "Intramural NIH HHS" in mesh_papers["25887792"].grants
    assert mesh_papers["23708593"].corrections == [
        Correction("CommentIn", "23708594", "Acad Med. 2013 Jun;88(6):742-3")
    ]
    assert mesh_papers["26047637"].corrections == [
        Correction("ErratumIn", "27075759", "BMC Bioinformatics. 2016;17(1):162")
    ]
    assert mesh_papers["26757323"].pub_date == PubDate(year=2016, month=1, medline_date="2016 Jan-Feb")
    assert mesh_papers["26021099"].vernacular_title == "Para que sirven las palabras clave."
    assert mesh_papers["27333889"].chemicals == ["Hypoglycemic Agents", "Thiazolidinediones", "pioglitazone"]
    plos = mesh_papers["28422961"]
    assert (plos.doi, plos.pii, plos.pmcid) == ("10.1371/journal.pone.0173548", "PONE-D-16-42569", "PMC5396881")
    assert plos.journal.issn_electronic == "1932-6203"
    assert sum(len(r.keywords) for r in mesh_papers.values()) == 187


def test_sources_text_bytes_path_file_and_lines(locate: Locate, read: Read) -> None:
    path = locate("pubmed_result2.txt")
    expected = read("pubmed_result2.txt")
    text = path.read_text(encoding="utf-8")
    assert list(iter_medline(str(path))) == expected
    assert list(iter_medline(text)) == expected
    assert list(iter_medline(text.encode("utf-8"))) == expected
    assert list(iter_medline(io.StringIO(text))) == expected
    assert list(iter_medline(text.splitlines())) == expected
    # records need not be separated by blank lines
    assert list(iter_medline(text.replace("\n\n", "\n"))) == expected


def test_bad_records_are_reported_and_skipped() -> None:
    text = (
        "PMID- 1\nTI  - First.\n\n"
        "JT  - A journal, and nothing to know the record by.\n\n"
        "PMID- 3\nthis line is not a tag line\nTI  - Third.\n\n"
        "PMID- 4\nTI  - Fourth.\n"
    )
    errors: list[MalformedRecord] = []
    assert [r.pmid for r in iter_medline(text, errors=errors)] == ["1", "4"]
    assert [(e.position, e.pmid) for e in errors] == [(1, None), (2, "3")]
    assert errors[0].reason == "missing PMID, and no title (TI) or DOI (AID) to know the record by"
    assert "line 7: not a MEDLINE tag line" in str(errors[1])  # counted from the top of the input


def test_writer_layout() -> None:
    record = Record(
        pmid="99",
        title="word " * 40,
        authors=[Author("van der Berg", "Jan A", "JA", orcid="0000-0002-1825-0097")],
        grants=["ID-1 / Agency"],
        kind="article",
    )
    text = write_medline([record, Record(pmid="5", kind="deleted")])
    lines = text.splitlines()
    assert lines[0] == "PMID- 99"
    assert all(len(line) <= 86 for line in lines)
    assert "FAU - van der Berg, Jan A" in lines and "AU  - van der Berg JA" in lines
    assert "AUID- ORCID: 0000-0002-1825-0097" in lines
    assert sum(line.startswith("TI  - ") for line in lines) == 1
    assert any(line.startswith("      word") for line in lines)
    assert "PMID- 5" not in text  # deleted records have no MEDLINE form
    (back,) = iter_medline(text)
    record.title = record.title.strip()
    assert back == record


def test_book_round_trip() -> None:
    chapter = Record(pmid="1", title="Cystic Fibrosis", kind="book", journal=Journal(title="GeneReviews"))
    whole = Record(pmid="2", title="A Whole Book", kind="book")
    assert list(iter_medline(write_medline([chapter, whole]))) == [chapter, whole]


def test_xml_records_survive_medline_where_medline_can_hold_them(shared: Locate) -> None:
    path = shared("fixtures", "pubmed_xml", "medline16n0902.xml.gz")
    articles = [r for r in iter_pubmed_xml(path) if r.kind == "article"]
    back = list(iter_medline(write_medline(articles)))
    assert len(back) == len(articles) == 604
    for xml, text in zip(articles, back, strict=True):
        assert (text.pmid, text.title, text.doi, text.pmcid, text.status) == (
            xml.pmid,
            xml.title,
            xml.doi,
            xml.pmcid,
            xml.status,
        )
        assert text.pub_date == xml.pub_date
        assert [a.display for a in text.authors] == [a.display for a in xml.authors]
        assert [(a.orcid, a.affiliations) for a in text.authors] == [(a.orcid, a.affiliations) for a in xml.authors]
        assert [(m.descriptor, m.is_major) for m in text.mesh] == [(m.descriptor, m.is_major) for m in xml.mesh]
        assert text.grants == xml.grants
        assert text.corrections == xml.corrections
        assert text.abstract_text.replace("\n", " ") == xml.abstract_text.replace("\n", " ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2006 Mar 1", PubDate(2006, 3, 1)),
        ("2002 Sep", PubDate(2002, 9)),
        ("2012 Winter", PubDate(2012)),
        ("2011 Mar-Apr", PubDate(2011, 3, medline_date="2011 Mar-Apr")),
        ("1947-1948", PubDate(1947, medline_date="1947-1948")),
    ],
)
def test_parse_date_published(value: str, expected: PubDate) -> None:
    assert parse_date_published(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("R01 LM011369/LM/NLM NIH HHS/United States", "R01 LM011369 / NLM NIH HHS"),
        (
            "BB/K004131/1/Biotechnology and Biological Sciences Research Council/United Kingdom",
            "BB/K004131/1 / Biotechnology and Biological Sciences Research Council",
        ),
        ("G0901530/Medical Research Council/United Kingdom", "G0901530 / Medical Research Council"),
        ("Intramural NIH HHS/United States", "Intramural NIH HHS"),
        ("ID-1//Agency/", "ID-1 / Agency"),
    ],
)
def test_parse_grant(value: str, expected: str) -> None:
    assert parse_grant(value) == expected


def test_author_name_forms() -> None:
    text = (
        "PMID- 7\n"
        "FAU - Bunn, Paul A, Jr\nAU  - Bunn PA Jr\n"
        "FAU - Lim, Do Young\nAU  - Lim do Y\n"
        "AU  - van der Berg JA\n"  # pre-2002 records have no FAU lines
        "FIR - Smith, Jane\nIR  - Smith J\nAD  - An investigator's affiliation.\n"
        "CN  - The Study Group\nAD  - Group address.\n"
    )
    (record,) = iter_medline(text)
    assert record.authors == [
        Author("Bunn", "Paul A", "PA"),
        Author("Lim", "Do Young", "do Y"),
        Author("van der Berg", "", "JA"),
        Author(collective_name="The Study Group", affiliations=["Group address."]),
    ]
    assert list(iter_medline(write_medline([record]))) == [record]


def test_records_without_a_pmid_are_written_and_read_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from exoreview.imports import detect_format

    records = [Record(title="From a hand search", doi="10.1/x"), Record(pmid="5", title="From PubMed")]
    path = tmp_path / "export-all.txt"
    path.write_text(write_medline(records), encoding="utf-8")
    assert detect_format(path) == "medline"
    errors: list[MalformedRecord] = []
    assert [(r.pmid, r.title, r.doi) for r in iter_medline(path, errors=errors)] == [
        ("", "From a hand search", "10.1/x"), ("5", "From PubMed", "")]
    assert errors == []


def test_two_records_run_together_are_named_not_merged() -> None:
    text = ("PMID- 7100000\nTI  - Composed title of the first record\nFAU - First, Ann\nAU  - First A\n"
            "DP  - 2010 Jan\nTI  - Composed title of the second record\nFAU - Second, Ben\nAU  - Second B\n\n"
            "PMID- 7100002\nTI  - Composed title of the third record\n")
    errors: list[MalformedRecord] = []
    records = list(iter_medline(text, errors=errors))
    assert [r.pmid for r in records] == ["7100002"]
    assert len(errors) == 1 and "line 6: a second TI line in one record" in str(errors[0])
    assert errors[0].position == 0 and errors[0].pmid == "7100000"
