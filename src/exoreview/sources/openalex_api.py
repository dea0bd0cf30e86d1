"""OpenAlex works through its API: boolean search plus filters, cursor paging, fetch by id.

`GET {base}works?search=...&filter=...&per-page=200&cursor=*&mailto=...`
answers `{meta: {count, per_page, next_cursor, ...}, results: [...], group_by: []}`;
paging ends when `next_cursor` is null or `results` is empty. Works become
records through `formats.openalex.work_to_record` (abstract rebuilt from the
inverted index, citation count, referenced works).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from exoreview.formats.openalex import short_openalex_id, work_to_record
from exoreview.records import Record
from exoreview.sources.http import may_identify
from exoreview.sources.jsonapi import JsonSourceClient, require
from exoreview.sources.pages import Page, RawPage, cursor_pages
from exoreview.sources.translate_query import Translation, to_openalex

OPENALEX_API = "https://api.openalex.org/"
OPENALEX_HOSTS = ("openalex.org",)  # where the caller's email (mailto) may be sent
SOURCE = "openalex"
MAX_PER_PAGE = 200  # OpenAlex's ceiling for per-page
FETCH_CHUNK = 50  # ids OR'ed ("|") in one openalex filter


class OpenAlexClient(JsonSourceClient):
    source = SOURCE
    default_base_url = OPENALEX_API
    default_rate = 10.0  # OpenAlex allows 10 requests per second

    def __init__(self, *, email: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # `mailto` puts the client in OpenAlex's polite pool; only OpenAlex (or this machine) gets it.
        self.email = email if may_identify(self.base_url, OPENALEX_HOSTS) else ""

    def translate(self, protocol_query: str, *, native_query: str = "", **_: str) -> Translation:
        if native_query.strip():
            return Translation(SOURCE, native_query.strip(), {"search": native_query.strip()},
                               ["native OpenAlex search, sent as written"])
        return to_openalex(protocol_query)

    def works_page(self, params: dict[str, str], *, cursor: str = "*", per_page: int = MAX_PER_PAGE) -> dict:
        data = self.get_json("works", {**params, "per-page": str(min(per_page, MAX_PER_PAGE)), "cursor": cursor,
                                       "mailto": self.email})
        require(data, "meta", SOURCE, "works answer")
        require(data, "results", SOURCE, "works answer")
        return data

    def pages(self, translation: Translation, *, page_size: int = MAX_PER_PAGE) -> Iterator[Page]:
        def fetch(cursor: str) -> RawPage:
            data = self.works_page(translation.params, cursor=cursor, per_page=page_size)
            return RawPage(data["results"] or [], int(data["meta"].get("count") or 0),
                           data["meta"].get("next_cursor") or "")

        return cursor_pages(fetch, api_work_to_record, first="*")

    def work(self, openalex_id: str) -> Record:
        """One work by its OpenAlex id (W123 or the full URL)."""
        return work_to_record(self.get_json(f"works/{short_openalex_id(openalex_id)}", {"mailto": self.email}))

    def fetch(self, ids: list[str]) -> list[Record]:
        """Works for OpenAlex ids, FETCH_CHUNK per request through the `openalex` filter."""
        found: list[Record] = []
        for start in range(0, len(ids), FETCH_CHUNK):
            chunk = "|".join(short_openalex_id(i) for i in ids[start:start + FETCH_CHUNK])
            for page in self.pages(Translation(SOURCE, "", {"filter": f"openalex:{chunk}"})):
                found += page.records
        return found

    def error_message(self, response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return super().error_message(response)
        if isinstance(body, dict):
            parts = [str(body.get("error") or ""), str(body.get("message") or "")]
            return ": ".join(p for p in parts if p)[:300] or str(body)[:300]
        return str(body)[:300]


def api_work_to_record(work: Any, position: int) -> Record:
    """A work from the API; its OpenAlex id also goes into `extra`, as every API source's own id does."""
    record = work_to_record(work, SOURCE, position)
    record.extra.setdefault("openalex_id", record.openalex_id)
    return record
