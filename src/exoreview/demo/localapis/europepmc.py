"""A local Europe PMC REST service: `search` with core JSON results and cursorMark paging.

Served under `/europepmc/webservices/rest/`. Records come in as exoreview
Records (e.g. parsed from real PubMed XML) and are answered in Europe PMC's
core result shape. PubMed records carry no citation counts, so `citedByCount`
is a stand-in (PMID mod 41) unless the caller passes real counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from exoreview.demo.localapis.base import Answer, decode_cursor, encode_cursor, int_param, json_answer
from exoreview.demo.localapis.textquery import (
    Match,
    QueryError,
    evaluate,
    fields_of,
    normalize,
    parse_query,
    text_matches,
)
from exoreview.eutils.faults import FaultPlan
from exoreview.records import Record

PREFIX = "/europepmc/webservices/rest/"
VERSION = "6.9"
MAX_PAGE_SIZE = 1000
TEXT_FIELDS = {"TITLE", "ABSTRACT", "TITLE_ABS", "MESH", "AUTH", "LANG", "PUB_TYPE", "JOURNAL", "KW", ""}
EXACT_FIELDS = {"EXT_ID", "SRC", "PMCID", "DOI", "HAS_FREE_FULLTEXT", "OPEN_ACCESS", "IN_EPMC", "PUB_YEAR"}
RANGE_FIELDS = {"FIRST_PDATE", "PUB_YEAR"}


def _full_text_urls(record: Record, open_access: bool) -> list[dict[str, str]]:
    urls = []
    if record.pmcid:
        urls.append({"availability": "Open access" if open_access else "Free", "availabilityCode":
                     "OA" if open_access else "F", "documentStyle": "html", "site": "Europe_PMC",
                     "url": f"https://europepmc.org/articles/{record.pmcid}"})
    if record.doi:
        urls.append({"availability": "Subscription required", "availabilityCode": "S", "documentStyle": "doi",
                     "site": "DOI", "url": f"https://doi.org/{record.doi}"})
    return urls


def _author_list(record: Record) -> dict[str, list[dict[str, str]]]:
    return {"author": [
        {"collectiveName": a.collective_name} if a.collective_name else
        {"fullName": a.display, "firstName": a.fore_name, "lastName": a.last_name, "initials": a.initials}
        for a in record.authors]}


def _journal_info(record: Record) -> dict:
    journal = record.journal
    return {"issue": journal.issue, "volume": journal.volume, "yearOfPublication": record.pub_date.year,
            "journal": {"title": journal.title, "ISOAbbreviation": journal.iso_abbreviation,
                        "NLMid": journal.nlm_unique_id, "ISSN": journal.issn_print, "ESSN": journal.issn_electronic}}


def _mesh_heading_list(record: Record) -> dict[str, list[dict]]:
    return {"meshHeading": [
        {"majorTopic_YN": "Y" if m.major else "N", "descriptorName": m.descriptor,
         **({"meshQualifierList": {"meshQualifier": [
             {"qualifierName": q.name, "majorTopic_YN": "Y" if q.major else "N"} for q in m.qualifiers]}}
            if m.qualifiers else {})}
        for m in record.mesh]}


def _yes_no(flag: bool) -> str:
    return "Y" if flag else "N"


def record_to_result(record: Record, cited_by: int | None = None) -> dict:
    """A Record in Europe PMC's core result shape (the fields exoreview reads, and their neighbours)."""
    pmcid = record.pmcid
    open_access = bool(pmcid) and record.free_full_text
    in_pmc = _yes_no(bool(pmcid))
    pub = record.pub_date
    first_date = f"{pub.year:04d}-{pub.month or 1:02d}-{pub.day or 1:02d}" if pub.year else ""
    return {
        "id": record.pmid, "source": "MED", "pmid": record.pmid,
        **({"pmcid": pmcid} if pmcid else {}), **({"doi": record.doi} if record.doi else {}),
        "title": record.title,
        "authorString": ", ".join(a.display for a in record.authors) + ("." if record.authors else ""),
        "authorList": _author_list(record),
        "journalInfo": _journal_info(record),
        "pubYear": str(pub.year or ""),
        "pageInfo": record.journal.pages,
        "abstractText": record.abstract_text,
        "language": record.languages[0] if record.languages else "eng",
        "pubModel": "Print-Electronic",
        "pubTypeList": {"pubType": [p.name for p in record.publication_types]},
        "meshHeadingList": _mesh_heading_list(record),
        "keywordList": {"keyword": list(record.keywords)},
        "fullTextUrlList": {"fullTextUrl": _full_text_urls(record, open_access)},
        "isOpenAccess": _yes_no(open_access),
        "inEPMC": in_pmc,
        "inPMC": in_pmc,
        "hasPDF": in_pmc,
        "hasBook": "N",
        "citedByCount": cited_by if cited_by is not None else int(record.pmid or 0) % 41,
        "hasReferences": "N",
        "hasTextMinedTerms": in_pmc,
        "hasDbCrossReferences": "N",
        "firstPublicationDate": first_date,
    }


