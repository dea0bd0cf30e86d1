"""Study tables, tallies, the search log and references, built from stored records and labels.

Everything here is plain data (no markup) so the HTML and Markdown writers render the same
content; every label keeps the sentence that supports it, so no cell of a table is a claim a
reader cannot check.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from exoreview.protocol.model import Taxonomy
from exoreview.records import Record
from exoreview.results import Label
from exoreview.sources.registry import source_label as registered_label
from exoreview.store.database import Store
from exoreview.synthesis.prisma import IMPORT_PREFIX

if TYPE_CHECKING:
    from exoreview.synthesis.appraisal import StudyAppraisal

# The order facets are listed in a study's evidence; facets not named here follow by name.
FACET_ORDER = ("indication", "design", "subjects", "species", "ev_source", "isolation", "characterization",
               "delivery", "dose", "mechanism", "outcome", "safety")
FACET_NAMES = {
    "indication": "Indication", "design": "Design", "subjects": "Subjects", "species": "Species",
    "ev_source": "EV source", "isolation": "Isolation", "characterization": "Characterization",
    "delivery": "Delivery", "dose": "Dose", "mechanism": "Mechanism", "outcome": "Outcome", "safety": "Safety",
    "domain": "Domain", "ev_role": "Role of the vesicles",
}
Columns = tuple[tuple[str, tuple[str, ...]], ...]  # (heading, facets shown in the column)


@dataclass(frozen=True, slots=True)
class Layout:
    """What the writers need of the taxonomy's report layout: headings, columns and nouns."""

    group_by: str  # the facet the Results are grouped by
    group_noun: str  # "indication": "Included studies by indication"
    map_rows: str
    map_columns: str
    map_rows_noun: str
    map_columns_noun: str
    columns: Columns
    document_columns: Columns
    facet_names: dict[str, str]
    appraisal: bool  # whether the review appraises EV reporting (MISEV) at all
    methods_title: str  # "Isolation and characterization methods"

    @property
    def map_none(self) -> str:
        """What the evidence map says while no study carries a label of both its facets."""
        rows, columns = self.map_rows_noun, self.map_columns_noun
        return (f"No included study carries both {article(rows)} {rows} and "
                f"{article(columns)} {columns.replace(' ', '-')} label yet.")

    @property
    def methods_alt(self) -> str:
        """The methods figure's alternative text: "Bars of studies per isolation and characterization method"."""
        return f"Bars of studies per {self.method_noun}"

    @property
    def methods_none(self) -> str:
        """What the methods figure says while no study names one: "...names an isolation or characterization method"."""
        method = self.method_noun.replace(" and ", " or ")
        return f"No included study names {article(method)} {method} yet."

    @property
    def method_noun(self) -> str:
        """"isolation and characterization method", to run on in a sentence."""
        subject = self.methods_title.removesuffix("s")
        return subject[0].lower() + subject[1:]


def layout_of(taxonomy: Taxonomy) -> Layout:
    spec, names = taxonomy.report, facet_names(taxonomy)
    return Layout(group_by=spec.group_by, group_noun=facet_noun(taxonomy, spec.group_by),
                  map_rows=spec.map_rows, map_columns=spec.map_columns,
                  map_rows_noun=facet_noun(taxonomy, spec.map_rows),
                  map_columns_noun=facet_noun(taxonomy, spec.map_columns),
                  columns=table_columns(taxonomy), document_columns=document_columns(taxonomy), facet_names=names,
                  appraisal=spec.appraisal, methods_title=_methods_title([names.get(f, f) for f in spec.method_facets]))


def article(noun: str) -> str:
    """"a" or "an" before a noun, by its first letter ("an indication", "an EV source")."""
    return "an" if noun[:1].lower() in "aeiou" else "a"


def _methods_title(names: list[str]) -> str:
    """"Isolation and characterization methods" from the method facets' display names."""
    if not names:
        return "Methods"
    lowered = [names[0]] + [_run_on(n) for n in names[1:]]
    joined = lowered[0] if len(lowered) == 1 else ", ".join(lowered[:-1]) + " and " + lowered[-1]
    return f"{joined} methods"


