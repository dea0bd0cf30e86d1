"""Europe PMC client against the local Europe PMC service over real HTTP, on real PubMed records."""

from __future__ import annotations

import pytest

from exoreview.demo.localapis.base import RunningApi
from exoreview.demo.localapis.europepmc import PREFIX, EuropePmcService
from exoreview.eutils.faults import Fault
from exoreview.sources.errors import SourceQueryError, SourceRateLimited, SourceUnavailable
from exoreview.sources.europepmc import EuropePmcClient
from exoreview.sources.translate_query import Translation
from tests.sources_helpers import fast, medline_records


@pytest.fixture(scope="module")
def records():
    return medline_records()


@pytest.fixture
def running(records):
    with RunningApi(EuropePmcService(records), prefix=PREFIX) as api:
        yield api


def _all(client, query: str, page_size: int):
    pages = list(client.pages(Translation("europepmc", query), page_size=page_size))
    return pages, [r for p in pages for r in p.records]


def test_cursor_paging_reaches_every_hit_once(running, records):
    client, _ = fast(EuropePmcClient, running.base_url)
    pages, got = _all(client, "FIRST_PDATE:[2015-01-01 TO 2015-12-31]", 37)
    expected = {r.pmid for r in records if r.year == 2015}
    assert len(expected) > 37 * 3  # several pages
    assert [r.pmid for r in got] == sorted({r.pmid for r in got}, key=[r.pmid for r in got].index)  # no doubles
    assert {r.pmid for r in got} == expected
    assert pages[0].count == len(expected)


def test_records_carry_pmcid_open_access_and_citations(running, records):
    client, _ = fast(EuropePmcClient, running.base_url)
    with_pmc = next(r for r in records if r.pmcid)
    [record] = client.fetch([with_pmc.pmid])
    assert record.pmcid == with_pmc.pmcid and record.title == with_pmc.title
    assert record.extra["in_epmc"] == "Y" and record.free_full_text
    assert record.cited_by_count == int(with_pmc.pmid) % 41
    without = next(r for r in records if not r.pmcid)
    [plain] = client.fetch([without.pmid])
    assert plain.extra["is_open_access"] == "N" and plain.extra["in_epmc"] == "N"


def test_translated_protocol_query_finds_what_the_words_say(running, records):
    client, _ = fast(EuropePmcClient, running.base_url)
    translation = client.translate('skin[tiab] AND 2015[dp]')
    assert translation.query == "TITLE_ABS:skin AND FIRST_PDATE:[2015-01-01 TO 2015-12-31]"
    got = {r.pmid for p in client.pages(translation) for r in p.records}
    expected = {r.pmid for r in records if r.year == 2015 and " skin " in f" {r.title} {r.abstract_text} ".lower()
                .replace(".", " ").replace(",", " ")}
    assert got and expected <= got


def test_429_with_retry_after_is_waited_then_retried(running):
    running.service.faults.add(Fault(utility="search", status=429, retry_after=2, times=2))
    client, sleeps = fast(EuropePmcClient, running.base_url)
    pages, _ = _all(client, "SRC:MED", 1000)
    assert pages[0].count == len(running.service.results)
    assert sleeps.waits[:2] == [2.0, 2.0]


def test_429_every_time_raises_rate_limited(running):
    running.service.faults.add(Fault(utility="search", status=429, retry_after=1, times=10))
    client, _ = fast(EuropePmcClient, running.base_url, attempts=3)
    with pytest.raises(SourceRateLimited):
        _all(client, "SRC:MED", 100)


def test_5xx_mid_paging_is_retried_without_losing_a_page(running):
    running.service.faults.add(Fault(utility="search", status=503, after=2, times=2))
    client, sleeps = fast(EuropePmcClient, running.base_url)
    _, got = _all(client, "SRC:MED", 100)
    assert len(got) == len({r.pmid for r in got}) == len(running.service.results)
    assert len(sleeps.waits) == 2


def test_bad_query_error_body_becomes_a_clear_error(running):
    client, sleeps = fast(EuropePmcClient, running.base_url)
    with pytest.raises(SourceQueryError, match="unbalanced") as info:
        _all(client, "(TITLE:skin", 10)
    assert "europepmc" in str(info.value) and not sleeps.waits  # a bad query is not retried
    with pytest.raises(SourceQueryError, match="unknown search field"):
        _all(client, "NOSUCH:skin", 10)


def test_network_down_is_source_unavailable():
    client, sleeps = fast(EuropePmcClient, "http://127.0.0.1:9/europepmc/webservices/rest/", attempts=2)
    with pytest.raises(SourceUnavailable):
        client.search_page("SRC:MED")
    assert len(sleeps.waits) == 1
