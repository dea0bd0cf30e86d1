"""Everything the report shows, computed from the store and the protocol alone.

`build_synthesis` reads; it never writes. Its result depends only on the store's rows and the
protocol (no wall clock, no dict or set iteration order that could vary), so the same store
gives the same report, byte for byte. The prose it writes is short and built from counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exoreview.checking import checks_sentence, facet_checks, review_labels, verified_line
from exoreview.classify.measured import load_measured
from exoreview.protocol.model import Protocol, ReportSpec, SourceSpec, Taxonomy
from exoreview.records import Record
from exoreview.results import ELIGIBILITY, TITLE_ABSTRACT, Label
from exoreview.store.database import Store
from exoreview.store.team import checks
from exoreview.synthesis.appraisal import NOT_APPLIES, NOT_REPORTED, REPORTED
from exoreview.synthesis.evidence import (
    Appraisal,
    Challenge,
    DesignYears,
    EvidenceMap,
    Group,
    challenges,
    design_years,
    evidence_map,
    groups,
    read_appraisal,
)
from exoreview.synthesis.facts import FactsTable, load_facts
from exoreview.synthesis.links import IdList, Lists, RecordEntry
from exoreview.synthesis.prisma import PrismaFlow, compute_flow, record_sources
from exoreview.synthesis.tables import (
    Layout,
    Reference,
    SearchRow,
    Study,
    Tally,
    article,
    build_study,
    citation,
    class_label,
    clean_title,
    default_layout,
    facet_names,
    facet_noun,
    indication_order,
    layout_of,
    references,
    search_rows,
    source_label,
    study_order,
    tally,
)
from exoreview.synthesis.trials import TRIAL_SOURCES, read_trials

UNCLASSIFIED = "unclassified"
# The defaults of the protocol's `[report] detail_limit` and `list_limit`: past them a study is counted in
# every number and listed in records-behind.csv and the RIS/BibTeX exports, and a list's other ids are in
# records-behind.csv, so a review of 100,000 records still gives a report a browser opens.
DETAIL_LIMIT = ReportSpec.model_fields["detail_limit"].default
LIST_LIMIT = ReportSpec.model_fields["list_limit"].default
FLOW_LABELS = {
    "identified": "Records identified", "databases": "Records identified from databases and registers",
    "registers": "Records identified from trial registers",
    "other_methods": "Records identified from other methods", "duplicates": "Duplicate records removed",
    "awaiting_screening": "Records awaiting a screening decision", "screened": "Records screened",
    "excluded_screening": "Records excluded at screening",
    "excluded_screening_automation": "Records excluded by automation tools",
    "excluded_screening_reviewer": "Records excluded by reviewers", "sought": "Reports sought for retrieval",
    "not_retrieved": "Reports not retrieved", "awaiting_assessment": "Reports awaiting a full-text decision",
    "assessed": "Reports assessed for eligibility", "excluded_eligibility": "Reports excluded at eligibility",
    "included": "Studies included in review", "included_reports": "Reports of included studies",
}


@dataclass(frozen=True, slots=True)
class CriterionRow:
    id: str
    text: str
    kind: str  # "include" or "exclude"
    stage: str
    counts_as: str


@dataclass(frozen=True, slots=True)
class IndicationSection:
    """One class of the facet the report groups by (an indication, in the built-in layout)."""

    id: str
    label: str
    studies: tuple[Study, ...]
    summary: str
    lines: tuple[tuple[str, str, tuple[Tally, ...]], ...] = ()  # (heading, facet, tallies) under the heading
    facet: str = "indication"  # the facet the report groups by, which names the section's anchor

    @property
    def n(self) -> int:
        return len(self.studies)

    @property
    def in_full(self) -> tuple[Study, ...]:
        return tuple(s for s in self.studies if s.in_full)

    def tallies(self, facet: str) -> tuple[Tally, ...]:
        return next((t for _, f, t in self.lines if f == facet), ())

    @property
    def designs(self) -> tuple[Tally, ...]:
        return self.tallies("design")

    @property
    def sources(self) -> tuple[Tally, ...]:
        return self.tallies("ev_source")

    @property
    def mechanisms(self) -> tuple[Tally, ...]:
        return self.tallies("mechanism")

    @property
    def outcomes(self) -> tuple[Tally, ...]:
        return self.tallies("outcome")

    @property
    def anchor(self) -> str:
        return f"{self.facet}-{self.id}"


@dataclass(frozen=True, slots=True)
class Synthesis:
    title: str
    subtitle: str
    question: str
    protocol_name: str
    protocol_version: str
    protocol_hash: str
    taxonomy_version: str
    synthetic: bool
    generated_at: str  # finished_at of the latest finished run; "" before any run finished
    flow: PrismaFlow
    methods: tuple[str, ...]
    queries: tuple[tuple[str, str], ...]  # (source label, query as sent)
    criteria: tuple[CriterionRow, ...]
    overview: str
    sections: tuple[IndicationSection, ...]
    studies: tuple[Study, ...]  # reference-number order
    references: tuple[Reference, ...]
    searches: tuple[SearchRow, ...]
    evidence_map: EvidenceMap | None = None
    design_years: DesignYears | None = None
    method_groups: tuple[tuple[str, str, tuple[Group, ...]], ...] = ()  # (facet, heading, groups)
    appraisal: Appraisal | None = None
    challenges: tuple[Challenge, ...] = ()
    trials: tuple = ()  # synthesis.trials.Trial rows; empty when no trial registry was searched
    trial_sources: tuple[str, ...] = ()  # the trial registries the protocol names
    facts: tuple[FactsTable, ...] = ()
    lists: dict[str, IdList] = field(default_factory=dict)  # every count's records, by key
    record_index: tuple[RecordEntry, ...] = ()  # every record some list names, by id
    included_records: tuple[Record, ...] = ()  # in reference-number order, for RIS and BibTeX exports
    layout: Layout = field(default_factory=default_layout)  # the taxonomy's report layout, for the writers
    detail_limit: int = 0  # studies shown in full; 0: all
    list_limit: int = 0  # ids printed per list; 0: all

    @property
    def in_full(self) -> tuple[Study, ...]:
        """The studies shown with their labels and sentences, in reference-number order."""
        return tuple(s for s in self.studies if s.in_full)

    @property
    def counted_only(self) -> int:
        """Included studies past the detail limit: in every count, not shown one by one."""
        return len(self.studies) - len(self.in_full)

    def link(self, key: str) -> IdList:
        """The list behind a count; a missing key is a bug in the writer, so it fails loudly."""
        return self.lists[key]


def build_synthesis(store: Store, protocol: Protocol, *, base_dir: Path | None = None,
                    detail_limit: int | None = None, list_limit: int | None = None) -> Synthesis:
    """`base_dir` is where the protocol file sits: facts tables are looked up there before the built-in pack.
    `detail_limit` caps the studies shown in full, `list_limit` the ids printed per list (0: no cap); left
    out, they are the protocol's `[report]` settings."""
    detail_limit = protocol.report.detail_limit if detail_limit is None else detail_limit
    list_limit = protocol.report.list_limit if list_limit is None else list_limit
    flow = compute_flow(store, protocol)
    flow.check()
    taxonomy = protocol.taxonomy
    records: dict[int, Record] = dict(store.iter_records(flow.included))
    studies = _studies(store, flow, records, taxonomy)
    groups_ = _indication_groups(studies, taxonomy)
    _number_in_citation_order(groups_)
    appraisal = _attach_appraisal(store, flow, studies) if taxonomy.report.appraisal else None
    sections = [_section(value, label, members, protocol) for value, label, members in groups_]
    _mark_in_full(studies, groups_, detail_limit)
    ordered = tuple(sorted(studies.values(), key=lambda s: s.ref))
    searches = search_rows(store)
    synthetic_corpus = store.get_meta("corpus") == "synthetic"

    study_list = list(ordered)
    emap = evidence_map(study_list, taxonomy)
    years = design_years(study_list, taxonomy)
    names = facet_names(taxonomy)
    methods = tuple((f, names.get(f, f), groups(study_list, f, taxonomy)) for f in taxonomy.report.method_facets)
    hurdles = challenges(study_list, taxonomy)
    trials = read_trials(store, set(flow.included), set(flow.duplicates))
    trial_sources = tuple(s.name for s in protocol.sources if s.name.lower() in TRIAL_SOURCES)
    facts = tuple(load_facts(ref, base_dir) for ref in protocol.report.facts)
    lists = _lists(flow, sections, emap, years, methods, appraisal, hurdles, searches, study_list, taxonomy,
                   Lists(list_limit))
    index = _record_index(store, lists.shown_ids() | {t.record_id for t in trials}, studies)
    return Synthesis(
        title=protocol.report.title or protocol.title,
        subtitle=protocol.report.subtitle,
        question=" ".join(protocol.question.split()),
        protocol_name=protocol.name,
        protocol_version=protocol.version,
        protocol_hash=protocol.content_hash(),
        taxonomy_version=taxonomy.version,
        synthetic=synthetic_corpus or _has_synthetic_records(store),
        generated_at=_generated_at(store),
        flow=flow,
        methods=tuple(_methods(store, protocol, flow, searches)),
        queries=_queries(protocol, searches),
        criteria=tuple(
            [CriterionRow(c.id, c.text, "include", c.stage, c.counts_as) for c in protocol.include]
            + [CriterionRow(c.id, c.text, "exclude", c.stage, c.counts_as) for c in protocol.exclude]
        ),
        overview=_first_page(store, flow, sections, facet_noun(taxonomy, taxonomy.report.group_by)),
        sections=tuple(sections),
        studies=ordered,
        references=tuple(references((s for s in ordered if s.in_full), records, synthetic_corpus=synthetic_corpus)),
        searches=tuple(searches),
        evidence_map=emap,
        design_years=years,
        method_groups=methods,
        appraisal=appraisal,
        challenges=hurdles,
        trials=trials,
        trial_sources=trial_sources,
        facts=facts,
        lists=dict(lists.by_key),
        record_index=index,
        included_records=tuple(records[s.record_id] for s in ordered),
        layout=layout_of(taxonomy),
        detail_limit=detail_limit,
        list_limit=list_limit,
    )


