"""More client faults over real HTTP (the gaps of test_pubmed_client.py), EPost, and `exoreview search`.

The local service serves the 604 real records of medline16n0902 with the real 2017 MeSH tree.
"""

from __future__ import annotations

import json
import time
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest
from lxml import etree

from exoreview.cli.app import main
from exoreview.eutils.faults import Fault
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.mesh.tree import MeshTree
from exoreview.sources.errors import SourceQueryError, SourceUnavailable
from exoreview.sources.http import retry_after_seconds
from exoreview.sources.pubmed import parse_epost
from exoreview.sources.pubmed_search import retrieve_pubmed
from exoreview.store import Store
from tests.conftest import shared_path
from tests.eutils_helpers import fast_client


@pytest.fixture(scope="module")
def records() -> list:
    return list(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))


@pytest.fixture(scope="module")
def service(records: list):
    tree = MeshTree.from_tsv(shared_path("data", "mesh", "2017MeshTree.tsv"))
    with RunningService(EutilsService(records, mesh=tree)) as running:
        yield running


@pytest.fixture
def faults(service: RunningService):
    service.service.faults.clear()
    service.service.requests.clear()
    yield service.service.faults
    service.service.faults.clear()


def test_retry_after_as_an_http_date() -> None:
    response = httpx.Response(429, headers={"Retry-After": formatdate(time.time() + 30, usegmt=True)})
    assert 27 <= (retry_after_seconds(response) or 0) <= 30
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "soon"})) is None


def test_429_without_retry_after_backs_off_with_jitter(service: RunningService, faults) -> None:
    faults.add(Fault("esearch.fcgi", status=429, times=3))
    client, sleeps = fast_client(service.base_url, attempts=5)
    assert client.esearch("humans[mh]").count > 0
    assert len(sleeps.waits) == 3 and all(0 <= w <= 0.01 * 2**i for i, w in enumerate(sleeps.waits))


def test_efetch_timeout_is_retried(service: RunningService, faults) -> None:
    faults.add(Fault("efetch.fcgi", delay=1.0))
    client, sleeps = fast_client(service.base_url, timeout=0.3)
    ids = service.service.index.search("humans[mh]")[:5]
    records, _ = client.fetch_batch(ids)
    assert [r.pmid for r in records] == ids and len(sleeps.waits) == 1


def test_network_down_mid_run_then_back_resumes(records: list, tmp_path: Path) -> None:
    """Connection refused after two stored batches; the next run, against a service up again, resumes."""
    query = "english[la]"
    with Store.open(tmp_path / "r.sqlite") as store:
        first = RunningService(EutilsService(records)).start()
        expected = first.service.index.search(query)
        client, _ = fast_client(first.base_url, attempts=2)
        # A fresh connection per request, so the closed port is seen at once (no kept-alive socket).
        client.transport.http = httpx.Client(timeout=5, limits=httpx.Limits(max_keepalive_connections=0))
        stops = []

        def down_after_two(done: int, total: int) -> None:
            if done >= 100 and not stops:
                first.stop()  # the port closes: connection refused from now on
                stops.append(done)

        with pytest.raises(SourceUnavailable, match="ConnectError"):
            retrieve_pubmed(store, client, query, run_id=store.start_run("t"), batch_size=50,
                            progress=down_after_two)
        assert store.record_count() == 100
        with RunningService(EutilsService(records)) as second:
            client, _ = fast_client(second.base_url)
            result = retrieve_pubmed(store, client, query, run_id=store.start_run("t"), batch_size=50)
            fetched = [i for u, p in second.service.requests if u == "efetch.fcgi" for i in p["id"].split(",")]
        assert result.resumed and sorted(r.pmid for _, r in store.iter_records()) == sorted(expected)
        assert sorted(fetched) == sorted(expected[100:])  # only what was missing


def test_epost_answers_like_ncbi_and_feeds_efetch(service: RunningService, faults) -> None:
    client, _ = fast_client(service.base_url)
    ids = service.service.index.search("humans[mh]")[:7]
    webenv, query_key = client.epost(ids)
    assert webenv.startswith("MCID_") and query_key == "1"
    assert client.epost(ids[:2], webenv=webenv) == (webenv, "2")  # same WebEnv, next key
    answer = client.eutil("efetch.fcgi", {"WebEnv": webenv, "query_key": "2", "retmax": "10"}, replay=False)
    assert [r.pmid for r in iter_pubmed_xml(answer.content)] == ids[:2]
    raw = client.eutil("epost.fcgi", {"id": "12,abc"}, post=True, replay=False).content
    root = etree.fromstring(raw)
    assert root.tag == "ePostResult" and [e.text for e in root.iterfind("InvalidIdList/Id")] == ["abc"]
    with pytest.raises(SourceQueryError, match="EPost kept no IDs"):
        parse_epost(client.eutil("epost.fcgi", {"id": "abc"}, post=True, replay=False).content)


def test_search_count_prints_count_and_translation(service: RunningService, faults,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    query = "skin diseases[mh] OR melanoma[tiab]"
    assert main(["search", query, "--count", "--base-url", service.base_url]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"Count: {service.service.index.count(query)}",
                       f"Translation: {service.service.index.translate(query)}"]
    assert [p.get("retmax") for u, p in service.service.requests if u == "esearch.fcgi"] == ["0"]


def test_search_with_no_hits_prints_espell_suggestion(service: RunningService, faults,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "fibroblsts", "--count", "--base-url", service.base_url]) == 0
    printed = capsys.readouterr().out
    assert "Count: 0" in printed and "Did you mean: fibroblasts" in printed
    assert "Phrase not found: fibroblsts" in printed
    assert [u for u, _ in service.service.requests] == ["esearch.fcgi", "espell.fcgi"]


def test_bad_query_exits_2(service: RunningService, faults, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "(skin AND", "--count", "--base-url", service.base_url]) == 2
    assert "refused the query" in capsys.readouterr().err


def test_retrieve_network_down_exits_3_and_logs_the_failed_search(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["retrieve", "skin", "--dir", str(tmp_path), "--base-url", "http://127.0.0.1:9/", "--attempts", "1"])
    assert code == 3 and "run again to resume" in capsys.readouterr().err
    document = json.loads((tmp_path / "search-log.json").read_text())
    assert document["searches"][0]["status"] == "running" and document["searches"][0]["query"] == "skin"
