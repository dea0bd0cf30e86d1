"""PubMed XML: the fields issue 3 lists that test_formats_pubmed_xml.py leaves open, the sliced
fast path against the general iterparse path, and bad input on the fast path."""

from __future__ import annotations

import dataclasses
import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from exoreview.bench.pubmed_tiling import tile_pubmed_xml
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.records import Correction, Journal, Record

pytestmark = pytest.mark.shared

Locate = Callable[..., Path]
FIRST_PMID = 90_000_000


@pytest.fixture
def locate(shared: Locate) -> Locate:
    return lambda *parts: shared("fixtures", *parts)


def parse(source: object) -> tuple[list[Record], list[MalformedRecord]]:
    errors: list[MalformedRecord] = []
    records = list(iter_pubmed_xml(source, errors=errors))  # type: ignore[arg-type]
    return records, errors


def general_path(xml: bytes) -> bytes:
    """The same document routed to the general iterparse path: the reader slices only a prolog it
    can vouch for, and a "[" before the root (which could open an internal DTD subset) is not one."""
    start = xml.index(b"<PubmedArticleSet")
    return xml[:start] + b"<!-- [general path] -->\n" + xml[start:]


def article(pmid: str, title: str, abstract: str = "Text.", extra: str = "") -> str:
    """A minimal PubmedArticle in our own words; pretty-printed like PubMed's files."""
    return (
        f'<PubmedArticle>\n <MedlineCitation Status="MEDLINE">\n  <PMID Version="1">{pmid}</PMID>\n'
        f"  <Article>\n   <ArticleTitle>{title}</ArticleTitle>\n   <Abstract>\n"
        f"    <AbstractText>{abstract}</AbstractText>\n   </Abstract>\n  </Article>\n{extra}"
        f" </MedlineCitation>\n</PubmedArticle>\n"
    )


def article_set(*articles: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n' + "".join(articles)).encode() + (
        b"</PubmedArticleSet>\n"
    )


# --------------------------------------------------------------------------- fields from real fixtures


def test_inline_u_sub_and_sup_are_kept_as_text(locate: Locate) -> None:
    (thyroid,) = parse(locate("entrez", "pubmed5.xml"))[0]
    assert "normal TSH (0.4-<4.5 mIU/L)" in thyroid.abstract[1].text  # <u>&lt;</u>
    (lactate,) = parse(locate("entrez", "pubmed6.xml"))[0]
    abstract = lactate.abstract[0].text
    assert "67.6 ± 4.1 ml·kg-1·min-1]" in abstract  # <sup>-1</sup>
    assert "[VMLSS 15.0 ± 1.1 km·h-1;" in abstract  # <sub>V</sub>MLSS
    assert "support LEmin, an objective" in abstract


def test_journal_by_issn_type_and_identifiers(locate: Locate) -> None:
    current = {r.pmid: r for r in parse(locate("pubmed_xml", "test_current_medline.xml.gz"))[0]}
    back = current["36400559"]
    assert back.journal == Journal(
        title="Neurologic clinics",
        iso_abbreviation="Neurol Clin",
        issn_electronic="1557-9875",  # IssnType="Electronic" only
        issn_linking="0733-8619",
        nlm_unique_id="8219232",
        volume="41",
        issue="1",
        pages="61-76",
    )
    assert back.elocation_ids == ["10.1016/j.ncl.2022.07.002", "S0733-8619(22)00058-5"]
    assert (back.doi, back.pii, back.pmcid) == ("10.1016/j.ncl.2022.07.002", "S0733-8619(22)00058-5", "")
    assert back.keywords == ["Back pain", "Diagnosis", "Management", "Outpatient"]
    assert back.chemicals == ["Anti-Inflammatory Agents, Non-Steroidal"]
    gibbs = back.authors[0]
    assert (gibbs.last_name, gibbs.fore_name, gibbs.initials) == ("Gibbs", "David", "D")
    assert gibbs.affiliations[0].startswith("Department of Neurological Surgery, The Ohio State Wexner")
    plos = current["28786991"]
    assert plos.authors[0].orcid == "0000-0002-5721-6764"
    assert [(s.label, s.nlm_category) for s in plos.abstract] == [
        ("OBJECTIVE", "OBJECTIVE"),
        ("METHODS", "METHODS"),
        ("RESULTS", "RESULTS"),
        ("CONCLUSIONS", "CONCLUSIONS"),
    ]
    assert plos.grants == ["U38 PS004649 / NCHHSTP CDC HHS"]
    assert current["2930949"].journal.issn_print == "0093-0415"


