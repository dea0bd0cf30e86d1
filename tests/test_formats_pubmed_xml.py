"""PubMed XML reader and writer, checked against the shared PubMed fixtures."""

from __future__ import annotations

import functools
import gzip
import io
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed import (
    iter_pubmed_xml,
    normalize_orcid,
    parse_medline_date,
    write_pubmed_xml,
)
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

# fixture file -> number of records it holds
FIXTURES = {
    ("entrez", "pubmed1.xml"): 2,
    ("entrez", "pubmed2.xml"): 2,
    ("entrez", "pubmed4.xml"): 1,
    ("entrez", "pubmed5.xml"): 1,
    ("entrez", "pubmed6.xml"): 1,
    ("entrez", "pubmed7.xml"): 1,
    ("entrez", "title_with_html_tags.xml"): 1,
    ("pubmed_xml", "pubmed-29768149.xml"): 1,
    ("pubmed_xml", "test_current_medline.xml.gz"): 4,
    ("pubmed_xml", "medline16n0902.xml.gz"): 605,  # 604 citations + 1 DeleteCitation PMID
}


Locate = Callable[..., Path]
Read = Callable[..., list[Record]]


@functools.cache
def _parse(path: Path) -> tuple[Record, ...]:
    errors: list[MalformedRecord] = []
    records = tuple(iter_pubmed_xml(path, errors=errors))
    assert errors == []
    return records


@pytest.fixture
def locate(shared: Locate) -> Locate:
    """Path of a file under shared/fixtures (skips when shared/ is absent)."""
    return lambda *parts: shared("fixtures", *parts)


@pytest.fixture
def read(locate: Locate) -> Read:
    """Records of a fixture file, parsed once per session; asserts the parse reported no errors."""
    return lambda *parts: list(_parse(locate(*parts)))


@pytest.fixture
def medline16(read: Read) -> dict[str, Record]:
    return by_pmid(read("pubmed_xml", "medline16n0902.xml.gz"))


def by_pmid(records: list[Record]) -> dict[str, Record]:
    return {r.pmid: r for r in records}


@pytest.mark.parametrize(("folder", "name"), list(FIXTURES))
def test_every_fixture_parses_cleanly_and_round_trips(folder: str, name: str, read: Read) -> None:
    records = read(folder, name)
    assert len(records) == FIXTURES[folder, name]
    assert all(r.pmid.isdigit() for r in records)
    written = write_pubmed_xml(records)
    assert list(iter_pubmed_xml(written)) == records


def test_old_baseline_file_counts_and_deletion(medline16: dict[str, Record]) -> None:
    kinds = [r.kind for r in medline16.values()]
    assert kinds.count("article") == 604
    assert medline16["26432306"].kind == "deleted"
    assert medline16["26432306"].title == ""
    first = medline16["17942999"]
    assert first.status == "MEDLINE"
    assert first.title.startswith("Neuroplasticity in the processing of pitch dimensions")
    assert first.journal == Journal(
        title="Restorative neurology and neuroscience",
        iso_abbreviation="Restor. Neurol. Neurosci.",
        issn_print="0922-6028",
        issn_linking="0922-6028",
        nlm_unique_id="9005499",
        volume="25",
        issue="3-4",
        pages="195-210",
    )
    assert first.grants == ["R01 DC008549 / NIDCD NIH HHS", "R01 DC008549-01A1 / NIDCD NIH HHS"]
    # the 2016 DTD has no PubmedData: the PMC id comes from OtherID
    assert first.pmcid == "PMC4380289"
    assert first.free_full_text


