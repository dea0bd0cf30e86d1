"""Run a PubMed search into the store: IDs first, then EFetch batches that resume after a crash.

The full ID list is saved with the search before any record is fetched, so a
re-run after a kill fetches exactly the batches that are missing: no gaps,
no doubles. Queries over ESearch's 10,000-ID ceiling are split by
publication-date ranges until every slice fits; records with no
publication date inside the searched span are collected by one more query,
so the union is the whole result. EFetch takes at most 500 PMIDs a batch;
batches over 200 go through EPost and the history server, as NCBI asks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from exoreview.sources.errors import SourceError
from exoreview.sources.pubmed import EFETCH_MAX_BATCH, ESEARCH_MAX_IDS, SOURCE, PubMedClient
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
    requests_sent: int = 0  # requests that reached the network (archive replays do not count)


@dataclass(slots=True)
class IdCollection:
    """Every PMID a query matches, with how ESearch was asked for them."""

    ids: list[str]
    count: int  # the overall count ESearch reported
    translation: str
    answered_at: str = ""  # date of the archived answer when the overview was replayed
    slices: list[tuple[str, int]] = field(default_factory=list)  # (query sent, count) when split by date


def collect_ids(client: PubMedClient, query: str, *, first: date = date(1781, 1, 1),
                last: date = date(2100, 12, 31), cap: int = ESEARCH_MAX_IDS) -> tuple[list[str], int, str]:
    """Every PMID the query matches, splitting by date when ESearch would cap the list."""
    found = collect(client, query, first=first, last=last, cap=cap)
    return found.ids, found.count, found.translation


def collect(client: PubMedClient, query: str, *, first: date = date(1781, 1, 1),
            last: date = date(2100, 12, 31), cap: int = ESEARCH_MAX_IDS) -> IdCollection:
    """Every PMID the query matches, in ESearch's order, each once; split by date over the cap."""
    overview = client.esearch(query, retmax=0)
    found = IdCollection([], overview.count, overview.translation, overview.answered_at)
    if overview.count < cap:
        found.ids = _page_ids(client, query, overview.count, cap)
        return found
    seen: dict[str, None] = {}
    for slice_query, expected in _date_slices(client, query, first, last, cap):
        found.slices.append((slice_query, expected))
        for pmid in _page_ids(client, slice_query, expected, cap):
            seen.setdefault(pmid)
    # Records dated outside the span (or not at all) fall between the slices: ask for them once more.
    outside = f"({query}) NOT {first:%Y/%m/%d}:{last:%Y/%m/%d}[dp]"
    rest = client.esearch(outside, retmax=0).count
    if rest:
        if rest >= cap:
            raise SourceError(SOURCE, f"{rest} records of {query!r} have no publication date in "
                                      f"{first:%Y}-{last:%Y}; narrow the query so that ESearch can list them")
        found.slices.append((outside, rest))
        for pmid in _page_ids(client, outside, rest, cap):
            seen.setdefault(pmid)
    found.ids = list(seen)
    return found


def _page_ids(client: PubMedClient, query: str, count: int, cap: int) -> list[str]:
    ids: list[str] = []
    while len(ids) < count:
        page = client.esearch(query, retstart=len(ids), retmax=min(cap - 1 - len(ids), count - len(ids)))
        if not page.ids:
            break
        ids.extend(page.ids)
    return ids


def _date_slices(client: PubMedClient, query: str, first: date, last: date, cap: int):
    """Yield (query restricted to a date range, its count) with every count under the cap.

    Ranges are halved recursively (depth first, oldest first) until each is under the cap; the halves
    share no day, so no record falls in two slices.
    """
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


