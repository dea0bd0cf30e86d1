"""E-utilities answer documents, shaped like NCBI's (same DTDs, same element order; JSON as NCBI's retmode=json).

Text that came in a request (a query, a phrase not found) may hold characters XML cannot carry
(control characters); they are written as U+FFFD so every answer stays well-formed.
"""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape as _escape

from exoreview.records import Record

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_XML = '<?xml version="1.0" encoding="UTF-8" ?>\n'
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# NCBI's numbers for the identifier types of an ESummary's articleids.
_ID_TYPES = {"pubmed": 1, "doi": 3, "pii": 4, "pmc": 8}


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """XML character data (or, with ``{'"': "&quot;"}``, an attribute value): markup escaped, characters XML
    forbids replaced."""
    return _escape(_NOT_XML.sub("\ufffd", text), entities or {})


def _json(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode() + b"\n"


def esearch_xml(count: int, ids: list[str], retstart: int, translation: str, *, webenv: str = "",
                query_key: str = "", not_found: list[str] | None = None) -> bytes:
    history = f"<QueryKey>{query_key}</QueryKey><WebEnv>{webenv}</WebEnv>" if webenv else ""
    id_list = "<IdList>\n" + "".join(f"<Id>{i}</Id>\n" for i in ids) + "</IdList>" if ids else "<IdList/>"
    errors = ""
    if not_found:
        errors = "<ErrorList>" + "".join(f"<PhraseNotFound>{escape(p)}</PhraseNotFound>" for p in not_found)
        errors += "</ErrorList>"
    warnings = "<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>" if count == 0 else ""
    body = (
        f"{_XML}<!DOCTYPE eSearchResult PUBLIC \"-//NLM//DTD esearch 20060628//EN\" "
        f"\"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd\">\n"
        f"<eSearchResult><Count>{count}</Count><RetMax>{len(ids)}</RetMax><RetStart>{retstart}</RetStart>"
        f"{history}{id_list}<TranslationSet/><QueryTranslation>{escape(translation)}</QueryTranslation>"
        f"{errors}{warnings}</eSearchResult>\n"
    )
    return body.encode()


def esearch_json(count: int, ids: list[str], retstart: int, translation: str, *, webenv: str = "",
                 query_key: str = "", not_found: list[str] | None = None) -> bytes:
    """ESearch with retmode=json, as NCBI writes it: every number a string, history keys only when used."""
    result: dict[str, object] = {"count": str(count), "retmax": str(len(ids)), "retstart": str(retstart)}
    if webenv:
        result.update(querykey=query_key, webenv=webenv)
    result.update(idlist=ids, translationset=[], querytranslation=translation)
    if not_found:
        result["errorlist"] = {"phrasesnotfound": not_found, "fieldsnotfound": []}
    if count == 0:
        result["warninglist"] = {"phrasesignored": [], "quotedphrasesnotfound": [],
                                 "outputmessages": ["No items found."]}
    return _json({"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result})


def esearch_error_xml(message: str) -> bytes:
    return error_xml("eSearchResult", message)


def esearch_error_json(message: str) -> bytes:
    return _json({"header": {"type": "esearch", "version": "0.3"}, "esearchresult": {"ERROR": message}})


def error_xml(root: str, message: str) -> bytes:
    """NCBI's answer to a request it refuses: the utility's result element (eSearchResult...) holding an ERROR."""
    return f"{_XML}<{root}><ERROR>{escape(message)}</ERROR></{root}>\n".encode()


def espell_xml(query: str, corrected: str) -> bytes:
    replaced = f"<Replaced>{escape(corrected)}</Replaced>" if corrected != query else ""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE eSpellResult PUBLIC "-//NLM//DTD eSpellResult, 23 November 2004//EN" '
        '"https://www.ncbi.nlm.nih.gov/entrez/query/DTD/eSpell.dtd">\n<eSpellResult>\n'
        f"\t<Database>pubmed</Database>\n\t<Query>{escape(query)}</Query>\n"
        f"\t<CorrectedQuery>{escape(corrected if corrected != query else '')}</CorrectedQuery>\n"
        f"\t<SpelledQuery><Original></Original>{replaced}</SpelledQuery>\n\t<ERROR/>\n</eSpellResult>\n"
    ).encode()


def esummary_xml(records: list[Record]) -> bytes:
    parts = [
        f"{_XML}<!DOCTYPE eSummaryResult PUBLIC \"-//NLM//DTD esummary v1 20041029//EN\" "
        "\"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20041029/esummary-v1.dtd\">\n<eSummaryResult>\n"
    ]
    for record in records:
        parts.append(_docsum(record))
    parts.append("</eSummaryResult>\n")
    return "".join(parts).encode()


def _item(name: str, value: str, kind: str = "String") -> str:
    return f'\t<Item Name="{name}" Type="{kind}">{escape(value)}</Item>\n'


def esummary_json(records: list[Record]) -> bytes:
    """ESummary with retmode=json (NCBI's version 0.3): result.uids, then one object per PMID."""
    result: dict[str, object] = {"uids": [r.pmid for r in records]}
    for record in records:
        result[record.pmid] = _summary(record)
    return _json({"header": {"type": "esummary", "version": "0.3"}, "result": result})


def esummary_error_json(message: str) -> bytes:
    return _json({"header": {"type": "esummary", "version": "0.3"}, "error": message})


def _summary(record: Record) -> dict[str, object]:
    journal = record.journal
    ids = [("pubmed", record.pmid), ("doi", record.doi), ("pii", record.pii), ("pmc", record.pmcid)]
    return {
        "uid": record.pmid,
        "pubdate": _pubdate(record),
        "source": journal.iso_abbreviation or journal.title,
        "authors": [{"name": a.display, "authtype": "Author", "clusterid": ""} for a in record.authors],
        "lastauthor": record.authors[-1].display if record.authors else "",
        "title": record.title,
        "volume": journal.volume,
        "issue": journal.issue,
        "pages": journal.pages,
        "lang": list(record.languages),
        "nlmuniqueid": journal.nlm_unique_id,
        "issn": journal.issn_print,
        "essn": journal.issn_electronic,
        "pubtype": [p.name for p in record.publication_types],
        "articleids": [{"idtype": kind, "idtypen": _ID_TYPES[kind], "value": value} for kind, value in ids if value],
        "attributes": ["Has Abstract"] if record.abstract else [],
        "fulljournalname": journal.title,
    }


def _pubdate(record: Record) -> str:
    date = record.pub_date
    return date.medline_date or " ".join(
        p for p in [str(date.year or ""), _MONTHS[date.month - 1] if date.month else "", str(date.day or "")] if p
    )


def _docsum(record: Record) -> str:
    pubdate = _pubdate(record)
    authors = "".join(f'\t\t<Item Name="Author" Type="String">{escape(a.display)}</Item>\n' for a in record.authors)
    pubtypes = "".join(
        f'\t\t<Item Name="PubType" Type="String">{escape(p.name)}</Item>\n' for p in record.publication_types
    )
    ids = f'\t\t<Item Name="pubmed" Type="String">{record.pmid}</Item>\n'
    if record.doi:
        ids += f'\t\t<Item Name="doi" Type="String">{escape(record.doi)}</Item>\n'
    if record.pmcid:
        ids += f'\t\t<Item Name="pmc" Type="String">{escape(record.pmcid)}</Item>\n'
    return (
        f"<DocSum>\n\t<Id>{record.pmid}</Id>\n"
        + _item("PubDate", pubdate, "Date")
        + _item("Source", record.journal.iso_abbreviation or record.journal.title)
        + f'\t<Item Name="AuthorList" Type="List">\n{authors}\t</Item>\n'
        + _item("LastAuthor", record.authors[-1].display if record.authors else "")
        + _item("Title", record.title)
        + _item("Volume", record.journal.volume)
        + _item("Issue", record.journal.issue)
        + _item("Pages", record.journal.pages)
        + _item("NlmUniqueID", record.journal.nlm_unique_id)
        + _item("ISSN", record.journal.issn_print)
        + _item("ESSN", record.journal.issn_electronic)
        + f'\t<Item Name="PubTypeList" Type="List">\n{pubtypes}\t</Item>\n'
        + f'\t<Item Name="ArticleIds" Type="List">\n{ids}\t</Item>\n'
        + _item("DOI", record.doi)
        + _item("HasAbstract", "1" if record.abstract else "0", "Integer")
        + "</DocSum>\n"
    )


def einfo_xml(count: int | None, last_update: str) -> bytes:
    if count is None:
        return (f"{_XML}<eInfoResult>\n<DbList>\n\t<DbName>pubmed</DbName>\n</DbList>\n</eInfoResult>\n").encode()
    return (
        f"{_XML}<eInfoResult>\n<DbInfo>\n\t<DbName>pubmed</DbName>\n\t<MenuName>PubMed</MenuName>\n"
        "\t<Description>PubMed bibliographic record (exoreview local service)</Description>\n"
        f"\t<Count>{count}</Count>\n\t<LastUpdate>{escape(last_update)}</LastUpdate>\n</DbInfo>\n</eInfoResult>\n"
    ).encode()


def epost_xml(webenv: str, query_key: str, invalid: list[str], *, error: str = "") -> bytes:
    invalid_list = ""
    if invalid:
        invalid_list = "\t<InvalidIdList>\n" + "".join(f"\t\t<Id>{escape(i)}</Id>\n" for i in invalid)
        invalid_list += "\t</InvalidIdList>\n"
    stored = f"\t<QueryKey>{query_key}</QueryKey>\n\t<WebEnv>{escape(webenv)}</WebEnv>\n" if webenv else ""
    problem = f"\t<ERROR>{escape(error)}</ERROR>\n" if error else ""
    return (
        f"{_XML}<!DOCTYPE ePostResult PUBLIC \"-//NLM//DTD epost 20090526//EN\" "
        "\"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20090526/epost.dtd\">\n"
        f"<ePostResult>\n{invalid_list}{stored}{problem}</ePostResult>\n"
    ).encode()