def default_layout() -> Layout:
    """The built-in layout, for a synthesis built without a taxonomy at hand."""
    return layout_of(Taxonomy())


def facet_names(taxonomy: Taxonomy) -> dict[str, str]:
    """Each facet's display name: the built-in names, under the taxonomy's own."""
    return {**FACET_NAMES, **taxonomy.report.facet_names}


def table_columns(taxonomy: Taxonomy) -> Columns:
    """The study table's columns, as the taxonomy's report layout declares them."""
    return tuple((c.heading, tuple(c.facets)) for c in taxonomy.report.columns)


def document_columns(taxonomy: Taxonomy) -> Columns:
    """The narrower set for paged formats (DOCX, PDF), where a page is only so wide."""
    return tuple(c for c in table_columns(taxonomy) if c[0] not in taxonomy.report.print_omits)


def facet_noun(taxonomy: Taxonomy, facet: str) -> str:
    """A facet's name to run on in a sentence: "indication", "EV source"."""
    return _run_on(facet_names(taxonomy).get(facet, facet.replace("_", " ")))


def _run_on(name: str) -> str:
    """A heading's word to run on in a sentence: "Indication" becomes "indication", "EV source" stays."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


# The classifier writes outcome directions outside the taxonomy (see classify.details).
OUTCOME_LABELS = {"improved": "Improved", "no_change": "No change", "worse": "Worse"}
_SOURCE_ALIASES = {"clinicaltrials": "ctgov"}  # the name stores written before the protocol settled on "ctgov"
# PubMed titles may carry inline markup (<i>, <sup>); only these tags are removed, so that "p < 0.05" survives.
_INLINE_TAG = re.compile(r"</?(?:i|b|u|em|strong|sup|sub|sc)\b[^>]*>", re.IGNORECASE)
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class LabelCell:
    """One label as a reader sees it, with its supporting sentence and where that came from."""

    facet: str
    value: str
    text: str
    anchor: str  # the id of the label's entry in the study's evidence list
    sentence: str
    field_name: str
    method: str
    match: str = ""
    hedged: bool = False


@dataclass(slots=True)
class Study:
    record_id: int
    citation: str  # "Smith et al., 2021"
    title: str
    year: int | None
    level: int | None  # evidence level of the design, 1 strongest
    labels: tuple[LabelCell, ...]
    indications: tuple[str, ...]
    synthetic: bool = False
    ref: int = 0  # reference number, assigned in order of first citation
    misev: int | None = None  # reporting-score items met, when the study was appraised
    misev_max: int = 0
    appraisal: StudyAppraisal | None = None  # item by item, when the study has appraisal rows
    in_full: bool = True  # shown with its labels, sentences and reference; past the report's detail limit, counted only

    @property
    def misev_text(self) -> str:
        """"5/8" (reported of applicable), "n/a" when the checklist does not apply, "—" when not appraised."""
        if self.misev is not None:
            return f"{self.misev}/{self.misev_max}"
        return "n/a" if self.appraisal is not None else "—"

    def cells(self, facets: Iterable[str]) -> list[LabelCell]:
        wanted = tuple(facets)
        return [c for c in self.labels if c.facet in wanted]

    @property
    def anchor(self) -> str:
        return f"study-{self.record_id}"


@dataclass(frozen=True, slots=True)
class Tally:
    value: str
    label: str
    n: int


@dataclass(frozen=True, slots=True)
class Reference:
    number: int
    record_id: int
    body: str  # authors, title, journal, year;volume(issue):pages.
    doi: str = ""
    pmid: str = ""
    synthetic: bool = False

    @property
    def text(self) -> str:
        tail = (f" doi:{self.doi}." if self.doi else "") + (f" PMID: {self.pmid}." if self.pmid else "")
        return self.body + tail


@dataclass(frozen=True, slots=True)
class SearchRow:
    number: int
    run_id: int
    source: str
    source_label: str
    executed_at: str
    query: str
    translation: str
    filters: str
    base_url: str
    count: int | None
    retrieved: int
    status: str
    record_ids: tuple[int, ...] = field(default=())


# -- names a reader sees ------------------------------------------------------------------------


def source_label(source: str) -> str:
    if source.startswith(IMPORT_PREFIX):
        return f"{source.removeprefix(IMPORT_PREFIX)} (imported file)"
    return registered_label(_SOURCE_ALIASES.get(source, source))


def class_label(taxonomy: Taxonomy, facet: str, value: str) -> str:
    """The taxonomy's label for a class; the value id itself when the taxonomy does not know it."""
    known = taxonomy.classes(facet).get(value)
    if known is not None:
        return known.label
    if facet == "outcome":
        return OUTCOME_LABELS.get(value, value)
    return value


