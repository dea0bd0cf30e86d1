"""A local service that answers the E-utilities exoreview uses, over records it holds.

The PubMed client talks to it exactly as it talks to NCBI; only the base URL
differs. Tests use its fault plan to play rate limits, server errors, slow
and cut answers.

Every request is answered: a query or parameter NCBI would refuse gets NCBI's
ERROR document, a bug in the service a 500 with its cause, never a closed
connection. The access log (``serve-eutils``) never shows an ``api_key`` or
``email`` parameter's value.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote_plus, urlsplit

from exoreview.errors import BadInput
from exoreview.eutils import mesh_db, responses
from exoreview.eutils.disk_index import DiskIndex
from exoreview.eutils.faults import Fault, FaultPlan
from exoreview.eutils.index import RecordIndex
from exoreview.eutils.query import BoolOp, DateRange, QuerySyntaxError, parse
from exoreview.formats.medline import write_medline
from exoreview.formats.pubmed.writer import write_pubmed_xml
from exoreview.loopback import LoopbackServer, QuietHandler, RunningServer
from exoreview.mesh.tree import MeshTree
from exoreview.records import Record

if TYPE_CHECKING:
    from exoreview.eutils.pmc import PmcArticles

ESEARCH_ID_CAP = 10_000  # like NCBI, ESearch lists at most this many IDs of one result
JSON_UTILITIES = ("esearch.fcgi", "esummary.fcgi")  # those answering retmode=json (db=pubmed)
XML = "text/xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
SECRET_PARAMS = frozenset({"api_key", "email"})  # never written to the access log


class BadParameter(BadInput, ValueError):
    """A parameter NCBI would refuse (retmax=-5); answered with the utility's ERROR document."""


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str = XML


