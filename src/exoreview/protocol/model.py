"""The protocol schema: what a review asks, where it searches, what it keeps."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from exoreview.errors import BadInput


class ProtocolError(BadInput, ValueError):
    """A protocol file that cannot be used; the message names file, line and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class QueryBlock(_Strict):
    """One concept of the search: its MeSH descriptors OR'ed with its free-text phrases."""

    name: str
    mesh: list[str] = Field(default_factory=list)
    tiab: list[str] = Field(default_factory=list)

    def to_query(self) -> str:
        terms = [f'"{m}"[MeSH Terms]' for m in self.mesh]
        terms += [f"{_quote(t)}[tiab]" for t in self.tiab]
        if not terms:
            raise ProtocolError(f"query block {self.name!r} has no terms")
        return "(" + " OR ".join(terms) + ")"


def _quote(term: str) -> str:
    return f'"{term}"' if (" " in term or "-" in term) and not term.startswith('"') else term


class SourceSpec(_Strict):
    name: str  # a name in sources.registry.SOURCES: pubmed, europepmc, ctgov, openalex, or a plug-in's
    blocks: list[QueryBlock] = Field(default_factory=list)
    query: str = ""  # an explicit query overrides blocks
    free_full_text: bool = False
    date_from: str = ""  # YYYY/MM/DD
    date_to: str = ""
    languages: list[str] = Field(default_factory=list)
    max_records: int = 0  # 0 means no limit
    # Per-source settings. The PubMed-style query is translated for the other sources; `native_query`
    # (the source's own syntax) is sent as written instead. ClinicalTrials.gov also takes `condition`
    # and `intervention` (query.cond / query.intr, Essie syntax).
    base_url: str = ""  # the service to ask instead of the public one (a mirror, a local server)
    rate: float = 0.0  # requests per second; 0 means the service's documented polite rate
    page_size: int = 0  # records per page; 0 means the service's largest page
    native_query: str = ""
    condition: str = ""
    intervention: str = ""

    @field_validator("name", mode="before")
    @classmethod
    def _source_alias(cls, value: object) -> object:
        return "ctgov" if value == "clinicaltrials" else value  # the name DESIGN.md first used

    @model_validator(mode="after")
    def _ctgov_only(self) -> SourceSpec:
        if (self.condition or self.intervention) and self.name != "ctgov":
            raise ValueError(f"condition and intervention apply to the ctgov source only, not {self.name!r}")
        return self

    def has_query(self) -> bool:
        return bool(self.query.strip() or self.blocks)

    _date_shape = field_validator("date_from", "date_to")(classmethod(lambda cls, value: _date(value)))

    def query_string(self) -> str:
        """The exact query sent to the source, filters included."""
        core = self.query.strip() or " AND ".join(b.to_query() for b in self.blocks)
        if not core:
            raise ProtocolError(f"source {self.name!r} has neither a query nor query blocks")
        parts = [core if not (self.free_full_text or self.date_from) else f"({core})"]
        if self.free_full_text:
            parts.append("free full text[sb]")
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '1800/01/01'}:{self.date_to or '3000/12/31'}[dp]")
        if self.languages:
            parts.append("(" + " OR ".join(f"{lang}[la]" for lang in self.languages) + ")")
        return " AND ".join(parts)


def _date(value: str) -> str:
    """A protocol date as PubMed writes one: YYYY, YYYY/MM or YYYY/MM/DD (or empty)."""
    if value and not _is_pubmed_date(value):
        raise ValueError(f"expected YYYY, YYYY/MM or YYYY/MM/DD, got {value!r}")
    return value


def _regexes(values: list[str]) -> list[str]:
    """Patterns that compile, so a mistyped one stops the protocol here and not a run halfway through."""
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"{value!r} is not a regular expression: {exc}") from exc
    return values


def _is_pubmed_date(value: str) -> bool:
    pieces = value.split("/")
    return 1 <= len(pieces) <= 3 and all(p.isdigit() for p in pieces) and len(pieces[0]) == 4


