"""The local E-utilities service under hostile or careless requests, over real HTTP on loopback.

Long flat ORs, absurd nesting, bad paging parameters, JSON asked for, and the `serve-eutils` command
(a mistyped store, a store of imported files, secrets in the access log). Records are composed for
these tests (titles made of numbered words); none is real.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from lxml import etree

from exoreview.cli.app import main
from exoreview.eutils.index import RecordIndex
from exoreview.eutils.query import MAX_NESTING, QuerySyntaxError, parse
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.formats.pubmed import write_pubmed_xml
from exoreview.records import AbstractSection, MeshHeading, PubDate, Record
from exoreview.sources.errors import SourceQueryError
from exoreview.sources.pubmed import parse_esearch
from exoreview.store import Store
from tests.eutils_helpers import fast_client

EXOREVIEW = [sys.executable, "-m", "exoreview.cli.app"]
N_RECORDS = 60


def _records(n: int = N_RECORDS, first: int = 81_000_000) -> list[Record]:
    """Record i has the words wordi and groupj (j = i mod 3) in its title; every fourth one has MeSH Skin."""
    return [Record(pmid=str(first + i), title=f"Composed word{i} group{i % 3} title", languages=["eng"],
                   pub_date=PubDate(2000 + i % 25, 1 + i % 12, 1),
                   abstract=[AbstractSection(f"Composed abstract {i} about skin.")],
                   mesh=[MeshHeading("Skin", ui="D012867")] if i % 4 == 0 else [])
            for i in range(n)]


@pytest.fixture(scope="module")
def service():
    with RunningService(EutilsService(_records())) as running:
        yield running


def _get(service: RunningService, utility: str, **params: str) -> httpx.Response:
    return httpx.get(service.base_url + utility, params={"db": "pubmed", **params}, timeout=10)


def _error(response: httpx.Response, root_tag: str) -> str:
    assert response.status_code == 200, response.text
    root = etree.fromstring(response.content)
    assert root.tag == root_tag
    return root.findtext("ERROR") or ""


# -- long flat ORs and deep nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["", "[tiab]"])
def test_a_thousand_ored_terms_are_answered_correctly(service: RunningService, tag: str) -> None:
    """Only words 0-59 occur: of 1,000 OR'd words (odd ones only below 60), exactly the odd records match."""
    words = [f"word{i}{tag}" for i in range(1, 2000, 2)]
    query = " OR ".join(words)
    client, sleeps = fast_client(service.base_url)
    result = client.esearch(query, retmax=100)
    expected = {str(81_000_000 + i) for i in range(1, N_RECORDS, 2)}
    assert result.count == len(expected) and set(result.ids) == expected and not sleeps.waits
    assert result.translation.count(" OR ") == 999 and result.translation.startswith('"word1"[')
    assert service.service.index.search(query) == result.ids  # most recent first, as any other search


def test_a_long_and_of_ors_and_nots_is_evaluated_left_to_right(service: RunningService) -> None:
    index = service.service.index
    query = " OR ".join(f"word{i}" for i in range(1500)) + " AND group1 NOT " + " NOT ".join(
        f"word{i}" for i in range(1, 30))
    expected = {str(81_000_000 + i) for i in range(30, N_RECORDS) if i % 3 == 1}
    assert set(index.search(query)) == expected and index.count(query) == len(expected)


