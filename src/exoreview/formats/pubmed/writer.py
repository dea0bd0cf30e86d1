"""Writing PubMed XML: a ``PubmedArticleSet`` in the current DTD's layout, which the reader reads back
to equal Records."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from exoreview.formats.pubmed.common import MONTH_ABBREVIATIONS, elocation_id_type, parse_medline_date, split_grant
from exoreview.records import AbstractSection, Author, MeshHeading, PubDate, Record

__all__ = ["write_pubmed_xml"]

_XML_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(text: str) -> str:
    if _XML_INVALID.search(text):
        text = _XML_INVALID.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    # Parsers turn raw newlines and tabs in attributes into spaces; character references survive.
    return _esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def write_pubmed_xml(records: Iterable[Record]) -> bytes:
    """A PubmedArticleSet document (current DTD layout) holding ``records``.

    Deleted records go into one trailing DeleteCitation. Everything
    iter_pubmed_xml reads is written, so reading the output back gives equal
    Records. Where a Record holds more than the DTD allows (both a print and
    an electronic ISSN) the extra element is written anyway rather than lost.
    """
    out: list[str] = [_XML_HEADER]
    deleted: list[Record] = []
    for rec in records:
        if rec.kind == "deleted":
            deleted.append(rec)
        elif rec.kind == "book":
            _write_book(rec, out)
        else:
            _write_article(rec, out)
    if deleted:
        out.append("<DeleteCitation>")
        out.extend(f'<PMID Version="{rec.pmid_version}">{_esc(rec.pmid)}</PMID>' for rec in deleted)
        out.append("</DeleteCitation>\n")
    out.append("</PubmedArticleSet>\n")
    return "".join(out).encode("utf-8")


def _write_article(rec: Record, out: list[str]) -> None:
    add = out.append
    status = f' Status="{_attr(rec.status)}"' if rec.status else ""
    add(f'<PubmedArticle><MedlineCitation{status} Owner="NLM">')
    add(f'<PMID Version="{rec.pmid_version}">{_esc(rec.pmid)}</PMID>')
    add('<Article PubModel="Print">')
    _write_journal(rec, add)
    add(f"<ArticleTitle>{_esc(rec.title)}</ArticleTitle>")
    _write_pagination(rec, add)
    _write_elocation_ids(rec, add)
    _write_abstract("Abstract", "", rec.abstract, add)
    _write_authors(rec.authors, add)
    for language in rec.languages:
        add(f"<Language>{_esc(language)}</Language>")
    _write_grants(rec.grants, add)
    if rec.publication_types:
        add("<PublicationTypeList>")
        _write_publication_types(rec, add)
        add("</PublicationTypeList>")
    if rec.vernacular_title:
        add(f"<VernacularTitle>{_esc(rec.vernacular_title)}</VernacularTitle>")
    _write_article_date(rec.pub_date, add)
    add("</Article>")
    _write_journal_info(rec, add)
    _write_citation_lists(rec, add)
    add("</MedlineCitation>")
    _write_pubmed_data("PubmedData", rec, add)
    add("</PubmedArticle>\n")


def _write_journal(rec: Record, add: Callable[[str], None]) -> None:
    journal = rec.journal
    add("<Journal>")
    if journal.issn_print:
        add(f'<ISSN IssnType="Print">{_esc(journal.issn_print)}</ISSN>')
    if journal.issn_electronic:
        add(f'<ISSN IssnType="Electronic">{_esc(journal.issn_electronic)}</ISSN>')
    medium = "Internet" if journal.issn_electronic and not journal.issn_print else "Print"
    add(f'<JournalIssue CitedMedium="{medium}">')
    if journal.volume:
        add(f"<Volume>{_esc(journal.volume)}</Volume>")
    if journal.issue:
        add(f"<Issue>{_esc(journal.issue)}</Issue>")
    _write_date("PubDate", rec.pub_date, add)
    add("</JournalIssue>")
    if journal.title:
        add(f"<Title>{_esc(journal.title)}</Title>")
    if journal.iso_abbreviation:
        add(f"<ISOAbbreviation>{_esc(journal.iso_abbreviation)}</ISOAbbreviation>")
    add("</Journal>")


def _write_date(tag: str, date: PubDate, add: Callable[[str], None], attrs: str = "") -> None:
    parts = [f"<{tag}{attrs}>"]
    if date.medline_date:
        parts.append(f"<MedlineDate>{_esc(date.medline_date)}</MedlineDate>")
    elif date.year is not None:
        parts.append(f"<Year>{date.year:04d}</Year>")
        if date.month:
            parts.append(f"<Month>{MONTH_ABBREVIATIONS[date.month]}</Month>")
            if date.day:
                parts.append(f"<Day>{date.day:02d}</Day>")
    parts.append(f"</{tag}>")
    add("".join(parts))


def _write_article_date(date: PubDate, add: Callable[[str], None]) -> None:
    """An ArticleDate only for a free-text PubDate without a year, whose year the
    reader takes from ArticleDate; any other PubDate reads back as written."""
    if date.medline_date and date.year is not None and parse_medline_date(date.medline_date)[0] is None:
        _write_date("ArticleDate", PubDate(date.year, date.month, date.day), add, ' DateType="Electronic"')


def _write_pagination(rec: Record, add: Callable[[str], None]) -> None:
    if rec.journal.pages:
        add(f"<Pagination><MedlinePgn>{_esc(rec.journal.pages)}</MedlinePgn></Pagination>")


def _write_elocation_ids(rec: Record, add: Callable[[str], None]) -> None:
    for value in rec.elocation_ids:
        kind = elocation_id_type(value, rec)
        add(f'<ELocationID EIdType="{kind}" ValidYN="Y">{_esc(value)}</ELocationID>')


def _write_abstract(tag: str, attrs: str, sections: list[AbstractSection], add: Callable[[str], None]) -> None:
    if not sections:
        return
    parts = [f"<{tag}{attrs}>"]
    for section in sections:
        label = f' Label="{_attr(section.label)}"' if section.label else ""
        category = f' NlmCategory="{_attr(section.nlm_category)}"' if section.nlm_category else ""
        parts.append(f"<AbstractText{label}{category}>{_esc(section.text)}</AbstractText>")
    parts.append(f"</{tag}>")
    add("".join(parts))


def _write_authors(authors: list[Author], add: Callable[[str], None], list_attrs: str = "") -> None:
    if not authors:
        return
    parts = [f'<AuthorList CompleteYN="Y"{list_attrs}>']
    for author in authors:
        parts.append('<Author ValidYN="Y">')
        if author.last_name or author.fore_name or author.initials:
            parts.append(f"<LastName>{_esc(author.last_name)}</LastName>")
            if author.fore_name:
                parts.append(f"<ForeName>{_esc(author.fore_name)}</ForeName>")
            if author.initials:
                parts.append(f"<Initials>{_esc(author.initials)}</Initials>")
        if author.collective_name:
            parts.append(f"<CollectiveName>{_esc(author.collective_name)}</CollectiveName>")
        if author.orcid:
            parts.append(f'<Identifier Source="ORCID">{_esc(author.orcid)}</Identifier>')
        for affiliation in author.affiliations:
            parts.append(f"<AffiliationInfo><Affiliation>{_esc(affiliation)}</Affiliation></AffiliationInfo>")
        parts.append("</Author>")
    parts.append("</AuthorList>")
    add("".join(parts))


def _write_grants(grants: list[str], add: Callable[[str], None]) -> None:
    if not grants:
        return
    parts = ['<GrantList CompleteYN="Y">']
    for grant in grants:
        grant_id, agency = split_grant(grant)
        id_part = f"<GrantID>{_esc(grant_id)}</GrantID>" if grant_id else ""
        parts.append(f"<Grant>{id_part}<Agency>{_esc(agency)}</Agency></Grant>")
    parts.append("</GrantList>")
    add("".join(parts))


def _write_publication_types(rec: Record, add: Callable[[str], None]) -> None:
    for pub_type in rec.publication_types:
        ui = f' UI="{_attr(pub_type.ui)}"' if pub_type.ui else ""
        add(f"<PublicationType{ui}>{_esc(pub_type.name)}</PublicationType>")


def _write_journal_info(rec: Record, add: Callable[[str], None]) -> None:
    journal = rec.journal
    parts = ["<MedlineJournalInfo>", f"<MedlineTA>{_esc(journal.iso_abbreviation)}</MedlineTA>"]
    if journal.nlm_unique_id:
        parts.append(f"<NlmUniqueID>{_esc(journal.nlm_unique_id)}</NlmUniqueID>")
    if journal.issn_linking:
        parts.append(f"<ISSNLinking>{_esc(journal.issn_linking)}</ISSNLinking>")
    parts.append("</MedlineJournalInfo>")
    add("".join(parts))


def _write_citation_lists(rec: Record, add: Callable[[str], None]) -> None:
    """ChemicalList, CommentsCorrectionsList, MeshHeadingList, OtherAbstract, KeywordList (DTD order)."""
    if rec.chemicals:
        add(
            "<ChemicalList>"
            + "".join(
                f"<Chemical><RegistryNumber>0</RegistryNumber><NameOfSubstance>{_esc(name)}</NameOfSubstance></Chemical>"
                for name in rec.chemicals
            )
            + "</ChemicalList>"
        )
    if rec.corrections:
        parts = ["<CommentsCorrectionsList>"]
        for link in rec.corrections:
            pmid = f'<PMID Version="1">{_esc(link.pmid)}</PMID>' if link.pmid else ""
            parts.append(
                f'<CommentsCorrections RefType="{_attr(link.ref_type)}">'
                f"<RefSource>{_esc(link.source)}</RefSource>{pmid}</CommentsCorrections>"
            )
        parts.append("</CommentsCorrectionsList>")
        add("".join(parts))
    if rec.mesh:
        add("<MeshHeadingList>" + "".join(_mesh_xml(heading) for heading in rec.mesh) + "</MeshHeadingList>")
    _write_abstract("OtherAbstract", ' Type="Publisher"', rec.other_abstracts, add)
    if rec.keywords:
        add(
            '<KeywordList Owner="NOTNLM">'
            + "".join(f'<Keyword MajorTopicYN="N">{_esc(k)}</Keyword>' for k in rec.keywords)
            + "</KeywordList>"
        )


def _mesh_xml(heading: MeshHeading) -> str:
    ui = f' UI="{_attr(heading.ui)}"' if heading.ui else ""
    parts = [
        f'<MeshHeading><DescriptorName{ui} MajorTopicYN="{"Y" if heading.major else "N"}">'
        f"{_esc(heading.descriptor)}</DescriptorName>"
    ]
    for qualifier in heading.qualifiers:
        qui = f' UI="{_attr(qualifier.ui)}"' if qualifier.ui else ""
        parts.append(
            f'<QualifierName{qui} MajorTopicYN="{"Y" if qualifier.major else "N"}">'
            f"{_esc(qualifier.name)}</QualifierName>"
        )
    parts.append("</MeshHeading>")
    return "".join(parts)


def _write_pubmed_data(tag: str, rec: Record, add: Callable[[str], None]) -> None:
    # PublicationStatus is mandatory in the DTD; a Record does not carry it.
    parts = [f"<{tag}><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"]
    parts.append(f'<ArticleId IdType="pubmed">{_esc(rec.pmid)}</ArticleId>')
    if rec.doi:
        parts.append(f'<ArticleId IdType="doi">{_esc(rec.doi)}</ArticleId>')
    if rec.pii:
        parts.append(f'<ArticleId IdType="pii">{_esc(rec.pii)}</ArticleId>')
    if rec.pmcid:
        parts.append(f'<ArticleId IdType="pmc">{_esc(rec.pmcid)}</ArticleId>')
    parts.append(f"</ArticleIdList></{tag}>")
    add("".join(parts))


def _write_book(rec: Record, out: list[str]) -> None:
    add = out.append
    add("<PubmedBookArticle><BookDocument>")
    add(f'<PMID Version="{rec.pmid_version}">{_esc(rec.pmid)}</PMID>')
    add(f'<ArticleIdList><ArticleId IdType="pubmed">{_esc(rec.pmid)}</ArticleId></ArticleIdList>')
    # A chapter keeps its book's title in journal.title; a whole book has only a title.
    is_chapter = bool(rec.journal.title)
    book_title = rec.journal.title if is_chapter else rec.title
    add(f"<Book><Publisher><PublisherName></PublisherName></Publisher><BookTitle>{_esc(book_title)}</BookTitle>")
    _write_date("PubDate", rec.pub_date, add)
    if rec.journal.volume:
        add(f"<Volume>{_esc(rec.journal.volume)}</Volume>")
    _write_elocation_ids(rec, add)
    add("</Book>")
    if is_chapter:
        add(f"<ArticleTitle>{_esc(rec.title)}</ArticleTitle>")
    if rec.vernacular_title:
        add(f"<VernacularTitle>{_esc(rec.vernacular_title)}</VernacularTitle>")
    _write_pagination(rec, add)
    for language in rec.languages:
        add(f"<Language>{_esc(language)}</Language>")
    _write_authors(rec.authors, add, ' Type="authors"')
    _write_publication_types(rec, add)
    _write_abstract("Abstract", "", rec.abstract, add)
    _write_grants(rec.grants, add)
    if rec.keywords:
        add("<KeywordList>" + "".join(f"<Keyword>{_esc(k)}</Keyword>" for k in rec.keywords) + "</KeywordList>")
    add("</BookDocument>")
    _write_pubmed_data("PubmedBookData", rec, add)
    add("</PubmedBookArticle>\n")
