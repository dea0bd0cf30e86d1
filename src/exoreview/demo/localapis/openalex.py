"""A local OpenAlex API: `/works` (search, filter, cursor or page paging) and `/works/{id}`.

Works are served as given (e.g. the real OpenAlex works of a SYNERGY
dataset). `search` is boolean over title and abstract (rebuilt from the
inverted index), without OpenAlex's stemming; errors answer OpenAlex's
`{"error": ..., "message": ...}` JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from exoreview.demo.localapis.base import Answer, decode_cursor, encode_cursor, int_param, json_answer
from exoreview.demo.localapis.textquery import Match, QueryError, evaluate, normalize, parse_query, text_matches
from exoreview.eutils.faults import FaultPlan
from exoreview.formats.openalex import rebuild_abstract, short_openalex_id, strip_id_url

MAX_PER_PAGE = 200
PAGING_LIMIT = 10_000  # basic (page=) paging reaches only this many results
KNOWN_PARAMS = {"search", "filter", "per-page", "per_page", "cursor", "page", "mailto", "sort", "select", "api_key"}
FILTERS = {"from_publication_date", "to_publication_date", "publication_year", "open_access.is_oa", "is_oa",
           "language", "openalex", "ids.openalex", "doi", "type", "title_and_abstract.search"}
INVALID = "Invalid query parameters error."


def _error(status: int, message: str, error: str = INVALID) -> Answer:
    return json_answer({"error": error, "message": message}, status)


class OpenAlexService:
    name = "openalex"

    def __init__(self, works: Iterable[dict[str, Any]], *, faults: FaultPlan | None = None) -> None:
        self.works = [w for w in works if isinstance(w, dict) and w.get("id")]
        self.by_id = {short_openalex_id(w["id"]): w for w in self.works}
        self.text = [normalize(f"{w.get('title') or w.get('display_name') or ''} | "
                               f"{rebuild_abstract(w.get('abstract_inverted_index'))}") for w in self.works]
        self.faults = faults or FaultPlan()
        self.requests: list[tuple[str, dict[str, str]]] = []

    def endpoint(self, path: str) -> str:
        return "work" if path.rstrip("/").count("/") >= 2 else "works"

    def fault_body(self, status: int) -> Answer:
        if status == 429:
            return _error(429, "You have exceeded the rate limit; slow down.", "Rate limit exceeded")
        return _error(status, "Temporary issue; retry with backoff.", "Server error")

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        parts = [p for p in path.split("/") if p]
        if parts[:1] != ["works"] or len(parts) > 2:
            return _error(404, f"The path {path} does not exist.", "404 Not Found")
        if len(parts) == 2:
            work = self.by_id.get(short_openalex_id(parts[1]).upper())
            if work is None:
                return _error(404, f"Work {parts[1]} not found.", "404 Not Found")
            return json_answer(work)
        return self.list_works(params)

    def list_works(self, params: dict[str, str]) -> Answer:
        unknown = sorted(set(params) - KNOWN_PARAMS)
        if unknown:
            return _error(400, f"{unknown[0]} is not a valid parameter.")
        per_page = int_param(params.get("per-page", params.get("per_page")), 25)
        if not 1 <= per_page <= MAX_PER_PAGE:
            return _error(400, f"per-page parameter must be between 1 and {MAX_PER_PAGE}")
        if "cursor" in params and "page" in params:
            return _error(400, "Cannot use page parameter with cursor pagination.")
        try:
            chosen = self._select(params)
        except QueryError as exc:
            return _error(400, str(exc))
        key = f"{params.get('search', '')}|{params.get('filter', '')}"
        meta: dict[str, Any] = {"count": len(chosen), "db_response_time_ms": 1, "per_page": per_page,
                                "groups_count": None}
        if "cursor" in params:
            cursor = params["cursor"]
            offset = 0 if cursor == "*" else decode_cursor(cursor, key)
            if offset is None:
                return _error(400, f"Invalid cursor: {cursor}")
            page = chosen[offset:offset + per_page]
            # Like OpenAlex: every non-empty page carries a cursor; the empty page after the last has null.
            meta.update(page=None, next_cursor=encode_cursor(offset + len(page), key) if page else None)
        else:
            number = int_param(params.get("page"), 1)
            if number < 1 or number * per_page > PAGING_LIMIT:
                return _error(400, f"Maximum results size of {PAGING_LIMIT:,} records is exceeded. "
                                   "Cursor pagination is required for records beyond 10,000.")
            page = chosen[(number - 1) * per_page:number * per_page]
            meta.update(page=number)
        return json_answer({"meta": meta, "results": page, "group_by": []})

    def _select(self, params: dict[str, str]) -> list[dict[str, Any]]:
        indices = range(len(self.works))
        search = params.get("search", "").strip()
        if search:
            tree = parse_query(search)
            indices = [i for i in indices if evaluate(tree, {"": self.text[i]}, _match_text)]
        for clause in [c for c in params.get("filter", "").split(",") if c.strip()]:
            name, sep, value = clause.partition(":")
            if not sep or name not in FILTERS:
                raise QueryError(f"{name} is not a valid field. Valid fields are: {', '.join(sorted(FILTERS))}")
            indices = [i for i in indices if self._passes(i, name, value)]
        return [self.works[i] for i in indices]

    def _passes(self, index: int, name: str, value: str) -> bool:
        negate = value.startswith("!")
        wanted = value.lstrip("!").split("|")
        work = self.works[index]
        if name == "title_and_abstract.search":
            result = evaluate(parse_query(value), {"": self.text[index]}, _match_text)
        elif name == "from_publication_date":
            result = (work.get("publication_date") or "") >= value
        elif name == "to_publication_date":
            result = "" < (work.get("publication_date") or "") <= value
        else:
            actual = _filter_value(work, name)
            result = actual in {w.lower() for w in wanted}
        return result != negate


def _filter_value(work: dict[str, Any], name: str) -> str:
    if name == "publication_year":
        return str(work.get("publication_year") or "")
    if name in ("open_access.is_oa", "is_oa"):
        return str(bool((work.get("open_access") or {}).get("is_oa"))).lower()
    if name == "language":
        return (work.get("language") or "").lower()
    if name in ("openalex", "ids.openalex"):
        return short_openalex_id(work.get("id")).lower()
    if name == "doi":
        return strip_id_url(work.get("doi")).lower()
    return str(work.get(name) or "").lower()


def _match_text(term: Match, doc: dict[str, str]) -> bool:
    if term.field:
        raise QueryError(f"Field searches such as {term.field}: are not supported in search; use filter")
    return text_matches(term.value, doc[""])

