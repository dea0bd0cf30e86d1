"""Full text from PMC over real HTTP: the local service serves JATS files, the client parses the Methods."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from exoreview.appraise import score_of
from exoreview.eutils.faults import Fault, FaultPlan
from exoreview.eutils.pmc import PmcArticles
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, Record
from exoreview.results import REPORTED
from exoreview.sources.errors import SourceMalformedResponse, SourceUnavailable
from exoreview.sources.http import RetryPolicy
from exoreview.sources.pmc import PmcClient, normalize_pmcid, parse_jats
from exoreview.stages.classify import classify_records
from exoreview.store.database import Store
from tests.conftest import shared_path
from tests.eutils_helpers import SleepRecorder

COMPOSED = Path(__file__).parent / "data" / "appraise_jats_article.xml"


@pytest.fixture
def fixture_file() -> Path:
    return shared_path("fixtures", "entrez", "efetch_pmc.xml")


@pytest.fixture
def running(fixture_file: Path) -> Iterator[RunningService]:
    service = EutilsService([], faults=FaultPlan())
    service.pmc = PmcArticles.from_files([fixture_file, COMPOSED])
    with RunningService(service) as server:
        yield server


def client_for(server: RunningService, sleeps: SleepRecorder | None = None) -> PmcClient:
    return PmcClient(base_url=server.base_url, http=httpx.Client(timeout=5), rate=1000.0,
                     policy=RetryPolicy(attempts=3, base_delay=0.01, sleep=sleeps or SleepRecorder()))


def test_real_pmc_answer_parses(fixture_file: Path) -> None:
    text = parse_jats(fixture_file.read_bytes())
    assert (text.pmcid, text.pmid, text.article_type) == ("PMC8435807", "34527728", "correction")
    assert text.title.startswith("“Lung diffusing capacity")
    assert text.sections and text.sections[0].text.startswith("This article was originally published")
    assert text.methods_text == ""  # a correction notice has no Methods section


def test_methods_sections_are_found_with_their_subsections() -> None:
    text = parse_jats(COMPOSED.read_bytes())
    methods = [s.title for s in text.sections if s.methods]
    assert methods == ["Materials and Methods", "Cell culture and collection of conditioned medium",
                       "Separation of vesicles", "Characterization"]
    assert "Type 70 Ti rotor [1]." in text.methods_text  # inline markup and references flattened
    assert "Step 1" not in text.methods_text  # tables are not prose
    assert "EV-TRACK" not in text.methods_text and "Photoaging" not in text.methods_text
    assert text.title.endswith("on photoaged skin")


def test_fetch_over_http_from_the_local_service(running: RunningService) -> None:
    with client_for(running) as client:
        article = client.fetch("PMC9000001")
        assert article.pmid == "90000001" and "serum-free" in article.methods_text
        assert client.fetch("8435807").pmcid == "PMC8435807"
        with pytest.raises(SourceUnavailable, match="ID 1234 not found"):
            client.fetch("PMC1234")
    utility, params = running.service.requests[0]
    assert (utility, params["db"], params["id"], params["tool"]) == ("efetch.fcgi", "pmc", "9000001", "exoreview")


def test_fetch_retries_server_errors(running: RunningService) -> None:
    running.service.faults.add(Fault("efetch.fcgi", status=503, times=2))
    sleeps = SleepRecorder()
    with client_for(running, sleeps) as client:
        assert client.fetch("PMC9000001").pmcid == "PMC9000001"
    assert len(sleeps.waits) == 2


def test_cut_answer_is_a_malformed_response(running: RunningService) -> None:
    running.service.faults.add(Fault("efetch.fcgi", cut=0.5))
    with client_for(running) as client, pytest.raises(SourceMalformedResponse, match="not JATS XML"):
        client.fetch("PMC9000001")


@pytest.mark.parametrize("bad", ["", "PMC", "PMCabc", "12a"])
def test_bad_pmcid_is_named(bad: str) -> None:
    with pytest.raises(ValueError, match="not a PMC ID"):
        normalize_pmcid(bad)


def test_service_without_articles_refuses_db_pmc() -> None:
    with (RunningService(EutilsService([])) as server, client_for(server) as client,
          pytest.raises(SourceUnavailable, match="HTTP 400")):
        client.fetch("PMC9000001")


def test_unreadable_article_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_text("<article><front>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.xml: not XML"):
        PmcArticles.from_files([bad])


def test_classify_stage_appraises_methods_from_the_full_text(running: RunningService, tmp_path: Path) -> None:
    record = Record(pmid="90000001", pmcid="PMC9000001",
                    title="Small extracellular vesicles from adipose stromal cells on photoaged skin",
                    abstract=[AbstractSection("Adipose-derived stem cell exosomes reduced wrinkles in mice.")])
    taxonomy = load_protocol("exosome-aesthetics").taxonomy
    with Store.open(tmp_path / "review.sqlite") as store, client_for(running) as client:
        [record_id] = store.add_records([record], source="test")
        classify_records(store, [record_id], taxonomy)
        abstract_only = store.appraisals(record_id)
        classify_records(store, [record_id], taxonomy, methods_text=lambda r: client.fetch(r.pmcid).methods_text)
        with_methods = {r.item: r for r in store.appraisals(record_id)}
    assert score_of(list(with_methods.values())) > score_of(abstract_only)
    for item in ("source_conditions", "separation_parameters", "centrifugation_rotor", "storage_conditions",
                 "negative_marker", "protein_quantification"):
        assert with_methods[item].rating == REPORTED, item
        assert with_methods[item].evidence.field_name == "fulltext_methods"
    assert with_methods["data_shared"].rating != REPORTED  # named only in the Results