def _class_rank(taxonomy: Taxonomy, facet: str, value: str) -> tuple[int, str]:
    classes = list(taxonomy.classes(facet))
    return (classes.index(value), "") if value in classes else (len(classes), value)


def _facet_rank(facet: str) -> tuple[int, str]:
    return (FACET_ORDER.index(facet), "") if facet in FACET_ORDER else (len(FACET_ORDER), facet)


def clean_title(title: str) -> str:
    return " ".join(_INLINE_TAG.sub("", title).split())


def citation(record: Record) -> str:
    """'First author et al., year', or the single author, or the title's start when no author is named."""
    year = str(record.year) if record.year else (record.pub_date.medline_date[:4] or "n.d.")
    names = [a.collective_name or a.last_name for a in record.authors if a.collective_name or a.last_name]
    if not names:
        words = clean_title(record.title).split()
        short = " ".join(words[:4]) + ("…" if len(words) > 4 else "")
        return f"{short or 'Untitled'}, {year}"
    return f"{names[0]}{' et al.' if len(names) > 1 else ''}, {year}"


def vancouver(record: Record) -> str:
    """The reference body in Vancouver style: 'Authors. Title. Journal. Year;Vol(Issue):Pages.'."""
    names = [a.display for a in record.authors if a.display]
    authors = ", ".join(names[:6] + (["et al"] if len(names) > 6 else []))
    title = clean_title(record.title) or "[Untitled]"
    if not title.endswith((".", "?", "!")):
        title += "."
    journal = record.journal.iso_abbreviation.replace(".", "").strip() or record.journal.title.strip()
    year = str(record.year) if record.year else record.pub_date.medline_date[:4]
    where = year
    if record.journal.volume:
        where += f";{record.journal.volume}" + (f"({record.journal.issue})" if record.journal.issue else "")
    elif record.journal.issue:
        where += f";({record.journal.issue})"
    if record.journal.pages:
        where += f":{record.journal.pages}"
    parts = [f"{authors}." if authors else "", title, f"{journal}." if journal else "", f"{where}." if where else ""]
    return " ".join(p for p in parts if p)


# -- studies ---------------------------------------------------------------------------------------


