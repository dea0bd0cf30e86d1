"""Synthesis from a real store: the PRISMA flow's numbers and ids, its arithmetic, tables and references.

Every record here is invented for the test (titles, authors, journals, identifiers).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from exoreview.protocol import load_protocol
from exoreview.protocol.model import Protocol, Taxonomy
from exoreview.records import AbstractSection, Author, Journal, PubDate, Record
from exoreview.results import (
    ELIGIBILITY,
    EXCLUDE,
    INCLUDE,
    MAYBE,
    TITLE_ABSTRACT,
    Decision,
    DuplicateLink,
    Evidence,
    Label,
)
from exoreview.store import Store
from exoreview.synthesis import PrismaError, build_synthesis, compute_flow
from exoreview.synthesis.tables import citation, vancouver

HAND_SEARCH = "import:hand-search & friends.ris"
FINISHED_AT = "2025-01-02T03:04:05Z"
RULES = "rules:exosome-aesthetics"


def invented(n: int, title: str, *, authors: int = 2, year: int = 2020 + 0, synthetic: bool = False) -> Record:
    return Record(
        pmid=str(99000000 + n),
        doi=f"10.99999/invented.{n}",
        title=title,
        abstract=[AbstractSection(f"Invented abstract number {n} about extracellular vesicles and skin.")],
        authors=[Author(f"Author{k}", "Test", "T") for k in range(1, authors + 1)],
        journal=Journal(title="Journal of Invented Results", iso_abbreviation="J. Invent. Res.", volume="12",
                        issue="3", pages="45-50"),
        pub_date=PubDate(year + n % 4),
        synthetic=synthetic,
        free_full_text=True,
    )


def label(record_id: int, facet: str, value: str, sentence: str, *, detail: str = "", hedged: bool = False,
          negated: bool = False, match: str = "") -> Label:
    evidence = Evidence(sentence, 0, len(sentence), "abstract", f"pattern:{facet}.{value}", match or sentence[:8])
    return Label(record_id, facet, value, evidence, negated=negated, hedged=hedged, detail=detail)


def build_review(
    path: Path, *, synthetic: bool = False, synthetic_record: bool = True
) -> tuple[Store, dict[str, int]]:
    """A store part-way through a review: every PRISMA box has at least one record in it."""
    store = Store.open(path)
    if synthetic:
        store.set_meta("corpus", "synthetic")
    run = store.start_run("test", "exosome-aesthetics")
    titles = [
        "Invented exosome cream for wrinkles: a randomized trial",  # p1 included
        "Invented dermal papilla vesicles and hair growth",  # p2 included
        "Invented vesicles for photoaging and melasma in mice",  # p3 included
        "Invented cardiac study",  # p4 excluded E1 by rules (after an earlier include)
        "Invented vesicles in the liver",  # p5 excluded E2 by a reviewer
        "Invented paywalled vesicle study",  # p6 not retrieved
        "Invented vesicle study in another language",  # p7 excluded E4 at eligibility
        "Invented unscreened record",  # p8 no decision
        "Invented undecided record",  # p9 maybe
        "Invented record awaiting its full text",  # p10 no eligibility decision
        "Invented vesicle study without labels",  # p11 included, no labels
    ]
    pubmed = [invented(n, t, authors=7 if n == 1 else 2) for n, t in enumerate(titles, start=1)]
    ids = dict(zip([f"p{n}" for n in range(1, 12)], store.add_records(pubmed, source="pubmed", run_id=run),
                   strict=True))
    hand = [invented(1, titles[0], authors=7),
            dataclasses.replace(invented(13, "Invented <script>alert(1)</script> & hair study", authors=1),
                                synthetic=synthetic_record)]
    ids["dup1"], ids["h13"] = store.add_records(hand, source=HAND_SEARCH, run_id=run)
    search = store.add_search(run, "pubmed", "exosomes[mh] AND skin[tiab]", filters={"free_full_text": True},
                              base_url="http://127.0.0.1:1/eutils/")
    store.update_search(search, translation='"exosomes"[MeSH Terms] AND skin[tiab]', count=11, retrieved=11,
                        status="ok")
    imported = store.add_search(run, HAND_SEARCH, "file import: hand-search & friends.ris")
    store.update_search(imported, count=2, retrieved=2, status="ok")
    store.add_duplicates([DuplicateLink(ids["dup1"], ids["p1"], "pmid"), DuplicateLink(ids["p3"], ids["p2"], "title")])
    store.undo_duplicate(2)  # a reviewer undid the second link: p3 stands for its own study again

    def ta(key: str, lab: str, reason: str = "", reviewer: str = RULES) -> Decision:
        return Decision(ids[key], TITLE_ABSTRACT, lab, reviewer, reason)

    def el(key: str, lab: str, reason: str = "") -> Decision:
        return Decision(ids[key], ELIGIBILITY, lab, RULES, reason)

    store.add_decisions([ta("p4", INCLUDE)])
    store.add_decisions([
        ta("p1", INCLUDE), ta("p2", INCLUDE), ta("p3", INCLUDE), ta("p4", EXCLUDE, "E1"),
        ta("p5", EXCLUDE, "E2", reviewer="Invented Reviewer"), ta("p6", INCLUDE), ta("p7", INCLUDE),
        ta("p9", MAYBE), ta("p10", INCLUDE), ta("p11", INCLUDE), ta("h13", INCLUDE), ta("dup1", INCLUDE),
    ])
    store.add_decisions([
        el("p1", INCLUDE), el("p2", INCLUDE), el("p3", INCLUDE), el("p6", EXCLUDE, "NR"), el("p7", EXCLUDE, "E4"),
        el("p11", INCLUDE), el("h13", INCLUDE),
    ])
    store.replace_labels(ids["p1"], [
        label(ids["p1"], "indication", "skin_rejuvenation", "The invented cream reduced wrinkles."),
        label(ids["p1"], "design", "rct", "Forty invented volunteers were randomized.", detail="evidence_level=2"),
        label(ids["p1"], "subjects", "human", "Forty invented volunteers were randomized."),
        label(ids["p1"], "ev_source", "adipose_msc", "Vesicles came from invented adipose stem cells."),
        label(ids["p1"], "isolation", "differential_ultracentrifugation", "They were spun at 100,000 g."),
        label(ids["p1"], "delivery", "topical", "The cream was applied twice daily."),
        label(ids["p1"], "dose", "stated", "Each dose held 2 x 10^9 particles/mL.", detail="2 x 10^9 particles/mL"),
        label(ids["p1"], "mechanism", "collagen_elastin", "Collagen I rose in invented biopsies."),
        label(ids["p1"], "outcome", "improved", "Wrinkle scores improved."),
        label(ids["p1"], "safety", "no_adverse_events", "No adverse events were seen."),
        label(ids["p1"], "indication", "pigmentation", "No melasma was treated.", negated=True),
    ])
    store.replace_labels(ids["p2"], [
        label(ids["p2"], "indication", "hair_loss", "Invented vesicles promoted hair growth."),
        label(ids["p2"], "design", "in_vitro", "Cultured invented dermal papilla cells were used."),
        label(ids["p2"], "ev_source", "dermal_papilla", "Cultured invented dermal papilla cells were used."),
        label(ids["p2"], "mechanism", "wnt_beta_catenin", "Beta-catenin may rise.", hedged=True),
    ])
    store.replace_labels(ids["p3"], [
        label(ids["p3"], "indication", "skin_rejuvenation", "Photoaging of invented mice was reduced."),
        label(ids["p3"], "indication", "pigmentation", "Melanin content <fell> & stayed low."),
        label(ids["p3"], "design", "animal", "Twelve invented mice were studied."),
        label(ids["p3"], "ev_source", "adipose_msc", "Adipose vesicles were used."),
        label(ids["p3"], "safety", "adverse_events_reported", "Mild erythema was observed."),
    ])
    store.replace_labels(ids["h13"], [
        label(ids["h13"], "indication", "hair_loss", "Invented hair counts rose."),
        label(ids["h13"], "design", "case_report", "One invented patient was treated."),
    ])
    store.finish_run(run)
    store.db.execute("UPDATE runs SET finished_at=?", (FINISHED_AT,))
    return store, ids


@pytest.fixture
def protocol() -> Protocol:
    return load_protocol("exosome-aesthetics")


@pytest.fixture
def review(tmp_path: Path) -> Iterator[tuple[Store, dict[str, int]]]:
    store, ids = build_review(tmp_path / "r.sqlite")
    yield store, ids
    store.close()


def test_flow_counts_every_box_from_the_store(review: tuple[Store, dict[str, int]], protocol: Protocol) -> None:
    store, ids = review
    flow = compute_flow(store, protocol)
    flow.check()
    n = flow.counts()
    assert list(flow.identified) == ["pubmed", HAND_SEARCH]
    assert (n["identified"], n["databases"], n["other_methods"]) == (13, 11, 2)
    assert n[f"identified:{HAND_SEARCH}"] == 2
    assert flow.duplicates == (ids["dup1"],)  # the undone link removes nothing
    assert set(flow.awaiting_screening) == {ids["p8"], ids["p9"]}
    assert n["screened"] == 10
    assert set(flow.excluded_screening) == {ids["p4"], ids["p5"]}  # p4's latest decision stands
    assert flow.excluded_by_automation == (ids["p4"],)
    assert flow.excluded_by_reviewer == (ids["p5"],)
    reasons = {r.id: r for r in flow.screening_reasons}
    assert list(reasons) == ["E0", "E1", "E2", "E5", "E3"]  # every title/abstract criterion, zero counts too
    assert reasons["E1"].ids == (ids["p4"],) and reasons["E3"].n == 0
    assert reasons["E1"].text == "Not about exosomes or extracellular vesicles."
    assert n["sought"] == 8
    assert flow.not_retrieved == (ids["p6"],)
    assert [r.id for r in flow.not_retrieved_reasons] == ["NR"]
    assert flow.awaiting_assessment == (ids["p10"],)
    assert n["assessed"] == 6
    assert flow.excluded_eligibility == (ids["p7"],)
    assert [(r.id, r.n) for r in flow.eligibility_reasons] == [("E4", 1)]
    assert set(flow.included) == {ids[k] for k in ("p1", "p2", "p3", "p11", "h13")}
    assert ids["dup1"] not in flow.sought  # a set-aside copy's own decisions do not count


def test_check_names_the_box_that_does_not_add_up(review: tuple[Store, dict[str, int]], protocol: Protocol) -> None:
    flow = compute_flow(review[0], protocol)
    with pytest.raises(PrismaError, match=r"'Records screened'.*= 10, but the store gives 9"):
        dataclasses.replace(flow, screened=flow.screened[1:]).check()
    with pytest.raises(PrismaError, match="'Reports assessed for eligibility'"):
        dataclasses.replace(flow, awaiting_assessment=()).check()
    with pytest.raises(PrismaError, match=r"'Records excluded'.*sum of its reasons"):
        dataclasses.replace(flow, screening_reasons=tuple(r for r in flow.screening_reasons if r.id != "E1")).check()


def test_unknown_reason_is_kept_so_reasons_sum_to_the_box(tmp_path: Path, protocol: Protocol) -> None:
    with Store.open(tmp_path / "r.sqlite") as store:
        (rid,) = store.add_records([invented(1, "Invented")], source="pubmed")
        store.add_decisions([Decision(rid, TITLE_ABSTRACT, EXCLUDE, "Invented Reviewer", "X9")])
        flow = compute_flow(store, protocol)
        flow.check()
        assert flow.screening_reasons[-1].id == "X9" and "not a criterion" in flow.screening_reasons[-1].text


def test_synthesis_sections_tables_and_references(review: tuple[Store, dict[str, int]], protocol: Protocol) -> None:
    store, ids = review
    s = build_synthesis(store, protocol)
    assert s.generated_at == FINISHED_AT
    assert s.synthetic  # the hand-searched record is flagged synthetic, though the corpus is not
    assert [sec.id for sec in s.sections] == ["skin_rejuvenation", "hair_loss", "pigmentation", "unclassified"]
    skin = s.sections[0]
    assert [st.record_id for st in skin.studies] == [ids["p1"], ids["p3"]]  # RCT (level 2) before animal
    assert [(t.value, t.n) for t in skin.designs] == [("rct", 1), ("animal", 1)]
    assert [(t.value, t.n) for t in skin.sources] == [("adipose_msc", 2)]
    assert "2 included studies address skin rejuvenation and photoaging" in skin.summary
    pigmentation = s.sections[2]
    assert [st.record_id for st in pigmentation.studies] == [ids["p3"]]  # p1's negated label does not count
    p1 = next(st for st in s.studies if st.record_id == ids["p1"])
    assert p1.citation == "Author1 et al., 2021" and p1.level == 2 and p1.ref == 1
    assert [c.text for c in p1.cells(["dose"])] == ["2 x 10^9 particles/mL"]
    assert all(c.sentence for c in p1.labels)
    assert [r.number for r in s.references] == list(range(1, 6))
    ref1 = s.references[0]
    assert ref1.text == (
        "Author1 T, Author2 T, Author3 T, Author4 T, Author5 T, Author6 T, et al. Invented exosome cream for "
        "wrinkles: a randomized trial. J Invent Res. 2021;12(3):45-50. doi:10.99999/invented.1. PMID: 99000001."
    )
    assert [r.source for r in s.searches] == ["pubmed", HAND_SEARCH]
    assert s.queries == (("PubMed", "exosomes[mh] AND skin[tiab]"),)


def test_empty_taxonomy_falls_back_to_value_ids(review: tuple[Store, dict[str, int]], protocol: Protocol) -> None:
    bare = protocol.model_copy(update={"taxonomy": Taxonomy()})
    s = build_synthesis(review[0], bare)
    assert {sec.label for sec in s.sections} >= {"skin_rejuvenation", "hair_loss"}
    p1 = next(st for st in s.studies if st.record_id == review[1]["p1"])
    assert p1.level == 2  # from the design label's detail when the taxonomy has no level
    assert [c.text for c in p1.cells(["outcome"])] == ["Improved"]


def test_citation_and_vancouver_edge_cases() -> None:
    single = invented(4, "A <i>single</i> author study?", authors=1)
    assert citation(single) == "Author1, 2020"
    assert vancouver(single).startswith("Author1 T. A single author study? J Invent Res. 2020;12(3):45-50.")
    nobody = Record(title="Anonymous invented notes on vesicles", pub_date=PubDate(None, medline_date="2019 Spring"))
    assert citation(nobody) == "Anonymous invented notes on…, 2019"
    assert vancouver(nobody) == "Anonymous invented notes on vesicles. 2019."
