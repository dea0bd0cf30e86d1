"""ClinicalTrials.gov client against the local v2 service over real HTTP, on a SYNTHETIC registry."""

from __future__ import annotations

import pytest

from exoreview.demo.localapis.base import RunningApi
from exoreview.demo.localapis.ctgov import PREFIX, ClinicalTrialsService, synthetic_trials
from exoreview.eutils.faults import Fault
from exoreview.sources.ctgov import ClinicalTrialsClient, trials
from exoreview.sources.errors import SourceMalformedResponse, SourceQueryError
from exoreview.sources.translate_query import Translation
from exoreview.store import Store
from tests.sources_helpers import fast

EV = 'exosome OR exosomes OR "extracellular vesicle" OR "extracellular vesicles"'
SKIN_HAIR = "skin OR hair OR alopecia OR melasma OR scars OR dermatitis OR photoaging OR wounds"


@pytest.fixture
def running():
    with RunningApi(ClinicalTrialsService(synthetic_trials()), prefix=PREFIX) as api:
        yield api


def test_flagship_query_finds_exactly_the_ev_skin_and_hair_trials(running, tmp_path):
    client, _ = fast(ClinicalTrialsClient, running.base_url)
    translation = client.translate("", condition=SKIN_HAIR, intervention=EV)
    pages = list(client.pages(translation, page_size=4))
    got = [r for p in pages for r in p.records]
    assert len(pages) > 2 and pages[0].count == len(got) == 14  # 14 EV skin/hair trials in the registry
    assert len({r.extra["nct_id"] for r in got}) == 14
    assert "totalCount" not in str(running.service.requests[1:])  # the total comes with the first page only
    with Store.open(tmp_path / "r.sqlite") as store:
        store.add_records(got, source="ctgov")
        listed = trials(store)
    assert len(listed) == 14
    first = listed[0]
    assert first.nct_id.startswith("NCT99") and first.conditions and first.interventions[0].startswith("BIOLOGICAL")
    assert first.phases and first.overall_status and first.lead_sponsor.startswith("exoreview synthetic")
    assert first.enrollment and first.start_date and isinstance(first.has_results, bool)


def test_study_by_id_and_plain_text_errors(running):
    client, _ = fast(ClinicalTrialsClient, running.base_url)
    assert client.study("NCT99000003").extra["nct_id"] == "NCT99000003"
    with pytest.raises(SourceQueryError, match="NCT number NCT12345678 not found"):
        client.study("NCT12345678")
    with pytest.raises(SourceQueryError, match="incorrect format"):
        client.study("12345")
    with pytest.raises(SourceQueryError, match="Invalid Essie expression"):
        list(client.pages(Translation("ctgov", "", {"query.term": "(skin"})))


def test_rate_limit_and_server_error_mid_paging(running):
    running.service.faults.add(Fault(utility="studies", status=429, retry_after=3, after=1))
    running.service.faults.add(Fault(utility="studies", status=502, after=2))
    client, sleeps = fast(ClinicalTrialsClient, running.base_url)
    got = [r.extra["nct_id"] for p in client.pages(Translation("ctgov", "", {}), page_size=5) for r in p.records]
    assert len(got) == len(set(got)) == len(running.service.studies)
    assert sleeps.waits[0] == 3.0 and len(sleeps.waits) == 2


def test_cut_answer_is_a_malformed_response(running):
    running.service.faults.add(Fault(utility="studies", cut=0.5, times=5))
    client, _ = fast(ClinicalTrialsClient, running.base_url)
    with pytest.raises(SourceMalformedResponse, match="not JSON"):
        list(client.pages(Translation("ctgov", "", {})))
