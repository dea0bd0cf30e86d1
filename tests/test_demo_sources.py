"""The offline demo searches all four sources, each through its local service over real HTTP on loopback.

One demo is built per module (through the CLI) and read back: the PRISMA figure's numbers per
source against the store, the searches as logged, deduplication across sources, and the trials
table against the synthetic registry.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree, html

from exoreview.cli.app import main
from exoreview.demo.localapis import demo_corpus as views
from exoreview.demo.run import DEMO_CLOCK, DEMO_URLS, demo_sources_toml
from exoreview.protocol import load_protocol
from exoreview.protocol.loader import parse_protocol
from exoreview.results import ELIGIBILITY, EXCLUDE, INCLUDE, TITLE_ABSTRACT
from exoreview.sources.ctgov import trials
from exoreview.store import Store
from exoreview.synthesis.prisma import record_sources

SEED = 2025
SOURCES = ("pubmed", "europepmc", "openalex", "ctgov")
HAND_SEARCH = "import:hand-search.ris"
REPORT_FILES = ("report.html", "report.md", "report.docx", "report.pdf", "figures/prisma.svg", "figures/prisma.png",
                "search-log.json")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-sources") / "demo"
    assert main(["demo", "--out", str(out), "--seed", str(SEED)]) == 0
    return out


def _figure_counts(root: etree._Element) -> dict[str, int]:
    counts: dict[str, int] = {}
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("data-box"):
            key, value = element.get("data-box"), int(element.get("data-count"))
            assert counts.setdefault(key, value) == value, f"{key} shows two numbers"
    return counts


def test_prisma_figure_counts_each_source_as_the_store_does(demo: Path) -> None:
    svg = _figure_counts(etree.parse(str(demo / "figures" / "prisma.svg")).getroot())
    page = _figure_counts(html.fromstring((demo / "report.html").read_bytes()))
    assert {k: v for k, v in page.items() if k in svg} == svg  # the report shows the figure's numbers

    with Store.open(demo / "review.sqlite") as store:
        by_source = {s: len(ids) for s, ids in record_sources(store).items()}
        duplicates = {d.record_id for d in store.duplicates()}
        unique = set(store.unique_record_ids())
        ta = {i: d for i, d in store.final_decisions(TITLE_ABSTRACT).items() if i in unique}
        el = store.final_decisions(ELIGIBILITY)
        total = store.record_count()
    assert set(by_source) == {*SOURCES, HAND_SEARCH}
    for source, count in by_source.items():
        assert svg[f"identified:{source}"] == count > 0, source
    assert svg["databases"] == sum(by_source[s] for s in SOURCES)  # registers count among "databases and registers"
    assert svg["registers"] == by_source["ctgov"]  # and have a line of their own, as PRISMA 2020 draws them
    svg_text = (demo / "figures" / "prisma.svg").read_text(encoding="utf-8")
    assert "Registers" in svg_text and "ClinicalTrials.gov" in svg_text and ">ctgov" not in svg_text
    assert svg["other_methods"] == by_source[HAND_SEARCH]
    assert svg["identified"] == svg["databases"] + svg["other_methods"] == total
    assert svg["duplicates"] == len(duplicates) > by_source["europepmc"]  # every Europe PMC hit is a PubMed copy
    assert svg["identified"] - svg["duplicates"] == svg["screened"] == len(ta)
    assert svg["excluded_screening"] == sum(d.label == EXCLUDE for d in ta.values())
    assert svg["screened"] - svg["excluded_screening"] == svg["sought"]
    # Hand-searched references have no full-text status: they wait for a reviewer to retrieve them.
    awaiting = {i for i in ta if ta[i].label == INCLUDE and (i not in el or el[i].label not in (INCLUDE, EXCLUDE))}
    assert svg.get("awaiting_assessment", 0) == len(awaiting)
    assert svg["sought"] - svg["not_retrieved"] - svg.get("awaiting_assessment", 0) == svg["assessed"]
    assert svg["assessed"] - svg["excluded_eligibility"] == svg["included"] == sum(
        d.label == INCLUDE for d in el.values())


def test_every_source_is_searched_through_its_local_service_and_logged(demo: Path) -> None:
    protocol = load_protocol(demo / "protocol.toml")
    assert [s.name for s in protocol.sources] == list(SOURCES)
    assert not any(s.base_url for s in protocol.sources)  # the protocol a reviewer would run for real
    with Store.open(demo / "review.sqlite") as store:
        searches = {row["source"]: row for row in store.searches() if not row["source"].startswith("import:")}
        assert set(searches) == set(SOURCES)
        for source, row in searches.items():
            assert row["base_url"] == DEMO_URLS[source] and row["status"] == "ok", source
            assert row["executed_at"] == DEMO_CLOCK
            assert 0 < row["count"] == row["retrieved"] == store.record_count(source), source
        # Both the protocol's query and the query as each source received it are in the log (PRISMA-S).
        epmc = json.loads(searches["europepmc"]["filters"])
        assert epmc["protocol_query"] == protocol.source("pubmed").query_string()
        assert 'MESH:"Exosomes"' in searches["europepmc"]["query"] and "HAS_FREE_FULLTEXT:Y" in \
            searches["europepmc"]["query"]
        assert "open_access.is_oa:true" in searches["openalex"]["query"]
        assert "query.intr=exosome OR exosomes" in searches["ctgov"]["query"]

        pubmed_ids = {r.pmid for _, r in store.iter_records(store.record_ids("pubmed"))}
        epmc_records = [r for _, r in store.iter_records(store.record_ids("europepmc"))]
        assert {r.pmid for r in epmc_records} <= pubmed_ids  # Europe PMC serves a subset of the same corpus
        works = [r for _, r in store.iter_records(store.record_ids("openalex"))]
        assert all(r.openalex_id.startswith("W99") for r in works)
        without_ids = [r for r in works if not r.pmid and not r.doi]
        assert without_ids and any(not r.pmid and r.doi for r in works)
        # Every copy found its original, the id-less ones by the fuzzy matcher.
        links = {d.record_id: d for d in store.duplicates()}
        for source in ("europepmc", "openalex"):
            assert set(store.record_ids(source)) <= set(links), source
        fuzzy = {links[i].reason for i, r in store.iter_records(store.record_ids("openalex")) if not r.pmid
                 and not r.doi}
        assert fuzzy and not fuzzy & {"pmid", "doi", "pmcid"}
        assert store.get_meta("corpus") == "synthetic"
    assert 'id="synthetic-notice"' in (demo / "report.html").read_text(encoding="utf-8")


def _expected_trials(seed: int) -> set[str]:
    """NCT ids of the registry's EV trials in skin or hair conditions, read from the registry itself."""
    skin_hair = re.compile(r"alopecia|skin|melasma|acne|dermatitis|photoaging|wound", re.IGNORECASE)
    found = set()
    for study in views.registry(seed):
        p = study["protocolSection"]
        names = " ".join(i["name"] for i in p["armsInterventionsModule"]["interventions"])
        conditions = " ".join(p["conditionsModule"]["conditions"])
        if re.search(r"exosome|vesicle", names, re.IGNORECASE) and skin_hair.search(conditions):
            found.add(p["identificationModule"]["nctId"])
    return found


