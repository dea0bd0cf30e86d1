"""Everything the report shows, computed from the store and the protocol alone.

`build_synthesis` reads; it never writes. Its result depends only on the store's rows and the
protocol (no wall clock, no dict or set iteration order that could vary), so the same store
gives the same report, byte for byte. The prose it writes is short and built from counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from exoreview.protocol.model import Protocol
from exoreview.records import Record
from exoreview.results import ELIGIBILITY, TITLE_ABSTRACT, Label
from exoreview.store.database import Store
from exoreview.synthesis.prisma import PrismaFlow, compute_flow
from exoreview.synthesis.tables import (
    Reference,
    SearchRow,
    Study,
    Tally,
    build_study,
    class_label,
    indication_order,
    references,
    search_rows,
    source_label,
    study_order,
    tally,
)

UNCLASSIFIED = "unclassified"


@dataclass(frozen=True, slots=True)
class CriterionRow:
    id: str
    text: str
    kind: str  # "include" or "exclude"
    stage: str
    counts_as: str


@dataclass(frozen=True, slots=True)
class IndicationSection:
    id: str
    label: str
    studies: tuple[Study, ...]
    designs: tuple[Tally, ...]
    sources: tuple[Tally, ...]
    mechanisms: tuple[Tally, ...]
    summary: str

    @property
    def n(self) -> int:
        return len(self.studies)

    @property
    def anchor(self) -> str:
        return f"indication-{self.id}"


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


def build_synthesis(store: Store, protocol: Protocol) -> Synthesis:
    flow = compute_flow(store, protocol)
    flow.check()
    taxonomy = protocol.taxonomy
    records: dict[int, Record] = dict(store.iter_records(flow.included))
    labels_by_record: dict[int, list[Label]] = {i: [] for i in flow.included}
    for label in store.labels():
        if label.record_id in labels_by_record:
            labels_by_record[label.record_id].append(label)
    studies = {i: build_study(i, records[i], labels_by_record[i], taxonomy) for i in flow.included}

    sections: list[IndicationSection] = []
    present = indication_order((v for s in studies.values() for v in s.indications), taxonomy)
    for value in present:
        members = sorted((s for s in studies.values() if value in s.indications), key=study_order)
        sections.append(_section(value, class_label(taxonomy, "indication", value), members, protocol))
    orphans = sorted((s for s in studies.values() if not s.indications), key=study_order)
    if orphans:
        sections.append(_section(UNCLASSIFIED, "Studies without an indication label", orphans, protocol))

    # Vancouver numbers follow the order in which studies are first cited in the report.
    number = 0
    for section in sections:
        for study in section.studies:
            if not study.ref:
                number += 1
                study.ref = number
    ordered = tuple(sorted(studies.values(), key=lambda s: s.ref))
    searches = search_rows(store)
    synthetic_corpus = store.get_meta("corpus") == "synthetic"
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
        overview=_overview(flow, sections),
        sections=tuple(sections),
        studies=ordered,
        references=tuple(references(ordered, records, synthetic_corpus=synthetic_corpus)),
        searches=tuple(searches),
    )


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
    paragraphs = []
    plans = []
    for source in protocol.sources:
        limits = []
        if source.free_full_text:
            limits.append("free full text")
        if source.date_from or source.date_to:
            limits.append(f"publication dates {source.date_from or 'any'} to {source.date_to or 'now'}")
        if source.languages:
            limits.append("language " + " or ".join(source.languages))
        how = (f"{len(source.blocks)} concept blocks ({_series([b.name for b in source.blocks])}), each combining "
               "MeSH descriptors with title/abstract phrases") if source.blocks and not source.query else "a set query"
        plans.append(f"{source_label(source.name)} with {how}" + (f", limited to {_series(limits)}" if limits else ""))
    paragraphs.append(
        f"This review follows the protocol “{protocol.name}” (version {protocol.version}, SHA-256 "
        f"{protocol.content_hash()[:12]}). It searches {_series(plans)}; the filters are part of the query as sent."
    )
    if searches:
        done = [f"{r.source_label} on {r.executed_at[:10]} ({r.count if r.count is not None else 'unknown'} "
                f"found, {r.retrieved} stored)" for r in searches]
        paragraphs.append(f"The search log holds {_plural(len(searches), 'entry', 'entries')}: {_series(done)}. "
                          "Records from imported files count as identified by other methods.")
    else:
        paragraphs.append("No search has been run yet, so no record has been identified.")
    reasons = Counter(d.reason for d in store.duplicates())
    if reasons:
        how = _series([f"{reason} ({n})" for reason, n in sorted(reasons.items())])
        n = len(flow.duplicates)
        paragraphs.append(f"Duplicate records were found by matching {how}; {_plural(n, 'copy', 'copies')} "
                          f"{_verb(n, 'was', 'were')} set aside, each linked to the record kept for its study.")
    else:
        paragraphs.append("No duplicate records were found.")
    stages = {TITLE_ABSTRACT: "title and abstract", ELIGIBILITY: "eligibility"}
    crit = [f"{stages[s]} ({', '.join(c.id for c in protocol.exclude if c.stage == s)})"
            for s in stages if any(c.stage == s for c in protocol.exclude)]
    reviewers = Counter(d.reviewer for stage in stages for d in store.final_decisions(stage).values())
    who = _series([f"{name} ({n})" for name, n in sorted(reviewers.items())]) or "no one yet"
    paragraphs.append(
        f"Records were screened against the protocol's exclusion criteria at {_series(crit) or 'no stage'}. "
        f"Standing decisions by reviewer: {who}; reviewers named “rules:” or “model:” are automation tools."
    )
    facets = sorted(protocol.taxonomy.facets)
    paragraphs.append(
        "Each included study was labelled with the classes of the review's taxonomy "
        f"(version {protocol.taxonomy.version}" + (f"; facets: {', '.join(facets)}" if facets else "") + "). "
        "Every label keeps the sentence that supports it; the tables link each label to that sentence. "
        "Study designs are ordered by evidence level, 1 being the strongest."
    )
    return paragraphs


def _overview(flow: PrismaFlow, sections: list[IndicationSection]) -> str:
    n = len(flow.included)
    if not n:
        return "No study has been included yet."
    named = [s for s in sections if s.id != UNCLASSIFIED]
    text = (f"{_plural(n, 'study', 'studies')} met the criteria, from {_plural(len(flow.identified_ids), 'record')} "
            f"identified. They cover {_plural(len(named), 'indication')}; a study may address more than one.")
    if flow.awaiting_screening or flow.awaiting_assessment:
        text += (f" The review is not complete: {len(flow.awaiting_screening)} awaiting screening and "
                 f"{len(flow.awaiting_assessment)} awaiting full-text assessment.")
    return text


def _section(value: str, label: str, studies: list[Study], protocol: Protocol) -> IndicationSection:
    taxonomy = protocol.taxonomy
    designs = tally(studies, "design", taxonomy)
    sources = tally(studies, "ev_source", taxonomy)
    mechanisms = tally(studies, "mechanism", taxonomy)
    n = len(studies)
    topic = (f"{_verb(n, 'has', 'have')} no indication label" if value == UNCLASSIFIED
             else f"{_verb(n, 'addresses', 'address')} {_lower(label)}")
    sentences = [f"{_plural(n, 'included study', 'included studies')} {topic}"
                 + (f", by design: {_tallies(designs)}." if designs else ".")]
    people = sum(1 for s in studies if any(c.facet == "subjects" and c.value == "human" for c in s.labels))
    found = []
    if people:
        found.append(f"{people} of them studied people" if n > 1 else "it studied people")
    if sources:
        found.append(f"the vesicle source named most often is {_lower(sources[0].label)} ({sources[0].n})")
    if mechanisms:
        found.append(f"the mechanism reported most often is {_lower(mechanisms[0].label)} ({mechanisms[0].n})")
    harms = tally(studies, "safety", taxonomy)
    if harms:
        found.append("safety statements: " + ", ".join(f"{_lower(t.label)} ({t.n})" for t in harms))
    if found:
        sentence = "; ".join(found) + "."
        sentences.append(sentence[0].upper() + sentence[1:])
    return IndicationSection(value, label, tuple(studies), designs, sources, mechanisms, " ".join(sentences))
