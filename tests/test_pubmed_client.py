"""The PubMed client over real HTTP against the local E-utilities service, serving real MEDLINE records.

Faults (429 with Retry-After, 5xx, slow, cut and dropped answers) are injected by the service; the client
code under test is the real one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exoreview.eutils.faults import Fault
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.mesh.tree import MeshTree
from exoreview.sources.errors import SourceMalformedResponse, SourceQueryError, SourceRateLimited, SourceUnavailable
from exoreview.sources.pubmed import parse_esearch, parse_espell
from exoreview.sources.pubmed_search import collect_ids, retrieve_pubmed
from exoreview.store import Store
from tests.eutils_helpers import fast_client, reset


@pytest.fixture(scope="module")
def real_records(request: pytest.FixtureRequest) -> list:
    from tests.conftest import shared_path

    return list(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))


@pytest.fixture(scope="module")
def service(real_records: list):
    from tests.conftest import shared_path

    tree = MeshTree.from_tsv(shared_path("data", "mesh", "2017MeshTree.tsv"))
    running = RunningService(EutilsService(real_records, mesh=tree)).start()
    yield running
    running.stop()


@pytest.fixture
def faults(service: RunningService):
    plan = service.service.faults
    reset(plan)
    yield plan
    reset(plan)


def test_parse_real_esearch_answers(shared) -> None:
    first = parse_esearch(shared("fixtures", "entrez", "esearch1.xml").read_bytes())
    assert (first.count, len(first.ids), first.ids[0]) == (63, 20, "41282813")
    assert first.translation == '"biopython"[All Fields]'
    history = parse_esearch(shared("fixtures", "entrez", "esearch2.xml").read_bytes())
    assert history.count == 42249 and history.query_key == "1" and history.webenv.startswith("MCID_")
    empty = parse_esearch(shared("fixtures", "entrez", "esearch8.xml").read_bytes())
    assert empty.count == 0 and empty.phrases_not_found == ["abcXYZ"] and empty.warnings == ["No items found."]
    assert parse_espell(shared("fixtures", "entrez", "espell.xml").read_bytes()) == "biopython"


def test_esearch_and_efetch_round_trip(service: RunningService, real_records: list, faults) -> None:
    client, _ = fast_client(service.base_url)
    result = client.esearch("humans[mh]", retmax=5, usehistory=True)
    expected = service.service.index.search("humans[mh]")
    assert result.count == len(expected) > 30
    assert result.ids == expected[:5] and result.webenv and result.query_key == "1"
    assert result.translation
    by_pmid = {r.pmid: r for r in real_records}
    records, errors = client.fetch_batch(result.ids)
    assert errors == [] and [r.pmid for r in records] == result.ids
    assert all(r == by_pmid[r.pmid] for r in records)


def test_bad_query_is_a_query_error(service: RunningService, faults) -> None:
    client, _ = fast_client(service.base_url)
    with pytest.raises(SourceQueryError, match="refused the query"):
        client.esearch("(skin AND")


def test_429_honors_retry_after(service: RunningService, faults) -> None:
    faults.add(Fault("esearch.fcgi", status=429, retry_after=1.5, times=2))
    client, sleeps = fast_client(service.base_url)
    assert client.esearch("skin[tiab]").count > 0
    assert sleeps.waits == [1.5, 1.5]


def test_429_every_time_raises_rate_limited(service: RunningService, faults) -> None:
    faults.add(Fault("esearch.fcgi", status=429, times=10))
    client, sleeps = fast_client(service.base_url, attempts=3)
    with pytest.raises(SourceRateLimited):
        client.esearch("skin[tiab]")
    assert len(sleeps.waits) == 2


def test_5xx_and_dropped_connections_are_retried_with_backoff(service: RunningService, faults) -> None:
    faults.add(Fault("efetch.fcgi", status=500))
    faults.add(Fault("efetch.fcgi", drop=True))
    faults.add(Fault("efetch.fcgi", status=503))
    client, sleeps = fast_client(service.base_url, attempts=5)
    records, _ = client.fetch_batch(service.service.index.search("humans[mh]")[:3])
    assert len(records) == 3 and len(sleeps.waits) == 3
    assert all(0 <= wait <= 0.01 * 2**i for i, wait in enumerate(sleeps.waits))


def test_slow_answer_times_out_and_is_retried(service: RunningService, faults) -> None:
    faults.add(Fault("esearch.fcgi", delay=1.0))
    client, sleeps = fast_client(service.base_url, timeout=0.3)
    assert client.esearch("skin[tiab]").count > 0
    assert len(sleeps.waits) == 1


def test_cut_xml_is_fetched_again_then_reported_with_its_batch(service: RunningService, faults) -> None:
    ids = service.service.index.search("humans[mh]")[:4]
    client, _ = fast_client(service.base_url)
    faults.add(Fault("efetch.fcgi", cut=0.5))
    records, _ = client.fetch_batch(ids, batch=7)
    assert len(records) == 4
    faults.add(Fault("efetch.fcgi", cut=0.5, times=3))
    with pytest.raises(SourceMalformedResponse, match=r"pubmed \(batch 7\).*malformed"):
        client.fetch_batch(ids, batch=7)


def test_network_down_raises_unavailable() -> None:
    client, sleeps = fast_client("http://127.0.0.1:9/entrez/eutils/", attempts=2)
    with pytest.raises(SourceUnavailable, match="ConnectError"):
        client.esearch("skin")
    assert len(sleeps.waits) == 1


def test_retrieval_resumes_after_a_failure_without_gaps_or_doubles(
    service: RunningService, faults, tmp_path: Path
) -> None:
    query = "english[la]"
    expected = service.service.index.search(query)
    assert len(expected) > 100
    client, _ = fast_client(service.base_url, attempts=2)
    faults.add(Fault("efetch.fcgi", status=503, after=2, times=10))
    with Store.open(tmp_path / "r.sqlite") as store:
        run = store.start_run("test")
        with pytest.raises(SourceUnavailable):
            retrieve_pubmed(store, client, query, run_id=run, batch_size=25)
        assert store.record_count() == 50  # the two batches before the fault are kept
        reset(faults)
        result = retrieve_pubmed(store, client, query, run_id=store.start_run("test"), batch_size=25)
        assert result.resumed and result.new_batches == -(-len(expected) // 25) - 2
        assert result.retrieved == len(expected) == store.record_count()
        assert sorted(r.pmid for _, r in store.iter_records()) == sorted(expected)
        [search] = store.searches()
        assert json.loads(search["ids"]) == expected and search["status"] == "ok"


def test_result_over_the_id_cap_is_split_by_date(real_records: list, tmp_path: Path) -> None:
    """ESearch lists at most cap - 1 IDs; slices by publication date recover every record once.

    The 2016 file dates many records by month only, so up to 162 share one day: the cap stays above that.
    """
    with RunningService(EutilsService(real_records, id_cap=200)) as running:
        client, _ = fast_client(running.base_url)
        everything = running.service.index.search("english[la]")
        assert len(everything) > 300
        ids, count, _ = collect_ids(client, "english[la]", cap=200)
        assert count == len(everything)
        assert sorted(ids) == sorted(everything) and len(set(ids)) == len(ids)
        with pytest.raises(SourceQueryError, match="retstart"):
            client.esearch("english[la]", retstart=250, retmax=10)