def _pending_batches(ids: list[str], done: list[tuple[int, str, int]], batch_size: int) -> list[list[str]]:
    """IDs not covered by completed batches, cut into new batches.

    A completed batch is known by its first PMID and size, so a resume with another batch size still
    skips exactly what was stored.
    """
    covered = [False] * len(ids)
    position = {pmid: i for i, pmid in enumerate(ids)}
    for _, first_id, size in done:
        start = position.get(first_id)
        if start is not None:
            covered[start:start + size] = [True] * len(covered[start:start + size])
    missing = [pmid for pmid, is_done in zip(ids, covered, strict=True) if not is_done]
    return [missing[i:i + batch_size] for i in range(0, len(missing), batch_size)]


def retrieve_pubmed(
    store: Store,
    client: PubMedClient,
    query: str,
    *,
    run_id: int,
    filters: dict | None = None,
    batch_size: int = EFETCH_MAX_BATCH,
    max_records: int = 0,
    progress: Progress | None = None,
    cap: int = ESEARCH_MAX_IDS,
    via_history: bool | None = None,
) -> RetrievalResult:
    """Search, save the ID list, then fetch and store every missing batch.

    `via_history` forces (True) or forbids (False) EPost for the batches; by default batches over
    200 PMIDs go through EPost.
    """
    if not 0 < batch_size <= EFETCH_MAX_BATCH:
        raise ValueError(f"batch_size must be 1-{EFETCH_MAX_BATCH}, not {batch_size}")
    sent_before = client.requests_sent
    resumable = store.unfinished_search(SOURCE, query)
    resumed = bool(resumable and json.loads(resumable["ids"]))
    if resumable and resumed:
        search_id = int(resumable["id"])
        ids = json.loads(resumable["ids"])
        count = int(resumable["count"] or len(ids))
        store.log(run_id, f"pubmed: resuming search {search_id} ({len(ids)} IDs saved earlier)")
    else:
        if resumable:  # killed before its ID list was saved: nothing to resume, say so
            store.update_search(int(resumable["id"]), status="abandoned")
        search_id = store.add_search(run_id, SOURCE, query, filters=filters, base_url=client.base_url)
        found = collect(client, query, cap=cap)
        ids = found.ids[:max_records] if max_records else found.ids
        count = found.count
        for slice_query, slice_count in found.slices:
            store.log(run_id, f"pubmed: search {search_id}: date slice {slice_query} -> {slice_count}")
        fields: dict[str, object] = {"count": count, "translation": found.translation, "ids": ids}
        if found.answered_at:  # replayed from the archive: the search was done when PubMed answered
            fields["executed_at"] = found.answered_at
            store.log(run_id, f"pubmed: search {search_id}: answer replayed from the raw archive "
                              f"(PubMed answered {found.answered_at})")
        store.update_search(search_id, **fields)
        store.log(run_id, f"pubmed: search {search_id}: {count} records match; translation: {found.translation}")

    done = store.completed_batch_spans(search_id)
    batches = _pending_batches(ids, done, batch_size)
    next_index = max((index for index, _, _ in done), default=-1) + 1
    stored_ids = len(ids) - sum(len(b) for b in batches)
    skipped: list[str] = []
    for offset, batch in enumerate(batches):
        index = next_index + offset
        records, errors = client.fetch_batch(batch, batch=index, via_history=via_history)
        messages = [str(e) for e in errors]
        missing = set(batch) - {r.pmid for r in records}
        messages += [f"PMID {pmid}: requested but not returned" for pmid in sorted(missing)]
        store.store_batch(search_id, index, batch[0], len(batch), records, source=SOURCE, run_id=run_id,
                          errors=messages)
        for message in messages:
            store.log(run_id, f"pubmed: batch {index}: skipped {message}", level="warning")
        skipped += messages
        stored_ids += len(batch)
        if progress:
            progress(stored_ids, len(ids))

    retrieved = len(store.search_hit_ids(search_id))
    store.update_search(search_id, retrieved=retrieved, status="ok")
    sent = client.requests_sent - sent_before
    store.log(run_id, f"pubmed: search {search_id}: {retrieved} records stored of {len(ids)} IDs "
                      f"({sent} requests sent, the rest answered from the archive)")
    return RetrievalResult(search_id, count, retrieved, len(batches), resumed, skipped, sent)