def test_structured_abstract_labels_and_categories(medline16: dict[str, Record], read: Read) -> None:
    sections = medline16["17942999"].abstract
    assert [(s.label, s.nlm_category) for s in sections] == [
        ("PURPOSE", "OBJECTIVE"),
        ("METHODS", "METHODS"),
        ("RESULTS", "RESULTS"),
        ("CONCLUSIONS", "CONCLUSIONS"),
    ]
    assert sections[0].text.startswith("An auditory electrophysiological study")
    (pesticides,) = read("entrez", "pubmed5.xml")
    assert [s.label for s in pesticides.abstract] == ["OBJECTIVES", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert pesticides.abstract[0].nlm_category == "OBJECTIVE"
    assert pesticides.abstract_text.startswith("OBJECTIVES: Animal studies suggest")


def test_inline_markup_is_flattened(read: Read) -> None:
    (tagged,) = read("entrez", "title_with_html_tags.xml")
    # this fixture has no spaces around <i>TERT</i>; pubmed4.xml (same article) does
    assert tagged.title == (
        "Leucocyte telomere length, genetic variants at theTERTgene region and risk of pancreatic cancer."
    )
    (spaced,) = read("entrez", "pubmed4.xml")
    assert "at the TERT gene region" in spaced.title
    (lactate,) = read("entrez", "pubmed6.xml")
    assert lactate.title.startswith('A "Blood Relationship" Between the Overlooked Minimum Lactate')
    abstract = lactate.abstract[0].text
    assert '"Minimum Lactate Equivalent" (LEmin)' in abstract
    assert "maximal oxygen uptake ( V.O2max ) 67.6" in abstract  # pretty-printed MathML, untangled
    assert "\n" not in abstract and "  " not in abstract


def test_medline_date(medline16: dict[str, Record]) -> None:
    assert medline16["18621939"].pub_date == PubDate(year=2008, month=7, medline_date="2008 Jul-Aug")
    ranges = [r for r in medline16.values() if r.pub_date.medline_date == "2015 Oct-Dec"]
    assert len(ranges) == 59
    assert all((r.year, r.pub_date.month) == (2015, 10) for r in ranges)
    assert medline16["19368899"].pub_date == PubDate(year=2009, month=9, day=15)


def test_month_names_and_seasons(read: Read) -> None:
    first, second = read("entrez", "pubmed1.xml")
    assert first.pub_date == PubDate(year=1990)  # <Year>1990</Year><Season>Spring</Season>
    assert second.pub_date == PubDate(year=1976, month=9, day=28)
    current = by_pmid(read("pubmed_xml", "test_current_medline.xml.gz"))
    assert current["36400559"].pub_date == PubDate(year=2023, month=2)  # <Month>Feb</Month>


def test_mesh_descriptors_qualifiers_and_major_flags(read: Read) -> None:
    current = by_pmid(read("pubmed_xml", "test_current_medline.xml.gz"))
    low_back = current["36400559"].mesh[1]
    assert low_back == MeshHeading(
        descriptor="Low Back Pain",
        ui="D017116",
        major=True,
        qualifiers=[
            MeshQualifier("diagnosis", "Q000175", False),
            MeshQualifier("etiology", "Q000209", False),
            MeshQualifier("therapy", "Q000628", False),
        ],
    )
    _, flavo = read("entrez", "pubmed1.xml")
    chromatium = next(m for m in flavo.mesh if m.descriptor == "Chromatium")
    assert not chromatium.major
    assert chromatium.qualifiers == [MeshQualifier("enzymology", "Q000201", True)]
    assert chromatium.is_major


def test_authors_orcid_and_collective_names(medline16: dict[str, Record], read: Read) -> None:
    (imaging,) = read("entrez", "pubmed7.xml")
    capaldi = next(a for a in imaging.authors if a.last_name == "Capaldi")
    assert capaldi.orcid == "0000-0002-4590-7461"  # given as https://orcid.org/...
    assert len(capaldi.affiliations) == 2
    assert imaging.authors[-1] == Author(collective_name="Canadian Respiratory Research Network")
    weiss = next(a for a in medline16["26423942"].authors if a.last_name == "Weiss")
    assert weiss.orcid == "0000-0002-8155-4528"  # given as http://orcid.org/...
    movement = medline16["25345997"]
    assert movement.first_author == "Movement Disorder Group"
    assert len(movement.authors) == 15
    first = medline16["17942999"].authors[0]
    assert (first.last_name, first.fore_name, first.initials) == ("Chandrasekaran", "Bharath", "B")
    assert first.affiliations == [
        "Department of Speech Language & Hearing Sciences, Purdue University, West Lafayette, IN 47907-2038, USA."
    ]


def test_identifiers_prefer_article_id_list(read: Read) -> None:
    (imaging,) = read("entrez", "pubmed7.xml")
    # the ReferenceList also holds ArticleIdLists: none of those may leak in
    assert (imaging.doi, imaging.pmcid, imaging.pii) == ("10.1117/1.JMI.5.2.026002", "PMC6022861", "17360RR")
    assert imaging.free_full_text
    plos = by_pmid(read("pubmed_xml", "test_current_medline.xml.gz"))["28786991"]
    assert plos.elocation_ids == ["e0180707", "10.1371/journal.pone.0180707"]
    assert (plos.doi, plos.pii, plos.pmcid) == ("10.1371/journal.pone.0180707", "PONE-D-17-13346", "PMC5546677")
    (nejm,) = read("pubmed_xml", "pubmed-29768149.xml")
    # No PMC ID: the XML cannot tell whether the publisher's full text is free, so it says nothing.
    assert (nejm.doi, nejm.pmcid, nejm.free_full_text) == ("10.1056/NEJMoa1715274", "", None)


def test_comments_corrections(medline16: dict[str, Record], read: Read) -> None:
    (nejm,) = read("pubmed_xml", "pubmed-29768149.xml")
    assert nejm.corrections == [
        Correction("CommentIn", "29768146", "N Engl J Med. 2018 May 17;378(20):1940-1942"),
        Correction("CommentIn", "30242404", "Ann Intern Med. 2018 Sep 18;169(6):JC31"),
    ]
    assert medline16["26407471"].corrections == [
        Correction("ErratumFor", "22828228", "Epidemiol Prev. 2012 May-Aug;36(3-4):151-61")
    ]
    # 'Cites' links are reference lists, not corrections
    assert all(c.ref_type != "Cites" for r in medline16.values() for c in r.corrections)


def test_remaining_fields(medline16: dict[str, Record], read: Read) -> None:
    (gut,) = read("entrez", "pubmed4.xml")
    assert gut.publication_types[1] == PublicationType("Observational Study", "D064888")
    assert gut.chemicals == ["TERT protein, human", "Telomerase"]
    assert gut.keywords == ["PANCREATIC CANCER"]
    assert gut.languages == ["eng"]
    assert gut.grants[:2] == ["KL2 TR001100 / NCATS NIH HHS", "N01WH42129 / WHI NIH HHS"]
    assert (gut.journal.issn_electronic, gut.journal.issn_linking) == ("1468-3288", "0017-5749")
    italian = medline16["26407462"]
    assert (italian.title, italian.vernacular_title) == ("[Vaccines are drugs].", "I vaccini sono farmaci.")
    assert italian.languages == ["ita"]
    assert medline16["26702360"].other_abstracts == [AbstractSection("Abstract available from the publisher.")]
    statuses = {r.status for r in medline16.values() if r.kind == "article"}
    assert statuses == {"MEDLINE", "PubMed-not-MEDLINE", "In-Process", "In-Data-Review"}


def test_sources_path_bytes_gzip_and_file_object(locate: Locate) -> None:
    path = locate("pubmed_xml", "test_current_medline.xml.gz")
    expected = list(iter_pubmed_xml(path))
    raw = gzip.decompress(path.read_bytes())
    assert list(iter_pubmed_xml(str(path))) == expected
    assert list(iter_pubmed_xml(path.read_bytes())) == expected
    assert list(iter_pubmed_xml(raw)) == expected
    assert list(iter_pubmed_xml(io.BytesIO(raw))) == expected
    with path.open("rb") as handle:
        assert list(iter_pubmed_xml(handle)) == expected


def test_truncated_xml_yields_completed_records_then_raises(locate: Locate) -> None:
    raw = gzip.decompress(locate("pubmed_xml", "medline16n0902.xml.gz").read_bytes())
    cut = raw[: len(raw) // 2]
    complete = cut.count(b"</MedlineCitation>")
    received: list[Record] = []
    with pytest.raises(MalformedRecord) as caught:
        received.extend(iter_pubmed_xml(cut))
    assert len(received) == complete == 206
    assert received[0].pmid == "17942999"
    error = caught.value
    assert (error.source, error.position) == ("<bytes>", complete)
    assert "not well-formed" in str(error) and f"record {complete}" in str(error)


def test_truncated_gzip_raises_malformed_record(locate: Locate) -> None:
    packed = locate("pubmed_xml", "medline16n0902.xml.gz").read_bytes()
    received: list[Record] = []
    with pytest.raises(MalformedRecord) as caught:
        received.extend(iter_pubmed_xml(packed[: len(packed) // 2]))
    assert 0 < len(received) < 604
    assert caught.value.position == len(received)


def test_record_without_pmid_is_reported_and_skipped(locate: Locate) -> None:
    raw = gzip.decompress(locate("pubmed_xml", "test_current_medline.xml.gz").read_bytes())
    broken = raw.replace(b'<PMID Version="1">2930949</PMID>', b"", 1)
    assert broken != raw
    errors: list[MalformedRecord] = []
    records = list(iter_pubmed_xml(broken, errors=errors))
    assert [r.pmid for r in records] == ["36400559", "11446611", "28786991"]
    (error,) = errors
    assert (error.position, error.pmid, error.reason) == (1, None, "missing PMID")


def test_malformed_record_message_and_pickling() -> None:
    error = MalformedRecord("baseline.xml.gz", 12, "bad\nthing", pmid="123")
    assert str(error) == "baseline.xml.gz: record 12 (PMID 123): bad thing"
    clone = pickle.loads(pickle.dumps(error))
    assert (clone.source, clone.position, clone.pmid, clone.reason) == ("baseline.xml.gz", 12, "123", "bad\nthing")
    assert "PMID unknown" in str(MalformedRecord("x", 0, "missing PMID"))


def test_written_document_is_current_dtd_shaped(medline16: dict[str, Record]) -> None:
    records = list(medline16.values())
    document = write_pubmed_xml(records)
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet')
    tree = etree.fromstring(document)
    assert tree.tag == "PubmedArticleSet"
    assert [child.tag for child in tree][-1] == "DeleteCitation"
    assert len(tree.findall("PubmedArticle")) == 604
    article = tree.find("PubmedArticle/MedlineCitation/Article")
    order = [child.tag for child in article]
    assert order.index("Journal") < order.index("ArticleTitle") < order.index("AuthorList")
    assert tree.find("PubmedArticle/PubmedData/ArticleIdList/ArticleId").get("IdType") == "pubmed"


def test_writer_escapes_and_round_trips_awkward_values() -> None:
    record = Record(
        pmid="42",
        pmid_version=2,
        title='Cats & <dogs> "quoted" \x0bcontrol',
        abstract=[AbstractSection("a < b", label='L "1"', nlm_category="RESULTS")],
        authors=[Author("O'Brien", "Ann", "A", affiliations=["R&D, X"], orcid="0000-0001-2345-678X")],
        journal=Journal(title="J", issn_print="1111-2222", issn_electronic="3333-4444"),
        pub_date=PubDate(year=2003, month=11, medline_date="2003 Nov-Dec"),
        grants=["BB/F00964X/1 / Research Council", "Intramural only"],
        corrections=[Correction("RetractionIn", "", "Nature. 2020")],
        doi="10.1000/x&y",
        elocation_ids=["e123", "10.1000/x&y"],
        status="Publisher",
    )
    (back,) = iter_pubmed_xml(write_pubmed_xml([record]))
    assert back.title == 'Cats & <dogs> "quoted" control'
    record.title = back.title
    assert back == record


def test_pub_date_without_year_falls_back_to_article_date() -> None:
    document = b"""<PubmedArticleSet><PubmedArticle><MedlineCitation Status="Publisher">
    <PMID Version="1">7</PMID><Article><Journal><JournalIssue><PubDate><MedlineDate>Spring</MedlineDate>
    </PubDate></JournalIssue></Journal><ArticleTitle>T</ArticleTitle>
    <ArticleDate DateType="Electronic"><Year>2019</Year><Month>03</Month><Day>05</Day></ArticleDate>
    </Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""
    (record,) = iter_pubmed_xml(document)
    assert record.pub_date == PubDate(year=2019, month=3, day=5, medline_date="Spring")
    assert list(iter_pubmed_xml(write_pubmed_xml([record]))) == [record]


BOOK = b"""<?xml version="1.0"?>
<PubmedArticleSet><PubmedBookArticle><BookDocument>
<PMID Version="1">20301295</PMID>
<ArticleIdList><ArticleId IdType="bookaccession">NBK1116</ArticleId></ArticleIdList>
<Book><Publisher><PublisherName>University of Washington</PublisherName></Publisher>
<BookTitle book="gene">GeneReviews<sup>&#xae;</sup></BookTitle>
<PubDate><Year>1993</Year></PubDate>
<AuthorList Type="editors"><Author><LastName>Adam</LastName><ForeName>Margaret P</ForeName></Author></AuthorList>
</Book>
<ArticleTitle book="gene" part="cf">Cystic Fibrosis</ArticleTitle>
<Language>eng</Language>
<AuthorList Type="authors"><Author><LastName>Ong</LastName><ForeName>Thida</ForeName><Initials>T</Initials></Author>
</AuthorList>
<PublicationType UI="D016454">Review</PublicationType>
<Abstract><AbstractText Label="CLINICAL CHARACTERISTICS">Cystic fibrosis affects the lungs.</AbstractText></Abstract>
</BookDocument>
<PubmedBookData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>
<ArticleId IdType="pubmed">20301295</ArticleId></ArticleIdList></PubmedBookData>
</PubmedBookArticle>
<DeleteCitation><PMID Version="1">1</PMID><PMID Version="2">2</PMID></DeleteCitation>
</PubmedArticleSet>"""


def test_book_article_and_delete_citation() -> None:
    book, first_deleted, second_deleted = iter_pubmed_xml(BOOK)
    assert book.kind == "book"
    assert (book.pmid, book.title, book.journal.title) == ("20301295", "Cystic Fibrosis", "GeneReviews®")
    assert book.authors == [Author("Ong", "Thida", "T")]  # editors are not authors
    assert book.pub_date == PubDate(year=1993)
    assert book.abstract == [AbstractSection("Cystic fibrosis affects the lungs.", "CLINICAL CHARACTERISTICS")]
    assert book.publication_types == [PublicationType("Review", "D016454")]
    assert (first_deleted.kind, first_deleted.pmid) == ("deleted", "1")
    assert (second_deleted.pmid, second_deleted.pmid_version) == ("2", 2)
    records = [book, first_deleted, second_deleted]
    assert list(iter_pubmed_xml(write_pubmed_xml(records))) == records
    whole_book = Record(pmid="9", title="A Whole Book", kind="book", pub_date=PubDate(2001, 5))
    assert list(iter_pubmed_xml(write_pubmed_xml([whole_book]))) == [whole_book]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://orcid.org/0000-0001-5109-372x", "0000-0001-5109-372X"),
        ("0000000218250097", "0000-0002-1825-0097"),
        ("not an orcid", "not an orcid"),
    ],
)
def test_normalize_orcid(value: str, expected: str) -> None:
    assert normalize_orcid(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2003 Nov-Dec", (2003, 11)),
        ("1998 Dec-1999 Jan", (1998, 12)),
        ("2000 Spring", (2000, None)),
        ("1947-1948", (1947, None)),
        ("Winter", (None, None)),
    ],
)
def test_parse_medline_date(text: str, expected: tuple[int | None, int | None]) -> None:
    assert parse_medline_date(text) == expected


def test_without_an_errors_list_bad_records_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    document = b"<PubmedArticleSet><PubmedArticle><MedlineCitation/></PubmedArticle></PubmedArticleSet>"
    assert list(iter_pubmed_xml(document)) == []
    assert "record 0 (PMID unknown): missing PMID" in caplog.text