def test_long_random_chains_agree_with_sets_evaluated_left_to_right() -> None:
    """Chains of up to 400 operators over rare and common words, against Python sets, replaced records included."""
    rng = random.Random(61)
    vocabulary = [f"w{i}" for i in range(40)]
    titles = {str(84_000_000 + i): " ".join(rng.choices(vocabulary[: rng.choice([3, 10, 40])], k=rng.randint(1, 8)))
              for i in range(500)}
    index = RecordIndex(Record(pmid=p, title=t) for p, t in titles.items())
    index.add([Record(pmid="84000007", title="w0 w1 w2 w3"), Record(pmid="84000008", kind="deleted")])
    titles["84000007"] = "w0 w1 w2 w3"
    del titles["84000008"]
    combine = {"OR": set.__or__, "AND": set.__and__, "NOT": set.__sub__}
    for _ in range(40):
        words = rng.choices(vocabulary, k=rng.randint(2, 400))
        ops = rng.choices(["OR"] * 6 + ["AND", "NOT"], k=len(words) - 1)
        expected = {p for p, t in titles.items() if words[0] in t.split()}
        query = f"{words[0]}[ti]"
        for op, word in zip(ops, words[1:], strict=True):
            expected = combine[op](expected, {p for p, t in titles.items() if word in t.split()})
            query += f" {op} {word}[ti]"
        assert set(index.search(query)) == expected and index.count(query) == len(expected)


def test_nesting_within_the_bound_is_answered(service: RunningService) -> None:
    depth = MAX_NESTING
    query = "(" * depth + "word3 OR word6" + ")" * depth
    client, _ = fast_client(service.base_url)
    assert set(client.esearch(query, retmax=10).ids) == {"81000003", "81000006"}
    nested = "word0"
    for i in range(1, 40):  # right-nested: a OR (b OR (c ...)), 39 levels
        nested = f"word{i} OR ({nested})"
    assert client.esearch(nested, retmax=100).count == 40


def test_absurd_nesting_is_a_query_error_not_a_dropped_connection(service: RunningService,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    query = "(" * 400 + "skin" + ")" * 400
    with pytest.raises(QuerySyntaxError, match=f"nested more than {MAX_NESTING} deep") as caught:
        parse(query)
    assert caught.value.position == MAX_NESTING  # the first parenthesis past the bound
    message = _error(_get(service, "esearch.fcgi", term=query), "eSearchResult")
    assert f"nested more than {MAX_NESTING} deep" in message
    client, sleeps = fast_client(service.base_url)
    with pytest.raises(SourceQueryError, match="nested more than"):
        client.esearch(query)
    assert not sleeps.waits  # refused, not retried
    assert main(["search", query, "--count", "--base-url", service.base_url, "--attempts", "2"]) == 2
    assert "refused the query" in capsys.readouterr().err


def test_deep_nesting_of_not_and_mesh_terms_is_refused_too(service: RunningService) -> None:
    query = "skin[mh] NOT (" * 300 + "word1" + ")" * 300
    assert "nested more than" in _error(_get(service, "esearch.fcgi", term=query), "eSearchResult")


# -- paging parameters ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value"), [("retmax", "-5"), ("retstart", "-1"), ("retmax", "abc"),
                                             ("retstart", "1.5"), ("retmax", "0x10"), ("retmax", "٣")])
def test_bad_retmax_or_retstart_is_an_esearch_error(service: RunningService, name: str, value: str) -> None:
    response = _get(service, "esearch.fcgi", term="skin", **{name: value})
    message = _error(response, "eSearchResult")
    assert name in message and repr(value) in message
    with pytest.raises(SourceQueryError, match=name):
        parse_esearch(response.content)


def test_the_client_maps_a_negative_retmax_to_a_query_error(service: RunningService) -> None:
    client, sleeps = fast_client(service.base_url)
    with pytest.raises(SourceQueryError, match="retmax"):
        client.esearch("skin", retmax=-5)
    assert not sleeps.waits


@pytest.mark.parametrize("utility", ["efetch.fcgi", "esummary.fcgi"])
def test_bad_paging_of_a_history_set_is_an_error(service: RunningService, utility: str) -> None:
    client, _ = fast_client(service.base_url)
    webenv, query_key = client.epost(["81000001", "81000002"])
    good = _get(service, utility, WebEnv=webenv, query_key=query_key, retmax="1")
    assert good.status_code == 200 and b"81000001" in good.content
    root = "eFetchResult" if utility == "efetch.fcgi" else "eSummaryResult"
    message = _error(_get(service, utility, WebEnv=webenv, query_key=query_key, retmax="-5"), root)
    assert "retmax" in message and "'-5'" in message
    message = _error(_get(service, utility, WebEnv=webenv, query_key=query_key, retstart="x"), root)
    assert "retstart" in message


