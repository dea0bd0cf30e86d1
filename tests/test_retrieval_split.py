"""Over ESearch's 10,000-ID cap: a generated 50,000-record SYNTHETIC corpus behind the local service.

Real HTTP to the real local E-utilities service (cap 10,000, like NCBI's); the retrieved PMID set must
equal the service's own answer to the query: nothing lost, nothing doubled.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from exoreview.eutils.server import EutilsService, RunningService
from exoreview.sources.pubmed import EFETCH_MAX_BATCH, ESEARCH_MAX_IDS
from exoreview.sources.pubmed_search import collect, retrieve_pubmed
from exoreview.store import Store
from tests.eutils_helpers import fast_client, synthetic_dated_records

QUERY = "skin[tiab]"
_DP = re.compile(r"(\d{4}/\d\d/\d\d):(\d{4}/\d\d/\d\d)\[dp\]")


@pytest.fixture(scope="module")
def big_service():
    records = synthetic_dated_records(50_000)
    assert all(r.synthetic for r in records)
    with RunningService(EutilsService(records)) as running:
        yield running


def test_fifty_thousand_are_split_by_date_until_every_slice_fits(big_service: RunningService) -> None:
    truth = big_service.service.index.search(QUERY)
    assert len(truth) == 50_000
    client, _ = fast_client(big_service.base_url)
    found = collect(client, QUERY)

    assert found.count == 50_000
    assert len(found.ids) == len(set(found.ids)) == 50_000  # nothing doubled
    assert set(found.ids) == set(truth)  # nothing lost
    # Every slice listed is under the cap, and the split went deeper than one level.
    assert len(found.slices) >= 6 and all(count < ESEARCH_MAX_IDS for _, count in found.slices)
    assert sum(count for _, count in found.slices) == 50_000  # slices share no record
    spans = [_DP.search(q).groups() for q, _ in found.slices if "AND" in q]
    assert len({end for _, end in spans}) == len(spans)
    # Undated records fall outside every date range; the complement query brings them in.
    undated = [q for q, _ in found.slices if " NOT " in q]
    assert len(undated) == 1 and dict(found.slices)[undated[0]] > 0
    # ESearch was never asked to page past its cap.
    esearches = [p for u, p in big_service.service.requests if u == "esearch.fcgi"]
    assert max(int(p.get("retstart", 0)) + int(p.get("retmax", 0)) for p in esearches) < ESEARCH_MAX_IDS


@pytest.mark.slow
def test_fifty_thousand_records_land_in_the_store_once_each(big_service: RunningService, tmp_path: Path) -> None:
    """The whole retrieval: split search, then EFetch in batches of 500 through EPost and the history server."""
    client, _ = fast_client(big_service.base_url)
    big_service.service.requests.clear()
    with Store.open(tmp_path / "big.sqlite") as store:
        result = retrieve_pubmed(store, client, QUERY, run_id=store.start_run("test"))
        pmids = [r.pmid for _, r in store.iter_records()]
        batches = store.completed_batch_spans(result.search_id)
    assert result.retrieved == len(pmids) == len(set(pmids)) == 50_000
    assert set(pmids) == set(big_service.service.index.search(QUERY))
    assert len(batches) == 100 and all(size <= EFETCH_MAX_BATCH for _, _, size in batches)
    calls = Counter(u for u, _ in big_service.service.requests)
    assert calls["epost.fcgi"] == calls["efetch.fcgi"] == 100
    assert all("WebEnv" in p and "id" not in p for u, p in big_service.service.requests if u == "efetch.fcgi")
