"""PubMed XML elements to Records: one handler per element, walking each element's children once.

Speed matters here (baseline files hold 30,000 records each), so records are converted with
plain tag comparisons: no XPath, no per-record tree searches. The frequent children are tested
inline, most frequent first; the rest go through the handler tables at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from exoreview.formats.pubmed.chunks import BLANKS_DROPPED
from exoreview.formats.pubmed.common import (
    ASCII_WS,
    WS_RUN,
    collapse_whitespace,
    join_grant,
    month_number,
    normalize_orcid,
    parse_medline_date,
)
from exoreview.records import (
    AbstractSection,
    Author,
    Correction,
    MeshHeading,
    MeshQualifier,
    PubDate,
    PublicationType,
    Record,
)

__all__ = ["OTHER_RECORD_KINDS", "article_record", "deleted_records"]

_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
_MATHML_ROOT = _MATHML_NS + "math"

# "Cites" links are reference lists (moved to PubmedData/ReferenceList in the
# current DTD), not comments or corrections; they would dwarf the real links.
_SKIPPED_REF_TYPES = frozenset({"Cites"})


# ----- element helpers
# These run hundreds of thousands of times per file: each avoids a call or a regex
# in the common case (no markup, no whitespace runs).


def _flat(el: Any) -> str:
    """Text of a mixed-content element with inline markup (<i>, <sup>, MathML...) flattened away."""
    if len(el):
        return _flat_mixed(el)
    text = el.text
    if not text:
        return ""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = WS_RUN.sub(" ", text)
    return text.strip(ASCII_WS)


def _flat_mixed(el: Any) -> str:
    if el.getroottree().getroot().get(BLANKS_DROPPED) is not None and _blanks_may_be_lost(el):
        raise _BlanksLost
    if next(el.iter(_MATHML_ROOT), None) is None:
        text = "".join(el.itertext())
    else:
        parts: list[str] = []
        _math_aware_text(el, parts, in_math=False)
        text = "".join(parts)
    return collapse_whitespace(text) if text else ""


class _BlanksLost(Exception):
    """Mixed content from a parse without blank text, where a space between words may have gone."""


def _blanks_may_be_lost(el: Any) -> bool:
    """Whether whitespace-only text that a blank-dropping parse removes could have mattered here.

    libxml2 drops such text unless its parent's first child, or the node before
    it, is text. Inside ``el`` that loses nothing when it sits at the very start
    or end (flattened text is trimmed), but between two elements, or at the edge
    of a nested element, it may have been the space between two words.
    """
    for node in el.iter():
        if not len(node):
            continue
        nested = node is not el
        if nested and not node.text:
            return True
        children = list(node)
        if any(not child.tail for child in children[:-1]):
            return True
        if nested and not children[-1].tail:
            return True
    return False


def _math_aware_text(el: Any, parts: list[str], in_math: bool) -> None:
    """itertext(), minus the indentation between MathML tokens, so that a pretty-printed
    formula reads 'VO2max' rather than 'V O 2 m a x'."""
    text = el.text
    if text and not (in_math and text.isspace()):
        parts.append(text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            _math_aware_text(child, parts, in_math or tag.startswith(_MATHML_NS))
        tail = child.tail
        if tail and not (in_math and tail.isspace()):
            parts.append(tail)


def _leaf(el: Any) -> str:
    """Text of an element the DTD declares as plain #PCDATA (no markup inside)."""
    text = el.text
    if not text:
        return ""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = WS_RUN.sub(" ", text)
    return text.strip(ASCII_WS)


def _to_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and text.isascii() else None


def _version(el: Any) -> int:
    version = el.get("Version")
    if version is None or version == "1":
        return 1
    return _to_int(version) or 1


class _Draft:
    """A Record under construction plus the facts that are only settled at the end."""

    __slots__ = ("article_affiliations", "article_date", "eloc_doi", "eloc_pii", "medline_ta", "other_pmc", "rec")

    def __init__(self, kind: str = "article") -> None:
        self.rec = Record(kind=kind)
        self.eloc_doi = ""
        self.eloc_pii = ""
        self.other_pmc = ""
        self.medline_ta = ""
        self.article_affiliations: list[str] | None = None
        self.article_date: PubDate | None = None

    def finish(self) -> Record:
        rec = self.rec
        if not rec.pmid:
            raise ValueError("missing PMID")
        if not rec.doi:
            rec.doi = self.eloc_doi
        if not rec.pii:
            rec.pii = self.eloc_pii
        if not rec.pmcid:
            rec.pmcid = self.other_pmc
        rec.free_full_text = True if rec.pmcid else None  # no PMC ID: free elsewhere or not, unknown
        if not rec.journal.iso_abbreviation:
            rec.journal.iso_abbreviation = self.medline_ta
        if rec.pub_date.year is None and self.article_date is not None and self.article_date.year:
            fallback = self.article_date
            rec.pub_date.year, rec.pub_date.month, rec.pub_date.day = fallback.year, fallback.month, fallback.day
        if self.article_affiliations and rec.authors:
            # Pre-2014 citations carry one affiliation for the article: the first author's.
            rec.authors[0].affiliations.extend(self.article_affiliations)
        return rec