def _studies(store: Store, flow: PrismaFlow, records: dict[int, Record], taxonomy: Taxonomy) -> dict[int, Study]:
    """Every included study with its labels."""
    labels_by_record: dict[int, list[Label]] = {i: [] for i in flow.included}
    for label in review_labels(store):  # as people checked them: rejected ones out, added ones in
        if label.record_id in labels_by_record:
            labels_by_record[label.record_id].append(label)
    return {i: build_study(i, records[i], labels_by_record[i], taxonomy) for i in flow.included}


def _indication_groups(studies: dict[int, Study], taxonomy: Taxonomy) -> list[tuple[str, str, list[Study]]]:
    """(indication, its label, its studies) in the taxonomy's order; studies without one come last."""
    groups_: list[tuple[str, str, list[Study]]] = []
    present = indication_order((v for s in studies.values() for v in s.indications), taxonomy)
    for value in present:
        members = sorted((s for s in studies.values() if value in s.indications), key=study_order)
        groups_.append((value, class_label(taxonomy, taxonomy.report.group_by, value), members))
    orphans = sorted((s for s in studies.values() if not s.indications), key=study_order)
    if orphans:
        noun = facet_noun(taxonomy, taxonomy.report.group_by)
        groups_.append((UNCLASSIFIED, f"Studies without {article(noun)} {noun} label", orphans))
    return groups_


