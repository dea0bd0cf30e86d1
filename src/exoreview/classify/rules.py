"""The rule-based classifier: a taxonomy compiled once, applied to one record at a time.

For every class it looks for its patterns in each sentence of the title, the abstract and the
keywords, its MeSH descriptor UIs among the record's headings and its publication types among
the record's. Every hit is a candidate label with its evidence; the record then gets one label
per (facet, class), carrying the best evidence: a plain statement before a hedged or negated
one, title and abstract before keywords, MeSH and publication types.

MeSH headings are matched by descriptor UI only: a heading a source gave without its UI
yields no label (descriptor names change between MeSH years; UIs do not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from exoreview.classify.abbreviations import definitions_of, expand_short_forms
from exoreview.classify.cues import CueScanner, clause_spans, hard_clause_spans
from exoreview.classify.design import (
    DESIGN,
    HUMAN_DESIGNS,
    SUBJECT_ORDER,
    SUBJECTS,
    WEAK_METHOD,
    DesignDecision,
    decide_design,
    is_cell_model,
    is_tissue_ex_vivo,
    names_a_donor,
    names_a_material,
    names_tissue_cells,
)
from exoreview.classify.details import detail_labels
from exoreview.classify.scope import (
    BACKGROUND,
    FINDING_TOLD_AS_DONE,
    STUDY,
    conceded_earlier_work,
    sentence_scopes,
    summarises_others_only,
)
from exoreview.classify.sentences import Sentence, list_items, record_sentences
from exoreview.protocol.model import ProtocolError, Taxonomy, TaxonomyClass
from exoreview.records import Record
from exoreview.results import Evidence, Label

SPECIES, SAFETY, DELIVERY, INDICATION = "species", "safety", "delivery", "indication"
NO_ROUTE_DESIGNS = frozenset({"in_vitro", "ex_vivo"})
LIST_REACH = 300  # characters around a source's hit in which its list's other items are looked for
COMPARATOR_REACH = 12  # characters: "topical minoxidil", "injected with triamcinolone", "5% minoxidil applied"
# What a study did (its design, subjects, route, methods) is hedged only by a call for future work
# ("RCTs are needed"); "this trial suggests" still reports a trial.
FACTUAL_FACETS = frozenset({"design", "subjects", "species", "delivery", "isolation", "characterization"})
# Negation does not undo these facets: "absence of calnexin" reports that calnexin was tested,
# "vitiligo lesions did not repigment" still studied vitiligo, and "milk exosomes were not toxic"
# still names where the vesicles came from.
NEGATION_EXEMPT_FACETS = frozenset({"characterization", INDICATION, "ev_source"})
# Unicode hyphens (U+2010-U+2012), no-break and thin spaces, and the prime sign, as their plain forms:
# one character each, so that a match's offsets are the original text's.
PLAIN_CHARACTERS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u00a0": " ", "\u202f": " ",
                                  "\u2009": " ", "\u2032": "'"})
# A class named "<x>_unspecified" is a fallback, kept only when nothing more specific matched.
FALLBACK_SUFFIX = "_unspecified"
# The design of a record whose title, abstract, MeSH and publication types name none.
OTHER_DESIGN = "other"
NARRATIVE_REVIEW = "narrative_review"
INJECTION_UNSPECIFIED = "injection_unspecified"
_FIELD_RANK = {"title": 0, "abstract": 1, "keywords": 2, "mesh": 3, "publication_types": 3}

# The index reads patterns with the standard library's own regex parser. That is private API,
# so it is optional: without it every pattern simply runs on every sentence.
try:
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - other Python versions
    _parser = None  # type: ignore[assignment]
# A sentence that refers back to the one before ("They...", "...incorporated them into...").
# The words between a treatment and its route when the treatment is the subject: "bleomycin was injected ",
# "5% minoxidil solution applied ",
# "Evans blue dye was injected ", "C. acnes (1 x 10^7 CFU) was intradermally ".
_SUBJECT_OF_ROUTE = re.compile(
    r"(?:\s*\([^()]{0,40}\))?(?:\s+[\w-]+){0,2}?\s+(?:(?:was|were)\s+(?:\w+ly\s+)?(?:[a-z]+ed\s+)?"
    r"|(?:applied|given|injected|administered|delivered|sprayed)\s+)",
                               re.IGNORECASE)
_PHRASE_BREAK = re.compile(r"[,;]|\b(?:and|or|versus|vs|whereas|while|but)\b", re.IGNORECASE)
# "GDNVs (1 mg/mL) or 3% ": the vesicles and another treatment as joint subjects of one verb.
_SHARED_SUBJECT = re.compile(r"[\w-]*(?:\s*\([^()]{0,30}\))?\s*(?:,|,? and|,? or|and/or)\s+(?:[\d.]+\s*%\s*)?",
                             re.IGNORECASE)
_REFERS_BACK = re.compile(r"\b(?:they|them|these|their|such vesicles|such particles)\b", re.IGNORECASE)
_KEY_LENGTH = 6  # characters of a word's beginning used to look patterns up
_WORD_START = re.compile(r"\b\w")
_PREFIX_CACHE_SIZE = 200_000


@dataclass(frozen=True, slots=True)
class _Rule:
    facet: str
    value: str
    pattern: re.Pattern[str]
    yields_to: frozenset[str] = frozenset()
    weak: bool = False
    modifier: bool = False

    @property
    def method(self) -> str:
        return f"{WEAK_METHOD if self.weak else 'pattern'}:{self.facet}.{self.value}"


@dataclass(slots=True)
class _Hit:
    rule: _Rule
    start: int
    end: int
    negated: bool = False
    hedged: bool = False


class RuleClassifier:
    """Labels records with the classes of a taxonomy; compile once, classify many."""

    name = "rules"

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._rules: list[_Rule] = []
        self._by_key: dict[str, list[int]] = {}  # word beginning -> rules whose matches start so
        self._always: list[int] = []  # rules the index cannot vouch for
        self._key_lengths: list[int] = []
        self._prefix_cache: dict[str, tuple[int, ...]] = {}
        self._by_mesh: dict[str, list[tuple[str, str]]] = {}
        self._by_pubtype: dict[str, list[tuple[str, str]]] = {}
        self._order: dict[tuple[str, str], int] = {}
        self._implies: dict[tuple[str, str], list[str]] = {}
        self._modifiers: set[tuple[str, str]] = set()
        self._yields_to: dict[tuple[str, str], frozenset[str]] = {}
        self._listed: dict[str, list[_Rule]] = {}  # facet -> rules of names read only as list items
        self._listed_joined: dict[str, re.Pattern[str]] = {}
        self._span_memo: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self.levels: dict[str, int | None] = {}
        self._anchors = _joined_patterns(taxonomy.anchors, "anchors")
        self._comparators = _joined_patterns(taxonomy.comparators, "comparators")
        for facet, classes in taxonomy.facets.items():
            for value, spec in classes.items():
                self._add_class(facet, value, spec, classes)

    def _add_class(self, facet: str, value: str, spec: TaxonomyClass, classes: dict[str, TaxonomyClass]) -> None:
        """Compile one class of a facet: its patterns, MeSH UIs, publication types and links to its siblings."""
        self._order[(facet, value)] = len(self._order)
        if facet == DESIGN:
            self.levels[value] = spec.evidence_level
        if spec.modifier:
            self._modifiers.add((facet, value))
        for pattern in spec.patterns:
            self._add_rule(_Rule(facet, value, _compile(facet, value, pattern), frozenset(spec.yields_to),
                                 modifier=spec.modifier))
        for pattern in spec.listed_patterns:
            self._listed.setdefault(facet, []).append(_Rule(facet, value, _compile(facet, value, pattern)))
        for pattern in spec.weak_patterns:
            self._add_rule(_Rule(facet, value, _compile(facet, value, pattern), weak=True))
        for ui in spec.mesh:
            self._by_mesh.setdefault(ui.strip().upper(), []).append((facet, value))
        for name in spec.publication_types:
            self._by_pubtype.setdefault(name.strip().casefold(), []).append((facet, value))
        _check_implies(facet, value, spec.implies, classes)
        if spec.implies:
            self._implies[(facet, value)] = list(spec.implies)
        _check_yields_to(facet, value, spec.yields_to, classes)
        self._yields_to[(facet, value)] = frozenset(spec.yields_to)

    def _add_rule(self, rule: _Rule) -> None:
        index = len(self._rules)
        self._rules.append(rule)
        keys = _start_keys(rule.pattern.pattern)
        if keys is None:
            self._always.append(index)
        for key in keys or ():
            self._by_key.setdefault(key, []).append(index)
        self._key_lengths = sorted({len(key) for key in self._by_key})

    def classify(self, record: Record, record_id: int = 0, *, own_text: bool = False) -> list[Label]:
        """All labels for one record: one per (facet, class), the primary design, dose and outcomes.

        `own_text`: every sentence reports this study (a Methods section), so none is read as background.
        """
        sentences = record_sentences(record)
        scopes = [STUDY] * len(sentences) if own_text else sentence_scopes(sentences)
        meanings = definitions_of(s.text for f, s in sentences if f in ("title", "abstract"))
        candidates: list[Label] = []
        background: set[int] = set()  # ids of candidates read from sentences that cite other work
        previous = ""
        for (field_name, sentence), scope in zip(sentences, scopes, strict=True):
            found = self._sentence_labels(field_name, sentence, record_id, meanings, previous)
            previous = sentence.text if field_name == "abstract" else ""
            if scope == BACKGROUND:
                background.update(id(label) for label in found)
            candidates.extend(found)
        candidates.extend(self._heading_labels(record, record_id))
        candidates = self._with_implied(candidates, background)
        own = [c for c in candidates if id(c) not in background]
        decision = decide_design(own, self.levels, _rank)
        kept = _without_weak_beside_strong(self._in_scope(candidates, background, decision))
        labels = [label for label in self._best_per_class(kept) if label.facet not in (DESIGN, SUBJECTS)]
        if decision.design is not None:
            labels.append(decision.design)
        elif sentences:
            labels.append(_other_design(sentences, record_id))
        labels.extend(self._subjects(kept, decision))
        labels.sort(key=lambda lab: self._order.get((lab.facet, lab.value), len(self._order)))
        labels.extend(detail_labels([s for s, scope in zip(sentences, scopes, strict=True) if scope != BACKGROUND],
                                    record_id))
        return labels

    def _with_implied(self, candidates: list[Label], background: set[int]) -> list[Label]:
        """The candidates with the labels they imply (in the background when their source is), less
        an animal's tissue used ex vivo, which names no animal model."""
        implied = self._implied(candidates) + _species_as_animals(candidates)
        background.update(id(i) for i, source in implied if id(source) in background)
        return [c for c in [*candidates, *(i for i, _ in implied)] if not is_tissue_ex_vivo(c) and not names_a_donor(c)
                and not is_cell_model(c) and not names_a_material(c) and not names_tissue_cells(c)]

    def _in_scope(self, candidates: list[Label], background: set[int], decision: DesignDecision) -> list[Label]:
        """The candidates each facet may take: this study's own sentences where the facet asks for them.

        Reviews have no subjects or species; a narrative review reports no safety finding of its own.
        """
        secondary = decision.is_review or decision.design is None or decision.value == OTHER_DESIGN
        dropped = {SUBJECTS, SPECIES} if secondary else set()
        if decision.value == "narrative_review":
            dropped.add(SAFETY)
        if decision.value in NO_ROUTE_DESIGNS:
            dropped.add(DELIVERY)  # a route is how vesicles reached living skin: cells and explants have none
        own_facets = {c.facet for c in candidates if id(c) not in background and not c.negated}
        kept = []
        for label in candidates:
            if label.facet in dropped:
                continue
            scope = self.taxonomy.scope.get(label.facet, "any")
            if decision.is_review and label.facet != SAFETY:
                scope = "any"  # a review's subject is other people's work: what it covers is its content
            if id(label) in background and (scope == "study" or (scope == "study_first" and label.facet in own_facets)):
                continue
            kept.append(label)
        return kept

    def _subjects(self, candidates: list[Label], decision: DesignDecision) -> list[Label]:
        """What the study studied: its own affirmed subject cues and what its design implies."""
        if decision.is_review or decision.design is None:
            return []
        cues = [c for c in candidates if c.facet == SUBJECTS and not c.negated and not c.hedged
                and c.value not in decision.ruled_out]
        if decision.value in HUMAN_DESIGNS:
            # In a study of people, "in vivo" means in the participants, not in animals.
            cues = [c for c in cues if not (c.value == "animal" and c.evidence.match.lower() == "in vivo")]
        best = self._best_per_class(cues) + decision.implied_subjects
        order = {value: i for i, value in enumerate(SUBJECT_ORDER)}
        chosen: dict[str, Label] = {}
        for label in best:
            chosen.setdefault(label.value, label)
        return sorted(chosen.values(), key=lambda lab: order.get(lab.value, len(order)))

    def classify_many(self, records: Iterable[tuple[int, Record]]) -> Iterator[tuple[int, list[Label]]]:
        for record_id, record in records:
            yield record_id, self.classify(record, record_id)

    # -- one sentence ------------------------------------------------------------------------------

    def _rules_at(self, prefix: str) -> tuple[int, ...]:
        """Rules whose matches may begin a word that begins with `prefix` (memoized: words recur)."""
        rules = self._prefix_cache.get(prefix)
        if rules is None:
            found: set[int] = set()
            for length in self._key_lengths:
                found.update(self._by_key.get(prefix[:length], ()))
            if len(self._prefix_cache) > _PREFIX_CACHE_SIZE:
                self._prefix_cache.clear()  # bounded memory on very large corpora
            rules = self._prefix_cache[prefix] = tuple(sorted(found))
        return rules

    def _hits(self, text: str) -> list[_Hit]:
        """Every pattern match in one sentence, the same as running each pattern's finditer."""
        lowered = text.lower()
        if len(lowered) != len(text):  # lower() changed lengths ("İ"): positions would not line up
            return [_Hit(rule, m.start(), m.end()) for rule in self._rules for m in rule.pattern.finditer(text)
                    if m.end() > m.start()]
        starts: dict[int, list[int]] = {}
        for word in _WORD_START.finditer(lowered):
            position = word.start()
            for index in self._rules_at(lowered[position : position + _KEY_LENGTH]):
                starts.setdefault(index, []).append(position)
        hits = []
        for index, positions in starts.items():
            rule, end = self._rules[index], -1
            for position in positions:  # a match can only begin where a key begins a word
                if position < end:
                    continue  # finditer does not return matches that overlap an earlier one
                m = rule.pattern.match(text, position)
                if m and m.end() > m.start():
                    hits.append(_Hit(rule, m.start(), m.end()))
                    end = m.end()
        for index in self._always:
            rule = self._rules[index]
            hits.extend(_Hit(rule, m.start(), m.end()) for m in rule.pattern.finditer(text) if m.end() > m.start())
        return hits

    def _sentence_labels(self, field_name: str, sentence: Sentence, record_id: int,
                         meanings: dict[str, str] | None = None, previous: str = "") -> list[Label]:
        """Labels of one sentence, matched after each short form the record defines is read as its long form.

        `previous` is the sentence before it: a facet's anchor may be there when this one refers back
        to it ("They can also be loaded into a scaffold").
        """
        text = sentence.text
        # Matched on a copy with typographic hyphens and spaces made plain, character for character,
        # so offsets (and the evidence quoted from `text`) stay the record's own.
        expansion = expand_short_forms(text.translate(PLAIN_CHARACTERS), meanings or {})
        hits = self._hits(expansion.text)
        hits = [h for h in hits if not _injection_of_a_named_route(h, hits, expansion.text)]
        if self._comparators:
            before = expand_short_forms(previous, meanings or {}).text if previous else ""
            hits = [h for h in hits if h.rule.facet not in self._comparators
                    or self._about_the_vesicles(h, expansion.text, before, expansion.spans)]
        hits.extend(self._listed_hits(expansion.text, hits))  # a list named as sources needs no other hit
        if not hits:
            return []
        hits = _without_measured_qualities(hits, expansion.text)
        hits = _without_treated_cells(hits, expansion.text)
        hits = _without_methods_on_targets(hits, text, expansion.text)  # the short form may be the vesicles' word
        hits = _without_misread_cues(hits, expansion.text, field_name)
        # "an alternative to MSC exosomes", "unlike intravenous administration": named to be set aside.
        hits = [h for h in hits if h.rule.facet not in SET_ASIDE_FACETS or not _set_aside(h, expansion.text)]
        scanner = CueScanner(expansion.text)
        for hit in hits:
            if hit.rule.facet not in NEGATION_EXEMPT_FACETS:
                hit.negated = scanner.negated(hit.start, hit.end)
            if hit.rule.facet in FACTUAL_FACETS:
                hit.hedged = scanner.deferred(hit.start, hit.end, FINDING_TOLD_AS_DONE)
            else:
                hit.hedged = scanner.hedged(hit.start, hit.end)
        labels = []
        for hit in hits:
            if _yields(hit, hits) or _not_this_studys(hit, expansion.text):
                continue
            start, end = expansion.original_span(hit.start, hit.end)
            evidence = Evidence(text, sentence.start, sentence.end, field_name, hit.rule.method, text[start:end])
            labels.append(Label(record_id, hit.rule.facet, hit.rule.value, evidence, negated=hit.negated,
                                hedged=hit.hedged, detail=expansion.note(hit.start, hit.end)))
        return labels

    def _listed_pattern(self, facet: str) -> re.Pattern[str]:
        """The facet's list-item patterns as one alternation, a group per rule, compiled once."""
        pattern = self._listed_joined.get(facet)
        if pattern is None:
            joined = "|".join(f"(?P<r{i}>{rule.pattern.pattern})" for i, rule in enumerate(self._listed[facet]))
            pattern = self._listed_joined[facet] = re.compile(joined, re.IGNORECASE)
        return pattern

    def _listed_hits(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """Names read as items of a list that a hit of the same facet heads.

        "Exosomes from adipose tissue, bone marrow and umbilical cord": the first item matched with its
        head ("exosomes from"); the next ones share that head, so their bare names count too. Only
        list glue (commas, "and", "or", "followed by", a few modifiers) may stand between two items.
        A list may also end at its head: "plant-derived and colostrum-derived exosomes".
        """
        found: list[_Hit] = []
        source_heads = list(_SOURCE_HEAD.finditer(text))
        for facet, rules in self._listed.items():
            ours = [h for h in hits if h.rule.facet == facet]
            if not ours and not source_heads:
                continue
            # One pass, near the facet's hits only (a list runs a few hundred characters at most).
            spans = [(h.start, h.end) for h in ours] + [m.span() for m in source_heads]
            window = (max(0, min(a for a, _ in spans) - LIST_REACH), max(b for _, b in spans) + LIST_REACH)
            found_in = self._listed_pattern(facet).finditer(text, *window)
            items = [_Hit(rules[int(m.lastgroup[1:])], m.start(), m.end())  # the named group is the rule
                     for m in found_in if m.end() > m.start() and m.lastgroup]
            listed = _source_list(text, items, source_heads, ours)
            found.extend(listed)
            ours = [*ours, *listed]
            # "exosomes from A, B and C" is a list of sources; "A exosomes and keratinocytes" is not, but
            # "A-derived and B-derived exosomes" is one read back from the head at its end.
            heads = [h for h in ours if not _ENDS_WITH_VESICLES.search(text, h.start, h.end)]
            # a tail ends in the vesicles, or the vesicles follow it: "umbilical cord and adipose MSC-derived EVs"
            tails = [h for h in ours if h not in heads or _VESICLES_FOLLOW.match(text, h.end)]
            back = _read_back(text, items, tails, ours)
            found.extend(back)
            found.extend(_read_on(text, [i for i in items if i not in back], heads, [*ours, *back]))
        return found

    def _about_the_vesicles(self, hit: _Hit, text: str, previous: str,
                            long_forms: Sequence[tuple[int, ...]] = ()) -> bool:
        """Whether a label is about the vesicles, not another treatment the sentence names.

        With no other treatment named, it is. A treatment in another part of the sentence (after ";",
        "whereas", "and the control side received") claims nothing. In the route's own clause:
        - the vesicles named there too: the nearer claims it, and another treatment only from within a
          few words ("subcutaneous exosomes versus topical minoxidil" is subcutaneous, not topical);
        - the vesicles not named there: another treatment claims it from nearby or as the subject of its
          verb ("Bleomycin was injected subcutaneously to induce fibrosis"), unless it shares that verb
          with the vesicles ("GDNVs or 3% minoxidil were topically applied").
        A sentence that only refers back ("They were then injected") takes its anchor from the one before.
        `long_forms`: spans of short forms read out; a treatment named inside one is the whole long form
        ("bFGF" read as "basic fibroblast growth factor" stays as near its route as the short form was).
        """
        facet = hit.rule.facet
        comparators = _widened(self._spans(self._comparators[facet], text), long_forms)
        if not comparators:
            return True
        anchor = self._anchors.get(facet)
        if anchor is None:
            return False
        anchors = self._spans(anchor, text)
        if not anchors:
            return bool(previous and _REFERS_BACK.search(text) and anchor.search(previous))
        return (_route_shared_at_the_end(hit, text, anchors)
                or _route_stays_with_vesicles(hit, text, comparators, anchors))

    def _spans(self, pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
        """Spans of a comparator or anchor pattern in a sentence, found once per sentence however many routes it has."""
        key = (pattern.pattern, text)
        spans = self._span_memo.get(key)
        if spans is None:
            if len(self._span_memo) > 64:
                self._span_memo.clear()
            spans = self._span_memo[key] = [m.span() for m in pattern.finditer(text)]
        return spans

    # -- MeSH and publication types -------------------------------------------------------------------

    def _heading_labels(self, record: Record, record_id: int) -> list[Label]:
        labels: list[Label] = []
        for heading, item in zip(record.mesh, list_items([h.descriptor for h in record.mesh]), strict=False):
            for facet, value in self._by_mesh.get(heading.ui.strip().upper(), ()):
                evidence = Evidence(item.text, item.start, item.end, "mesh", f"mesh:{heading.ui}", item.text)
                labels.append(Label(record_id, facet, value, evidence))
        names = [p.name for p in record.publication_types]
        for name, item in zip(names, list_items(names), strict=False):
            for facet, value in self._by_pubtype.get(name.strip().casefold(), ()):
                evidence = Evidence(item.text, item.start, item.end, "publication_types", f"pubtype:{name}", item.text)
                labels.append(Label(record_id, facet, value, evidence))
        return labels

    def _implied(self, candidates: list[Label]) -> list[tuple[Label, Label]]:
        """(implied label, the label implying it): the classes a class implies, on the same sentence."""
        implied: list[tuple[Label, Label]] = []
        for label in candidates:
            for value in self._implies.get((label.facet, label.value), ()):
                e = label.evidence
                evidence = Evidence(e.sentence, e.start, e.end, e.field_name, f"implied:{label.facet}.{label.value}",
                                    e.match)
                implied.append((Label(label.record_id, label.facet, value, evidence,
                                      negated=label.negated, hedged=label.hedged), label))
        return implied

    # -- one label per class ---------------------------------------------------------------------------

    def _best_per_class(self, candidates: list[Label]) -> list[Label]:
        best: dict[tuple[str, str], Label] = {}
        for label in candidates:
            key = (label.facet, label.value)
            if key not in best or _rank(label) < _rank(best[key]):
                best[key] = label
        # A modifier ("engineered", "mimetic") says what was done to the vesicles, not where they came
        # from, so "mimetic nanovesicles from MSCs" keeps its fallback source beside the modifier.
        affirmed: dict[str, set[str]] = {}
        for (facet, value), label in best.items():
            if not label.negated and (facet, value) not in self._modifiers:
                affirmed.setdefault(facet, set()).add(value)
        return [
            label
            for (facet, value), label in best.items()
            if not (value.endswith(FALLBACK_SUFFIX) and _fallback_outranked(
                value, affirmed.get(facet, set()), self._yields_to.get((facet, value), frozenset())))
        ]


def _without_weak_beside_strong(labels: list[Label]) -> list[Label]:
    """A weak cue of a facet other than design ("a cosmetic cream") names a class only when nothing
    stronger names any class of that facet: the design facet weighs its weak cues in decide_design."""
    strong = {lab.facet for lab in labels
              if not lab.negated and not lab.hedged and not lab.evidence.method.startswith(WEAK_METHOD)}
    return [lab for lab in labels if lab.facet == DESIGN or lab.facet not in strong
            or not lab.evidence.method.startswith(WEAK_METHOD)]


def _fallback_outranked(value: str, others: set[str], yields_to: frozenset[str]) -> bool:
    """A fallback class gives way to the siblings it yields to, or to any sibling when it names none."""
    others = others - {value}
    return bool(others & yields_to) if yields_to else bool(others)


# A route set off by a comma at the end of what each side or group received modifies all of it: "the right
# half received PRP exosomes and the left half PRP, by intradermal injection".
_TRAILING_ROUTE = re.compile(r",\s*(?:(?:all|both|each)\s+)?(?:by|via|through|using)\s+(?:(?:an?|the)\s+)?$",
                             re.IGNORECASE)


def _route_shared_at_the_end(hit: _Hit, text: str, anchors: list[tuple[int, int]]) -> bool:
    """`_TRAILING_ROUTE` after the vesicles were named in the same part of the sentence."""
    part = _span_holding(hard_clause_spans(text), hit.start)
    return bool(_TRAILING_ROUTE.search(text, max(part[0], hit.start - 20), hit.start)
                and any(part[0] <= a[0] < hit.start for a in anchors))


def _route_stays_with_vesicles(hit: _Hit, text: str, comparators: list[tuple[int, int]],
                               anchors: list[tuple[int, int]]) -> bool:
    """The clause rules of `_about_the_vesicles`, once the sentence names both the vesicles and another treatment."""
    part = _span_holding(hard_clause_spans(text), hit.start)
    clause = _span_holding(clause_spans(text), hit.start)
    clause = (max(clause[0], part[0]), clause[1])
    # A treatment named after the route, past a comma or "and", begins another phrase: "Exosomes were
    # applied topically, and dexamethasone ..." leaves the route to the exosomes.
    near = [c for c in comparators if clause[0] <= c[0] < clause[1]
            and not (c[0] >= hit.end and _PHRASE_BREAK.search(text, hit.end, c[0]))]
    if not near:
        return True
    first = min(c[0] for c in near)
    shared = any(part[0] <= a[0] and a[1] <= first and _SHARED_SUBJECT.fullmatch(text, a[1], first) for a in anchors)
    if any(c[1] <= hit.start and _SUBJECT_OF_ROUTE.fullmatch(text, c[1], hit.start) for c in near):
        return shared
    nearest = min(_gap(hit, c, text) for c in near)
    anchored = [a for a in anchors if clause[0] <= a[0] < clause[1]]
    if anchored:
        return nearest > COMPARATOR_REACH or min(_gap(hit, a, text) for a in anchored) < nearest
    return nearest > COMPARATOR_REACH or shared


def _span_holding(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    return next(((s, e) for s, e in spans if s <= position < e), (0, spans[-1][1] if spans else position))


def _widened(spans: list[tuple[int, int]], long_forms: Sequence[tuple[int, ...]]) -> list[tuple[int, int]]:
    """Each span grown to the whole of a read-out long form it lies in (`long_forms`: the expansion's
    spans, whose first two items are the long form's offsets)."""
    if not long_forms:
        return spans
    grown = []
    for start, end in spans:
        for form_start, form_end, *_ in long_forms:
            if form_start <= start and end <= form_end:
                start, end = form_start, form_end
                break
        grown.append((start, end))
    return grown


_ASIDE = re.compile(r"\s*\([^()]{0,60}\)")


def _gap(hit: _Hit, span: tuple[int, int], text: str) -> int:
    """Characters between a hit and a span (0 when they touch or overlap), less an aside in parentheses:
    "3-methyladenine (3-MA, 15 mg/kg) by intraperitoneal injection" is as near as without it."""
    start, end = (hit.end, span[0]) if span[0] >= hit.end else (span[1], hit.start)
    if end <= start:
        return 0
    return len(_ASIDE.sub("", text[start:end]))


def _species_as_animals(candidates: list[Label]) -> list[tuple[Label, Label]]:
    """(subjects "animal", the species label): a named animal model says animals were studied, on its sentence."""
    return [(Label(c.record_id, SUBJECTS, "animal", replace(c.evidence, method=f"implied:{SPECIES}.{c.value}"),
                   negated=c.negated, hedged=c.hedged), c)
            for c in candidates if c.facet == SPECIES]


def _other_design(sentences: list[tuple[str, Sentence]], record_id: int) -> Label:
    """The design when no cue names one.

    An abstract that only states what others found, never what this paper did, is a narrative
    review; its evidence is the sentence citing that work. Otherwise design "other", read from the
    title (or first sentence).
    """
    abstract = [s for f, s in sentences if f == "abstract"]
    summary = summarises_others_only([s.text for s in abstract])
    if summary is not None:
        sentence = abstract[summary]
        evidence = Evidence(sentence.text, sentence.start, sentence.end, "abstract",
                            "design:summarises-others-work", "")
        return Label(record_id, DESIGN, NARRATIVE_REVIEW, evidence, detail="evidence_level=5")
    field_name, sentence = next(((f, s) for f, s in sentences if f == "title"), sentences[0])
    evidence = Evidence(sentence.text, sentence.start, sentence.end, field_name, "design:no-design-cue", "")
    return Label(record_id, DESIGN, OTHER_DESIGN, evidence, detail="evidence_level=none")


def _rank(label: Label) -> tuple[int, int, int, int]:
    """Lower is better: affirmed, then unhedged, then title/abstract, then earliest."""
    evidence = label.evidence
    return (int(label.negated), int(label.hedged), _FIELD_RANK.get(evidence.field_name, 4), evidence.start)


_ENDS_WITH_VESICLES = re.compile(r"(?:exo\w*|EVs?|vesicles?|particles?|exosome-like)$", re.IGNORECASE)
# Skin qualities a study measures. A sentence that lists three or more ("wrinkles, elasticity,
# hydration and pigmentation improved", "measures included melanin content, redness and pores") gives
# the measures of skin quality, not indications of their own: of its indication matches inside the
# list only skin rejuvenation (what such measures are of) stands.
_SKIN_QUALITY = re.compile(
    r"\b(?:wrinkl\w*|elasticity|hydration|moisture|(?:hyper)?pigmentation|melanin(?: content| index| levels?)?|"
    r"redness|erythema(?: index)?|pores?|texture|roughness|sebum|TEWL|transepidermal water loss|firmness|"
    r"radiance|brightness|skin tone|gloss|spots)\b", re.IGNORECASE)
MEASURES_KEEP = frozenset({"skin_rejuvenation"})


def _without_measured_qualities(hits: list[_Hit], text: str) -> list[_Hit]:
    found = list(_SKIN_QUALITY.finditer(text))
    if len({m.group(0).lower()[:5] for m in found}) < 3:
        return hits
    first, last = found[0].start(), found[-1].end()
    return [h for h in hits if h.rule.facet != INDICATION or h.rule.value in MEASURES_KEEP
            or not (first <= h.start and h.end <= last)]


# A Western blot or an electron micrograph is a characterization of the vesicles only when the sentence
# is about them: it names a vesicle marker or their shape or size, or it says the vesicles were
# characterised or identified. Otherwise the method measured the target's proteins ("western blot of
# Bax and Bcl-2") or imaged tissue ("electron microscopy showed lamellar bodies").
SHOWN_ON_TARGETS_TOO = frozenset({("characterization", "western_blot"), ("characterization", "tem_cryoem")})
_VESICLE_FEATURES = re.compile(
    r"\b(?:CD9|CD63|CD81|TSG-?101|ALIX|HSP-?70|HSC-?70|flotillin-?\w*|calnexin|GM-?130|syntenin\w*|"
    r"tetraspanins?|(?:surface |protein |exosomal |EV |vesicle )?markers?|cup-shaped|saucer-shaped|bilayers?|"
    r"lipid membranes?|\d+\s?nm|(?:exosom\w*|EVs?|vesicles?|vesicular) (?:lysates?|proteins?|proteome))\b",
    re.IGNORECASE)
# A shape or a size is the vesicles' only beside them: "round particles", not "mitochondrial morphology".
_SHAPE_OR_SIZE = re.compile(r"\b(?:morpholog\w*|spherical|round|diameters?|sizes?)\b", re.IGNORECASE)
_VESICLE_WORDS = r"exo(?:some)?s?|exosomal|s?EVs?|\w*EVs|(?:nano)?vesicles?|particles?|NVs?"
_VESICLE_WORD = re.compile(rf"\b(?:{_VESICLE_WORDS})\b|-Ex(?:os?)?\b", re.IGNORECASE)
# The vesicles as what the method looked at: "the vesicles were characterised (examined, analysed,
# subjected to...)", "characterization (analysis, imaging) of the EVs", "performed on the isolated
# exosomes". Not "Western blotting confirmed that the exosomes raised ...": an effect of the vesicles,
# and not "analysis of exosome-treated cells" or "cells given the vesicles were analysed".
_VES = (r"(?<!given )(?<!given the )(?<!with )(?<!with the )(?<!received )(?<!received the )(?<!receiving )"
        r"(?<!receiving the )(?<!to )(?<!to the )(?<!by )(?<!by the )"
        rf"(?:{_VESICLE_WORDS}|[A-Z][\w-]*-Exos?)\b"
        r"(?![- ](?:treated|stimulated|exposed|incubated|primed|receiving|given))")
_EXAMINE = (r"(?:characteri[sz]\w*|identif\w*|confirmed|verified|imaged|observed|visuali[sz]\w*|analy[sz]\w*|assess\w*"
            r"|examined|examination|detected|detection|evaluated|evaluation|profiled|profiling|subjected(?: to)?|"
            r"(?:performed|carried out|conducted|done) (?:on|with|for))")
_VESICLES_EXAMINED = re.compile(
    rf"\b{_VES}(?: [\w()-]+){{0,4}}? (?:were|was|are|is)(?: \w+){{0,2}}? {_EXAMINE}\b(?! that)"
    rf"|\b{_EXAMINE}(?! that\b)(?: (?:of|on|for|with|the|purified|isolated|collected|these|those|all|resulting))*"
    rf"(?: (?!that\b|showed\b|revealed\b|indicated\b|demonstrated\b|suggested\b)[\w-]+){{0,2}}? {_VES}",
    re.IGNORECASE)
# Words that describe the vesicles wherever they stand in a sentence naming them: "the exosomes
# showed the typical characteristics", "identified as small EVs".
_CHARACTERISED = re.compile(r"\b(?:characteri[sz]\w*|identif\w*)\b", re.IGNORECASE)


# A route named only as future work was not used here: "topical formulations will be tested next",
# "future studies should compare subcutaneous with topical administration".
_FUTURE_WORK = re.compile(
    r"\b(?:(?:future|further) (?:[\w-]+ ){0,2}?(?:studies|research|work|trials|experiments)|will (?:\w+ ){0,2}?(?:be )?"
    r"(?:test|tested|explore|explored|examine|examined|evaluate|evaluated|compare|compared|investigate|investigated"
    r"|assess|assessed)|should (?:\w+ )?(?:establish|compare|test|examine|evaluate|explore|address))\b", re.IGNORECASE)


def _route_for_future_work(hit: _Hit, text: str) -> bool:
    return hit.hedged and bool(_FUTURE_WORK.search(text))


# Engineering named as what could come next: "future studies could combine the patches with engineered
# exosomes", "loading with Wnt agonists might further enhance these effects", "a promising future direction".
_NEXT_STEP = re.compile(r"\bfuture (?:directions?|work|studies|research)\b"
                        r"|\bremains? to be (?:explored|tested|seen|shown)"
                        r"|\b(?:could|might|may) (?:\w+ ){0,2}?(?:enhance|improve|combine|increase|boost)\b",
                        re.IGNORECASE)


def _engineering_to_come(hit: _Hit, text: str) -> bool:
    return hit.hedged and bool(_FUTURE_WORK.search(text) or _NEXT_STEP.search(text))


# A route that a clause gives to earlier work is not this study's: "exosomes were delivered
# intravenously in previous studies, whereas we applied them topically".
_EARLIER_WORK = re.compile(
    r"\b(?:in|by|of) (?:most |many |some |several )?(?:previous|earlier|prior|past|other) "
    r"(?:studies|work|reports|trials|investigations)\b|\b(?:previous|earlier|prior) (?:studies|work|reports) "
    r"(?:have |had )?(?:mostly |mainly |largely )?(?:used|delivered|given|administered|injected|applied|relied)\b",
    re.IGNORECASE)


def _not_this_studys(hit: _Hit, text: str) -> bool:
    """A route, a source or an engineering that the sentence gives to future work, earlier work or a control."""
    if hit.rule.facet == "ev_source" and hit.end <= conceded_earlier_work(text):
        return True
    if (hit.rule.facet, hit.rule.value) == ("ev_source", "engineered"):
        return _engineering_to_come(hit, text)
    if hit.rule.facet != DELIVERY:
        return False
    clause = _span_holding(clause_spans(text), hit.start)  # the route's clause, found once for both checks
    return (_route_for_future_work(hit, text) or bool(_EARLIER_WORK.search(text, *clause))
            or _route_of_a_control(hit, text, clause))


# A clause about what a control group received: "; a positive-control group received an EGF gel spread on the
# wound", "and the control mice were given clobetasol ointment". Its route is the control's, unless it names
# the vesicles too.
_CONTROL_RECEIVED = re.compile(
    r"\W*(?:(?:and|while|whereas|but)\s+)?(?:an?|the)\s+(?:(?:positive|negative|active|reference|sham)[- ])?"
    r"control(?:s|\s+(?:group|groups|arm|mice|rats|animals|side|half|patients|wounds|sites))?\s+"
    r"(?:\w+\s+)?(?:received|was given|were given|was treated|were treated|got)\b", re.IGNORECASE)
_MICRONEEDLE_PATCH_BEFORE = re.compile(
    r"\b(?:MNs?|micro-?needles?)(?:[- ][\w@-]+){0,3} (?:patch(?:es)?|arrays?) (?:was|were) (?:then )?$", re.IGNORECASE)


def _route_of_a_control(hit: _Hit, text: str, clause: tuple[int, int]) -> bool:
    start, end = clause
    if _CONTROL_RECEIVED.match(text, start, end):
        return not _VESICLE_WORD.search(text, start, end)
    # "MN-M2-Exos patches were applied to the wound": put on the skin, but it is the needles that deliver
    before = (max(0, hit.start - 60), hit.start)
    return hit.rule.value == "topical" and bool(_MICRONEEDLE_PATCH_BEFORE.search(text, *before))


def _without_methods_on_targets(hits: list[_Hit], *texts: str) -> list[_Hit]:
    """`texts`: the sentence as written and with its short forms read out; either may name the vesicles."""
    if not any((h.rule.facet, h.rule.value) in SHOWN_ON_TARGETS_TOO for h in hits):
        return hits
    about_vesicles = any(
        _VESICLE_FEATURES.search(text) or _VESICLES_EXAMINED.search(text)
        or ((_SHAPE_OR_SIZE.search(text) or _CHARACTERISED.search(text)) and _VESICLE_WORD.search(text))
        for text in texts)
    return [h for h in hits if about_vesicles or (h.rule.facet, h.rule.value) not in SHOWN_ON_TARGETS_TOO]


# "We treated ASCs, endothelial cells and macrophages with the vesicles": the cells between the verb
# and "with" are what the vesicles were given to, never where they came from.
_TREATED_CELLS = re.compile(r"\b(?:treated|pretreated|incubated|co-?cultured|stimulated|exposed)\b"
                            r"(?=([^.;:]{3,200}?)\b(?:with|to)\b)", re.IGNORECASE)


def _without_treated_cells(hits: list[_Hit], text: str) -> list[_Hit]:
    targets = [(m.end(), m.end() + len(m.group(1))) for m in _TREATED_CELLS.finditer(text)]
    if not targets:
        return hits
    return [h for h in hits if h.rule.facet != "ev_source"
            or not any(start <= h.start and h.end <= end for start, end in targets)]


@dataclass(frozen=True, slots=True)
class _NoOneStudied:
    """A subject cue whose words, after a context, name no one this study studied."""

    value: str
    words: re.Pattern[str]  # the cue's own words (fullmatch)
    before: re.Pattern[str]  # what precedes it (search, within `reach` characters; None: the whole sentence)
    reach: int | None = 60


_NO_ONE_STUDIED = (
    # "Vesicles were isolated from the MSC culture medium": the producers' culture, not cells under test.
    _NoOneStudied("in_vitro", re.compile(r"cell cultures?", re.IGNORECASE),
                  re.compile(r"\b(?:from|of)\s+(?:the\s+)?(?:[\w/-]+\s+){0,5}$", re.IGNORECASE)),
    # "exosomes from the serum of healthy volunteers": people who gave the source, not people studied.
    _NoOneStudied("human", re.compile(r".*\b(?:volunteers|donors)", re.IGNORECASE),
                  re.compile(r"\b(?:serum|sera|plasma|blood|urine|milk|fat|lipoaspirates?|tissues?|foreskins?|placentas?)"
                             r" (?:of|from) (?:the )?(?:[\w-]+ ){0,2}$", re.IGNORECASE)),
    # "... suggest that it may contribute to melasma in vivo": a guess about living skin, not animals used.
    _NoOneStudied("animal", re.compile(r"in vivo", re.IGNORECASE),
                  re.compile(r"\b(?:may|might|could|would)\b", re.IGNORECASE), reach=None),
    # "a dose chosen to approximate the in vivo exposure", "to mimic in vivo conditions": cells standing in
    # for living skin, not animals used.
    _NoOneStudied("animal", re.compile(r"in vivo", re.IGNORECASE),
                  re.compile(r"\bto (?:approximat|mimic|resembl|simulat|recapitulat|imitat)\w*"
                             r" (?:the |an? |more closely )?(?:[\w-]+ )?$", re.IGNORECASE)),
    # "the benefits previously reported in diabetic rat wounds": animals of earlier work, not of this study.
    _NoOneStudied("animal", re.compile(r".+", re.DOTALL),
                  re.compile(r"\b(?:previously|earlier|formerly|already) (?:been )?(?:reported|shown|described|observed"
                             r"|demonstrated|found) (?:in|with|on) (?:[\w-]+ ){0,3}$", re.IGNORECASE)),
)


def _names_no_one_studied(hit: _Hit, text: str) -> bool:
    # A species ("rat") implies animal subjects, so the animals of earlier work are set aside there too.
    value = "animal" if hit.rule.facet == SPECIES else hit.rule.value if hit.rule.facet == SUBJECTS else None
    if value is None:
        return False
    for rule in _NO_ONE_STUDIED:
        if rule.value == value and rule.words.fullmatch(text, hit.start, hit.end):
            start = 0 if rule.reach is None else max(0, hit.start - rule.reach)
            if rule.before.search(text, start, hit.start):
                return True
    return False


# A condition named as a side effect or an exclusion is not what the study treats: "post-inflammatory
# hyperpigmentation developed on three control sides", "patients with psoriasis were not treated".
_NOT_TREATED_HERE = re.compile(
    r"\b(?:adverse (?:events?|effects?|reactions?)|side[- ]effects?|(?:a |common |frequent |known )?complications?"
    r"|(?:developed|appeared|occurred) (?:on|in) (?:\w+ ){0,3}?(?:sides?|patients|participants|subjects|halves)"
    r"|(?:were|was) (?:not treated|excluded)|exclusion criteria"
    # people who developed something during the study: "one participant developed mild dermatitis"
    r"|(?:one|two|three|four|five) (?:of the (?:\d+ )?)?(?:patients?|participants?|subjects?|volunteers?)"
    r" (?:[\w-]+ ){0,3}?(?:developed|experienced) (?:a |an )?(?:mild|transient|moderate|temporary|self-limiting)"
    r"|leaving (?:[\w-]+ ){0,2}?(?:mild|transient|residual|slight|faint))\b",
    re.IGNORECASE)


def _without_misread_cues(hits: list[_Hit], text: str, field_name: str) -> list[_Hit]:
    """Subject cues that name no one studied, and (in the abstract) indications named as side effects."""
    hits = [h for h in hits if not _names_no_one_studied(h, text)]
    return _without_side_effects(hits, text) if field_name == "abstract" else hits


def _without_side_effects(hits: list[_Hit], text: str) -> list[_Hit]:
    """Indications named in the clause of a side effect or an exclusion are set aside."""
    cues = [m.start() for m in _NOT_TREATED_HERE.finditer(text)]
    if not cues:
        return hits
    clauses = clause_spans(text)
    marked = {_span_holding(clauses, cue) for cue in cues}
    return [h for h in hits if h.rule.facet != INDICATION or _span_holding(clauses, h.start) not in marked]


SET_ASIDE_FACETS = frozenset({"ev_source", DELIVERY, SUBJECTS, SPECIES})
# The phrase must lead straight to what it sets aside: no verb or preposition between ("rather than
# injected in 24 women" sets the injection aside, not the women).
_SET_ASIDE = re.compile(r"\b(?:alternatives? to|instead of|rather than(?: in)?|unlike|in place of)"
                        r"(?: the| an?| conventional| current)?"
                        r"(?: (?!(?:in|into|on|with|of|to|by)\b)[\w-]+(?<!ed)){0,2} $", re.IGNORECASE)
# A phrase that opens with a contrast sets aside all it names up to its comma: "Unlike exosomes from
# mammalian cells such as mesenchymal stem cells, plant vesicles ..."
_CONTRAST_OPENS = re.compile(r"(?:^|[;:]\s*|,\s*(?:and|but|while|whereas)\s+|\b(?:but|whereas|while)\s+)"
                             r"(?:unlike|in contrast to|as opposed to|rather than|instead of)\b[^,;:()]*$",
                             re.IGNORECASE)


def _set_aside(hit: _Hit, text: str) -> bool:
    """Whether a source, route or subject is named only to be set aside (`_SET_ASIDE`, `_CONTRAST_OPENS`)."""
    return bool(_SET_ASIDE.search(text, max(0, hit.start - 60), hit.start)
                or _CONTRAST_OPENS.search(text, max(0, hit.start - 200), hit.start))


# What may stand between two items of one list: "adipose tissue, bone marrow and umbilical cord",
# "ADSCs (n = 8), followed by dermal papilla cells", "platelet lysate, as well as from canine keratinocytes".
_LIST_GLUE = re.compile(
    # an item's own head noun may follow it: "MSCs of adipose tissue, bone marrow", "Lactobacillus species (n = 3) and"
    # or its "-derived": "EVs from adipose-derived, bone marrow-derived and cord-derived MSCs"
    r"\)?(?:\s*\([^()]{0,80}\))?(?:-(?:derived|secreted|released|based)|\s+(?:tissues?|cells|MSCs|stem cells|species"
    r"|strains|spp\.?|cultures|extracts?))?"
    r"(?:\s*\([^()]{0,80}\))?(?:\s*(?:in (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?: (?:studies|trials|papers|articles|reports))?|\d+))?"
    r"(?:\s*,\s*(?:(?:and|or|as well as|followed by|together with|plus|and/or)\s+)?"
    r"|\s+(?:and|or|as well as|followed by|together with|plus|and/or)(?:\s+|,\s*)"
    r"|\s*[;,]\s+(?:and\s+)?(?:others?|the (?:rest|remainder|others)|the remaining (?:ones|products|studies|trials))"
    r"\s+(?:came|derived|were (?:derived|obtained|isolated|prepared))\s+from\s+)"
    r"(?:(?:(?:less|more|most) (?:often|frequently|commonly)|rarely|occasionally|also|even|in a few cases|increasingly"
    r"|mostly|mainly|predominantly|especially|particularly|notably|chiefly),?\s+)?"
    r"(?:(?:from|of|by|in)\s+)?(?:(?:the|human|bovine|canine|equine|porcine|murine|mouse|rat|goat|camel|cow|"
    r"activated|young|healthy|primary|cultured|various|several|edible|different)\s+){0,3}",
    re.IGNORECASE,
)


_TREATED_AFTER = re.compile(r"\s+(?:were|was)\s+(?:\w+ly\s+)?(?:co-?cultured|cultured|treated|incubated|exposed|seeded"
                            r"|stimulated|pretreated)\b", re.IGNORECASE)
_VESICLES_FOLLOW = re.compile(r"(?:[- ](?:MSCs?|cells?))?-?(?:derived|secreted|released)?[- ]"
                              r"(?:exo\w*|EVs?|(?:extracellular |nano|micro)?vesicles?)\b", re.IGNORECASE)
# A list named as the vesicles' sources: "by cell source (A, B, C)" (read as "by cell derived from A, B, C"),
# "MSC tissue sources such as A and B". Its items count from two on: one item is no list.
_SOURCE_HEAD = re.compile(r"\b(?:(?:cell(?:ular)?|tissue|MSCs?|stem[- ]cells?|vesicles?|EVs?|exosomes?)\s+){1,2}"
                          r"(?:(?:sources?|origins?),?\s+(?:such as|including|namely|e\.g\.,?)|derived from)\s+"
                          r"(?:(?:the|human)\s+)?", re.IGNORECASE)
_HYPHEN_PAIR = re.compile(r"-(?:derived|secreted|released|based)(?:\s*\([^()]{0,40}\))?,\s+", re.IGNORECASE)
_GLUE_BEFORE = re.compile(r"-?(?:derived|secreted|released|based)?(?:\s*\([^()]{0,40}\))?,?\s+(?:and|or|and/or)\s+"
                          r"(?:(?:human|bovine|goat|camel|porcine|the)\s+){0,2}", re.IGNORECASE)


def _overlaps(item: _Hit, others: list[_Hit]) -> bool:
    return any(h.start <= item.start < h.end or item.start <= h.start < item.end for h in others)


def _read_back(text: str, items: list[_Hit], tails: list[_Hit], taken: list[_Hit]) -> list[_Hit]:
    """Items before a head that ends in the vesicles, right to left: "A-derived, B-derived and C-derived EVs"."""
    found: list[_Hit] = []
    for item in reversed(items):
        joined = any(item.end <= h.start and _GLUE_BEFORE.fullmatch(text, item.end, h.start) for h in tails) or any(
            item.end <= h.start and _HYPHEN_PAIR.fullmatch(text, item.end, h.start) for h in found)
        if joined and not _overlaps(item, [*taken, *found]):
            found.append(item)
    return found


def _source_list(text: str, items: list[_Hit], heads: list[re.Match[str]], taken: list[_Hit]) -> list[_Hit]:
    """Items of a list introduced as sources: "subgroups by cell source (adipose, bone marrow, umbilical cord)",
    "MSC sources such as adipose tissue and bone marrow". The first item stands right after the head."""
    found: list[_Hit] = []
    for head in heads:
        first = next((i for i in items if i.start == head.end() and not _overlaps(i, [*taken, *found])), None)
        if first is not None:
            others = _read_on(text, [i for i in items if i.start > first.start], [first], [*taken, first, *found])
            if others:
                found.extend([first, *others])
    return found


def _read_on(text: str, items: list[_Hit], heads: list[_Hit], taken: list[_Hit]) -> list[_Hit]:
    """Items after a head that ends in a source, left to right: "exosomes from A, B and C"."""
    found: list[_Hit] = []
    for item in items:
        if _overlaps(item, [*taken, *found]):
            continue  # already named by a full pattern, or inside an item read before
        if _TREATED_AFTER.match(text, item.end):
            break  # "... from stem cells and keratinocytes were co-cultured": the cells the vesicles met
        if any(h.end <= item.start and _LIST_GLUE.fullmatch(text, h.end, item.start) for h in [*heads, *found]):
            found.append(item)
    return found


def _injection_of_a_named_route(hit: _Hit, hits: list[_Hit], text: str) -> bool:
    """Whether an unspecified "injection" is the same phrase as a named route beside it
    ("intraperitoneal injection of streptozotocin", "injected intradermally"): it stands or falls
    with that route, also when the comparator test sets the route aside."""
    if hit.rule.value != INJECTION_UNSPECIFIED:
        return False
    return any(other.rule.facet == hit.rule.facet and other.rule.value != hit.rule.value
               and not other.rule.modifier and not text[min(other.end, hit.end):max(other.start, hit.start)].strip()
               for other in hits)


def _yields(hit: _Hit, hits: list[_Hit]) -> bool:
    """A hit gives way to a sibling class of its facet that covers it, that it negates, or that the
    taxonomy says it yields to in the same sentence.

    "acne scars" is scars, not acne; "no adverse events" is no_adverse_events, and its
    negated "adverse events" must not also stand as adverse_events_reported.
    """
    for other in hits:
        if other.rule.facet != hit.rule.facet or other.rule.value == hit.rule.value:
            continue
        if other.rule.value in hit.rule.yields_to and not other.negated:
            return True
        # A modifier (engineered) stands beside the class whose words hold it ("from CRISPR-edited keratinocytes").
        if (other.start <= hit.start and hit.end <= other.end and other.end - other.start > hit.end - hit.start
                and not other.rule.modifier and not hit.rule.modifier):
            return True
        if hit.negated and not other.negated and other.start < hit.end and hit.start < other.end:
            return True
    return False


def _joined_patterns(patterns: dict[str, list[str]], kind: str) -> dict[str, re.Pattern[str]]:
    """One compiled alternation per facet that has patterns of this kind (anchors or comparators)."""
    return {facet: _compile(facet, kind, "|".join(f"(?:{p})" for p in facet_patterns))
            for facet, facet_patterns in patterns.items() if facet_patterns}


def _check_implies(facet: str, value: str, implies: list[str], classes: dict[str, TaxonomyClass]) -> None:
    """A class may imply only another class of its own facet."""
    for implied in implies:
        if implied not in classes or implied == value:
            raise ProtocolError(
                f"taxonomy facet {facet!r}, class {value!r}: implies {implied!r}, which is not "
                f"another class of facet {facet!r}; name one of {sorted(set(classes) - {value})}"
            )


def _check_yields_to(facet: str, value: str, yields_to: list[str], classes: dict[str, TaxonomyClass]) -> None:
    """A class may yield only to another class of its own facet."""
    for other in yields_to:
        if other not in classes or other == value:
            raise ProtocolError(f"taxonomy facet {facet!r}, class {value!r}: yields_to {other!r}, which is "
                                f"not another class of facet {facet!r}")


def _compile(facet: str, value: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ProtocolError(
            f"taxonomy facet {facet!r}, class {value!r}: pattern {pattern!r} is not a valid regular "
            f"expression ({exc}); fix or remove it"
        ) from exc


# -- the index: which patterns can match in a sentence ---------------------------------------------------
#
# Running all ~400 patterns on every sentence dominated the classifier's time, and a pattern
# that starts with \b cannot use the regex engine's fast literal search. So each pattern is read
# once for the lower-case beginnings its matches can start with ("wrinkl", "photo", "mice"...),
# and a sentence runs only the patterns whose beginnings start one of its words. A pattern
# whose beginnings cannot be read runs everywhere: the index skips work, never a match.


def _start_keys(pattern: str) -> set[str] | None:
    """Lower-case strings (1 to 6 characters) one of which every match begins a word with."""
    if _parser is None:
        return None
    items = list(_parser.parse(pattern, re.IGNORECASE))
    bounded = False
    while items:
        op, arg = items[0]
        if op is _c.SUBPATTERN:
            items = list(arg[3]) + items[1:]  # (?:...) and (?-i:...) around the start
        elif op is _c.AT or op is _c.ASSERT_NOT or op is _c.ASSERT:
            # \b, or ^ (a sentence's start is a word's start): the match begins a word. So does a
            # lookbehind that ends in a space or a hyphen ("(?<=ADSCs )", "(?<=-)") before a word character.
            bounded = bounded or arg in (_c.AT_BOUNDARY, _c.AT_BEGINNING, _c.AT_BEGINNING_STRING) or (
                op is _c.ASSERT and _ends_in_a_separator(arg))
            items = items[1:]
        else:
            break
    keys = _prefixes(items, _KEY_LENGTH) if bounded else None
    if not keys or any(not key or not (key[0].isalnum() or key[0] == "_") for key in keys):
        return None
    return keys


def _ends_in_a_separator(assertion: tuple) -> bool:
    """A lookbehind (direction -1) whose last character is a space or a hyphen."""
    direction, pattern = assertion
    items = list(pattern)
    if direction != -1 or not items or items[-1][0] is not _c.LITERAL:
        return False
    return chr(items[-1][1]) in " -"


def _prefixes(items: list, budget: int) -> set[str]:
    """Strings (at most `budget` long) one of which every match of `items` starts with; "" if unknown."""
    if not items or budget == 0:
        return {""}
    (op, arg), rest = items[0], items[1:]
    first = _first_characters(op, arg)
    if first is not None:
        tails = _prefixes(rest, budget - 1)
        return {character + tail for character in first for tail in tails}
    if op is _c.BRANCH:
        return set().union(*(_prefixes(list(branch) + rest, budget) for branch in arg[1]))
    if op is _c.SUBPATTERN:
        return _prefixes(list(arg[3]) + rest, budget)
    if op is _c.AT or op is _c.ASSERT or op is _c.ASSERT_NOT:
        return _prefixes(rest, budget)
    if op is _c.MAX_REPEAT or op is _c.MIN_REPEAT:
        return _repeat_prefixes(arg, rest, budget)
    return {""}


def _first_characters(op: object, arg: Any) -> list[str] | None:
    """The lower-case characters a one-character item matches; None when it is not one the index reads."""
    if op is _c.LITERAL:
        return [chr(arg).lower()]
    if op is not _c.IN:
        return None
    if arg == [(_c.CATEGORY, _c.CATEGORY_DIGIT)]:
        return list("0123456789")  # ASCII digits
    if all(kind is _c.LITERAL for kind, _ in arg) and len(arg) <= 4:
        return [chr(ch).lower() for _, ch in arg]
    return None


def _repeat_prefixes(arg: tuple, rest: list, budget: int) -> set[str]:
    """Prefixes of a repeated item followed by `rest`."""
    low, high, body = arg
    # One optional item: with it or without it. Longer repeats: only the body's own start.
    started = _prefixes(list(body) + rest, budget) if high == 1 else _prefixes(list(body), budget)
    return started | _prefixes(rest, budget) if low == 0 else started