class EutilsService:
    """The E-utilities logic, independent of HTTP, over records indexed in memory or over an on-disk index.

    Give records (indexed in memory) or index (a DiskIndex, for a mirror larger than memory), not both.
    """

    def __init__(self, records: Iterable[Record] = (), *, index: DiskIndex | None = None,
                 mesh: MeshTree | None = None, faults: FaultPlan | None = None, last_update: str = "",
                 id_cap: int = ESEARCH_ID_CAP) -> None:
        self.records: dict[str, Record] = {}
        for record in records:
            if record.pmid:
                self.records[record.pmid] = record
        if index is not None and self.records:
            raise ValueError("EutilsService: give records or an on-disk index, not both")
        self.index: RecordIndex | DiskIndex = index if index is not None else RecordIndex(self.records.values(),
                                                                                         mesh=mesh)
        self.mesh = mesh
        self.pmc: PmcArticles | None = None  # set to answer efetch db=pmc (eutils/pmc.py)
        self.faults = faults or FaultPlan()
        self.last_update = last_update
        self.id_cap = id_cap
        self._history: dict[str, list[list[str]]] = {}
        self._webenv_numbers = itertools.count(1)
        self._lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, str]]] = []

    def answer(self, utility: str, params: dict[str, str]) -> Answer:
        self.requests.append((utility, params))
        handlers = {
            "esearch.fcgi": self.esearch,
            "efetch.fcgi": self.efetch,
            "esummary.fcgi": self.esummary,
            "espell.fcgi": self.espell,
            "einfo.fcgi": self.einfo,
            "epost.fcgi": self.epost,
        }
        handler = handlers.get(utility)
        if handler is None:
            return Answer(404, f"unknown E-utility {utility!r}\n".encode(), "text/plain")
        if _wants_json(params) and (utility not in JSON_UTILITIES or params.get("db", "pubmed") != "pubmed"):
            return Answer(400, f"retmode=json: this service answers JSON from esearch and esummary (db=pubmed) "
                               f"only; ask {utility} for retmode=xml\n".encode(), "text/plain")
        try:
            for name in ("retstart", "retmax"):
                _count(params, name, 0)
            if params.get("db") == "mesh" and utility in ("esearch.fcgi", "esummary.fcgi"):
                return self._mesh(utility, params)
            if params.get("db") == "pmc" and utility == "efetch.fcgi" and self.pmc is not None:
                return self.pmc.efetch(params)
            if params.get("db", "pubmed") != "pubmed" and utility != "einfo.fcgi":
                return Answer(400, f"this service holds only db=pubmed, not {params.get('db')!r}\n".encode(),
                              "text/plain")
            return handler(params)
        except BadParameter as exc:
            return _refusal(utility, params, str(exc))

    # -- utilities ------------------------------------------------------------------------------

    def esearch(self, params: dict[str, str]) -> Answer:
        term = params.get("term", "").strip()
        retstart = _count(params, "retstart", 0)
        retmax = min(_count(params, "retmax", 20), self.id_cap)
        if params.get("WebEnv") and params.get("query_key") and not term:
            ids = self._from_history(params)
            translation = ""
        else:
            try:
                query = parse(term)
                translation = self.index.translate(query)
                if params.get("mindate") or params.get("maxdate"):  # datetype=pdat, as NCBI's default
                    query = BoolOp("AND", query, _date_span(params), grouped=False)
                ids = self.index.search(query)
            except QuerySyntaxError as exc:
                return _refusal("esearch.fcgi", params, str(exc))
        if params.get("rettype") == "count":
            retmax = 0
        # Like NCBI: of a result at or over the cap, only the first cap - 1 IDs can be listed.
        listable = ids[: self.id_cap - 1] if len(ids) >= self.id_cap else ids
        if retmax and retstart >= len(listable) > 0 and len(ids) >= self.id_cap:
            return _refusal("esearch.fcgi", params,
                            f"Search Backend failed: 'retstart' cannot be larger than {self.id_cap - 2}; ESearch "
                            f"lists only the first {self.id_cap - 1} records of a result: split the query")
        webenv = query_key = ""
        if params.get("usehistory", "").lower() == "y":
            webenv, query_key = self._remember(ids, params.get("WebEnv", ""))
        not_found = [term] if not ids and term and " " not in term and "[" not in term else None
        write = responses.esearch_json if _wants_json(params) else responses.esearch_xml
        body = write(len(ids), listable[retstart:retstart + retmax], retstart, translation, webenv=webenv,
                     query_key=query_key, not_found=not_found)
        return Answer(200, body, JSON if _wants_json(params) else XML)

    def efetch(self, params: dict[str, str]) -> Answer:
        ids = self._requested_ids(params)
        found = self._records(ids)
        if params.get("rettype") == "medline" or params.get("retmode") == "text":
            return Answer(200, write_medline(found).encode(), "text/plain; charset=UTF-8")
        return Answer(200, write_pubmed_xml(found))

    def esummary(self, params: dict[str, str]) -> Answer:
        records = self._records(self._requested_ids(params))
        if _wants_json(params):
            return Answer(200, responses.esummary_json(records), JSON)
        return Answer(200, responses.esummary_xml(records))

    def _records(self, pmids: list[str]) -> list[Record]:
        """The records of the PMIDs held, in the order asked."""
        if isinstance(self.index, RecordIndex):
            return [self.records[i] for i in pmids if i in self.records]
        return [record for i in pmids if (record := self.index.get(i)) is not None]

    def espell(self, params: dict[str, str]) -> Answer:
        term = params.get("term", "")
        return Answer(200, responses.espell_xml(term, self.index.spell(term)))

    def epost(self, params: dict[str, str]) -> Answer:
        """Put IDs on the history server: a new WebEnv, or a new query_key in the one given."""
        ids = [i.strip() for i in params.get("id", "").split(",") if i.strip()]
        valid = [i for i in ids if i.isdigit()]
        invalid = [i for i in ids if not i.isdigit()]
        if not valid:
            return Answer(200, responses.epost_xml("", "", invalid, error="Empty ID list; Nothing to store"))
        webenv, query_key = self._remember(valid, params.get("WebEnv", ""))
        return Answer(200, responses.epost_xml(webenv, query_key, invalid))

    def _mesh(self, utility: str, params: dict[str, str]) -> Answer:
        if self.mesh is None:
            return Answer(400, b"this service holds no MeSH tree (db=mesh)\n", "text/plain")
        if utility == "esearch.fcgi":
            return Answer(200, mesh_db.esearch_xml(self.mesh, params.get("term", ""),
                                                   retstart=_count(params, "retstart", 0),
                                                   retmax=_count(params, "retmax", 20)))
        ids = [i.strip() for i in params.get("id", "").split(",") if i.strip()]
        return Answer(200, mesh_db.esummary_xml(self.mesh, ids))

    def einfo(self, params: dict[str, str]) -> Answer:
        if params.get("db"):
            held = len(self.records) if isinstance(self.index, RecordIndex) else len(self.index)
            return Answer(200, responses.einfo_xml(held, self.last_update))
        return Answer(200, responses.einfo_xml(None, self.last_update))

    # -- history server -------------------------------------------------------------------------

    def _remember(self, ids: list[str], webenv: str) -> tuple[str, str]:
        with self._lock:
            if webenv not in self._history:
                webenv = f"MCID_exoreview{next(self._webenv_numbers):08d}"
                self._history[webenv] = []
            self._history[webenv].append(ids)
            return webenv, str(len(self._history[webenv]))

    def _from_history(self, params: dict[str, str]) -> list[str]:
        sets = self._history.get(params.get("WebEnv", ""), [])
        key = _int(params.get("query_key"), 0)
        return sets[key - 1] if 0 < key <= len(sets) else []

    def _requested_ids(self, params: dict[str, str]) -> list[str]:
        if params.get("id"):
            return [i.strip() for i in params["id"].split(",") if i.strip()]
        ids = self._from_history(params)
        retstart = _count(params, "retstart", 0)
        return ids[retstart:retstart + _count(params, "retmax", 20)]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _count(params: dict[str, str], name: str, default: int) -> int:
    """A paging parameter (retstart, retmax): a whole number, 0 or more; absent or empty gives the default."""
    value = params.get(name)
    if value is None or not value.strip():
        return default
    if not (value.strip().isascii() and value.strip().isdigit()):
        raise BadParameter(f"Invalid {name} {value!r}: give a whole number, 0 or more")
    return int(value)