def test_erratum_comment_and_collective_names_in_the_old_baseline(locate: Locate) -> None:
    medline = {r.pmid: r for r in parse(locate("pubmed_xml", "medline16n0902.xml.gz"))[0]}
    assert medline["26702309"].corrections == [
        Correction("ErratumIn", "26705261", "Syst Synth Biol. 2015 Dec;9(Suppl 1):55")
    ]
    assert Correction(
        "CommentOn", "25919099", "Am J Orthod Dentofacial Orthop. 2015 May;147(5):536-46"
    ) in medline["26432302"].corrections
    collective = [a.collective_name for a in medline["25864598"].authors if a.collective_name]
    assert collective == ["Translational Methamphetamine AIDS Research Center (TMARC) Group"]
    assert all(r.pmid_version == 1 for r in medline.values())


def test_retraction_version_and_markup_in_both_titles() -> None:
    links = (
        "  <CommentsCorrectionsList>\n"
        '   <CommentsCorrections RefType="RetractionIn"><RefSource>J Test. 2024;1:2</RefSource>'
        '<PMID Version="1">555</PMID></CommentsCorrections>\n'
        "  </CommentsCorrectionsList>\n"
    )
    xml = article_set(
        article("77", "<i>In vivo</i> CO<sub>2</sub> and x<sup>2</sup>: <b>bold</b> <u>claims</u>", extra=links)
    ).replace(b'<PMID Version="1">77', b'<PMID Version="3">77').replace(
        b"</ArticleTitle>", b"</ArticleTitle>\n   <VernacularTitle>Titre <i>vivant</i></VernacularTitle>", 1
    )
    for source in (xml, general_path(xml)):
        (record,), errors = parse(source)
        assert errors == []
        assert (record.pmid, record.pmid_version) == ("77", 3)
        assert record.title == "In vivo CO2 and x2: bold claims"
        assert record.vernacular_title == "Titre vivant"
        assert record.corrections == [Correction("RetractionIn", "555", "J Test. 2024;1:2")]
        assert record.is_retracted


# --------------------------------------------------------------------------- the sliced fast path


def test_fast_path_equals_general_path_on_every_fixture(locate: Locate) -> None:
    names = [("entrez", f"pubmed{n}.xml") for n in (1, 2, 4, 5, 6, 7)] + [
        ("entrez", "title_with_html_tags.xml"),
        ("pubmed_xml", "pubmed-29768149.xml"),
        ("pubmed_xml", "test_current_medline.xml.gz"),
    ]
    for folder, name in names:
        path = locate(folder, name)
        raw = path.read_bytes()
        xml = gzip.decompress(raw) if name.endswith(".gz") else raw
        fast, general = parse(xml), parse(general_path(xml))
        assert fast == general and fast[0], name


