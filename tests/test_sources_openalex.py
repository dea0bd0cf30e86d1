"""OpenAlex client against the local OpenAlex service over real HTTP, on real SYNERGY works."""

from __future__ import annotations

import re

import pytest

from exoreview.demo.localapis.base import RunningApi
from exoreview.demo.localapis.openalex import OpenAlexService
from exoreview.eutils.faults import Fault
from exoreview.formats.openalex import rebuild_abstract, short_openalex_id
from exoreview.sources.errors import SourceQueryError, SourceUnavailable
from exoreview.sources.openalex_api import OpenAlexClient
from exoreview.sources.translate_query import Translation
from tests.sources_helpers import fast, synergy_works


@pytest.fixture(scope="module")
def works():
    return synergy_works()


@pytest.fixture
def running(works):
    with RunningApi(OpenAlexService(works)) as api:
        yield api


def test_cursor_paging_to_completion_no_lost_no_doubled(running, works):
    client, _ = fast(OpenAlexClient, running.base_url, email="tests@example.org")
    pages = list(client.pages(Translation("openalex", "", {}), page_size=50))
    got = [r.openalex_id for p in pages for r in p.records]
    assert len(works) > 150 and len(pages) >= 4
    assert len(got) == len(set(got)) == len(works) == pages[0].count
    assert not pages[-1].records  # OpenAlex ends with an empty page whose next_cursor is null
    assert all(params.get("mailto") == "tests@example.org" for _, params in running.service.requests)


def test_work_fields_abstract_citations_references(running, works):
    client, _ = fast(OpenAlexClient, running.base_url)
    work = next(w for w in works if w.get("abstract_inverted_index") and w.get("referenced_works"))
    record = client.work(work["id"])
    assert record.abstract_text == rebuild_abstract(work["abstract_inverted_index"])
    assert record.cited_by_count == work["cited_by_count"]
    assert record.referenced_works == [short_openalex_id(w) for w in work["referenced_works"]]
    [again] = client.fetch([work["id"]])
    assert again.openalex_id == record.openalex_id


def test_translated_search_and_filters(running, works):
    client, _ = fast(OpenAlexClient, running.base_url)
    translation = client.translate("(cancer[tiab] OR tumour[tiab]) AND 2010:2020[dp]")
    assert translation.params["filter"] == "from_publication_date:2010-01-01,to_publication_date:2020-12-31"
    got = [r for p in client.pages(translation) for r in p.records]
    assert got and all(2010 <= r.year <= 2020 for r in got)
    assert all({"cancer", "tumour"} & set(re.findall(r"[0-9a-z]+", f"{r.title} {r.abstract_text}".lower()))
               for r in got)


def test_429_then_5xx_are_retried(running, works):
    running.service.faults.add(Fault(utility="works", status=429, retry_after=1.5))
    running.service.faults.add(Fault(utility="works", status=500, after=1))
    client, sleeps = fast(OpenAlexClient, running.base_url)
    got = [r.openalex_id for p in client.pages(Translation("openalex", "", {})) for r in p.records]
    assert len(got) == len(set(got)) == len(works)
    assert sleeps.waits[0] == 1.5 and len(sleeps.waits) == 2


def test_error_json_becomes_a_clear_error(running):
    client, _ = fast(OpenAlexClient, running.base_url)
    with pytest.raises(SourceQueryError, match="author_name is not a valid field"):
        list(client.pages(Translation("openalex", "", {"filter": "author_name:smith"})))
    with pytest.raises(SourceQueryError, match=r"HTTP 404.*W1 not found"):
        client.work("W1")


def test_network_down_is_source_unavailable():
    client, _ = fast(OpenAlexClient, "http://127.0.0.1:9/", attempts=2)
    with pytest.raises(SourceUnavailable):
        client.work("W2")
