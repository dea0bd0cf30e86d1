"""Europe PMC through its REST search: cursor paging, core results, open-access and full-text flags.

`GET {base}search?query=...&resultType=core&format=json&pageSize=1000&cursorMark=*`
answers `{version, hitCount, nextCursorMark, request, resultList: {result: [...]}}`.
Paging ends when the answer has no `nextCursorMark`, echoes the cursor it was
sent, or lists nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from exoreview.formats.errors import MalformedRecord
from exoreview.records import (
    AbstractSection,
    Author,
    Journal,
    MeshHeading,
    MeshQualifier,
    PubDate,
    PublicationType,
    Record,
)
from exoreview.sources.http import may_identify
from exoreview.sources.jsonapi import JsonSourceClient, require
from exoreview.sources.pages import Page, RawPage, cursor_pages
from exoreview.sources.translate_query import Translation, to_europepmc

EUROPEPMC_REST = "https://www.ebi.ac.uk/europepmc/webservices/rest/"
EUROPEPMC_HOSTS = ("ebi.ac.uk", "europepmc.org")  # where the caller's email may be sent
SOURCE = "europepmc"
MAX_PAGE_SIZE = 1000  # Europe PMC's ceiling for pageSize
FETCH_CHUNK = 100  # identifiers OR'ed into one fetch query


class EuropePmcClient(JsonSourceClient):
    source = SOURCE
    default_base_url = EUROPEPMC_REST
    default_rate = 10.0  # Europe PMC asks for at most 10 requests per second

    def __init__(self, *, email: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.email = email if may_identify(self.base_url, EUROPEPMC_HOSTS) else ""

    def translate(self, protocol_query: str, *, native_query: str = "", **_: str) -> Translation:
        if native_query.strip():
            return Translation(SOURCE, native_query.strip(), notes=["native Europe PMC query, sent as written"])
        return to_europepmc(protocol_query)

    def search_page(self, query: str, *, cursor: str = "*", page_size: int = MAX_PAGE_SIZE) -> dict[str, Any]:
        params = {"query": query, "resultType": "core", "format": "json", "cursorMark": cursor,
                  "pageSize": str(min(page_size, MAX_PAGE_SIZE)), "email": self.email}
        data = self.get_json("search", params)
        require(data, "hitCount", SOURCE, "search answer")
        return data

    def pages(self, translation: Translation, *, page_size: int = MAX_PAGE_SIZE) -> Iterator[Page]:
        """Every page of the search, in order, each with its records mapped."""

        def fetch(cursor: str) -> RawPage:
            data = self.search_page(translation.query, cursor=cursor, page_size=page_size)
            return RawPage((data.get("resultList") or {}).get("result") or [], int(data.get("hitCount") or 0),
                           data.get("nextCursorMark") or "")

        return cursor_pages(fetch, result_to_record, first="*")

    def fetch(self, ids: list[str]) -> list[Record]:
        """Records for PMIDs or PMCIDs, by OR'ed identifier queries of up to FETCH_CHUNK each."""
        found: list[Record] = []
        for start in range(0, len(ids), FETCH_CHUNK):
            chunk = ids[start:start + FETCH_CHUNK]
            terms = [f"PMCID:{i}" if i.upper().startswith("PMC") else f"(EXT_ID:{i} AND SRC:MED)" for i in chunk]
            for page in self.pages(Translation(SOURCE, " OR ".join(terms))):
                found += page.records
        return found

    def error_message(self, response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return super().error_message(response)
        return str(body.get("errMsg") or body.get("message") or body)[:300]


def _yn(value: Any) -> str:
    return "Y" if str(value).upper() == "Y" else "N"


def result_to_record(result: dict[str, Any], position: int = 0) -> Record:
    """One Europe PMC core result to a Record; identifiers and flags Europe PMC adds go to `extra`."""
    if not isinstance(result, dict) or not result.get("id"):
        raise MalformedRecord(SOURCE, position, "Europe PMC result without an 'id'")
    journal_info = result.get("journalInfo") or {}
    journal = journal_info.get("journal") or {}
    urls = _listed(result, "fullTextUrlList", "fullTextUrl")
    free = _is_free(result, urls)
    extra = _extra(result, urls)
    abstract = (result.get("abstractText") or "").strip()
    return Record(
        pmid=str(result.get("pmid") or ""),
        pmcid=str(result.get("pmcid") or ""),
        doi=str(result.get("doi") or "").lower(),
        title=(result.get("title") or "").strip(),
        abstract=[AbstractSection(text=abstract)] if abstract else [],
        authors=[_author(a) for a in _listed(result, "authorList", "author")],
        journal=_journal(journal, journal_info, result),
        pub_date=_pub_date(result),
        mesh=[_mesh(h) for h in _listed(result, "meshHeadingList", "meshHeading")],
        publication_types=[PublicationType(name=p) for p in _listed(result, "pubTypeList", "pubType")],
        keywords=list(_listed(result, "keywordList", "keyword")),
        languages=[result["language"]] if result.get("language") else [],
        free_full_text=free,
        cited_by_count=int(result["citedByCount"]) if result.get("citedByCount") is not None else None,
        extra=extra,
    )


def _listed(result: dict[str, Any], wrapper: str, key: str) -> list[Any]:
    """Europe PMC wraps each list in an object of its own: `{"authorList": {"author": [...]}}`."""
    return (result.get(wrapper) or {}).get(key) or []


def _is_free(result: dict[str, Any], urls: list[dict[str, Any]]) -> bool:
    """Open access, or any full-text link free to read (availability OA or F)."""
    free_codes = {"OA", "F"}
    return _yn(result.get("isOpenAccess")) == "Y" or any(u.get("availabilityCode") in free_codes for u in urls)


def _extra(result: dict[str, Any], urls: list[dict[str, Any]]) -> dict[str, str]:
    """Europe PMC's own identifiers, Y/N flags, full-text links and license."""
    extra = {
        "europepmc_id": str(result["id"]),
        "europepmc_source": str(result.get("source") or ""),
        "is_open_access": _yn(result.get("isOpenAccess")),
        "in_epmc": _yn(result.get("inEPMC")),
        "in_pmc": _yn(result.get("inPMC")),
        "has_pdf": _yn(result.get("hasPDF")),
        "has_text_mined_terms": _yn(result.get("hasTextMinedTerms")),
        "full_text_urls": json.dumps([{"url": u.get("url", ""), "availability": u.get("availabilityCode", ""),
                                       "style": u.get("documentStyle", "")} for u in urls]),
    }
    if result.get("license"):
        extra["license"] = str(result["license"])
    return extra


def _journal(journal: dict[str, Any], journal_info: dict[str, Any], result: dict[str, Any]) -> Journal:
    """The journal (from `journalInfo.journal`), its volume and issue (`journalInfo`), pages (the result's)."""
    return Journal(title=journal.get("title") or "", iso_abbreviation=journal.get("ISOAbbreviation") or "",
                   issn_print=journal.get("ISSN") or "", issn_electronic=journal.get("ESSN") or "",
                   nlm_unique_id=journal.get("NLMid") or "", volume=journal_info.get("volume") or "",
                   issue=journal_info.get("issue") or "", pages=result.get("pageInfo") or "")


def _author(author: dict[str, Any]) -> Author:
    if author.get("collectiveName"):
        return Author(collective_name=author["collectiveName"])
    return Author(last_name=author.get("lastName") or "", fore_name=author.get("firstName") or "",
                  initials=author.get("initials") or "")


def _pub_date(result: dict[str, Any]) -> PubDate:
    text = result.get("firstPublicationDate") or ""
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return PubDate(int(parts[0]), int(parts[1]), int(parts[2]))
    year = str(result.get("pubYear") or "")
    return PubDate(int(year)) if year.isdigit() else PubDate()


def _mesh(heading: dict[str, Any]) -> MeshHeading:
    qualifiers = [MeshQualifier(name=q.get("qualifierName") or "", major=q.get("majorTopic_YN") == "Y")
                  for q in (heading.get("meshQualifierList") or {}).get("meshQualifier") or []]
    return MeshHeading(descriptor=heading.get("descriptorName") or "", major=heading.get("majorTopic_YN") == "Y",
                       qualifiers=qualifiers)