def test_empty_and_large_paging_values_still_work(service: RunningService) -> None:
    root = etree.fromstring(_get(service, "esearch.fcgi", term="skin", retmax="", retstart="").content)
    assert root.findtext("RetMax") == "20" and root.findtext("RetStart") == "0"
    root = etree.fromstring(_get(service, "esearch.fcgi", term="skin", retmax="99999999999").content)
    assert int(root.findtext("RetMax") or 0) == int(root.findtext("Count") or -1) == N_RECORDS


# -- JSON --------------------------------------------------------------------------------------------------------


def test_esearch_answers_json_like_ncbi(service: RunningService) -> None:
    response = _get(service, "esearch.fcgi", term="group1", retmode="json", retmax="5", retstart="2",
                    usehistory="y")
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["header"] == {"type": "esearch", "version": "0.3"}
    result = document["esearchresult"]
    ids = service.service.index.search("group1")
    assert result["count"] == str(len(ids)) and result["retmax"] == "5" and result["retstart"] == "2"
    assert result["idlist"] == ids[2:7] and result["querykey"] == "1" and result["webenv"].startswith("MCID_")
    assert result["querytranslation"] == service.service.index.translate("group1")
    assert isinstance(result["translationset"], list)


def test_esearch_json_for_no_hits_and_for_errors(service: RunningService) -> None:
    result = _get(service, "esearch.fcgi", term="nosuchword", retmode="JSON").json()["esearchresult"]
    assert result["count"] == "0" and result["idlist"] == []
    assert result["errorlist"]["phrasesnotfound"] == ["nosuchword"]
    assert result["warninglist"]["outputmessages"] == ["No items found."]
    for params in ({"term": "(skin AND"}, {"term": "skin", "retmax": "-5"}):
        document = _get(service, "esearch.fcgi", retmode="json", **params).json()
        assert document["header"]["type"] == "esearch" and document["esearchresult"]["ERROR"]


def test_esummary_answers_json_like_ncbi(service: RunningService) -> None:
    document = _get(service, "esummary.fcgi", id="81000004,81000005,1", retmode="json").json()
    assert document["header"] == {"type": "esummary", "version": "0.3"}
    result = document["result"]
    assert result["uids"] == ["81000004", "81000005"]
    summary = result["81000004"]
    assert summary["uid"] == "81000004" and summary["title"] == "Composed word4 group1 title"
    assert summary["pubdate"] == "2004 May 1" and summary["lang"] == ["eng"]
    assert {"idtype": "pubmed", "idtypen": 1, "value": "81000004"} in summary["articleids"]
    assert "Has Abstract" in summary["attributes"]
    error = _get(service, "esummary.fcgi", id="81000004", retmode="json", retstart="-1").json()
    assert "retstart" in error["error"]


@pytest.mark.parametrize("utility", ["efetch.fcgi", "espell.fcgi", "epost.fcgi", "einfo.fcgi"])
def test_json_is_refused_clearly_where_it_is_not_answered(service: RunningService, utility: str) -> None:
    response = _get(service, utility, id="81000004", term="skin", retmode="json")
    assert response.status_code == 400 and "retmode=json" in response.text and "esearch" in response.text


# -- serve-eutils ------------------------------------------------------------------------------------------------


def test_serve_eutils_refuses_a_missing_store_and_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "reveiw.sqlite"
    done = subprocess.run([*EXOREVIEW, "serve-eutils", "--store", str(typo), "--port", "0"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "COLUMNS": "300"})
    assert done.returncode == 2 and str(typo) in done.stderr and "Serving" not in done.stdout
    assert not typo.exists() and list(tmp_path.iterdir()) == []


