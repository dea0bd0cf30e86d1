"""The paged report (DOCX, PDF) as a list of plain blocks, so both writers print the same content.

The HTML page is the interactive form (every count links to its records); the paged forms
carry the same sections, figures and tables, with the counts as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from exoreview import __version__
from exoreview.report.figures import Picture
from exoreview.report.html import RATING_MARKS, STAGE_NAMES, SYNTHETIC_NOTICE, doi_url, pmid_url
from exoreview.report.notes import counted_only_note, evidence_note, references_note
from exoreview.synthesis.appraisal import NOT_APPLIES, NOT_REPORTED, REPORTED, Appraisal
from exoreview.synthesis.build import CriterionRow, Synthesis
from exoreview.synthesis.tables import Reference, excerpt

SYNTHETIC_BANNER = "SYNTHETIC DATA: NOT EVIDENCE"
EXCERPT = 180  # characters of a supporting sentence in the paged appendix


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int  # 0 title, 1 section, 2 subsection


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    style: str = "body"  # body, note, banner, meta, code


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty
    small: bool = False


@dataclass(frozen=True, slots=True)
class Image:
    picture: Picture
    caption: str


@dataclass(slots=True)
class Outline:
    title: str
    blocks: list[object] = field(default_factory=list)


def _cells(study, facets: tuple[str, ...]) -> str:
    return "; ".join(c.text + ("?" if c.hedged else "") for c in study.cells(facets)) or "—"


def build_outline(s: Synthesis, pictures: list[Picture]) -> Outline:
    """The report as blocks, section by section, in reading order (DOCX and PDF render these)."""
    pics = {p.name: p for p in pictures}
    o = Outline(s.title)
    add = o.blocks.append
    _front_matter(s, add)
    _methods(s, add)
    add(Heading("Flow of records (PRISMA 2020)", 1))
    add(Image(pics["prisma"], "Figure 1. PRISMA 2020 flow diagram; every number is counted from the review store."))
    _evidence_at_a_glance(s, pics, add)
    _included_studies(s, add)
    _challenges(s, add)
    _trials_and_regulation(s, add)
    _references(s, add)
    _search_appendix(s, add)
    _study_appendix(s, add)
    add(Para(f"Written by exoreview {__version__} from the review store; the same store gives the same report.",
             "note"))
    return o


Add = Callable[[object], None]  # appends one block (Heading, Para, Bullets, Table, Image) to the outline


def _front_matter(s: Synthesis, add: Add) -> None:
    if s.synthetic:
        add(Para(f"{SYNTHETIC_BANNER}. {SYNTHETIC_NOTICE}", "banner"))
    add(Heading(s.title, 0))
    if s.subtitle:
        add(Para(s.subtitle, "meta"))
    built = (f"Built from the review store as it stood when its last run finished, {s.generated_at}."
             if s.generated_at else "No run of this review has finished yet.")
    add(Para(f"Protocol {s.protocol_name}, version {s.protocol_version} (SHA-256 {s.protocol_hash[:12]}); "
             f"taxonomy version {s.taxonomy_version}. {built} The HTML edition links every count to its records.",
             "meta"))
    add(Heading("Review question", 1))
    add(Para(s.question))


def _methods(s: Synthesis, add: Add) -> None:
    add(Heading("Methods", 1))
    for paragraph in s.methods:
        add(Para(paragraph))
    add(Para("Queries as sent:"))
    for source, query in s.queries:
        add(Para(f"{source}: {query}", "code"))
    add(Para("Criteria:"))
    add(Bullets(tuple(f"{c.id} ({_criterion_kind(c)}): {c.text}" for c in s.criteria)))


def _criterion_kind(c: CriterionRow) -> str:
    kind = "inclusion" if c.kind == "include" else "exclusion, " + STAGE_NAMES.get(c.stage, c.stage)
    return kind + (", counted as not retrieved" if c.counts_as == "not_retrieved" else "")


def _evidence_at_a_glance(s: Synthesis, pics: dict[str, Picture], add: Add) -> None:
    add(Heading("Evidence at a glance", 1))
    rows, columns = s.layout.map_rows_noun, s.layout.map_columns_noun
    add(Image(pics["evidence-map"], f"Figure 2. Evidence map: included studies per {rows} and {columns}, "
                                    "shaded by the strongest design (evidence level 1 strongest)."))
    add(Image(pics["design-by-year"], "Figure 3. Study design by publication year."))
    add(Image(pics["methods"], f"Figure 4. {s.layout.methods_title} by number of studies."))
    if not s.layout.appraisal:
        return  # a review of other treatments: EV reporting (MISEV) does not apply
    if s.appraisal:
        caption = (f"Figure 5. Reporting score under {s.appraisal.instrument}: items reported of the "
                   f"{s.appraisal.maximum} items less those that do not apply; {len(s.appraisal.scores)} studies.")
    else:
        caption = "Figure 5. No included study has been appraised for reporting quality (MISEV) yet."
    add(Image(pics["misev"], caption))
    if s.appraisal:
        _reporting_items(s.appraisal, add)


def _reporting_items(a: Appraisal, add: Add) -> None:
    add(Para("Table. Each reporting item: the studies reporting it, of the studies it applies to. The items are "
             "exoreview's own wording of what MISEV and EV-METRIC ask, not the guidelines' text; each study's "
             "rating item by item is in the appendix.", "note"))
    add(Table(("Item", "What it asks", "Reported", "Applies to", "Share"),
              tuple((i.name, i.text or "—", str(len(a.with_status(i.id, REPORTED))),
                     str(len(a.with_status(i.id, REPORTED, NOT_REPORTED))), a.share(i.id))
                    for i in a.item_info), (1.4, 4.0, 0.7, 0.7, 0.6), small=True))


def _included_studies(s: Synthesis, add: Add) -> None:
    add(Heading(f"Included studies by {s.layout.group_noun}", 1))
    add(Para(s.overview))
    columns = s.layout.document_columns
    misev = ("MISEV",) if s.layout.appraisal else ()
    headings = ("Ref.", "Study", *(h for h, _ in columns), *misev)
    for section in s.sections:
        noun = "study" if section.n == 1 else "studies"
        add(Heading(f"{section.label} ({section.n} {noun})", 2))
        add(Para(section.summary))
        rows = tuple((f"[{st.ref}]", st.citation, *(_cells(st, facets) for _, facets in columns),
                      *((st.misev_text,) if misev else ())) for st in section.in_full)
        add(Table(headings, rows, (0.5, 1.3, *_label_widths(len(columns)), *((0.6,) if misev else ())), small=True))
        if len(rows) < section.n:
            add(Para(counted_only_note(section.n - len(rows), len(s.in_full)), "note"))


# Widths (inches) of the built-in layout's seven label columns; another layout shares the same room evenly.
_BUILTIN_LABEL_WIDTHS = (1.2, 1.0, 1.2, 1.2, 1.0, 1.0, 0.9)


def _label_widths(n: int) -> tuple[float, ...]:
    if n == len(_BUILTIN_LABEL_WIDTHS):
        return _BUILTIN_LABEL_WIDTHS
    return (round(sum(_BUILTIN_LABEL_WIDTHS) / max(n, 1), 2),) * n


def _challenges(s: Synthesis, add: Add) -> None:
    add(Heading("Challenges, counted", 1))
    add(Para("Each obstacle the field names, measured in the included studies; primary studies exclude reviews "
             "and meta-analyses.", "note"))
    add(Bullets(tuple(f"{c.title} ({c.share}). {c.text}" for c in s.challenges)
                or ("No study has been included yet.",)))


def _trials_and_regulation(s: Synthesis, add: Add) -> None:
    add(Heading("Clinical trials and regulatory status", 1))
    add(Heading("Registered trials", 2))
    if s.trials:
        add(Table(("Registry id", "Title", "Status", "Phase", "Conditions", "Enrollment", "Start", "In review"),
                  tuple((t.nct_id or "—", t.title, t.status or "—", t.phase or "—", t.conditions or "—",
                         t.enrollment or "—", t.start or "—", "included" if t.included else "not included")
                        for t in s.trials), (1, 2.4, 1, 0.7, 1.4, 0.8, 0.9, 0.8), small=True))
    elif s.trial_sources:
        add(Para("The protocol searches a trial registry, but no trial record is in the store yet.", "note"))
    else:
        add(Para("This review's protocol does not search a trial registry (ClinicalTrials.gov), so no registered "
                 "trial is listed.", "note"))
    for table in s.facts:
        add(Heading(f"{table.title} (as of {table.as_of})", 2))
        add(Para(f"{table.scope} Facts as entered in the protocol pack's table {table.name}, each with its "
                 "source; they are not computed from the store.", "note"))
        add(Table(("Jurisdiction", "Authority", "Statement", "Source (date)", "Checked"),
                  tuple((f.jurisdiction, f.authority, f.statement, f"{f.source} ({f.date}). {f.url}", f.checked or "—")
                        for f in table.entries), (1, 1, 3, 2.4, 0.9), small=True))
    if not s.facts:
        add(Para("The protocol names no regulatory facts table.", "note"))


def _references(s: Synthesis, add: Add) -> None:
    add(Heading("References", 1))
    if any(r.synthetic for r in s.references):
        add(Para("Identifiers of synthetic records are invented and do not name real articles.", "note"))
    if s.counted_only:
        add(Para(references_note(s), "note"))
    refs = [f"[{r.number}] {r.body}{_reference_links(r)}" for r in s.references]
    add(Bullets(tuple(refs)) if refs else Para("No study has been included yet.", "note"))


def _reference_links(r: Reference) -> str:
    tail = ""
    if r.doi:
        tail += f" doi:{r.doi}." + ("" if r.synthetic else f" {doi_url(r.doi)}")
    if r.pmid:
        tail += f" PMID:\u00a0{r.pmid}." + ("" if r.synthetic else f" {pmid_url(r.pmid)}")
    return tail


def _search_appendix(s: Synthesis, add: Add) -> None:
    add(Heading("Appendix: search log (PRISMA-S)", 1))
    add(Para("Every search and file import as recorded in the review store: the query as sent, the translation the "
             "service reported, the date, how many records matched and how many were stored.", "note"))
    for row in s.searches:
        found = "unknown" if row.count is None else str(row.count)
        add(Heading(f"Search {row.number}: {row.source_label}, {row.executed_at}", 2))
        add(Para(f"Run {row.run_id}; found {found}, stored {row.retrieved}; status {row.status}"
                 + (f"; filters {row.filters}" if row.filters else "")
                 + (f"; service {row.base_url}" if row.base_url else "") + "."))
        add(Para(f"Query as sent: {row.query}", "code"))
        add(Para(f"Translation reported: {row.translation or '—'}", "code"))
    if not s.searches:
        add(Para("No search has been logged yet.", "note"))


def _study_appendix(s: Synthesis, add: Add) -> None:
    """Per study: each label with its sentence, then the EV reporting rating item by item.

    Sentences are cut to about EXCERPT characters around the matched words, so a study takes a
    page at most; the HTML and Markdown editions print them whole.
    """
    if s.layout.appraisal:
        add(Heading("Appendix: supporting sentences and EV reporting, per study", 1))
        add(Para("For each included study, every label with the sentence it was read from (field; rule), then its EV "
                 "reporting appraisal item by item: reported (✓, with the sentence that shows it), not reported (✗) "
                 "or not applicable (–, with the reason). Labels marked “?” were stated tentatively; long sentences "
                 "are shortened around the words that matched (…).", "note"))
    else:
        add(Heading("Appendix: supporting sentences, per study", 1))
        add(Para("For each included study, every label with the sentence it was read from (field; rule). Labels "
                 "marked “?” were stated tentatively; long sentences are shortened around the words that matched "
                 "(…).", "note"))
    if s.counted_only:
        add(Para(evidence_note(s), "note"))
    for study in s.in_full:
        add(Heading(f"[{study.ref}] {study.citation}", 2))
        if study.labels:
            add(Table(("Label", "Supporting sentence (field; rule)"),
                      tuple((f"{s.layout.facet_names.get(c.facet, c.facet)}: {c.text}{'?' if c.hedged else ''}",
                             f"“{excerpt(c.sentence, c.match, EXCERPT)}” ({c.field_name}; {c.method})")
                            for c in study.labels), (1.6, 4.4), small=True))
        else:
            add(Para("No label was found for this study.", "note"))
        a = study.appraisal
        if a is None or s.appraisal is None:
            continue
        if not a.appraised:
            add(Para(f"EV reporting ({s.appraisal.instrument}): not appraised, "
                     f"{a.note or 'the checklist does not apply to this study'}.", "note"))
            continue
        rows = []
        for r in a.ratings:
            if r.status == REPORTED and r.sentence:
                evidence = f"“{excerpt(r.sentence, r.match, EXCERPT)}” ({r.field_name}; {r.method})"
            else:
                evidence = (r.detail or "does not apply") if r.status == NOT_APPLIES else "—"
            rows.append((r.item.name, f"{RATING_MARKS[r.status]} {r.status_text}", evidence))
        add(Table((f"EV reporting item ({a.met} of {a.applicable} reported)", "Rating", "Evidence"), tuple(rows),
                  (1.6, 1.0, 3.4), small=True))
