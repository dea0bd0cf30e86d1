"""Run one search on a JSON source (Europe PMC, ClinicalTrials.gov, OpenAlex) into the store.

Each page is stored as one fetch batch, atomically, so a re-run after a fault
stores no doubles; an unfinished search of the same query is resumed (paged
again from the start, pages already stored are skipped). The search log row
holds the query as sent, the protocol query it was translated from and the
translation notes (in `filters`), the count the source reported, and the IDs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from exoreview.records import Record
from exoreview.sources.ctgov import ClinicalTrialsClient
from exoreview.sources.europepmc import EuropePmcClient
from exoreview.sources.openalex_api import OpenAlexClient
from exoreview.sources.pubmed_search import RetrievalResult
from exoreview.store import Store

JsonClient = EuropePmcClient | OpenAlexClient | ClinicalTrialsClient
CLIENTS: dict[str, type[JsonClient]] = {"europepmc": EuropePmcClient, "openalex": OpenAlexClient,
                                         "ctgov": ClinicalTrialsClient}


@dataclass(slots=True)
class SearchRequest:
    protocol_query: str = ""
    native_query: str = ""
    condition: str = ""
    intervention: str = ""
    page_size: int = 0  # 0: the source's largest page
    max_records: int = 0  # 0: no limit


def record_id_of(record: Record) -> str:
    """The identifier a source gives a record, for the search log's ID list."""
    extra = record.extra
    return (extra.get("nct_id") or record.openalex_id or extra.get("europepmc_id") or record.pmid or record.doi
            or record.title[:80])


def retrieve_source(store: Store, client: JsonClient, request: SearchRequest, *, run_id: int,
                    filters: dict | None = None, progress: Callable[[int, int], None] | None = None) -> RetrievalResult:
    source = client.source
    translation = client.translate(request.protocol_query, native_query=request.native_query,
                                   condition=request.condition, intervention=request.intervention)
    logged = {**(filters or {}), "protocol_query": request.protocol_query, "params": translation.params,
              "translation_notes": translation.notes}
    if request.condition or request.intervention:
        logged.update(condition=request.condition, intervention=request.intervention)
    # As sent: the query string, or every query parameter when the query travels in several (OpenAlex, CT.gov).
    sent = "&".join(f"{k}={v}" for k, v in translation.params.items()) if translation.params else translation.query
    resumable = store.unfinished_search(source, sent)
    if resumable:
        search_id, resumed = int(resumable["id"]), True
        store.log(run_id, f"{source}: resuming search {search_id}")
    else:
        search_id, resumed = store.add_search(run_id, source, sent, filters=logged, base_url=client.base_url), False
    store.log(run_id, f"{source}: protocol query: {request.protocol_query or '-'}")
    store.log(run_id, f"{source}: query as sent: {sent}" + (f" (notes: {'; '.join(translation.notes)})"
                                                            if translation.notes else ""))
    done = store.completed_batches(search_id)
    ids: list[str] = []
    skipped: list[str] = []
    count = 0
    new_batches = 0
    size = request.page_size or 10**6
    for page in client.pages(translation, page_size=size):
        count = page.count or count
        records = page.records
        if request.max_records:
            records = records[: max(0, request.max_records - len(ids))]
        page_ids = [record_id_of(r) for r in records]
        ids += page_ids
        if page.index not in done:
            store.store_batch(search_id, page.index, page_ids[0] if page_ids else "", len(page_ids), records,
                              source=source, run_id=run_id, errors=page.errors)
            new_batches += 1
            for message in page.errors:
                store.log(run_id, f"{source}: skipped {message}", level="warning")
        skipped += page.errors
        if progress:
            progress(len(ids), count)
        if request.max_records and len(ids) >= request.max_records:
            break
    retrieved = len(store.search_hit_ids(search_id))
    store.update_search(search_id, count=count, ids=ids, retrieved=retrieved, status="ok")
    store.log(run_id, f"{source}: search {search_id}: {count} records match; {retrieved} stored")
    return RetrievalResult(search_id, count, retrieved, new_batches, resumed, skipped)


def retrieved_ids(store: Store, search_id: int) -> list[str]:
    row = store.search(search_id)
    return json.loads(row["ids"]) if row else []