class _Served:
    """`exoreview serve-eutils` in a child process: its base URL, and its log once stopped."""

    def __init__(self, store: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "300"}
        self.process = subprocess.Popen([*EXOREVIEW, "serve-eutils", "--store", str(store), "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.banner = self.process.stdout.readline() if self.process.stdout else ""
        assert " at http://127.0.0.1:" in self.banner, self.banner + self.stop()
        self.base_url = self.banner.split(" at ", 1)[1].split()[0]

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        _, err = self.process.communicate(timeout=30)
        return err


def test_serve_eutils_serves_every_record_with_a_pmid_whatever_its_source(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    review = tmp_path / "review"
    assert main(["init", str(review)]) == 0
    imported = _records(12, first=82_000_000)
    (tmp_path / "mine.xml").write_bytes(write_pubmed_xml(imported))
    (tmp_path / "extra.ris").write_text("TY  - JOUR\nTI  - Composed record without a PMID\nER  - \n",
                                        encoding="utf-8")
    assert main(["import", str(tmp_path / "mine.xml"), str(tmp_path / "extra.ris"), "--dir", str(review)]) == 0
    with Store.open(review / "review.sqlite") as store:
        store.add_records(_records(3, first=82_000_010), source="pubmed")  # 82000010-11 overlap the file
        assert store.record_count() == 12 + 1 + 3  # rows per source: 13 distinct PMIDs, 1 record without
    capsys.readouterr()
    served = _Served(review / "review.sqlite")
    try:
        assert served.banner.startswith("Serving 13 records")
        client, _ = fast_client(served.base_url)
        result = client.esearch("composed[tiab]", retmax=50)
        assert sorted(result.ids) == [str(82_000_000 + i) for i in range(13)]
        records, _ = client.fetch_batch(["82000003", "82000012"])
        assert [r.title for r in records] == ["Composed word3 group0 title", "Composed word2 group2 title"]
    finally:
        served.stop()


def test_serve_eutils_keeps_the_api_key_and_email_out_of_its_log(tmp_path: Path) -> None:
    with Store.open(tmp_path / "mirror.sqlite") as store:
        store.add_records(_records(5), source="pubmed")
    served = _Served(tmp_path / "mirror.sqlite")
    try:
        secrets = {"api_key": "KEY-0123456789abcdef", "email": "someone.secret@example.org"}
        client, _ = fast_client(served.base_url)
        client.identity.update(secrets)  # what PubMedClient sends to a service on this machine
        assert client.esearch("skin", retmax=5).count == 5
        base = served.base_url + "esearch.fcgi"
        host, port = httpx.URL(base).host, httpx.URL(base).port or 80
        httpx.get(base, params={"term": "skin", "API_KEY": secrets["api_key"], "Email": secrets["email"]})
        httpx.get(base + "?term=skin&api%5Fkey=" + secrets["api_key"] + "&e%6Dail=" + secrets["email"])
        httpx.post(base + "?api_key=" + secrets["api_key"], data={"term": "skin", "email": secrets["email"]})
        httpx.get(base + "?email=" + secrets["email"] + ";api_key=" + secrets["api_key"])
        # A request line http.server cannot read: it echoes the line in its error log.
        with socket.create_connection((host, port), timeout=10) as raw:
            raw.sendall(f"GET /entrez/eutils/esearch.fcgi?email={secrets['email']}&api_key={secrets['api_key']} "
                        "extra HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert raw.recv(100).startswith(b"HTTP/1.1 400")
        # A POST whose Content-Length is not a number is answered too.
        with socket.create_connection((host, port), timeout=10) as raw:
            raw.sendall(b"POST /entrez/eutils/esearch.fcgi?term=skin HTTP/1.1\r\nHost: x\r\n"
                        b"Content-Length: many\r\n\r\n")
            assert raw.recv(100).startswith(b"HTTP/1.1 400")
    finally:
        log = served.stop()
    assert log.count('"GET /entrez/eutils/esearch.fcgi?') >= 3 and "POST" in log
    assert secrets["api_key"] not in log and "0123456789abcdef" not in log
    assert secrets["email"] not in log and "someone.secret" not in log
    assert "api_key=[redacted]" in log and "email=[redacted]" in log and "term=skin" in log