def _wants_json(params: dict[str, str]) -> bool:
    return params.get("retmode", "").strip().lower() == "json"


def _date_span(params: dict[str, str]) -> DateRange:
    """mindate/maxdate as a publication-date range; read as a [dp] term would be, and refused the same way."""
    low, high = params.get("mindate") or "1000", params.get("maxdate") or "3000"
    span = parse(f"{low}:{high}[dp]") if ":" not in low + high else None
    if not isinstance(span, DateRange):
        raise QuerySyntaxError(0, f"invalid mindate {low!r} or maxdate {high!r}: use YYYY, YYYY/MM or YYYY/MM/DD")
    return span


def _refusal(utility: str, params: dict[str, str], message: str) -> Answer:
    """NCBI's answer to a request it will not run: the utility's document with an ERROR (HTTP 200)."""
    if utility == "esearch.fcgi":
        if _wants_json(params):
            return Answer(200, responses.esearch_error_json(message), JSON)
        return Answer(200, responses.esearch_error_xml(message))
    if utility == "esummary.fcgi":
        if _wants_json(params):
            return Answer(200, responses.esummary_error_json(message), JSON)
        return Answer(200, responses.error_xml("eSummaryResult", message))
    root = {"efetch.fcgi": "eFetchResult", "epost.fcgi": "ePostResult", "espell.fcgi": "eSpellResult",
            "einfo.fcgi": "eInfoResult"}[utility]
    return Answer(200, responses.error_xml(root, message))


_PARAM = re.compile(r"(?P<name>[^\s?&;=\"']+)=(?P<value>[^\s&;\"']*)")


def redact(line: str) -> str:
    """A log line with the value of every api_key and email parameter hidden, however its name is spelled
    (any case, percent-encoded)."""

    def hide(match: re.Match[str]) -> str:
        if unquote_plus(match["name"]).strip().lower() in SECRET_PARAMS:
            return f"{match['name']}=[redacted]"
        return match[0]

    return _PARAM.sub(hide, line)


class _Handler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        super().log_message("%s", redact(format % args))

    def do_GET(self) -> None:
        self._serve(parse_qs(urlsplit(self.path).query))

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length") or "0"
        if not (length.isascii() and length.isdigit()):
            self.close_connection = True  # the body's end is unknown: this connection cannot carry another request
            self.send_answer(400, "text/plain", f"Content-Length {length!r} is not a number of bytes\n".encode())
            return
        form = parse_qs(self.rfile.read(int(length)).decode("utf-8", "replace"))
        form.update(parse_qs(urlsplit(self.path).query))
        self._serve(form)

    def _serve(self, raw: dict[str, list[str]]) -> None:
        params = {k: v[-1] for k, v in raw.items()}
        utility = urlsplit(self.path).path.rstrip("/").rsplit("/", 1)[-1]
        service = self.server.service
        fault = service.faults.take(utility)
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.status:
            self._send_fault(fault)
            return
        try:
            answer = service.answer(utility, params)
        except Exception as exc:  # a bug: answer it, so the client sees a server error rather than a cut connection
            self.log_error("%s", traceback.format_exc())
            answer = Answer(500, f"the local E-utilities service failed on this request: {type(exc).__name__}\n"
                            .encode(), "text/plain")
        self.send_answer(answer.status, answer.content_type, answer.body, fault)

    def _send_fault(self, fault: Fault) -> None:
        message = b"<html><body>simulated fault</body></html>\n"
        if fault.status == 429:
            message = b'{"error":"API rate limit exceeded","api-key":"none","count":"4","limit":"3"}\n'
        self.send_response(fault.status)
        if fault.retry_after is not None:
            self.send_header("Retry-After", f"{fault.retry_after:g}")
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(message)))
        self.end_headers()
        self.wfile.write(message)


class RunningService(RunningServer):
    """The service listening on loopback in a background thread; use as a context manager."""

    def __init__(self, service: EutilsService, host: str = "127.0.0.1", port: int = 0,
                 verbose: bool = False) -> None:
        self.service = service
        super().__init__(LoopbackServer((host, port), _Handler, service, verbose), name="eutils",
                         path="/entrez/eutils/")
