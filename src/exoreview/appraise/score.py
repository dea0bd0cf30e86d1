"""Rate one study against the checklist: each item reported, not reported or not applicable.

The evidence comes from two places: the classifier's labels (an isolation label shows the
separation method named) and each item's own patterns, looked for sentence by sentence in the
title, the abstract and, when the open-access article was fetched, its Methods section.
A negated mention ("NTA was not performed") does not count as reported; in the characterization
facet it does ("calnexin was absent" shows that calnexin was checked).
"""

from __future__ import annotations

import re
from dataclasses import replace

from exoreview.appraise.instrument import Instrument, Item, load_instrument
from exoreview.classify.cues import CueScanner
from exoreview.classify.design import DESIGN, REVIEW_DESIGNS
from exoreview.classify.rules import NEGATION_EXEMPT_FACETS, RuleClassifier
from exoreview.classify.sentences import Sentence, record_sentences, split_sentences
from exoreview.records import AbstractSection, Record
from exoreview.results import NOT_APPLICABLE, NOT_REPORTED, REPORTED, SCORE_ITEM, Evidence, Label, Rating

METHODS_FIELD = "fulltext_methods"  # evidence field of a sentence from the article's Methods section
_FIELD_RANK = {"title": 0, "abstract": 1, METHODS_FIELD: 2, "keywords": 3, "mesh": 4, "publication_types": 4}

# An EV study names its vesicles somewhere in its title or abstract.
EV_WORDS = re.compile(
    r"\bexosom\w*|\bextracellular vesicles?\b|\b(?:nano|micro)-?vesicles?\b|(?-i:\b[sml]?EVs?\b)"
    r"|\bexosome-like\b|\bouter membrane vesicles?\b",
    re.IGNORECASE,
)
CENTRIFUGATION = frozenset({"differential_ultracentrifugation", "density_gradient"})
# EV sources that are cultured cells, for which culture conditions are a reporting item.
CELL_SOURCES = frozenset({
    "adipose_msc", "bone_marrow_msc", "umbilical_cord_msc", "wharton_jelly_msc", "amnion", "ipsc",
    "keratinocyte", "fibroblast", "dermal_papilla", "melanocyte", "msc_unspecified",
})
_MARKER_PREFIXES = ("positive_", "negative_")
_CULTURE = re.compile(r"\bconditioned (?:medium|media)\b|\bculture (?:supernatants?|medium|media)\b", re.IGNORECASE)


class Appraiser:
    """Rates records against one instrument; compile once, appraise many (like RuleClassifier)."""

    def __init__(self, instrument: Instrument | None = None, classifier: RuleClassifier | None = None) -> None:
        self.instrument = instrument or load_instrument()
        self.classifier = classifier  # labels the Methods text; without it only item patterns read Methods
        self._patterns = {item.id: item.compiled() for item in self.instrument.items}

    def appraise(self, record: Record, labels: list[Label], record_id: int = 0, methods_text: str = "") -> list[Rating]:
        """One rating per item and a "score" row; for a non-EV or secondary study only the score row."""
        name = self.instrument.name
        sentences = [(f, s) for f, s in record_sentences(record) if f in ("title", "abstract")]
        methods_sentences, methods_labels = self._methods(methods_text, record_id)
        sentences += methods_sentences
        all_labels = [lab for lab in labels if _counts(lab)] + [lab for lab in methods_labels if _counts(lab)]
        why_not = _why_not_appraised(labels, sentences)
        if why_not:
            return [Rating(record_id, name, SCORE_ITEM, NOT_APPLICABLE, detail=why_not)]
        ratings = self._item_ratings(record_id, all_labels, sentences)
        ratings.append(_score_row(record_id, name, ratings))
        return ratings

    def _methods(self, methods_text: str, record_id: int) -> tuple[list[tuple[str, Sentence]], list[Label]]:
        """The Methods section's sentences and the classifier's labels of them (none without a classifier)."""
        if not methods_text.strip():
            return [], []
        sentences = [(METHODS_FIELD, s) for s in split_sentences(methods_text)]
        if self.classifier is None:
            return sentences, []
        found = self.classifier.classify(Record(abstract=[AbstractSection(methods_text)]), record_id, own_text=True)
        return sentences, [_in_methods(lab, record_id) for lab in found
                           if lab.facet != DESIGN and lab.evidence.field_name == "abstract"]

    def _item_ratings(self, record_id: int, labels: list[Label], sentences: list[tuple[str, Sentence]]
                      ) -> list[Rating]:
        """One rating per item of the instrument: not applicable, reported (with its evidence) or not reported."""
        name = self.instrument.name
        conditions = _conditions(labels, sentences)
        ratings: list[Rating] = []
        for item in self.instrument.items:
            if item.applies not in conditions:
                ratings.append(Rating(record_id, name, item.id, NOT_APPLICABLE, detail=_NOT_APPLICABLE[item.applies]))
                continue
            evidence = self._evidence(item, labels, sentences)
            ratings.append(Rating(record_id, name, item.id, REPORTED if evidence else NOT_REPORTED, evidence))
        return ratings

    def _evidence(self, item: Item, labels: list[Label], sentences: list[tuple[str, Sentence]]) -> Evidence | None:
        found: list[tuple[tuple[int, int, int], Evidence]] = []
        for label in labels:
            if item.wants_label(label.facet, label.value):
                rank = (_FIELD_RANK.get(label.evidence.field_name, 5), 0, label.evidence.start)
                found.append((rank, replace(label.evidence, method=f"label:{label.facet}.{label.value}")))
        for field_name, sentence in sentences:
            scanner: CueScanner | None = None
            for pattern in self._patterns[item.id]:
                for m in pattern.finditer(sentence.text):
                    scanner = scanner or CueScanner(sentence.text)
                    if m.end() > m.start() and not scanner.negated(m.start(), m.end()):
                        rank = (_FIELD_RANK.get(field_name, 5), 1, sentence.start)
                        found.append((rank, Evidence(sentence.text, sentence.start, sentence.end, field_name,
                                                     f"pattern:{item.id}", m.group())))
                        break
        return min(found, key=lambda pair: pair[0])[1] if found else None