def _number_in_citation_order(groups_: list[tuple[str, str, list[Study]]]) -> None:
    # Vancouver numbers follow the order in which studies are first cited in the report; they are set
    # before the summaries are written, because the summaries cite key studies by number.
    number = 0
    for _, _, members in groups_:
        for study in members:
            if not study.ref:
                number += 1
                study.ref = number


def _key_studies(members: Sequence[Study]) -> list[Study]:
    """The strongest designs of a group (members are in strongest-design-first order), cited in its summary."""
    return [s for s in members if s.level is not None][:3]


def _mark_in_full(studies: dict[int, Study], groups_: list[tuple[str, str, list[Study]]], limit: int) -> None:
    """Past `limit`, a study is counted only, unless a summary cites it, so every cited number has its reference."""
    if not limit:
        return
    cited = {s.record_id for _, _, members in groups_ for s in _key_studies(members)}
    for study in studies.values():
        study.in_full = study.ref <= limit or study.record_id in cited


def _attach_appraisal(store: Store, flow: PrismaFlow, studies: dict[int, Study]) -> Appraisal | None:
    appraisal = read_appraisal(store, flow.included, {i: {c.anchor for c in st.labels} for i, st in studies.items()})
    if appraisal is not None:
        for record_id, rated in appraisal.studies.items():
            studies[record_id].appraisal = rated
        for record_id, (met, applicable) in appraisal.scores.items():
            studies[record_id].misev, studies[record_id].misev_max = met, applicable
    return appraisal


