"""PubMed through NCBI E-utilities: ESearch, EFetch, ESummary, ESpell.

The client only knows a base URL: NCBI's by default, exoreview's local
service in the demo and the tests. Same code path either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from lxml import etree

from exoreview import __version__
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed_xml import iter_pubmed_xml
from exoreview.records import Record
from exoreview.sources.errors import SourceMalformedResponse, SourceQueryError
from exoreview.sources.http import RetryPolicy, request_with_retries, shared_limiter

NCBI_EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
SOURCE = "pubmed"
ESEARCH_MAX_IDS = 10_000  # ESearch will not page past this many IDs for one query


@dataclass(slots=True)
class ESearchResult:
    count: int
    ids: list[str]
    retstart: int = 0
    retmax: int = 0
    webenv: str = ""
    query_key: str = ""
    translation: str = ""
    phrases_not_found: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_esearch(content: bytes) -> ESearchResult:
    """Read an eSearchResult document; an <ERROR> answer becomes a SourceUnavailable."""
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise SourceMalformedResponse(SOURCE, f"ESearch answer is not XML: {exc}") from exc
    error = root.findtext("ERROR")
    if error and root.find("Count") is None:
        raise SourceQueryError(SOURCE, f"ESearch refused the query: {error}")
    return ESearchResult(
        count=int(root.findtext("Count") or 0),
        ids=[e.text or "" for e in root.iterfind("IdList/Id")],
        retstart=int(root.findtext("RetStart") or 0),
        retmax=int(root.findtext("RetMax") or 0),
        webenv=root.findtext("WebEnv") or "",
        query_key=root.findtext("QueryKey") or "",
        translation=root.findtext("QueryTranslation") or "",
        phrases_not_found=[e.text or "" for e in root.iterfind("ErrorList/PhraseNotFound")],
        warnings=[e.text or "" for e in root.iterfind("WarningList/*")],
    )


def parse_espell(content: bytes) -> str:
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise SourceMalformedResponse(SOURCE, f"ESpell answer is not XML: {exc}") from exc
    return root.findtext("CorrectedQuery") or ""


class PubMedClient:
    """A polite E-utilities client: identifies itself, keeps NCBI's rate, retries faults."""

    def __init__(
        self,
        *,
        base_url: str = NCBI_EUTILS,
        http: httpx.Client | None = None,
        tool: str = "exoreview",
        email: str = "",
        api_key: str = "",
        rate: float | None = None,
        policy: RetryPolicy | None = None,
        on_retry: Callable[[str], None] | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.http = http or httpx.Client(timeout=timeout, headers={"User-Agent": f"exoreview/{__version__}"})
        self.identity = {"tool": tool}
        if email:
            self.identity["email"] = email
        if api_key:
            self.identity["api_key"] = api_key
        # NCBI allows 3 requests/s, 10/s with an API key; one limiter per process and service.
        self.limiter = shared_limiter(self.base_url, rate or (10.0 if api_key else 3.0))
        self.policy = policy or RetryPolicy()
        self.on_retry = on_retry

    def close(self) -> None:
        self.http.close()

    def _call(self, utility: str, params: dict[str, str], *, post: bool = False) -> httpx.Response:
        data = {"db": "pubmed", **params, **self.identity}
        url = self.base_url + utility
        kwargs: dict[str, object] = {"data": data} if post else {"params": data}
        return request_with_retries(self.http, "POST" if post else "GET", url, source=SOURCE,
                                    limiter=self.limiter, policy=self.policy, on_retry=self.on_retry, **kwargs)

    def esearch(self, term: str, *, retstart: int = 0, retmax: int = 0, usehistory: bool = False,
                mindate: str = "", maxdate: str = "") -> ESearchResult:
        params = {"term": term, "retstart": str(retstart), "retmax": str(retmax)}
        if usehistory:
            params["usehistory"] = "y"
        if mindate or maxdate:
            params.update(datetype="pdat", mindate=mindate or "1000", maxdate=maxdate or "3000")
        return parse_esearch(self._call("esearch.fcgi", params, post=len(term) > 1500).content)

    def espell(self, term: str) -> str:
        return parse_espell(self._call("espell.fcgi", {"term": term}).content)

    def efetch_xml(self, ids: list[str]) -> bytes:
        """PubMed XML for these PMIDs (POST, so long ID lists fit)."""
        params = {"id": ",".join(ids), "retmode": "xml", "rettype": "abstract"}
        return self._call("efetch.fcgi", params, post=True).content

    def efetch_medline(self, ids: list[str]) -> str:
        params = {"id": ",".join(ids), "retmode": "text", "rettype": "medline"}
        return self._call("efetch.fcgi", params, post=True).text

    def fetch_batch(self, ids: list[str], *, batch: int | None = None,
                    attempts: int = 3) -> tuple[list[Record], list[MalformedRecord]]:
        """Fetch and parse one batch; a cut or invalid answer is fetched again, then reported."""
        problem = ""
        for _ in range(attempts):
            content = self.efetch_xml(ids)
            errors: list[MalformedRecord] = []
            try:
                records = list(iter_pubmed_xml(content, errors=errors))
            except MalformedRecord as exc:
                problem = str(exc)
                if self.on_retry:
                    self.on_retry(f"{SOURCE}: batch {batch}: malformed answer ({problem}); fetching again")
                continue
            return records, errors
        raise SourceMalformedResponse(SOURCE, f"EFetch answer stayed malformed after {attempts} tries: {problem}",
                                      batch=batch)
