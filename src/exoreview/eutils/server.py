"""A local service that answers the E-utilities exoreview uses, over records it holds.

The PubMed client talks to it exactly as it talks to NCBI; only the base URL
differs. Tests use its fault plan to play rate limits, server errors, slow
and cut answers.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from exoreview.eutils import mesh_db, responses
from exoreview.eutils.faults import Fault, FaultPlan
from exoreview.eutils.index import RecordIndex
from exoreview.eutils.query import QuerySyntaxError
from exoreview.formats.medline import write_medline
from exoreview.formats.pubmed_xml import write_pubmed_xml
from exoreview.loopback import LoopbackServer, QuietHandler, RunningServer
from exoreview.mesh.tree import MeshTree
from exoreview.records import Record

if TYPE_CHECKING:
    from exoreview.eutils.pmc import PmcArticles

ESEARCH_ID_CAP = 10_000  # like NCBI, ESearch lists at most this many IDs of one result


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str = "text/xml; charset=UTF-8"


class EutilsService:
    """The E-utilities logic, independent of HTTP, over an in-memory index of records."""

    def __init__(self, records: Iterable[Record], *, mesh: MeshTree | None = None,
                 faults: FaultPlan | None = None, last_update: str = "", id_cap: int = ESEARCH_ID_CAP) -> None:
        self.records: dict[str, Record] = {}
        for record in records:
            if record.pmid:
                self.records[record.pmid] = record
        self.index = RecordIndex(self.records.values(), mesh=mesh)
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
        if params.get("db") == "mesh" and utility in ("esearch.fcgi", "esummary.fcgi"):
            return self._mesh(utility, params)
        if params.get("db") == "pmc" and utility == "efetch.fcgi" and self.pmc is not None:
            return self.pmc.efetch(params)
        if params.get("db", "pubmed") != "pubmed" and utility != "einfo.fcgi":
            return Answer(400, f"this service holds only db=pubmed, not {params.get('db')!r}\n".encode(),
                          "text/plain")
        return handler(params)

    # -- utilities ------------------------------------------------------------------------------

    def esearch(self, params: dict[str, str]) -> Answer:
        term = params.get("term", "").strip()
        if params.get("WebEnv") and params.get("query_key") and not term:
            ids = self._from_history(params)
            translation = ""
        else:
            try:
                ids = self.index.search(term)
                translation = self.index.translate(term)
                if params.get("mindate") or params.get("maxdate"):  # datetype=pdat, as NCBI's default
                    dated = f"({term}) AND {params.get('mindate') or '1000'}:{params.get('maxdate') or '3000'}[dp]"
                    within = set(self.index.search(dated))
                    ids = [i for i in ids if i in within]
            except QuerySyntaxError as exc:
                return Answer(200, responses.esearch_error_xml(str(exc)))
        retstart = _int(params.get("retstart"), 0)
        retmax = min(_int(params.get("retmax"), 20), self.id_cap)
        if params.get("rettype") == "count":
            retmax = 0
        # Like NCBI: of a result at or over the cap, only the first cap - 1 IDs can be listed.
        listable = ids[: self.id_cap - 1] if len(ids) >= self.id_cap else ids
        if retmax and retstart >= len(listable) > 0 and len(ids) >= self.id_cap:
            return Answer(200, responses.esearch_error_xml(
                f"Search Backend failed: 'retstart' cannot be larger than {self.id_cap - 2}; ESearch lists only "
                f"the first {self.id_cap - 1} records of a result: split the query"))
        webenv = query_key = ""
        if params.get("usehistory", "").lower() == "y":
            webenv, query_key = self._remember(ids, params.get("WebEnv", ""))
        not_found = [term] if not ids and term and " " not in term and "[" not in term else None
        body = responses.esearch_xml(len(ids), listable[retstart:retstart + retmax], retstart, translation,
                                     webenv=webenv, query_key=query_key, not_found=not_found)
        return Answer(200, body)

    def efetch(self, params: dict[str, str]) -> Answer:
        ids = self._requested_ids(params)
        found = [self.records[i] for i in ids if i in self.records]
        if params.get("rettype") == "medline" or params.get("retmode") == "text":
            return Answer(200, write_medline(found).encode(), "text/plain; charset=UTF-8")
        return Answer(200, write_pubmed_xml(found))

    def esummary(self, params: dict[str, str]) -> Answer:
        ids = self._requested_ids(params)
        return Answer(200, responses.esummary_xml([self.records[i] for i in ids if i in self.records]))

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
                                                   retstart=_int(params.get("retstart"), 0),
                                                   retmax=_int(params.get("retmax"), 20)))
        ids = [i.strip() for i in params.get("id", "").split(",") if i.strip()]
        return Answer(200, mesh_db.esummary_xml(self.mesh, ids))

    def einfo(self, params: dict[str, str]) -> Answer:
        if params.get("db"):
            return Answer(200, responses.einfo_xml(len(self.records), self.last_update))
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
        retstart = _int(params.get("retstart"), 0)
        return ids[retstart:retstart + _int(params.get("retmax"), 20)]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


class _Handler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve(parse_qs(urlsplit(self.path).query))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
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
        answer = service.answer(utility, params)
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