def _lists(flow: PrismaFlow, sections: list[IndicationSection], emap: EvidenceMap, years: DesignYears,
           methods: tuple[tuple[str, str, tuple[Group, ...]], ...], appraisal: Appraisal | None,
           hurdles: tuple[Challenge, ...], searches: list[SearchRow], studies: list[Study], taxonomy,
           lists: Lists) -> Lists:
    """Register every count the writers print, in a fixed order, so anchors are stable."""
    _flow_lists(lists, flow)
    _section_lists(lists, sections)
    for row in emap.rows:
        for column in emap.columns:
            cell = emap.cell(row.value, column.value)
            if cell.n:
                lists.add(f"map:{row.value}:{column.value}", f"{row.label} × {column.label}", cell.ids)
    for (year, design), ids in sorted(years.cells.items()):
        lists.add(f"years:{year}:{design}", f"{class_label(taxonomy, 'design', design)}, {year}", ids)
    names = facet_names(taxonomy)
    for facet in dict.fromkeys([*taxonomy.report.summary_facets, taxonomy.report.map_rows]):
        for g in groups(studies, facet, taxonomy):
            lists.add(f"facet:{facet}:{g.value}", f"{names.get(facet, facet)}: {g.label}", g.ids)
    for facet, heading, found in methods:
        for g in found:
            lists.add(f"facet:{facet}:{g.value}", f"{heading}: {g.label}", g.ids)
    if appraisal is not None:
        _appraisal_lists(lists, appraisal)
    for c in hurdles:
        lists.add(f"challenge:{c.key}", c.title, c.ids)
        lists.add(f"challenge:{c.key}:of", f"{c.title} (the studies counted)", c.of)
    for row in searches:
        lists.add(f"search:{row.number}", f"Records stored from search {row.number} ({row.source_label})",
                  row.record_ids)
    return lists


def _flow_lists(lists: Lists, flow: PrismaFlow) -> None:
    reasons = {f"excluded_screening:{r.id}": r.text for r in flow.screening_reasons}
    reasons |= {f"not_retrieved:{r.id}": r.text for r in flow.not_retrieved_reasons}
    reasons |= {f"excluded_eligibility:{r.id}": r.text for r in flow.eligibility_reasons}
    for key, ids in flow.boxes().items():
        if key.startswith("identified:"):
            label = f"Records identified from {source_label(key.removeprefix('identified:'))}"
        else:
            label = FLOW_LABELS.get(key) or reasons.get(key, key)
        lists.add(f"flow:{key}", label, ids)


def _section_lists(lists: Lists, sections: list[IndicationSection]) -> None:
    for section in sections:
        lists.add(f"indication:{section.id}", f"{section.label}: included studies",
                  tuple(s.record_id for s in section.studies))
        for _, facet, tallies in section.lines:
            for t in tallies:
                ids = tuple(s.record_id for s in section.studies if any(
                    c.facet == facet and c.value == t.value for c in s.labels))
                lists.add(f"indication:{section.id}:{facet}:{t.value}", f"{section.label}: {t.label}", ids)


def _appraisal_lists(lists: Lists, appraisal: Appraisal) -> None:
    lists.add("misev:appraised", f"Included studies appraised with {appraisal.instrument}", tuple(appraisal.scores))
    for score, ids in appraisal.distribution():
        lists.add(f"misev:{score}", f"{appraisal.instrument}: {score} items reported", ids)
    lists.add("misev:not_appraised", f"Included studies {appraisal.instrument} does not apply to",
              appraisal.not_appraised())
    for item in appraisal.item_info:
        for key, words, statuses in (("reported", "reported", (REPORTED,)),
                                     ("applies", "applies", (REPORTED, NOT_REPORTED)),
                                     ("not_applicable", "does not apply", (NOT_APPLIES,))):
            lists.add(f"misev:item:{item.id}:{key}", f"{appraisal.instrument}, {item.name}: {words}",
                      appraisal.with_status(item.id, *statuses))


