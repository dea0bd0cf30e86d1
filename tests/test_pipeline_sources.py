"""A protocol naming all four sources, run end to end against local servers over real HTTP.

PubMed and Europe PMC answer from the real records of a MEDLINE baseline file,
OpenAlex from the real works of a SYNERGY dataset, ClinicalTrials.gov from a
SYNTHETIC registry (there is no real trial data in ../shared).
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

import httpx

from exoreview.demo.localapis import europepmc as epmc_api
from exoreview.demo.localapis.base import RunningApi
from exoreview.demo.localapis.ctgov import ClinicalTrialsService, synthetic_trials
from exoreview.demo.localapis.openalex import OpenAlexService
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.pipeline import run_review
from exoreview.protocol.loader import parse_protocol
from exoreview.review import ReviewFolder
from exoreview.sources.archive import ARCHIVE_DIR, ResponseArchive
from exoreview.sources.ctgov import trials
from exoreview.sources.http import RetryPolicy
from exoreview.sources.pubmed import PubMedClient
from exoreview.store import Store
from exoreview.synthesis.prisma import compute_flow, search_counts
from tests.eutils_helpers import SleepRecorder
from tests.sources_helpers import medline_records, synergy_works

PROTOCOL = """
name = "four-sources"
title = "Four sources"
question = "Does every source reach the store and the PRISMA flow?"

[[sources]]
name = "pubmed"
query = "skin[tiab] OR hair[tiab]"
base_url = "{eutils}"
rate = 1000

[[sources]]
name = "europepmc"
query = "skin[tiab] OR hair[tiab]"
base_url = "{epmc}"
rate = 1000
page_size = 7

[[sources]]
name = "openalex"
query = "cancer[tiab] AND 2010:2020[dp]"
base_url = "{openalex}"
rate = 1000
page_size = 25

[[sources]]
name = "ctgov"
condition = "skin OR hair OR alopecia OR melasma OR scars OR dermatitis OR photoaging OR wounds"
intervention = 'exosome OR exosomes OR "extracellular vesicle" OR "extracellular vesicles"'
base_url = "{ctgov}"
rate = 1000
page_size = 5

[report]
title = "Four sources"
formats = ["md"]
"""


def test_protocol_with_all_four_sources_fills_store_log_and_prisma(tmp_path: Path) -> None:
    records = medline_records()
    with ExitStack() as stack:
        eutils = stack.enter_context(RunningService(EutilsService(records)))
        epmc = stack.enter_context(RunningApi(epmc_api.EuropePmcService(records), prefix=epmc_api.PREFIX))
        openalex = stack.enter_context(RunningApi(OpenAlexService(synergy_works())))
        ctgov = stack.enter_context(RunningApi(ClinicalTrialsService(synthetic_trials()), prefix="/api/v2/"))
        text = PROTOCOL.format(eutils=eutils.base_url, epmc=epmc.base_url, openalex=openalex.base_url,
                               ctgov=ctgov.base_url)
        parse_protocol(text, "four-sources")  # valid before it is written
        (tmp_path / "protocol.toml").write_text(text, encoding="utf-8")
        client = PubMedClient(base_url=eutils.base_url, http=httpx.Client(timeout=10), rate=1000,
                              policy=RetryPolicy(attempts=3, base_delay=0.01, sleep=SleepRecorder()))
        try:
            summary = run_review(ReviewFolder(tmp_path), client=client)
        finally:
            client.close()

    protocol = parse_protocol(text)
    with Store.open(tmp_path / "review.sqlite") as store:
        searches = {row["source"]: row for row in store.searches()}
        assert set(searches) == {"pubmed", "europepmc", "openalex", "ctgov"}
        for source, row in searches.items():
            assert row["status"] == "ok" and row["count"] > 0, source
            assert row["retrieved"] == row["count"] == len(json.loads(row["ids"])) == store.record_count(source)
        epmc_log = json.loads(searches["europepmc"]["filters"])
        assert epmc_log["protocol_query"] == "skin[tiab] OR hair[tiab]"
        assert searches["europepmc"]["query"] == "TITLE_ABS:skin OR TITLE_ABS:hair"
        assert "from_publication_date:2010-01-01" in searches["openalex"]["query"]
        assert len(trials(store)) == searches["ctgov"]["count"] == 14

        flow = compute_flow(store, protocol)
        flow.check()
        counts = flow.counts()
        per_source = {s: counts[f"identified:{s}"] for s in ("pubmed", "europepmc", "openalex", "ctgov")}
        assert all(per_source.values())
        assert sum(per_source.values()) == counts["identified"] == counts["databases"]
        assert counts["registers"] == per_source["ctgov"]
        assert {s: c["stored"] for s, c in search_counts(store).items()} == per_source
    assert summary.new_records == sum(per_source.values())
    log = summary.log_file.read_text(encoding="utf-8")
    assert "query as sent: TITLE_ABS:skin OR TITLE_ABS:hair" in log
    assert "query as sent: query.cond=skin OR hair" in log
    archived = {a.note for a in ResponseArchive(tmp_path / ARCHIVE_DIR)}
    assert {"source: europepmc", "source: openalex", "source: ctgov"} <= archived  # raw answers kept


def test_search_cut_off_by_a_fault_resumes_without_doubles(tmp_path: Path) -> None:
    from exoreview.eutils.faults import Fault
    from exoreview.sources.errors import SourceUnavailable
    from exoreview.sources.europepmc import EuropePmcClient
    from exoreview.sources.json_search import SearchRequest, retrieve_source
    from tests.sources_helpers import fast

    request = SearchRequest(protocol_query="skin[tiab] OR hair[tiab] OR cell[tiab]", page_size=10)
    with RunningApi(epmc_api.EuropePmcService(medline_records()), prefix=epmc_api.PREFIX) as api, \
            Store.open(tmp_path / "review.sqlite") as store:
        client, _ = fast(EuropePmcClient, api.base_url, attempts=2)
        api.service.faults.add(Fault(utility="search", status=503, after=3, times=2))
        first = store.start_run("run")
        try:
            retrieve_source(store, client, request, run_id=first)
        except SourceUnavailable:
            pass
        else:
            raise AssertionError("the fault should have stopped the first search")
        [search] = store.searches()
        assert search["status"] == "running" and store.completed_batches(search["id"]) == {0, 1, 2}
        stored_before = store.record_count("europepmc")
        assert stored_before == 30

        result = retrieve_source(store, client, request, run_id=store.start_run("run"))
        assert result.resumed and result.search_id == search["id"] and result.new_batches > 0
        assert result.retrieved == result.count == store.record_count("europepmc") > stored_before
        assert len(store.searches()) == 1