def test_trials_table_lists_the_matching_synthetic_trials(demo: Path) -> None:
    expected = _expected_trials(SEED)
    registry = {s["protocolSection"]["identificationModule"]["nctId"] for s in views.registry(SEED)}
    assert 0 < len(expected) < len(registry)  # the search has something to leave out
    with Store.open(demo / "review.sqlite") as store:
        stored = trials(store)
    assert {t.nct_id for t in stored} == expected
    assert all(t.title and t.overall_status and t.phases and t.conditions for t in stored)

    page = html.fromstring((demo / "report.html").read_bytes())
    table = page.get_element_by_id("trials").find(".//table")
    assert table is not None, "the report has no trials table"
    rows = table.findall(".//tbody/tr")
    shown = {row.findall("td")[0].text_content().strip() for row in rows}
    assert shown == expected
    assert all("[Synthetic]" in row.findall("td")[1].text_content() for row in rows)  # labelled synthetic
    assert "NCT99" in (demo / "report.md").read_text(encoding="utf-8")
    phases = {row.findall("td")[i].text_content() for row in rows for i in range(len(row.findall("td")))}
    assert not any("[\"" in cell or "PHASE" in cell for cell in phases)  # lists shown as a reader writes them


def test_demo_protocol_entries_parse_and_keep_pubmed_filters() -> None:
    pubmed = load_protocol("exosome-aesthetics").source("pubmed")
    assert pubmed is not None
    base = (resources.files("exoreview.protocol.builtin") / "exosome-aesthetics.toml").read_text(encoding="utf-8")
    protocol = parse_protocol(base + demo_sources_toml(pubmed))
    for name in ("europepmc", "openalex"):
        spec = protocol.source(name)
        assert spec is not None and spec.query_string() == pubmed.query_string()
    assert protocol.source("ctgov").intervention.startswith("exosome")
    # The built-in protocol itself still searches PubMed only, as the seed review did.
    assert [s.name for s in load_protocol("exosome-aesthetics").sources] == ["pubmed"]


@pytest.mark.slow
def test_second_demo_run_writes_the_same_bytes_and_no_port_or_clock_leaks(demo: Path) -> None:
    before = {name: (demo / name).read_bytes() for name in REPORT_FILES}
    assert main(["demo", "--out", str(demo), "--seed", str(SEED)]) == 0  # new random ports, a later wall clock
    changed = [name for name in REPORT_FILES if (demo / name).read_bytes() != before[name]]
    assert not changed
    text = (demo / "report.html").read_text(encoding="utf-8") + (demo / "report.md").read_text(encoding="utf-8")
    assert "127.0.0.1" not in text and not re.search(r"localhost:\d", text)
    assert datetime.now(UTC).date().isoformat() not in text
    assert DEMO_CLOCK in text