_NOT_APPLICABLE = {
    "ev_primary": "applies to primary EV studies only",
    "centrifugation_isolation": "applies when vesicles were separated by ultracentrifugation; none was named",
    "cell_culture_source": "applies when vesicles came from cultured cells; no cell source was named",
}


def _why_not_appraised(labels: list[Label], sentences: list[tuple[str, Sentence]]) -> str:
    """Why the checklist does not apply to the study (a review, or not an EV study); "" when it does."""
    design = next((lab.value for lab in labels if lab.facet == DESIGN), "")
    if design in REVIEW_DESIGNS:
        return f"a {design.replace('_', ' ')}: the checklist applies to primary EV studies"
    if not _is_ev_study(sentences):
        return "not an EV study: no vesicles named in the title or abstract"
    return ""


def _score_row(record_id: int, instrument: str, ratings: list[Rating]) -> Rating:
    """The "score" row: the fraction of applicable items reported."""
    applicable = [r for r in ratings if r.rating != NOT_APPLICABLE]
    reported = sum(r.rating == REPORTED for r in applicable)
    fraction = reported / len(applicable) if applicable else 0.0
    return Rating(record_id, instrument, SCORE_ITEM, f"{fraction:.3f}",
                  detail=f"{reported} of {len(applicable)} applicable items reported")


def _counts(label: Label) -> bool:
    """Whether a label shows something reported: never when negated, but markers are exempt."""
    if label.facet not in NEGATION_EXEMPT_FACETS:
        return not label.negated
    if label.value.startswith(_MARKER_PREFIXES):
        return True  # "calnexin was absent": the marker was checked
    # The classifier does not negate characterization; a method that was not done was not reported.
    evidence = label.evidence
    position = evidence.sentence.find(evidence.match) if evidence.match else -1
    return position < 0 or not CueScanner(evidence.sentence).negated(position, position + len(evidence.match))


def _in_methods(label: Label, record_id: int) -> Label:
    return replace(label, record_id=record_id, evidence=replace(label.evidence, field_name=METHODS_FIELD))


def _is_ev_study(sentences: list[tuple[str, Sentence]]) -> bool:
    """Vesicles named in the title or abstract. An EV-source label alone is not enough: "bone marrow
    stromal cells" are a source of vesicles only in a study of their vesicles."""
    return any(EV_WORDS.search(s.text) for f, s in sentences if f in ("title", "abstract"))


def _conditions(labels: list[Label], sentences: list[tuple[str, Sentence]]) -> set[str]:
    conditions = {"ev_primary"}
    if any(lab.facet == "isolation" and lab.value in CENTRIFUGATION for lab in labels):
        conditions.add("centrifugation_isolation")
    if any(lab.facet == "ev_source" and lab.value in CELL_SOURCES for lab in labels) or any(
            _CULTURE.search(s.text) for _, s in sentences):
        conditions.add("cell_culture_source")
    return conditions


def score_of(ratings: list[Rating]) -> float | None:
    """The study's reporting score (fraction of applicable items reported), None when not applicable."""
    row = next((r for r in ratings if r.item == SCORE_ITEM), None)
    if row is None or row.rating == NOT_APPLICABLE:
        return None
    return float(row.rating)
