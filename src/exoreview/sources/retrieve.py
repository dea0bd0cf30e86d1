"""Run a PubMed search into the store: IDs first, then EFetch batches that resume after a crash.

The full ID list is saved with the search before any record is fetched, so a
re-run after a kill fetches exactly the batches that are missing: no gaps,
no doubles. Queries over ESearch's 10,000-ID ceiling are split by
publication-date ranges until every slice fits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from exoreview.sources.errors import SourceError
from exoreview.sources.pubmed import ESEARCH_MAX_IDS, SOURCE, PubMedClient
from exoreview.store import Store

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(slots=True)
class RetrievalResult:
    search_id: int
    count: int
    retrieved: int
    new_batches: int
    resumed: bool
    skipped: list[str]  # messages for records that could not be parsed


def collect_ids(client: PubMedClient, query: str, *, first: date = date(1781, 1, 1),
                last: date = date(2100, 12, 31), cap: int = ESEARCH_MAX_IDS) -> tuple[list[str], int, str]:
    """Every PMID the query matches, splitting by date when ESearch would cap the list."""
    overview = client.esearch(query, retmax=0)
    if overview.count < cap:
        ids = _page_ids(client, query, overview.count, cap)
        return ids, overview.count, overview.translation
    seen: dict[str, None] = {}
    for slice_query, expected in _date_slices(client, query, first, last, cap):
        for pmid in _page_ids(client, slice_query, expected, cap):
            seen.setdefault(pmid)
    return list(seen), overview.count, overview.translation


def _page_ids(client: PubMedClient, query: str, count: int, cap: int) -> list[str]:
    ids: list[str] = []
    while len(ids) < count:
        page = client.esearch(query, retstart=len(ids), retmax=min(cap - 1 - len(ids), count - len(ids)))
        if not page.ids:
            break
        ids.extend(page.ids)
    return ids


def _date_slices(client: PubMedClient, query: str, first: date, last: date, cap: int):
    """Yield (query restricted to a date range, its count) with every count under the cap."""
    pending = [(first, last)]
    while pending:
        start, end = pending.pop()
        sliced = f"({query}) AND {start:%Y/%m/%d}:{end:%Y/%m/%d}[dp]"
        count = client.esearch(sliced, retmax=0).count
        if count == 0:
            continue
        if count < cap:
            yield sliced, count
            continue
        if start == end:
            raise SourceError(SOURCE, f"{count} records share the date {start:%Y/%m/%d}; "
                                      "narrow the query so that ESearch can list them")
        middle = start + timedelta(days=(end - start).days // 2)
        pending.extend([(middle + timedelta(days=1), end), (start, middle)])


def retrieve_pubmed(
    store: Store,
    client: PubMedClient,
    query: str,
    *,
    run_id: int,
    filters: dict | None = None,
    batch_size: int = 200,
    max_records: int = 0,
    progress: Progress | None = None,
    cap: int = ESEARCH_MAX_IDS,
) -> RetrievalResult:
    """Search, save the ID list, then fetch and store every missing batch."""
    resumable = store.unfinished_search(SOURCE, query)
    resumed = bool(resumable and json.loads(resumable["ids"]))
    if resumable and resumed:
        search_id = int(resumable["id"])
        ids = json.loads(resumable["ids"])
        count = int(resumable["count"] or len(ids))
        store.log(run_id, f"pubmed: resuming search {search_id} ({len(ids)} IDs saved earlier)")
    else:
        search_id = store.add_search(run_id, SOURCE, query, filters=filters, base_url=client.base_url)
        ids, count, translation = collect_ids(client, query, cap=cap)
        if max_records:
            ids = ids[:max_records]
        store.update_search(search_id, count=count, translation=translation, ids=ids)
        store.log(run_id, f"pubmed: search {search_id}: {count} records match; translation: {translation}")

    batches = [ids[i:i + batch_size] for i in range(0, len(ids), batch_size)]
    done = store.completed_batches(search_id)
    skipped: list[str] = []
    new_batches = 0
    for index, batch in enumerate(batches):
        if index in done:
            continue
        records, errors = client.fetch_batch(batch, batch=index)
        messages = [str(e) for e in errors]
        missing = set(batch) - {r.pmid for r in records}
        messages += [f"PMID {pmid}: requested but not returned" for pmid in sorted(missing)]
        store.store_batch(search_id, index, batch[0], len(batch), records, source=SOURCE, run_id=run_id,
                          errors=messages)
        new_batches += 1
        for message in messages:
            store.log(run_id, f"pubmed: batch {index}: skipped {message}", level="warning")
        skipped += messages
        if progress:
            progress(sum(len(b) for b in batches[: index + 1]), len(ids))

    retrieved = len(store.search_hit_ids(search_id))
    store.update_search(search_id, retrieved=retrieved, status="ok")
    store.log(run_id, f"pubmed: search {search_id}: {retrieved} records stored of {len(ids)} IDs")
    return RetrievalResult(search_id, count, retrieved, new_batches, resumed, skipped)