def _record_index(store: Store, shown: set[int], studies: dict[int, Study]) -> tuple[RecordEntry, ...]:
    """An entry for every record the report links to: the ids the lists print and the trials."""
    source_of = {i: source for source, ids in record_sources(store).items() for i in ids}
    entries = []
    for record_id, record in store.iter_records(sorted(shown)):
        study = studies.get(record_id)
        entries.append(RecordEntry(record_id, citation(record), clean_title(record.title) or "[Untitled]",
                                   source_label(source_of.get(record_id, "")),
                                   study.ref if study and study.in_full else 0))
    return tuple(sorted(entries, key=lambda e: e.record_id))


def _has_synthetic_records(store: Store) -> bool:
    return bool(store.db.execute("SELECT EXISTS(SELECT 1 FROM records WHERE synthetic=1)").fetchone()[0])


def _generated_at(store: Store) -> str:
    finished = [(r["finished_at"], r["id"]) for r in store.runs() if r["finished_at"]]
    return max(finished)[0] if finished else ""


def _queries(protocol: Protocol, searches: list[SearchRow]) -> tuple[tuple[str, str], ...]:
    """Each distinct query the log shows was sent; the protocol's planned queries before any search ran."""
    sent: list[tuple[str, str]] = []
    for row in searches:
        if not row.source.startswith("import:") and (row.source_label, row.query) not in sent:
            sent.append((row.source_label, row.query))
    if sent:
        return tuple(sent)
    planned = []
    for source in protocol.sources:
        try:
            planned.append((f"{source.name} (planned, not yet run)", source.query_string()))
        except ValueError:
            continue
    return tuple(planned)