class Criterion(_Strict):
    """An inclusion or exclusion criterion; the rule fields make it machine-checkable."""

    id: str
    text: str
    stage: Literal["title_abstract", "eligibility"] = "title_abstract"
    # Exclude when none of these patterns (regex, case-insensitive) occurs in title, abstract or MeSH.
    unless_any: list[str] = Field(default_factory=list)

    # Exclude when any of these publication types is present.
    publication_types: list[str] = Field(default_factory=list)
    # Exclude when any of these patterns (regex, case-insensitive) matches the title: notices that
    # an import carries without publication types ("Retraction notice: ...", "Erratum to ...").
    title_any: list[str] = Field(default_factory=list)
    # Exclude when the record's language is not one of these.
    languages: list[str] = Field(default_factory=list)
    # Exclude when the record's full text is known not to be freely available; a record whose
    # availability is unknown (an imported reference) waits for retrieval instead.
    requires_full_text: bool = False
    # Exclude when the record was published before / after this date (YYYY, YYYY/MM or YYYY/MM/DD);
    # a record without a date is kept and the decision says its date is unknown.
    published_from: str = ""
    published_to: str = ""
    # Exclude unless the classifier gives the record an affirmed label of each of these facets
    # ("indication"), or of one of the listed classes ("ev_role.therapeutic").
    requires_labels: list[str] = Field(default_factory=list)
    # Exclude when the classifier gives the record one of these ("ev_role.biomarker"), unless it
    # also gives one of `unless_labels` ("ev_role.therapeutic").
    excludes_labels: list[str] = Field(default_factory=list)
    unless_labels: list[str] = Field(default_factory=list)
    # PRISMA 2020 counts reports that could not be obtained apart from excluded ones.
    counts_as: Literal["excluded", "not_retrieved"] = "excluded"

    _date_shape = field_validator("published_from", "published_to")(classmethod(lambda cls, value: _date(value)))
    _regex_shape = field_validator("unless_any", "title_any")(classmethod(lambda cls, values: _regexes(values)))

    @field_validator("requires_labels", "excludes_labels", "unless_labels")
    @classmethod
    def _label_shape(cls, values: list[str]) -> list[str]:
        for value in values:
            if not value or value.count(".") > 1 or not all(part.strip() for part in value.split(".")):
                raise ValueError(f"expected a facet (\"indication\") or facet.class (\"ev_role.therapeutic\"), "
                                 f"got {value!r}")
        return values


class TaxonomyClass(_Strict):
    label: str
    patterns: list[str] = Field(default_factory=list)  # regex, case-insensitive, per sentence
    # Cues that name the class only when nothing else names a class of the facet: "the current
    # limitations and perspectives" reads as a review only in an abstract with no study; "a cosmetic
    # cream" is a topical route only in an abstract that names no other way the vesicles were given.
    weak_patterns: list[str] = Field(default_factory=list)
    # The class's bare name ("bone marrow", "plants", "keratinocytes"), read only as an item of a list
    # whose head another label of the facet matched: "exosomes from adipose tissue, bone marrow and
    # umbilical cord", "derived from ADSCs, followed by dermal papilla cells and plants".
    listed_patterns: list[str] = Field(default_factory=list)
    mesh: list[str] = Field(default_factory=list)  # descriptor UIs
    publication_types: list[str] = Field(default_factory=list)
    evidence_level: int | None = None  # for the design facet: 1 strongest
    # Sibling classes (same facet) a label of this class also stands for, with the same sentence:
    # a serious adverse event is also an adverse event reported.
    implies: list[str] = Field(default_factory=list)
    # Sibling classes that, matched in the same sentence, take this class's place ("acne" gives way
    # to "acne scars" only by being inside it; yields_to is for siblings that do not overlap).
    yields_to: list[str] = Field(default_factory=list)
    # A class that describes the vesicles rather than naming one of its siblings ("engineered",
    # "mimetic"): a sibling's match inside its match stands beside it instead of giving way
    # ("hydrogel loaded with engineered ADSC exosomes" is adipose and engineered).
    modifier: bool = False

    _regex_shape = field_validator("patterns", "weak_patterns", "listed_patterns")(
        classmethod(lambda cls, values: _regexes(values)))


FacetScope = Literal["any", "study", "study_first"]