def test_blank_text_between_inline_elements_is_kept() -> None:
    # The fast parse drops whitespace-only text; these records must be re-read keeping it.
    xml = article_set(
        article("1", "plain"),
        article("2", "<i>Alpha</i> <i>beta</i>", "x<b> <i>y</i></b> z"),
        article("3", "<i>Gamma</i><sup>2</sup>", "<b>delta</b> <u>epsilon</u>"),
    )
    records, errors = parse(xml)
    assert errors == []
    assert [(r.title, r.abstract_text) for r in records] == [
        ("plain", "Text."),
        ("Alpha beta", "x y z"),
        ("Gamma2", "delta epsilon"),
    ]
    assert records == parse(general_path(xml))[0]
    # A start tag with attributes defeats the quick search for the record's bytes.
    with_attribute = xml.replace(b"<PubmedArticle>\n <MedlineCitation Status=\"MEDLINE\">\n  <PMID Version=\"1\">2",
                                 b"<PubmedArticle Note=\"x\">\n <MedlineCitation Status=\"MEDLINE\">\n  "
                                 b"<PMID Version=\"1\">2", 1)
    assert with_attribute != xml
    assert parse(with_attribute)[0] == records


@pytest.fixture(scope="module")
def tiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """1,208 records (two tiles of the old baseline's 604), as plain XML and gzip."""
    from tests.conftest import shared_path

    source = shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")
    folder = tmp_path_factory.mktemp("tiled")
    plain, packed = folder / "tiled.xml", folder / "tiled.xml.gz"
    tile_pubmed_xml(source, plain, 1208, first_pmid=FIRST_PMID, compresslevel=None)
    tile_pubmed_xml(source, packed, 1208, first_pmid=FIRST_PMID)
    return plain, packed


def test_tiled_records_equal_the_originals_across_slice_boundaries(tiled: tuple[Path, Path], locate: Locate) -> None:
    plain, packed = tiled
    originals = [r for r in parse(locate("pubmed_xml", "medline16n0902.xml.gz"))[0] if r.kind == "article"]
    records, errors = parse(packed)
    assert errors == [] and len(records) == 1208  # about 60 slices of 128 KB
    assert [r.pmid for r in records] == [str(FIRST_PMID + i) for i in range(1208)]
    for index, record in enumerate(records):
        assert dataclasses.replace(record, pmid=originals[index % 604].pmid) == originals[index % 604]
    assert parse(plain) == (records, [])
    assert parse(general_path(plain.read_bytes())) == (records, [])


def test_end_tags_inside_comments_do_not_break_a_valid_file(tiled: tuple[Path, Path]) -> None:
    # After every record a comment holding a record end tag: each slice cut lands inside one,
    # the slice fails to parse, and the general path must read the rest of the (valid) file.
    xml = tiled[0].read_bytes().replace(b"</PubmedArticle>\n", b"</PubmedArticle><!-- </PubmedArticle> -->\n")
    records, errors = parse(xml)
    assert errors == [] and len(records) == 1208
    assert (records, errors) == parse(tiled[0])


def test_multi_member_gzip(tiled: tuple[Path, Path]) -> None:
    xml = tiled[0].read_bytes()
    middle = len(xml) // 2
    records, errors = parse(gzip.compress(xml[:middle]) + gzip.compress(xml[middle:]))
    assert errors == [] and len(records) == 1208


# --------------------------------------------------------------------------- bad input on the fast path


def nth_record_span(xml: bytes, index: int) -> tuple[int, int]:
    start = -1
    for _ in range(index + 1):
        start = xml.index(b"<PubmedArticle>", start + 1)
    return start, xml.index(b"</PubmedArticle>", start) + len(b"</PubmedArticle>")


def span_bytes(xml: bytes, index: int) -> bytes:
    start, end = nth_record_span(xml, index)
    return xml[start:end]


