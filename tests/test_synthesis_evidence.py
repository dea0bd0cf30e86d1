"""Evidence map, design by year, method tallies, challenges and the records behind each number.

The store is `build_review`'s: five included studies with known labels (see test_synthesis_prisma).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exoreview.protocol import load_protocol
from exoreview.store import Store
from exoreview.synthesis import Synthesis, build_synthesis
from tests.test_synthesis_prisma import build_review


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Synthesis, dict[str, int]]:
    store, ids = build_review(tmp_path_factory.mktemp("evidence") / "r.sqlite")
    try:
        return build_synthesis(store, load_protocol("exosome-aesthetics")), ids
    finally:
        store.close()


def test_evidence_map_cells_hold_the_studies_with_both_labels(built) -> None:
    s, ids = built
    m = s.evidence_map
    assert [r.value for r in m.rows] == ["skin_rejuvenation", "hair_loss", "pigmentation"]  # taxonomy order
    assert [c.value for c in m.columns] == ["adipose_msc", "dermal_papilla"]  # most studies first
    cell = m.cell("skin_rejuvenation", "adipose_msc")
    assert cell.ids == tuple(sorted((ids["p1"], ids["p3"]))) and cell.best_level == 2  # p1 is an RCT (level 2)
    assert m.cell("pigmentation", "adipose_msc").ids == (ids["p3"],)
    assert m.cell("hair_loss", "adipose_msc").n == 0
    assert s.link("map:skin_rejuvenation:adipose_msc").ids == cell.ids


def test_design_by_year_spans_the_years_and_counts_each_study_once(built) -> None:
    s, ids = built
    dy = s.design_years
    assert dy.years == tuple(range(dy.years[0], dy.years[-1] + 1))
    placed = [i for v in dy.cells.values() for i in v]
    assert sorted(placed) == sorted(ids[k] for k in ("p1", "p2", "p3", "h13"))  # p11 has no design label
    assert [d.value for d in dy.designs] == ["rct", "case_report", "animal", "in_vitro"]  # strongest first


def test_method_tallies_and_challenges_are_counted_from_labels(built) -> None:
    s, ids = built
    methods = {facet: groups for facet, _, groups in s.method_groups}
    assert [(g.value, g.ids) for g in methods["isolation"]] == [("differential_ultracentrifugation", (ids["p1"],))]
    assert methods["characterization"] == ()
    by_key = {c.key: c for c in s.challenges}
    assert len(by_key["isolation"].of) == 5 and by_key["isolation"].ids == (ids["p1"],)
    assert by_key["isolation"].share == "20%"
    assert by_key["negative_marker"].ids == () and by_key["single_vesicle"].ids == ()
    assert by_key["human_data"].ids == (ids["p1"],)
    assert by_key["adverse_events"].of == (ids["p1"],) and by_key["adverse_events"].ids == (ids["p1"],)
    assert "0 report adverse events" in by_key["adverse_events"].text  # p1 reported none; p3 is not in people


def test_every_list_names_known_records_and_anchors_are_unique(built) -> None:
    s, _ = built
    anchors = [entry.anchor for entry in s.lists.values()]
    assert len(anchors) == len(set(anchors))
    indexed = {r.record_id for r in s.record_index}
    assert all(set(entry.ids) <= indexed for entry in s.lists.values())
    flow = s.flow.counts()
    for key, n in flow.items():
        assert s.link(f"flow:{key}").n == n, key
    included = {r.record_id: r for r in s.record_index if r.ref}
    assert sorted(included) == sorted(s.flow.included)


def test_section_summary_names_outcomes_and_key_studies(built) -> None:
    s, _ = built
    skin = s.sections[0]
    assert "Of the 1 study stating an outcome, 1 reports improvement only." in skin.summary
    assert "The strongest designs here: Author1 et al., 2021 [1] (randomized controlled trial)" in skin.summary


def test_empty_store_gives_empty_figures_data(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty.sqlite") as store:
        s = build_synthesis(store, load_protocol("exosome-aesthetics"))
    assert not s.evidence_map.rows and not s.design_years.years and s.appraisal is None
    assert all(c.share == "—" and not c.of for c in s.challenges)
