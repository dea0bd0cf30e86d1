"""The raw-answer archive, the PRISMA-S search log and `exoreview audit raw`, over real HTTP.

The local E-utilities service serves the 604 real records of medline16n0902; its request log says
what reached the network.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from exoreview.cli.app import main
from exoreview.eutils.faults import Fault
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.sources.archive import ResponseArchive, request_key
from exoreview.sources.pubmed import raw_record_xml
from exoreview.sources.pubmed_search import retrieve_pubmed
from exoreview.store import Store
from tests.conftest import shared_path
from tests.eutils_helpers import fast_client

QUERY = "melanoma[tiab] OR skin[tiab] OR humans[mh]"


@pytest.fixture(scope="module")
def service():
    records = list(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))
    with RunningService(EutilsService(records)) as running:
        yield running


@pytest.fixture
def requests(service: RunningService) -> list:
    service.service.faults.clear()
    service.service.requests.clear()
    return service.service.requests


def _retrieve(service: RunningService, folder: Path, *extra: str) -> int:
    return main(["retrieve", QUERY, "--dir", str(folder), "--base-url", service.base_url, "--batch-size", "25",
                 "--rate", "500", *extra])


def test_second_run_costs_no_network(service: RunningService, requests: list, tmp_path: Path) -> None:
    folder = tmp_path / "review"
    expected = service.service.index.search(QUERY)
    assert len(expected) > 60
    assert _retrieve(service, folder) == 0
    first = len(requests)
    assert first >= 1 + 1 + len(expected) // 25  # count, IDs, batches
    requests.clear()
    assert _retrieve(service, folder) == 0
    assert requests == []  # everything answered from DIR/raw
    with Store.open(folder / "review.sqlite") as store:
        one, two = store.searches()
        assert json.loads(one["ids"]) == json.loads(two["ids"]) == expected
        assert one["retrieved"] == two["retrieved"] == len(expected) == store.record_count()
        # The replayed search is dated when PubMed answered it, not when the archive was read.
        [overview] = [a for a in ResponseArchive(folder / "raw")
                      if a.params.get("term") == QUERY and a.params.get("retmax") == "0"]
        assert two["executed_at"] == overview.answered_at and one["executed_at"] <= overview.answered_at
        assert any("replayed from the raw archive" in row["message"] for row in store.run_log(two["run_id"]))
    # --refresh asks ESearch again but still replays the fetched batches.
    requests.clear()
    assert _retrieve(service, folder, "--refresh") == 0
    assert {u for u, _ in requests} == {"esearch.fcgi"}


def test_archive_entries_hold_raw_bytes_and_metadata_without_identity(
    service: RunningService, requests: list, tmp_path: Path
) -> None:
    archive = ResponseArchive(tmp_path / "raw")
    client, _ = fast_client(service.base_url)
    client.archive = archive
    client.identity.update(email="someone@example.org", api_key="SECRET-KEY-123")
    records, _ = client.fetch_batch(expected := service.service.index.search("melanoma[tiab]"))
    assert {r.pmid for r in records} == set(expected)
    [entry] = list(archive)
    assert entry.url == service.base_url + "efetch.fcgi" and entry.method == "POST" and entry.status == 200
    assert entry.params == {"db": "pubmed", "id": ",".join(expected), "retmode": "xml", "rettype": "abstract"}
    assert entry.content_type.startswith("text/xml")
    assert datetime.fromisoformat(entry.answered_at).tzinfo is not None
    meta_file = next((tmp_path / "raw").glob("??/*.json"))
    assert "SECRET-KEY-123" not in meta_file.read_text() and "someone@" not in meta_file.read_text()
    # The key ignores who asks: another email or API key finds the same answer.
    params = {"db": "pubmed", "id": ",".join(expected), "retmode": "xml", "rettype": "abstract"}
    assert request_key("POST", entry.url, {**params, "api_key": "other", "email": "x@y", "tool": "t"}) == entry.key
    assert request_key("POST", entry.url, {**params, "retmode": "text"}) != entry.key
    body = next((tmp_path / "raw").glob("??/*.body")).read_bytes()
    assert body == entry.body and etree.fromstring(body).tag == "PubmedArticleSet"


def test_a_cut_answer_is_not_kept(service: RunningService, requests: list, tmp_path: Path) -> None:
    archive = ResponseArchive(tmp_path / "raw")
    client, _ = fast_client(service.base_url)
    client.archive = archive
    service.service.faults.add(Fault("efetch.fcgi", cut=0.6))
    ids = service.service.index.search("melanoma[tiab]")
    records, _ = client.fetch_batch(ids)
    assert len(records) == len(ids)
    [entry] = list(archive)
    assert len(list(iter_pubmed_xml(entry.body))) == len(ids)  # the whole answer, not the cut one
    assert len([u for u, _ in requests if u == "efetch.fcgi"]) == 2


def test_audit_raw_prints_the_xml_behind_a_record(
    service: RunningService, requests: list, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    folder = tmp_path / "review"
    assert _retrieve(service, folder) == 0
    capsysbinary.readouterr()
    with Store.open(folder / "review.sqlite") as store:
        _, stored = next(store.iter_records())
    assert main(["audit", "raw", stored.pmid, "--dir", str(folder)]) == 0
    captured = capsysbinary.readouterr()
    article = etree.fromstring(captured.out)
    assert article.tag in ("PubmedArticle", "PubmedBookArticle")
    assert article.findtext(".//PMID") == stored.pmid
    wrapped = b"<PubmedArticleSet>" + etree.tostring(article) + b"</PubmedArticleSet>"
    assert list(iter_pubmed_xml(wrapped)) == [stored]  # the raw XML yields exactly the stored record
    assert b"efetch.fcgi" in captured.err and b"answered" in captured.err
    found = raw_record_xml(ResponseArchive(folder / "raw"), stored.pmid)
    assert found is not None and found[0] == etree.tostring(article, encoding="utf-8")
    assert main(["audit", "raw", "99999999", "--dir", str(folder)]) == 2
    assert b"PMID 99999999" in capsysbinary.readouterr().err


def test_search_log_is_written_and_says_what_prisma_s_asks(
    service: RunningService, requests: list, tmp_path: Path
) -> None:
    folder = tmp_path / "review"
    assert _retrieve(service, folder) == 0
    document = json.loads((folder / "search-log.json").read_text())
    assert document["standard"] == "PRISMA-S"
    [entry] = document["searches"]
    expected = service.service.index.search(QUERY)
    assert entry["query"] == QUERY
    assert entry["query_translation"] == service.service.index.translate(QUERY)
    assert "[MeSH Terms]" in entry["query_translation"]
    assert entry["database"] == "MEDLINE/PubMed" and service.base_url in entry["interface"]
    assert datetime.fromisoformat(entry["searched_at"]).year >= 2024
    assert entry["count_reported"] == len(expected) == entry["records_retrieved"]
    assert sorted(entry["record_ids"], key=int) == sorted(expected, key=int) == entry["record_ids"]
    assert entry["status"] == "ok" and entry["filters"] == {}
    markdown = (folder / "search-log.md").read_text()
    assert f"`{QUERY}`" in markdown and entry["query_translation"] in markdown
    assert ", ".join(entry["record_ids"]) in markdown and entry["searched_at"] in markdown
    # The run log cites the same search.
    [log] = (folder / "logs").glob("run-*.log")
    assert QUERY in log.read_text() and entry["query_translation"] in log.read_text()


def test_batches_stay_within_efetch_limits(service: RunningService, requests: list, tmp_path: Path) -> None:
    client, _ = fast_client(service.base_url)
    with pytest.raises(ValueError, match="at most 500"):
        client.efetch_xml([str(i) for i in range(501)])
    with Store.open(tmp_path / "s.sqlite") as store, pytest.raises(ValueError, match="batch_size"):
        retrieve_pubmed(store, client, QUERY, run_id=store.start_run("t"), batch_size=501)
    # Over 200 PMIDs a batch goes through EPost; at or under, it is posted as a list.
    ids = service.service.index.search("english[la]")[:450]
    records, _ = client.fetch_batch(ids)
    assert [r.pmid for r in records] == ids
    records, _ = client.fetch_batch(ids[:200])
    assert len(records) == 200
    calls = [(u, sorted(p)) for u, p in requests]
    assert [u for u, _ in calls] == ["epost.fcgi", "efetch.fcgi", "efetch.fcgi"]
    assert "WebEnv" in calls[1][1] and "id" in calls[2][1]