def excerpt(sentence: str, match: str = "", limit: int = 200) -> str:
    """The sentence, cut to about `limit` characters around the matched words, at word boundaries, with "…"."""
    text = " ".join(sentence.split())
    if len(text) <= limit:
        return text
    words = " ".join(match.split())
    position = text.find(words) if words else -1
    if position < 0 and words:
        position = text.lower().find(words.lower())
    if position < 0:
        start = 0
    elif len(words) >= limit:
        start = position
    else:
        start = max(0, min(position - (limit - len(words)) // 2, len(text) - limit))
    end = min(len(text), start + limit)
    snippet = text[start:end]
    if start > 0 and " " in snippet[:20]:  # drop the cut word, unless that would eat the match
        cut = snippet.index(" ") + 1
        snippet = snippet[cut:] if position < 0 or start + cut <= position else snippet
    if end < len(text) and " " in snippet[-20:]:
        cut = snippet.rindex(" ")
        snippet = snippet[:cut] if position < 0 or start + cut >= position + len(words) else snippet
    return ("…" if start > 0 else "") + snippet.strip() + ("…" if end < len(text) else "")


def evidence_anchor(record_id: int, facet: str, value: str) -> str:
    return "ev-" + "-".join(_ANCHOR_UNSAFE.sub("_", part) for part in (str(record_id), facet, value))


def build_study(record_id: int, record: Record, labels: list[Label], taxonomy: Taxonomy) -> Study:
    """A study's displayed labels: affirmed ones only, one per (facet, class), in a fixed order.

    A negated label records that a class was ruled out ("no melasma"); it is evidence for the
    classifier, not a finding to list beside the study.
    """
    seen: dict[tuple[str, str], Label] = {}
    for label in labels:
        if not label.negated:
            seen.setdefault((label.facet, label.value), label)
    ordered = sorted(seen.values(), key=lambda lab: (_facet_rank(lab.facet), _class_rank(taxonomy, lab.facet,
                                                                                          lab.value)))
    cells = tuple(_cell(record_id, lab, taxonomy) for lab in ordered)
    design = next((lab for lab in ordered if lab.facet == "design"), None)
    return Study(
        record_id=record_id,
        citation=citation(record),
        title=clean_title(record.title),
        year=record.year,
        level=_level(design, taxonomy) if design else None,
        labels=cells,
        # The classes of the facet the report groups by: indications, in the built-in layout.
        indications=tuple(c.value for c in cells if c.facet == taxonomy.report.group_by),
        synthetic=record.synthetic,
    )


def _cell(record_id: int, label: Label, taxonomy: Taxonomy) -> LabelCell:
    # A dose label's class is just "stated": what a reader wants is the dose itself.
    text = label.detail if label.facet == "dose" and label.detail else class_label(taxonomy, label.facet, label.value)
    ev = label.evidence
    return LabelCell(label.facet, label.value, text, evidence_anchor(record_id, label.facet, label.value),
                     ev.sentence, ev.field_name, ev.method, ev.match, label.hedged)


def _level(design: Label, taxonomy: Taxonomy) -> int | None:
    known = taxonomy.classes("design").get(design.value)
    if known is not None and known.evidence_level is not None:
        return known.evidence_level
    found = re.search(r"evidence_level=(\d+)", design.detail)
    return int(found.group(1)) if found else None


def study_order(study: Study) -> tuple[int, int, str, int]:
    """Strongest evidence first, then newest, then by citation; the record id settles ties."""
    return (study.level if study.level is not None else 99, -(study.year or 0), study.citation, study.record_id)


def tally(studies: Iterable[Study], facet: str, taxonomy: Taxonomy) -> tuple[Tally, ...]:
    """How many studies carry each class of a facet, most frequent first."""
    counts: Counter[str] = Counter()
    for study in studies:
        counts.update({c.value for c in study.labels if c.facet == facet})
    ordered = sorted(counts, key=lambda v: (-counts[v], _class_rank(taxonomy, facet, v)))
    return tuple(Tally(v, class_label(taxonomy, facet, v), counts[v]) for v in ordered)


def indication_order(values: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    return sorted(set(values), key=lambda v: _class_rank(taxonomy, taxonomy.report.group_by, v))


# -- search log and references --------------------------------------------------------------------------


def search_rows(store: Store) -> list[SearchRow]:
    rows = []
    for number, row in enumerate(store.searches(), start=1):
        filters = json.loads(row["filters"] or "{}")
        shown = "; ".join(f"{k}: {json.dumps(v) if not isinstance(v, str) else v}" for k, v in sorted(filters.items()))
        rows.append(SearchRow(
            number=number, run_id=row["run_id"], source=row["source"], source_label=source_label(row["source"]),
            executed_at=row["executed_at"], query=row["query"], translation=row["translation"] or "",
            filters=shown, base_url=row["base_url"] or "", count=row["count"], retrieved=row["retrieved"] or 0,
            status=row["status"], record_ids=tuple(store.search_hit_ids(row["id"])),
        ))
    return rows


def references(studies: Iterable[Study], records: dict[int, Record], *, synthetic_corpus: bool = False
               ) -> list[Reference]:
    """One reference per study, in reference-number order.

    In a synthetic corpus every identifier is invented, even on a record whose flag was lost in an
    export and re-import, so none of them is treated as naming a real article.
    """
    result = []
    for study in sorted(studies, key=lambda s: s.ref):
        record = records[study.record_id]
        result.append(Reference(study.ref, study.record_id, vancouver(record), record.doi, record.pmid,
                                record.synthetic or synthetic_corpus))
    return result