# Facets the classifier writes whatever the taxonomy says (details.py): a report may use them too.
DETAIL_FACETS = ("outcome", "dose")
# The checks evidence.challenges knows, each counting one obstacle from the labels.
ChallengeId = Literal["isolation", "negative_marker", "single_vesicle", "human_data", "adverse_events"]
CHALLENGES: tuple[str, ...] = get_args(ChallengeId)


class FacetColumn(_Strict):
    """A heading over the labels of one or more facets: a column of a table, a line of a section."""

    heading: str
    facets: list[str]


def _columns(*rows: tuple[str, tuple[str, ...]]) -> list[FacetColumn]:
    return [FacetColumn(heading=heading, facets=list(facets)) for heading, facets in rows]


class ReportLayout(_Strict):
    """What the report does with each facet; the defaults are the exosome review's report.

    A taxonomy on another topic names its own facets here, and the report follows with no code
    change: sections by `group_by`, an evidence map of `map_rows` by `map_columns`, frequency
    tables of `method_facets`, the study table's `columns`, and the `challenges` that apply.
    """

    group_by: str = "indication"
    map_rows: str = "indication"
    map_columns: str = "ev_source"
    # Display names of facets, over the built-in ones ("ev_source" is "EV source").
    facet_names: dict[str, str] = Field(default_factory=dict)
    # The lines under each section's heading: each counts the classes of one facet among the section's studies.
    section_tallies: list[FacetColumn] = Field(default_factory=lambda: _columns(
        ("Designs", ("design",)), ("EV sources", ("ev_source",)), ("Mechanisms", ("mechanism",)),
        ("Outcomes", ("outcome",))))
    # The facets whose most frequent class each section's summary names, with the words that introduce it.
    most_named: dict[str, str] = Field(default_factory=lambda: {
        "ev_source": "the vesicle source named most often is", "mechanism": "the mechanism reported most often is"})
    # Facets whose groups are listed as counts (the Results' links and the data exports).
    summary_facets: list[str] = Field(default_factory=lambda: [
        "design", "ev_source", "indication", "subjects", "delivery", "outcome", "safety"])
    method_facets: list[str] = Field(default_factory=lambda: ["isolation", "characterization"])
    columns: list[FacetColumn] = Field(default_factory=lambda: _columns(
        ("Design", ("design",)), ("Model", ("subjects", "species")), ("EV source", ("ev_source",)),
        ("Isolation", ("isolation",)), ("Route", ("delivery",)), ("Dose", ("dose",)),
        ("Mechanisms", ("mechanism",)), ("Outcome", ("outcome",)), ("Safety", ("safety",))))
    # Columns left out of the printed (DOCX/PDF) table, which has less room than a web page.
    print_omits: list[str] = Field(default_factory=lambda: ["Mechanisms", "Safety"])
    challenges: list[ChallengeId] = Field(default_factory=lambda: list(CHALLENGES))
    # The EV reporting appraisal (MISEV) is for vesicle studies; a review of other treatments turns it off.
    appraisal: bool = True

    @field_validator("section_tallies")
    @classmethod
    def _one_facet_a_line(cls, lines: list[FacetColumn]) -> list[FacetColumn]:
        for line in lines:
            if len(line.facets) != 1:
                raise ValueError(f"line {line.heading!r}: a section line counts one facet, got {line.facets}")
        return lines

    def facets_named(self) -> list[tuple[str, str]]:
        """(field, facet) for every facet the layout refers to, for the loader to check."""
        named = [("group_by", self.group_by), ("map_rows", self.map_rows), ("map_columns", self.map_columns)]
        named += [("section_tallies", f) for c in self.section_tallies for f in c.facets]
        named += [("most_named", f) for f in self.most_named]
        named += [("summary_facets", f) for f in self.summary_facets]
        named += [("method_facets", f) for f in self.method_facets]
        named += [("columns", f) for c in self.columns for f in c.facets]
        return named