# -- prose: short, ours, and made of the numbers ---------------------------------------------------------


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _verb(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _series(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _lower(label: str) -> str:
    """Lower-case a label's first letter to run on in a sentence, but not an acronym ("MSC", "TGF-beta")
    nor a name in the possessive ("Wharton's jelly")."""
    first = label.split(" ", 1)[0]
    if len(label) > 1 and label[0].isupper() and label[1].islower() and "'" not in first and "’" not in first:
        return label[0].lower() + label[1:]
    return label


def _tallies(tallies: tuple[Tally, ...], most: int = 3) -> str:
    """The most frequent classes by name, the rest summed, so a summary stays a sentence long."""
    named = [f"{_lower(t.label)} ({t.n})" for t in tallies[:most]]
    rest = tallies[most:]
    if len(rest) == 1:
        named.append(f"{_lower(rest[0].label)} ({rest[0].n})")
    elif rest:
        named.append(f"{sum(t.n for t in rest)} across {len(rest)} other designs")
    return _series(named)


def _methods(store: Store, protocol: Protocol, flow: PrismaFlow, searches: list[SearchRow]) -> list[str]:
    """The Methods section, paragraph by paragraph: search plan, search log, duplicates, screening, labels."""
    plans = [_search_plan(source) for source in protocol.sources]
    return [
        f"This review follows the protocol “{protocol.name}” (version {protocol.version}, SHA-256 "
        f"{protocol.content_hash()[:12]}). It searches {_series(plans)}; the filters are part of the query as sent.",
        _searches_run(searches),
        _duplicates_found(store, flow),
        _screening_done(store, protocol),
        _labelling_done(protocol),
        machine_label_note(protocol, checks_sentence(facet_checks(store.labels(), checks(store), set(flow.included)))),
    ]


def _search_plan(source: SourceSpec) -> str:
    limits = []
    if source.free_full_text:
        limits.append("free full text")
    if source.date_from or source.date_to:
        limits.append(f"publication dates {source.date_from or 'any'} to {source.date_to or 'now'}")
    if source.languages:
        limits.append("language " + " or ".join(source.languages))
    how = (f"{len(source.blocks)} concept blocks ({_series([b.name for b in source.blocks])}), each combining "
           "MeSH descriptors with title/abstract phrases") if source.blocks and not source.query else "a set query"
    return f"{source_label(source.name)} with {how}" + (f", limited to {_series(limits)}" if limits else "")


def _searches_run(searches: list[SearchRow]) -> str:
    if not searches:
        return "No search has been run yet, so no record has been identified."
    done = [f"{r.source_label} on {r.executed_at[:10]} ({r.count if r.count is not None else 'unknown'} "
            f"found, {r.retrieved} stored)" for r in searches]
    return (f"The search log holds {_plural(len(searches), 'entry', 'entries')}: {_series(done)}. "
            "Records from imported files count as identified by other methods.")


def _duplicates_found(store: Store, flow: PrismaFlow) -> str:
    reasons = Counter(d.reason for d in store.duplicates())
    if not reasons:
        return "No duplicate records were found."
    how = _series([f"{reason} ({n})" for reason, n in sorted(reasons.items())])
    n = len(flow.duplicates)
    return (f"Duplicate records were found by matching {how}; {_plural(n, 'copy', 'copies')} "
            f"{_verb(n, 'was', 'were')} set aside, each linked to the record kept for its study.")


def _screening_done(store: Store, protocol: Protocol) -> str:
    stages = {TITLE_ABSTRACT: "title and abstract", ELIGIBILITY: "eligibility"}
    crit = [f"{stages[s]} ({', '.join(c.id for c in protocol.exclude if c.stage == s)})"
            for s in stages if any(c.stage == s for c in protocol.exclude)]
    reviewers = Counter(d.reviewer for stage in stages for d in store.final_decisions(stage).values())
    who = _series([f"{name} ({n})" for name, n in sorted(reviewers.items())]) or "no one yet"
    return (f"Records were screened against the protocol's exclusion criteria at {_series(crit) or 'no stage'}. "
            f"Standing decisions by reviewer: {who}; reviewers named “rules:” or “model:” are automation tools.")


def _labelling_done(protocol: Protocol) -> str:
    facets = sorted(protocol.taxonomy.facets)
    return ("Each included study was labelled with the classes of the review's taxonomy "
            f"(version {protocol.taxonomy.version}" + (f"; facets: {', '.join(facets)}" if facets else "") + "). "
            "Every label keeps the sentence that supports it; the tables link each label to that sentence. "
            "Study designs are ordered by evidence level, 1 being the strongest.")


def machine_label_note(protocol: Protocol, checked: str = "") -> str:
    """What the reader must know of the labels: a machine made them, how many people checked (`checked`,
    from exoreview.checking), and how often the machine is right on real papers."""
    note = ("The labels are machine labels: the classifier read each title and abstract, and no person has "
            "checked them.")
    if checked:
        note = f"The labels are machine labels, read from each title and abstract, as reviewers checked them. {checked}"
    measured = load_measured()
    if measured is None:
        return note + " Their accuracy has not been measured on real papers."
    version = protocol.taxonomy.version
    if version != measured.taxonomy and not version.startswith(f"{measured.taxonomy}+"):
        # A taxonomy of its own, on another topic: the built-in taxonomy's figures say nothing of it.
        return f"{note} This review's taxonomy (version {version}) has not been measured on real papers."
    if version != measured.taxonomy:
        return (f"{note} This review's taxonomy (version {version}) has not been measured on "
                f"real papers; for the built-in taxonomy (version {measured.taxonomy}): {measured.sentence()}")
    return f"{note} {measured.sentence()}"


def _first_page(store: Store, flow: PrismaFlow, sections: list[IndicationSection], noun: str) -> str:
    """The overview, then whether people verified the labels."""
    disputed = len(store.disputed(TITLE_ABSTRACT)) + len(store.disputed(ELIGIBILITY))
    checked = verified_line(facet_checks(store.labels(), checks(store), set(flow.included)))
    return " ".join(filter(None, [_overview(flow, sections, noun, disputed), checked]))


def _overview(flow: PrismaFlow, sections: list[IndicationSection], noun: str = "indication", disputed: int = 0) -> str:
    n = len(flow.included)
    named = [s for s in sections if s.id != UNCLASSIFIED]
    text = (f"{_plural(n, 'study', 'studies')} met the criteria, from {_plural(len(flow.identified_ids), 'record')} "
            f"identified. They cover {_plural(len(named), noun)}; a study may address more than one."
            if n else "No study has been included yet.")
    if flow.awaiting_screening or flow.awaiting_assessment:
        text += (f" The review is not complete: {len(flow.awaiting_screening)} awaiting screening and "
                 f"{len(flow.awaiting_assessment)} awaiting full-text assessment.")
        if disputed:
            text += (f" Of these, {_plural(disputed, 'record')} {_verb(disputed, 'waits', 'wait')} for a resolution "
                     "because two reviewers decided differently.")
    return text


def _section(value: str, label: str, studies: list[Study], protocol: Protocol) -> IndicationSection:
    """One indication's studies with the paragraph that sums them up."""
    taxonomy = protocol.taxonomy
    layout = taxonomy.report
    designs = tally(studies, "design", taxonomy)
    n = len(studies)
    noun = facet_noun(taxonomy, layout.group_by)
    topic = (f"{_verb(n, 'has', 'have')} no {noun} label" if value == UNCLASSIFIED
             else f"{_verb(n, 'addresses', 'address')} {_lower(label)}")
    sentences = [f"{_plural(n, 'included study', 'included studies')} {topic}"
                 + (f", by design: {_tallies(designs)}." if designs else ".")]
    named = [(words, tally(studies, facet, taxonomy)) for facet, words in layout.most_named.items()]
    found = _most_named(studies, named, tally(studies, "safety", taxonomy))
    if found:
        sentences.append(found)
    sentences.append(_outcome_sentence(studies))
    key = _key_studies(studies)
    if key:
        named = [f"{s.citation} [{s.ref or '?'}] ({_lower(_design_name(s, taxonomy))})" for s in key]
        sentences.append(f"The strongest designs here: {_series(named)}.")
    lines = tuple((c.heading, c.facets[0], tally(studies, c.facets[0], taxonomy)) for c in layout.section_tallies)
    return IndicationSection(value, label, tuple(studies), " ".join(sentences), lines, layout.group_by)


def _most_named(studies: list[Study], named: Sequence[tuple[str, Sequence[Tally]]], harms: Sequence[Tally]) -> str:
    """People studied, the classes named most often (a source, a mechanism), the safety statements: one
    sentence, or ""."""
    people = sum(1 for s in studies if any(c.facet == "subjects" and c.value == "human" for c in s.labels))
    found = []
    if people:
        found.append(f"{people} of them studied people" if len(studies) > 1 else "it studied people")
    for words, tallies in named:
        if tallies:
            found.append(f"{words} {_lower(tallies[0].label)} ({tallies[0].n})")
    if harms:
        found.append("safety statements: " + ", ".join(f"{_lower(t.label)} ({t.n})" for t in harms))
    if not found:
        return ""
    sentence = "; ".join(found) + "."
    return sentence[0].upper() + sentence[1:]


def _outcome_sentence(studies: list[Study]) -> str:
    kinds = outcome_kinds(studies)
    if not kinds:
        return "No study in this group states the direction of its outcome in its abstract."
    stated = sum(n for _, n in kinds)
    return (f"Of the {_plural(stated, 'study', 'studies')} stating an outcome, "
            + _series([f"{n} {_verb(n, 'reports', 'report')} {kind}" for kind, n in kinds]) + ".")


OUTCOME_KINDS = (("improvement only", {"improved"}), ("no change only", {"no_change"}),
                 ("worsening only", {"worse"}))


def outcome_kinds(studies: list[Study]) -> list[tuple[str, int]]:
    """Each study counted once by the directions its abstract states: one direction, or "mixed results"."""
    counts: dict[str, int] = {}
    for study in studies:
        directions = {c.value for c in study.labels if c.facet == "outcome"}
        if directions:
            kind = next((name for name, only in OUTCOME_KINDS if directions == only), "mixed results")
            counts[kind] = counts.get(kind, 0) + 1
    order = [name for name, _ in OUTCOME_KINDS] + ["mixed results"]
    return [(kind, counts[kind]) for kind in order if kind in counts]


def _design_name(study: Study, taxonomy) -> str:
    design = next((c for c in study.labels if c.facet == "design"), None)
    return design.text if design else "design not stated"
