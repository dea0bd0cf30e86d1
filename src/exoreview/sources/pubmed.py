"""PubMed through NCBI E-utilities: ESearch, EPost, EFetch, ESpell.

The client only knows a base URL: NCBI's by default, exoreview's local
service in the demo and the tests. Same code path either way. With an
archive, every answer is kept raw on disk and a repeated request is answered
from there (see sources/archive.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
from lxml import etree

from exoreview import __version__
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed.reader import iter_pubmed_xml
from exoreview.records import Record
from exoreview.sources.archive import ArchivedAnswer, ResponseArchive, request_key
from exoreview.sources.errors import SourceMalformedResponse, SourceQueryError
from exoreview.sources.http import (
    RateLimiter,
    Reply,
    RetryPolicy,
    SourceHttp,
    may_identify,
    reply_from_archive,
    shared_limiter,
)

NCBI_EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
NCBI_HOSTS = ("ncbi.nlm.nih.gov",)  # where an NCBI API key and the caller's email may be sent
SOURCE = "pubmed"
ESEARCH_MAX_IDS = 10_000  # ESearch will not page past this many IDs for one query
EFETCH_MAX_BATCH = 500  # the most PMIDs exoreview asks EFetch for at once
HISTORY_OVER = 200  # NCBI: past about 200 UIDs, post them (EPost) instead of listing them in the request
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)


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
    answered_at: str = ""  # when the archive's copy was answered; empty for a live answer


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


def parse_epost(content: bytes) -> tuple[str, str]:
    """(WebEnv, query_key) of an ePostResult; an <ERROR> answer becomes a SourceQueryError."""
    try:
        root = etree.fromstring(content, parser=_SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise SourceMalformedResponse(SOURCE, f"EPost answer is not XML: {exc}") from exc
    webenv, query_key = root.findtext("WebEnv") or "", root.findtext("QueryKey") or ""
    if not webenv or not query_key:
        raise SourceQueryError(SOURCE, f"EPost kept no IDs: {root.findtext('ERROR') or 'no WebEnv in the answer'}")
    return webenv, query_key


def parse_espell(content: bytes) -> str:
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise SourceMalformedResponse(SOURCE, f"ESpell answer is not XML: {exc}") from exc
    return root.findtext("CorrectedQuery") or ""


class PubMedClient:
    """A polite E-utilities client: identifies itself, keeps NCBI's rate, retries faults, archives answers.

    `replay_searches=False` sends every ESearch to PubMed even when the archive holds an answer (an
    update must see what is new); fetched records are still replayed from the archive.
    """

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
        archive: ResponseArchive | None = None,
        replay_searches: bool = True,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        http = http or httpx.Client(timeout=timeout, headers={"User-Agent": f"exoreview/{__version__}"})
        self.identity = {"tool": tool}
        # The email and API key go to NCBI (or this machine) only: a mirror elsewhere never sees them.
        if email and may_identify(self.base_url, NCBI_HOSTS):
            self.identity["email"] = email
        if api_key and may_identify(self.base_url, NCBI_HOSTS):
            self.identity["api_key"] = api_key
        # NCBI allows 3 requests/s, 10/s with an API key; one limiter per process and service.
        limiter = shared_limiter(self.base_url, rate or (10.0 if api_key else 3.0))
        self.transport = SourceHttp(SOURCE, http=http, limiter=limiter, policy=policy or RetryPolicy(),
                                    archive=archive, on_retry=on_retry)
        self.replay_searches = replay_searches

    # Attributes older callers and tests use.
    @property
    def http(self) -> httpx.Client:
        return self.transport.http

    @property
    def limiter(self) -> RateLimiter:
        return self.transport.limiter

    @property
    def policy(self) -> RetryPolicy:
        return self.transport.policy

    @property
    def on_retry(self) -> Callable[[str], None] | None:
        return self.transport.on_retry

    @property
    def archive(self) -> ResponseArchive | None:
        return self.transport.archive

    @archive.setter
    def archive(self, archive: ResponseArchive | None) -> None:
        self.transport.archive = archive

    @property
    def requests_sent(self) -> int:
        return self.transport.requests_sent

    def close(self) -> None:
        self.transport.http.close()

    def _call(self, utility: str, params: dict[str, str], *, post: bool = False, replay: bool = True,
              keep: bool = True, key_params: dict[str, str] | None = None, note: str = "") -> Reply:
        sent = {"db": "pubmed", **params, **self.identity}
        keyed = {"db": "pubmed", **key_params} if key_params is not None else None
        return self.transport.request("POST" if post else "GET", self.base_url + utility, sent, replay=replay,
                                      keep=keep, key_params=keyed, note=note)

    def eutil(self, utility: str, params: dict[str, str], *, post: bool = False, replay: bool = True) -> Reply:
        """Any E-utility with these parameters (db defaults to pubmed; pass db="mesh" for MeSH)."""
        return self._call(utility, params, post=post, replay=replay)

    def esearch(self, term: str, *, retstart: int = 0, retmax: int = 0, usehistory: bool = False,
                mindate: str = "", maxdate: str = "") -> ESearchResult:
        params = {"term": term, "retstart": str(retstart), "retmax": str(retmax)}
        if usehistory:
            params["usehistory"] = "y"
        if mindate or maxdate:
            params.update(datetype="pdat", mindate=mindate or "1000", maxdate=maxdate or "3000")
        # A history answer (WebEnv) is only good for one session: never replay or keep it.
        replay = self.replay_searches and not usehistory
        for attempt in range(3):
            reply = self._call("esearch.fcgi", params, post=len(term) > 1500, replay=replay and attempt == 0,
                               keep=not usehistory)
            try:
                result = parse_esearch(reply.content)
            except SourceMalformedResponse:
                self.transport.forget(reply)
                if attempt == 2:
                    raise
                continue
            result.answered_at = reply.answered_at
            return result
        raise AssertionError("unreachable")

    def espell(self, term: str) -> str:
        return parse_espell(self._call("espell.fcgi", {"term": term}).content)

    def epost(self, ids: list[str], *, webenv: str = "") -> tuple[str, str]:
        """Put PMIDs on the history server; returns (WebEnv, query_key) for EFetch. Never archived."""
        params = {"id": ",".join(ids)}
        if webenv:
            params["WebEnv"] = webenv
        return parse_epost(self._call("epost.fcgi", params, post=True, replay=False, keep=False).content)

    def efetch_xml(self, ids: list[str], *, via_history: bool | None = None, replay: bool = True) -> Reply:
        """PubMed XML for these PMIDs: by POST, or through EPost and the history server for long lists.

        Either way the answer is archived under the plain ID list, so a re-run finds it.
        """
        if len(ids) > EFETCH_MAX_BATCH:
            raise ValueError(f"EFetch batches hold at most {EFETCH_MAX_BATCH} PMIDs, not {len(ids)}")
        logical = {"id": ",".join(ids), "retmode": "xml", "rettype": "abstract"}
        if via_history is None:
            via_history = len(ids) > HISTORY_OVER
        if not via_history:
            return self._call("efetch.fcgi", logical, post=True, replay=replay)
        if replay and self.archive is not None:
            keyed = self._call_key("efetch.fcgi", logical)
            archived = self.archive.get(keyed)
            if archived is not None:
                return reply_from_archive(archived)
        webenv, query_key = self.epost(ids)
        params = {"WebEnv": webenv, "query_key": query_key, "retstart": "0", "retmax": str(len(ids)),
                  "retmode": "xml", "rettype": "abstract"}
        return self._call("efetch.fcgi", params, post=True, replay=False, key_params=logical,
                          note=f"fetched through EPost (WebEnv {webenv}, query_key {query_key})")

    def _call_key(self, utility: str, params: dict[str, str]) -> str:
        return request_key("POST", self.base_url + utility, {"db": "pubmed", **params})

    def efetch_medline(self, ids: list[str]) -> str:
        params = {"id": ",".join(ids), "retmode": "text", "rettype": "medline"}
        return self._call("efetch.fcgi", params, post=True).text

    def fetch_batch(self, ids: list[str], *, batch: int | None = None, attempts: int = 3,
                    via_history: bool | None = None) -> tuple[list[Record], list[MalformedRecord]]:
        """Fetch and parse one batch; a cut or invalid answer is forgotten, fetched again, then reported."""
        problem = ""
        for attempt in range(attempts):
            reply = self.efetch_xml(ids, via_history=via_history, replay=attempt == 0)
            errors: list[MalformedRecord] = []
            try:
                records = list(iter_pubmed_xml(reply.content, errors=errors))
            except MalformedRecord as exc:
                problem = str(exc)
                self.transport.forget(reply)
                if self.on_retry:
                    self.on_retry(f"{SOURCE}: batch {batch}: malformed answer ({problem}); fetching again")
                continue
            return records, errors
        raise SourceMalformedResponse(SOURCE, f"EFetch answer stayed malformed after {attempts} tries: {problem}",
                                      batch=batch)


def archived_fetches(archive: ResponseArchive) -> Iterator[ArchivedAnswer]:
    """Archived EFetch answers in PubMed XML, oldest first."""
    for answer in archive:
        if answer.url.endswith("efetch.fcgi") and answer.params.get("retmode", "xml") == "xml":
            yield answer


def raw_record_xml(archive: ResponseArchive, pmid: str) -> tuple[bytes, ArchivedAnswer] | None:
    """The raw <PubmedArticle> (or book article) behind a PMID, as PubMed sent it, from the newest answer."""
    found: tuple[bytes, ArchivedAnswer] | None = None
    for answer in archived_fetches(archive):
        if pmid not in answer.params.get("id", "").split(","):
            continue
        try:
            root = etree.fromstring(answer.body, parser=_SAFE_XML)
        except etree.XMLSyntaxError:
            continue
        for element in root.iterchildren():
            if element.findtext(".//PMID") == pmid:
                found = (etree.tostring(element, encoding="utf-8", with_tail=False), answer)
    return found