def _document(result: dict) -> dict[str, str]:
    mesh = " | ".join(h["descriptorName"] for h in result["meshHeadingList"]["meshHeading"])
    title, abstract = result["title"], result["abstractText"]
    return {
        "TITLE": normalize(title), "ABSTRACT": normalize(abstract), "TITLE_ABS": normalize(f"{title} | {abstract}"),
        "MESH": normalize(mesh), "AUTH": normalize(result["authorString"]), "LANG": normalize(result["language"]),
        "PUB_TYPE": normalize(" | ".join(result["pubTypeList"]["pubType"])),
        "JOURNAL": normalize(result["journalInfo"]["journal"]["title"]),
        "KW": normalize(" | ".join(result["keywordList"]["keyword"])),
        "": normalize(" | ".join([title, abstract, mesh, result["authorString"],
                                   " | ".join(result["keywordList"]["keyword"])])),
        "EXT_ID": result["id"].lower(), "SRC": "med", "PMCID": result.get("pmcid", "").lower(),
        "DOI": result.get("doi", "").lower(),
        "HAS_FREE_FULLTEXT": "y" if any(u["availabilityCode"] in ("OA", "F")
                                        for u in result["fullTextUrlList"]["fullTextUrl"]) else "n",
        "OPEN_ACCESS": result["isOpenAccess"].lower(), "IN_EPMC": result["inEPMC"].lower(),
        "PUB_YEAR": result["pubYear"], "FIRST_PDATE": result["firstPublicationDate"],
    }


def _match(term: Match, doc: dict[str, str]) -> bool:
    if term.is_range:
        value = doc.get(term.field, "")
        low = "" if term.low in ("", "*") else term.low
        high = "" if term.high in ("", "*") else term.high
        # Partial dates compare on their own length: [2014 TO 2024] covers every day of 2024.
        return bool(value) and (not low or value[: len(low)] >= low) and (not high or value[: len(high)] <= high)
    if term.field in EXACT_FIELDS:
        return doc.get(term.field, "") == term.value.lower().strip()
    return text_matches(term.value, doc.get(term.field, ""))


class EuropePmcService:
    name = "europepmc"

    def __init__(self, records: Iterable[Record], *, cited_by: dict[str, int] | None = None,
                 faults: FaultPlan | None = None) -> None:
        self.results = [record_to_result(r, (cited_by or {}).get(r.pmid)) for r in records if r.pmid]
        self.documents = [_document(r) for r in self.results]
        self.faults = faults or FaultPlan()
        self.requests: list[tuple[str, dict[str, str]]] = []

    def endpoint(self, path: str) -> str:
        return path.rstrip("/").rsplit("/", 1)[-1]

    def fault_body(self, status: int) -> Answer:
        return json_answer({"version": VERSION, "errCode": status,
                            "errMsg": "Too many requests" if status == 429 else "Service unavailable"}, status)

    def _error(self, status: int, message: str, params: dict[str, str]) -> Answer:
        return json_answer({"version": VERSION, "hitCount": 0, "request": self._request(params),
                            "errCode": status, "errMsg": message}, status)

    def _request(self, params: dict[str, str]) -> dict:
        return {"queryString": params.get("query", ""), "resultType": params.get("resultType", "lite"),
                "cursorMark": params.get("cursorMark", "*"), "pageSize": int_param(params.get("pageSize"), 25),
                "sort": params.get("sort", ""), "synonym": params.get("synonym", "false") == "true"}

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        if not path.startswith(PREFIX) or self.endpoint(path) != "search":
            return json_answer({"version": VERSION, "errCode": 404, "errMsg": f"No resource at {path}"}, 404)
        return self.search(params)

    def search(self, params: dict[str, str]) -> Answer:
        query = params.get("query", "").strip()
        if not query:
            return self._error(400, "query parameter is required", params)
        if params.get("format", "xml") != "json":
            return self._error(400, "this local service answers format=json only", params)
        page_size = int_param(params.get("pageSize"), 25)
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            return self._error(400, f"pageSize must be between 1 and {MAX_PAGE_SIZE}", params)
        try:
            tree = parse_query(query)
        except QueryError as exc:
            return self._error(400, f"Invalid query: {exc}", params)
        unknown = fields_of(tree) - TEXT_FIELDS - EXACT_FIELDS - RANGE_FIELDS
        if unknown:
            return self._error(400, f"Invalid query: unknown search field(s) {', '.join(sorted(unknown))}", params)
        hits = [r for r, d in zip(self.results, self.documents, strict=True) if evaluate(tree, d, _match)]
        cursor = params.get("cursorMark", "*")
        offset = 0 if cursor == "*" else decode_cursor(cursor, query)
        if offset is None:
            return self._error(400, f"Invalid cursorMark {cursor!r}: not a cursor of this query", params)
        page = hits[offset:offset + page_size]
        body: dict = {"version": VERSION, "hitCount": len(hits)}
        if offset + len(page) < len(hits):
            body["nextCursorMark"] = encode_cursor(offset + len(page), query)
            body["nextPageUrl"] = "(local service)"
        elif not page:
            body["nextCursorMark"] = cursor  # past the end, Europe PMC echoes the cursor back
        body["request"] = self._request(params)
        core = params.get("resultType", "lite") == "core"
        body["resultList"] = {"result": [r if core else _lite(r) for r in page]}
        return json_answer(body)


def _lite(result: dict) -> dict:
    keep = ("id", "source", "pmid", "pmcid", "doi", "title", "authorString", "pubYear", "isOpenAccess", "inEPMC",
            "inPMC", "hasPDF", "citedByCount", "hasTextMinedTerms", "firstPublicationDate")
    return {k: result[k] for k in keep if k in result}