# ----- record kinds


def article_record(elem: Any) -> Record:
    draft = _Draft()
    for part in elem:
        tag = part.tag
        if tag == "MedlineCitation":
            _medline_citation(part, draft)
        elif tag == "PubmedData":
            for child in part:
                if child.tag == "ArticleIdList":
                    _article_id_list(child, draft)
    return draft.finish()


def _citation_record(elem: Any) -> Record:
    draft = _Draft()
    _medline_citation(elem, draft)
    return draft.finish()


def deleted_records(elem: Any) -> Iterator[Record]:
    for child in elem:
        if child.tag == "PMID":
            yield Record(pmid=_leaf(child), pmid_version=_version(child), kind="deleted")


def _book_record(elem: Any) -> Record:
    draft = _Draft(kind="book")
    for child in elem:
        tag = child.tag
        if tag == "BookDocument":
            _book_document(child, draft)
        elif tag == "PubmedBookData":
            _pubmed_data(child, draft)
    return draft.finish()


# ----- MedlineCitation and Article
# The frequent children are tested inline, most frequent first; the rest go
# through the handler tables at the end of this section.


def _medline_citation(mc: Any, draft: _Draft) -> None:
    rec = draft.rec
    rec.status = mc.get("Status") or ""
    for child in mc:
        tag = child.tag
        if tag == "Article":
            _article(child, draft)
        elif tag == "PMID":
            _pmid(child, draft)
        elif tag == "MedlineJournalInfo":
            _medline_journal_info(child, draft)
        elif tag == "MeshHeadingList":
            _mesh_heading_list(child, draft)
        else:
            handler = _CITATION_HANDLERS.get(tag)
            if handler is not None:
                handler(child, draft)


def _article(article: Any, draft: _Draft) -> None:
    rec = draft.rec
    for child in article:
        tag = child.tag
        if tag == "AuthorList":
            _author_list(child, draft)
        elif tag == "Abstract":
            rec.abstract = _abstract_sections(child)
        elif tag == "ArticleTitle":
            rec.title = _flat(child)
        elif tag == "Journal":
            _journal(child, draft)
        elif tag == "Language":
            rec.languages.append(_leaf(child))
        elif tag == "PublicationTypeList":
            append = rec.publication_types.append
            for pub_type in child:
                if pub_type.tag == "PublicationType":
                    append(PublicationType(_leaf(pub_type), pub_type.get("UI") or ""))
        else:
            handler = _ARTICLE_HANDLERS.get(tag)
            if handler is not None:
                handler(child, draft)


def _pmid(el: Any, draft: _Draft) -> None:
    pmid = _leaf(el)
    if pmid and not (pmid.isdigit() and pmid.isascii()):
        raise ValueError(f"PMID {pmid!r} is not a number")
    draft.rec.pmid = pmid
    draft.rec.pmid_version = _version(el)


def _article_title(el: Any, draft: _Draft) -> None:
    draft.rec.title = _flat(el)


def _vernacular_title(el: Any, draft: _Draft) -> None:
    draft.rec.vernacular_title = _flat(el)


def _abstract(el: Any, draft: _Draft) -> None:
    draft.rec.abstract = _abstract_sections(el)


def _other_abstract(el: Any, draft: _Draft) -> None:
    draft.rec.other_abstracts.extend(_abstract_sections(el))


def _abstract_sections(el: Any) -> list[AbstractSection]:
    sections = []
    for child in el:
        if child.tag == "AbstractText":
            get = child.get
            sections.append(AbstractSection(_flat(child), get("Label") or "", get("NlmCategory") or ""))
    return sections


def _author_list(el: Any, draft: _Draft) -> None:
    if el.get("Type") != "editors":
        _read_authors(el, draft.rec.authors.append)