class Taxonomy(_Strict):
    version: str = "1"
    extends: str = ""  # a built-in taxonomy these facets are laid over
    # Facets taken whole from built-in taxonomies, with their scope, anchors and comparators:
    # {"exosome-aesthetics" = ["design", "subjects", "safety"]} lends a review on another topic the
    # study-design vocabulary without copying it. The taxonomy's own facets of the same name win.
    facets_from: dict[str, list[str]] = Field(default_factory=dict)
    facets: dict[str, dict[str, TaxonomyClass]] = Field(default_factory=dict)
    # Which classifier labels a facet (a name in exoreview.classify's registry); the rest: `default_classifier`.
    classifiers: dict[str, str] = Field(default_factory=dict)
    default_classifier: str = "rules"
    # Which sentences may give a facet's labels: "study" only this study's own sentences (not the
    # background that cites other work), "study_first" the background only when the study's own
    # sentences give none, "any" every sentence (the default).
    scope: dict[str, FacetScope] = Field(default_factory=dict)
    # What a facet's label is about. A sentence that names one of the facet's `comparators` (other
    # treatments) gives a label only if it also names one of its `anchors` (the vesicles), or refers
    # back to a sentence that does: "topical corticosteroids had failed" is not topical delivery of
    # exosomes, while "each scar received 0.1 mL by intralesional injection" still is a route.
    anchors: dict[str, list[str]] = Field(default_factory=dict)
    comparators: dict[str, list[str]] = Field(default_factory=dict)
    report: ReportLayout = Field(default_factory=ReportLayout)

    @field_validator("anchors", "comparators")
    @classmethod
    def _regex_lists(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for patterns in value.values():
            _regexes(patterns)
        return value

    def classes(self, facet: str) -> dict[str, TaxonomyClass]:
        return self.facets.get(facet, {})


class ScreeningSpec(_Strict):
    reviewer: str = "rules"
    # The active learner that orders records for people screening (exoreview.screen.active.MODELS):
    # "ensemble" of TF-IDF logistic regression and a linear SVM, or one of its parts; "tfidf-logreg"
    # is the name earlier protocol files gave logistic regression alone.
    ranker: Literal["ensemble", "lr", "svm", "nb", "sgd"] = "ensemble"
    seed: int = 1  # the learner's random state: the same decisions give the same order
    # Blind screening: in the browser no one sees another person's screening decisions (which record
    # they included or excluded, their notes) until an owner unblinds the review (`POST /screen/unblind`,
    # kept in the store). Off by default; `blind = true` under [screening] turns it on.
    blind: bool = False

    @field_validator("ranker", mode="before")
    @classmethod
    def _older_name(cls, value: object) -> object:
        return "lr" if value == "tfidf-logreg" else value


class ReportSpec(_Strict):
    title: str
    subtitle: str = ""
    formats: list[str] = Field(default_factory=lambda: ["html"])  # names in report.renderers.RENDERERS
    # Sourced, dated facts tables (TOML) the report prints, e.g. regulatory status: a path beside the
    # protocol file, else one shipped in the built-in protocol pack.
    facts: list[str] = Field(default_factory=list)
    # Included studies shown in full (labels, sentences, references) and record ids printed per list;
    # the rest are counted and written to records-behind.csv. 0 shows everything: a review submitted
    # for publication cites every included study.
    detail_limit: int = Field(default=500, ge=0)
    list_limit: int = Field(default=100, ge=0)


class Protocol(_Strict):
    name: str
    title: str
    question: str
    version: str = "1"
    # None is a review of imported files only (`exoreview run --import FILE`).
    sources: list[SourceSpec] = Field(default_factory=list)
    include: list[Criterion] = Field(default_factory=list)
    exclude: list[Criterion] = Field(default_factory=list)
    screening: ScreeningSpec = Field(default_factory=ScreeningSpec)
    taxonomy: Taxonomy = Field(default_factory=Taxonomy)
    report: ReportSpec

    def source(self, name: str) -> SourceSpec | None:
        return next((s for s in self.sources if s.name == name), None)

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON form: same meaning, same hash, whatever the file's layout."""
        data = self.model_dump(mode="json")
        if self.taxonomy.report == ReportLayout():
            # The default layout is what every protocol meant before layouts could be declared:
            # leaving it out keeps their hashes, and the reports that quote them, unchanged.
            del data["taxonomy"]["report"]
        if not self.taxonomy.facets_from:
            del data["taxonomy"]["facets_from"]  # as for the layout: older protocols keep their hashes
        if not self.screening.blind:
            del data["screening"]["blind"]  # the same: a protocol that never said blind keeps its hash
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
