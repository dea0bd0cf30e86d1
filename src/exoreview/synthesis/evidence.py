"""Overview figures and challenge statistics, computed from the included studies' labels and appraisals.

Every number here is a set of record ids, never a bare count, so the report can link each
number to the records behind it. Facets are read by name: a facet the classifier adds later
flows into the frequency tables without a change here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from exoreview.protocol.model import Taxonomy
from exoreview.synthesis.appraisal import Appraisal, read_appraisal  # noqa: F401 (re-exported)
from exoreview.synthesis.tables import Study, class_label

Ids = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """A class of a facet and the studies that carry it."""

    value: str
    label: str
    ids: Ids

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class MapCell:
    ids: Ids
    best_level: int | None  # strongest design among the cell's studies, 1 strongest

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class EvidenceMap:
    """Indication (rows) x EV source (columns); each cell the studies carrying both labels."""

    rows: tuple[Group, ...]
    columns: tuple[Group, ...]
    cells: dict[tuple[str, str], MapCell]

    def cell(self, row: str, column: str) -> MapCell:
        return self.cells.get((row, column), MapCell((), None))


@dataclass(frozen=True, slots=True)
class DesignYears:
    years: tuple[int, ...]
    designs: tuple[Group, ...]  # strongest design first
    cells: dict[tuple[int, str], Ids]
    undated: Ids


@dataclass(frozen=True, slots=True)
class Challenge:
    key: str
    title: str
    text: str  # the sentence, written from the numbers
    ids: Ids  # the studies the share counts
    of: Ids  # the studies it is a share of

    @property
    def share(self) -> str:
        return f"{round(100 * len(self.ids) / len(self.of))}%" if self.of else "—"


def groups(studies: Iterable[Study], facet: str, taxonomy: Taxonomy, *, values: Iterable[str] | None = None
           ) -> tuple[Group, ...]:
    """Studies per class of a facet, most frequent first; ties in taxonomy order."""
    members: dict[str, list[int]] = {}
    for study in studies:
        for value in dict.fromkeys(c.value for c in study.labels if c.facet == facet):
            if values is None or value in values:
                members.setdefault(value, []).append(study.record_id)
    order = list(taxonomy.classes(facet))
    ranked = sorted(members, key=lambda v: (-len(members[v]), order.index(v) if v in order else len(order), v))
    return tuple(Group(v, class_label(taxonomy, facet, v), tuple(sorted(members[v]))) for v in ranked)


def evidence_map(studies: list[Study], taxonomy: Taxonomy) -> EvidenceMap:
    by_id = {s.record_id: s for s in studies}
    rows = groups(studies, taxonomy.report.map_rows, taxonomy)
    order = list(taxonomy.classes(taxonomy.report.map_rows))
    rows = tuple(sorted(rows, key=lambda g: (order.index(g.value) if g.value in order else len(order), g.value)))
    columns = groups(studies, taxonomy.report.map_columns, taxonomy)
    cells: dict[tuple[str, str], MapCell] = {}
    for row in rows:
        for column in columns:
            ids = tuple(sorted(set(row.ids) & set(column.ids)))
            if ids:
                levels = [by_id[i].level for i in ids if by_id[i].level is not None]
                cells[(row.value, column.value)] = MapCell(ids, min(levels) if levels else None)
    return EvidenceMap(rows, columns, cells)


def design_years(studies: list[Study], taxonomy: Taxonomy) -> DesignYears:
    designs = groups(studies, "design", taxonomy)
    order = list(taxonomy.classes("design"))
    levels = {v: (c.evidence_level if c.evidence_level is not None else 99) for v, c in
              taxonomy.classes("design").items()}
    designs = tuple(sorted(designs, key=lambda g: (levels.get(g.value, 99),
                                                   order.index(g.value) if g.value in order else len(order))))
    by_id = {s.record_id: s for s in studies}
    cells: dict[tuple[int, str], list[int]] = {}
    for group in designs:
        for i in group.ids:
            year = by_id[i].year
            if year:
                cells.setdefault((year, group.value), []).append(i)
    years = sorted({y for y, _ in cells})
    span = tuple(range(years[0], years[-1] + 1)) if years else ()
    undated = tuple(sorted(s.record_id for s in studies if not s.year))
    return DesignYears(span, designs, {k: tuple(sorted(v)) for k, v in cells.items()}, undated)


def _having(studies: list[Study], facet: str, values: Iterable[str] | None = None,
            prefix: str = "") -> Ids:
    wanted = set(values) if values is not None else None
    return tuple(sorted(s.record_id for s in studies if any(
        c.facet == facet and (wanted is None or c.value in wanted) and c.value.startswith(prefix)
        for c in s.labels)))


SINGLE_VESICLE = ("nta", "trps", "tem_cryoem", "nano_flow", "dls")
PRIMARY_DESIGNS_EXCLUDED = ("narrative_review", "systematic_review", "meta_analysis")


def challenges(studies: list[Study], taxonomy: Taxonomy) -> tuple[Challenge, ...]:
    """The obstacles the field names, each as a share of the included studies counted from their labels.

    Each title is chosen from the share it heads (all, at least half, fewer than half), so that a
    heading never says "few" over a number that says "most".
    """
    everyone = tuple(sorted(s.record_id for s in studies))
    reviews = set(_having(studies, "design", PRIMARY_DESIGNS_EXCLUDED))
    primary = tuple(i for i in everyone if i not in reviews)
    isolation = tuple(i for i in _having(studies, "isolation") if i in primary)
    negative = tuple(i for i in _having(studies, "characterization", prefix="negative_") if i in primary)
    single = tuple(i for i in _having(studies, "characterization", SINGLE_VESICLE) if i in primary)
    human = tuple(i for i in _having(studies, "subjects", ("human",)) if i in primary)
    human_ids = set(human)
    safety = tuple(i for i in _having(studies, "safety") if i in human_ids)
    harmed = tuple(i for i in _having(studies, "safety", ("adverse_events_reported", "serious_adverse_event"))
                   if i in human_ids)

    def pct(ids: Ids, of: Ids) -> str:
        return f"{len(ids)} of {len(of)} ({round(100 * len(ids) / len(of))}%)" if of else "none (no study to count)"

    found = (
        Challenge("isolation", share_title(isolation, primary, "Every primary study names its isolation method",
                                           "Isolation methods are not always named",
                                           "Most primary studies name no isolation method"),
                  f"{pct(isolation, primary)} primary studies name how their vesicles were isolated"
                  + ("; the rest give no method a reader could repeat." if len(isolation) < len(primary) else "."),
                  isolation, primary),
        Challenge("negative_marker", share_title(negative, primary, "Purity is shown with a negative marker throughout",
                                                 "Purity is not always shown with a negative marker",
                                                 "Purity is rarely shown with a negative marker"),
                  f"{pct(negative, primary)} primary studies report a negative marker (such as calnexin, GM130 "
                  "or ApoA1), which MISEV asks for to show the preparation is not cell debris.", negative, primary),
        Challenge("single_vesicle", share_title(single, primary, "Every primary study characterizes single vesicles",
                                                "Single-vesicle characterization is incomplete",
                                                "Single vesicles are rarely characterized"),
                  f"{pct(single, primary)} primary studies characterize individual vesicles (particle "
                  "analysis or electron microscopy).", single, primary),
        Challenge("human_data", share_title(human, primary, "Every primary study includes people",
                                            "Most primary studies include people", "Few studies in people"),
                  f"{pct(human, primary)} primary studies report data from human participants"
                  + ("; the rest are laboratory or animal studies." if len(human) < len(primary) else "."),
                  human, primary),
        Challenge("adverse_events", share_title(safety, human, "Every study in people makes a safety statement",
                                                "Safety goes unreported in some studies in people",
                                                "Safety is reported in few studies in people"),
                  f"{pct(safety, human)} studies in people make a statement on safety, and "
                  f"{len(harmed)} report adverse events; long-term follow-up is not counted by the "
                  "classifier.", safety, human),
    )
    return tuple(c for c in found if c.key in taxonomy.report.challenges)


def share_title(ids: Ids, of: Ids, every: str, most: str, few: str) -> str:
    """The heading that fits the share: `every` for all, `most` for at least half, `few` below half (or none)."""
    if of and len(ids) == len(of):
        return every
    return most if of and 2 * len(ids) >= len(of) else few


def taxonomy_facets(studies: Iterable[Study]) -> list[str]:
    return sorted({c.facet for s in studies for c in s.labels})