def _read_authors(el: Any, append: Callable[[Author], None]) -> None:
    """Authors, one inlined loop per list: this is the reader's hottest code."""
    for author in el:
        if author.tag != "Author":
            continue
        last = fore = initials = collective = orcid = ""
        affiliations: list[str] = []
        for child in author:
            tag = child.tag
            # Names are only trimmed, not whitespace-collapsed.
            if tag == "LastName":
                text = child.text
                if text:
                    last = text.strip()
            elif tag == "ForeName":
                text = child.text
                if text:
                    fore = text.strip()
            elif tag == "Initials":
                text = child.text
                if text:
                    initials = text.strip()
            elif tag == "AffiliationInfo":
                for info in child:
                    if info.tag == "Affiliation":
                        affiliations.append(_flat(info))
            elif tag == "Identifier":
                if child.get("Source") == "ORCID":
                    orcid = normalize_orcid(_leaf(child))
            elif tag == "CollectiveName":
                collective = _flat(child)
            elif tag == "Affiliation":  # pre-2015 DTD: no AffiliationInfo wrapper
                affiliations.append(_flat(child))
        append(Author(last, fore, initials, collective, affiliations, orcid))


def _article_affiliation(el: Any, draft: _Draft) -> None:
    if draft.article_affiliations is None:
        draft.article_affiliations = []
    draft.article_affiliations.append(_flat(el))


def _journal(el: Any, draft: _Draft) -> None:
    rec = draft.rec
    journal = rec.journal
    for child in el:
        tag = child.tag
        if tag == "JournalIssue":
            for part in child:
                part_tag = part.tag
                if part_tag == "PubDate":
                    rec.pub_date = _pub_date(part)
                elif part_tag == "Volume":
                    journal.volume = _leaf(part)
                elif part_tag == "Issue":
                    journal.issue = _leaf(part)
        elif tag == "ISSN":
            if child.get("IssnType") == "Electronic":
                journal.issn_electronic = _leaf(child)
            else:
                journal.issn_print = _leaf(child)
        elif tag == "Title":
            journal.title = _leaf(child)
        elif tag == "ISOAbbreviation":
            journal.iso_abbreviation = _leaf(child)


def _pub_date(el: Any) -> PubDate:
    date = PubDate()
    for child in el:
        tag = child.tag
        text = child.text
        if not text:
            continue
        if tag == "Year":
            date.year = _to_int(text)
        elif tag == "Month":
            date.month = month_number(text)
        elif tag == "Day":
            date.day = _to_int(text) or None
        elif tag == "MedlineDate":
            date.medline_date = _leaf(child)
            date.year, date.month = parse_medline_date(date.medline_date)
    if date.year is None and not date.medline_date:
        date.month = date.day = None  # a month without a year dates nothing
    return date


def _article_date(el: Any, draft: _Draft) -> None:
    if draft.article_date is None:
        draft.article_date = _pub_date(el)


def _pagination(el: Any, draft: _Draft) -> None:
    start = end = ""
    for child in el:
        tag = child.tag
        if tag == "MedlinePgn":
            draft.rec.journal.pages = _leaf(child)
            return
        if tag == "StartPage":
            start = _leaf(child)
        elif tag == "EndPage":
            end = _leaf(child)
    draft.rec.journal.pages = f"{start}-{end}" if start and end else start or end


def _elocation_id(el: Any, draft: _Draft) -> None:
    value = _leaf(el)
    if not value:
        return
    draft.rec.elocation_ids.append(value)
    kind = el.get("EIdType")
    if kind == "doi":
        draft.eloc_doi = draft.eloc_doi or value
    elif kind == "pii":
        draft.eloc_pii = draft.eloc_pii or value


def _language(el: Any, draft: _Draft) -> None:
    draft.rec.languages.append(_leaf(el))


def _grant_list(el: Any, draft: _Draft) -> None:
    for grant in el:
        if grant.tag != "Grant":
            continue
        grant_id = agency = ""
        for child in grant:
            if child.tag == "GrantID":
                grant_id = _leaf(child)
            elif child.tag == "Agency":
                agency = _leaf(child)
        draft.rec.grants.append(join_grant(grant_id, agency))


def _publication_type(el: Any, draft: _Draft) -> None:
    draft.rec.publication_types.append(PublicationType(name=_leaf(el), ui=el.get("UI") or ""))


def _medline_journal_info(el: Any, draft: _Draft) -> None:
    journal = draft.rec.journal
    for child in el:
        tag = child.tag
        if tag == "MedlineTA":
            draft.medline_ta = _leaf(child)
        elif tag == "NlmUniqueID":
            journal.nlm_unique_id = _leaf(child)
        elif tag == "ISSNLinking":
            journal.issn_linking = _leaf(child)


def _chemical_list(el: Any, draft: _Draft) -> None:
    append = draft.rec.chemicals.append
    for chemical in el:
        for child in chemical:
            if child.tag == "NameOfSubstance":
                append(_leaf(child))