def test_malformed_records_are_reported_with_pmid_and_position_and_skipped(tiled: tuple[Path, Path]) -> None:
    xml = tiled[0].read_bytes()
    start, end = nth_record_span(xml, 700)
    bad_pmid = xml[:start] + xml[start:end].replace(f">{FIRST_PMID + 700}<".encode(), b">90000700x<", 1) + xml[end:]
    # the first record after it with a MeSH heading (most in this file have none)
    meshed = next(i for i in range(701, 1208) if b"<DescriptorName" in span_bytes(bad_pmid, i))
    start, end = nth_record_span(bad_pmid, meshed)
    headless = bad_pmid[start:end].replace(b"<DescriptorName", b"<NotADescriptor", 1).replace(
        b"</DescriptorName>", b"</NotADescriptor>", 1
    )
    broken = bad_pmid[:start] + headless + bad_pmid[end:]
    records, errors = parse(gzip.compress(broken))
    assert len(records) == 1206
    assert {"90000700x", str(FIRST_PMID + 700), str(FIRST_PMID + meshed)}.isdisjoint(r.pmid for r in records)
    assert [(e.position, e.pmid) for e in errors] == [(700, "90000700x"), (meshed, str(FIRST_PMID + meshed))]
    assert errors[0].reason == "PMID '90000700x' is not a number"
    assert "MeshHeading 1 has no DescriptorName" in errors[1].reason
    assert f"record {meshed} (PMID {FIRST_PMID + meshed})" in str(errors[1])


def test_broken_markup_mid_file_keeps_earlier_records_and_says_where(tiled: tuple[Path, Path]) -> None:
    xml = tiled[0].read_bytes()
    start, end = nth_record_span(xml, 500)
    fault = xml.index(b"</ArticleTitle>", start)
    broken = xml[:fault] + b"</ArticleTitel>" + xml[fault + len(b"</ArticleTitle>") :]
    received: list[Record] = []
    with pytest.raises(MalformedRecord) as caught:
        received.extend(iter_pubmed_xml(gzip.compress(broken)))
    assert [r.pmid for r in received] == [str(FIRST_PMID + i) for i in range(500)]
    error = caught.value
    assert error.position == 500
    assert f"after PMID {FIRST_PMID + 499}" in error.reason and "not well-formed" in error.reason
    near = int(error.reason.split("near byte ")[1].split()[0])
    assert start <= near <= end  # the offset points into the broken record


def test_truncated_plain_and_gzip_input_on_the_fast_path(tiled: tuple[Path, Path]) -> None:
    plain, packed = tiled
    xml = plain.read_bytes()
    cut = xml[: len(xml) // 2 + 1234]
    complete = cut.count(b"</PubmedArticle>")
    received: list[Record] = []
    with pytest.raises(MalformedRecord) as caught:
        received.extend(iter_pubmed_xml(cut))
    assert len(received) == complete and caught.value.position == complete
    assert "not well-formed near byte" in str(caught.value)

    data = packed.read_bytes()
    received = []
    with pytest.raises(MalformedRecord) as caught:
        received.extend(iter_pubmed_xml(data[: len(data) // 2]))
    assert 0 < len(received) < 1208 and caught.value.position == len(received)
    assert "input broke off" in caught.value.reason and "EOFError" in caught.value.reason
    assert caught.value.reason.count(str(FIRST_PMID + len(received) - 1)) == 1  # "after PMID <last good one>"


def test_corrupt_gzip_is_reported(tiled: tuple[Path, Path]) -> None:
    data = bytearray(tiled[1].read_bytes())
    data[-8] ^= 0xFF  # the CRC32 of the member
    received: list[Record] = []
    with pytest.raises(MalformedRecord) as caught:
        received.extend(iter_pubmed_xml(bytes(data)))
    assert "check" in caught.value.reason.lower()  # zlib: "incorrect data check"; ISA-L: "Incorrect checksum"
    assert caught.value.position == len(received)


def test_other_encodings_and_a_byte_order_mark() -> None:
    latin1 = article_set(article("5", "Caf\u00e9 study")).replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    (record,), errors = parse(latin1.decode().encode("latin-1"))
    assert errors == [] and record.title == "Caf\u00e9 study"
    (record,), errors = parse(b"\xef\xbb\xbf" + article_set(article("6", "Na\u00efve")))
    assert errors == [] and (record.pmid, record.title) == ("6", "Na\u00efve")