def _mesh_heading_list(el: Any, draft: _Draft) -> None:
    append = draft.rec.mesh.append
    for heading in el:
        if heading.tag != "MeshHeading":
            continue
        descriptor: MeshHeading | None = None
        qualifiers: list[MeshQualifier] = []
        for child in heading:
            tag = child.tag
            text = child.text  # controlled vocabulary: trimming is enough
            name = text.strip() if text else ""
            if tag == "QualifierName":
                qualifiers.append(MeshQualifier(name, child.get("UI") or "", child.get("MajorTopicYN") == "Y"))
            elif tag == "DescriptorName":
                descriptor = MeshHeading(name, child.get("UI") or "", child.get("MajorTopicYN") == "Y", qualifiers)
        if descriptor is None or not descriptor.descriptor:
            raise ValueError(f"MeshHeading {len(draft.rec.mesh) + 1} has no DescriptorName")
        append(descriptor)


def _keyword_list(el: Any, draft: _Draft) -> None:
    draft.rec.keywords.extend(_flat(child) for child in el if child.tag == "Keyword")


def _comments_corrections_list(el: Any, draft: _Draft) -> None:
    for link in el:
        ref_type = link.get("RefType")
        if ref_type is None or ref_type in _SKIPPED_REF_TYPES:
            continue
        correction = Correction(ref_type=ref_type)
        for child in link:
            if child.tag == "RefSource":
                correction.source = _leaf(child)
            elif child.tag == "PMID":
                correction.pmid = _leaf(child)
        draft.rec.corrections.append(correction)


def _other_id(el: Any, draft: _Draft) -> None:
    # Old baseline files give the PMC id only here, e.g. "PMC4688250 [Available on 12/22/16]".
    value = _leaf(el)
    if value.startswith("PMC") and not draft.other_pmc:
        draft.other_pmc = value.split()[0]


def _pubmed_data(el: Any, draft: _Draft) -> None:
    for child in el:
        if child.tag == "ArticleIdList":
            _article_id_list(child, draft)


def _article_id_list(el: Any, draft: _Draft) -> None:
    rec = draft.rec
    for child in el:
        kind = child.get("IdType")
        if kind == "doi":
            rec.doi = rec.doi or _leaf(child)
        elif kind == "pmc":
            rec.pmcid = rec.pmcid or _leaf(child)
        elif kind == "pii":
            rec.pii = rec.pii or _leaf(child)


# ----- books


def _book_document(doc: Any, draft: _Draft) -> None:
    book_title = ""
    book_authors: list[Author] = []
    for child in doc:
        tag = child.tag
        if tag == "Book":
            book_title, book_authors = _book(child, draft)
        elif tag == "PublicationType":
            _publication_type(child, draft)
        else:
            handler = _BOOK_HANDLERS.get(tag)
            if handler is not None:
                handler(child, draft)
    rec = draft.rec
    if rec.title:
        rec.journal.title = book_title  # a chapter: the book plays the journal's part
    else:
        rec.title = book_title
    if not rec.authors:
        rec.authors = book_authors


def _book(el: Any, draft: _Draft) -> tuple[str, list[Author]]:
    title = ""
    authors: list[Author] = []
    for child in el:
        tag = child.tag
        if tag == "BookTitle":
            title = _flat(child)
        elif tag == "PubDate":
            draft.rec.pub_date = _pub_date(child)
        elif tag == "Volume":
            draft.rec.journal.volume = _leaf(child)
        elif tag == "ELocationID":
            _elocation_id(child, draft)
        elif tag == "AuthorList" and child.get("Type") != "editors":
            _read_authors(child, authors.append)
    return title, authors


_Handler = Callable[[Any, _Draft], None]

OTHER_RECORD_KINDS: dict[str, Callable[[Any], Record]] = {
    "PubmedBookArticle": _book_record,
    "MedlineCitation": _citation_record,
}

_CITATION_HANDLERS: dict[str, _Handler] = {
    "ChemicalList": _chemical_list,
    "KeywordList": _keyword_list,
    "CommentsCorrectionsList": _comments_corrections_list,
    "OtherAbstract": _other_abstract,
    "OtherID": _other_id,
}

_ARTICLE_HANDLERS: dict[str, _Handler] = {
    "VernacularTitle": _vernacular_title,
    "Pagination": _pagination,
    "ELocationID": _elocation_id,
    "Affiliation": _article_affiliation,
    "GrantList": _grant_list,
    "ArticleDate": _article_date,
}

_BOOK_HANDLERS: dict[str, _Handler] = {
    "PMID": _pmid,
    "ArticleIdList": _article_id_list,
    "ArticleTitle": _article_title,
    "VernacularTitle": _vernacular_title,
    "Pagination": _pagination,
    "Language": _language,
    "AuthorList": _author_list,
    "Abstract": _abstract,
    "GrantList": _grant_list,
    "KeywordList": _keyword_list,
}
