"""Negation and hedging, scoped to one matched phrase within its sentence (a NegEx-style reading).

A cue counts for a phrase only inside the same clause and within a few words of it, so that
"no serious adverse events occurred and wrinkles improved" negates the adverse events but not
the wrinkles. Clauses are cut at semicolons, colons and contrastive words ("but", "whereas"),
and at "and"/"or" only when a verb stands on both sides: that joins two clauses, whereas
"did not improve wrinkles and texture" joins two objects of one negated verb.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_NEGATION = re.compile(
    r"(?<!with or )\bwithout\b"
    r"|\b(?:no(?!\.\s?\d)|none of|neither|nor|never|absence of|absent|lack(?:s|ed|ing)?(?: of)?|failed to"
    r"|fails? to|free (?:of|from)|unable to|cannot|ruled out|undetectable"
    # "heterogeneity precluded meta-analysis", "too few studies to permit pooling"
    r"|preclude[sd] (?=(?:an? |any |formal )?(?:meta-?analys\w*|pooling|quantitative synthesis))"
    r"|did not (?:allow|permit)|too few (?:[\w-]+ ){0,5}?to (?:allow|permit))\b"
    r"|(?<!or )\bnot\b(?! only\b)|n't\b",
    re.IGNORECASE,
)
# Cues that may follow the phrase they negate ("adverse events were not observed").
_POST_CUES = frozenset({"not", "n't", "absent", "lacking", "lacked", "ruled out", "undetectable"})
# Cues that only follow their phrase.
_POST_ONLY = frozenset({"ruled out", "undetectable"})
PRE_WINDOW = 8  # words between a preceding cue and the phrase
POST_WINDOW = 5  # words between the phrase and a following cue

_HEDGE = re.compile(
    r"\b(?:may|might|could|would|potential(?:ly)?|possibl[ey]|suggest(?:s|ed|ing)?|hypothes[ie][sz](?:e|es|ed|ing)"
    r"|propos(?:e|es|ed)|putative(?:ly)?|presumabl[ey]|likely|unlikely|appears? to|appeared to|seems? to"
    r"|seemed to|promising|speculat\w*|whether|warrant(?:s|ed)?|(?:is|are) (?:thought|believed|expected) to"
    r"|(?:is|are) (?:still )?(?:needed|required)|future|further (?:[\w-]+ )?(?:studies|research|trials|work)"
    r"|remains? (?:unclear|unknown|elusive|to be (?:determined|elucidated|established|confirmed)))\b",
    re.IGNORECASE,
)

# A call for future work: "RCTs are needed", "further studies in humans should...". Unlike other
# hedges ("suggests", "potential") it says the thing was NOT done, so it undoes what a study did
# (its design, subjects, route, methods), where a mere hedge does not.
_DEFERRED = re.compile(
    r"\b(?:future|further (?:[\w-]+ ){0,2}?(?:studies|research|trials|work|investigations?|experiments|validation)"
    r"|(?:is|are|remains?) (?:still |urgently |now |therefore |thus )?(?:needed|required|warranted|lacking|necessary"
    r"|awaited)|requir(?:es|e|ing) (?:further |additional )?(?:confirmation|validation|verification)"
    r"|awaits? confirmation|requir(?:es|e|ing) (?:further |additional )?(?:testing|evaluation|study|studies)"
    r"|candidates? for|will be (?:necessary|needed|required|essential)|pending"
    r"|should (?:\w+ )?be|will (?:be )?need|need(?:s|ed)? to be|remains? to be|yet to be|not yet"
    r"|will (?:next |now |then |further |also )?be (?:examined|tested|evaluated|assessed|studied|investigated|explored)"
    r"|(?:is|are) (?:now |currently )?planned|(?:providing|provides|provide) a basis for|alternatives? to"
    r"|(?:is|are) (?:now |currently )?(?:underway|under way|ongoing|in progress)"
    r"|(?:supports?|justif(?:y|ies)|warrants?|merits?|deserves?|paves? the way for|a rationale for)"
    r" (?:(?:an?|the|their|its|further|future|larger) ){0,2}"
    r"(?:first-in-human|clinical|human|controlled|randomi[sz]ed|validation"
    r"|evaluation|testing|investigation|studies|experiments|in vivo)"
    r"|will (?:next |now |then |further |also )?be (?:performed|conducted|carried out|undertaken|done))\b",
    re.IGNORECASE,
)

_NEW_PHRASE = re.compile(r",|\b(?:so|thus|therefore|hence)\b", re.IGNORECASE)

_HARD_BREAK = re.compile(
    r"[;:]|,?\s+(?:but|however|whereas|while|although|though|yet|except|unlike|despite)\b|,\s*which\b",
    re.IGNORECASE,
)
_CONJUNCTION = re.compile(r",?\s+(?:and|or)\s+", re.IGNORECASE)
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|did|does|do|may|might|could|can|will|would|should|must"
    r"|occur\w*|show(?:s|ed|n)?|exhibit\w*|caus(?:ed|es)|induc(?:ed|es)|observed|reported|noted|seen|found"
    r"|detected|developed|improv(?:ed|es)|increas(?:ed|es)|decreas(?:ed|es)|reduc(?:ed|es)|promot(?:ed|es)"
    r"|enhanc(?:ed|es)|accelerat(?:ed|es)|remain(?:ed|s)?|experienced|resolved|heal(?:ed|s)|worsened"
    r"|chang(?:ed|es)|differed|resulted|led|demonstrated|revealed|stimulat(?:ed|es)|inhibit(?:ed|s)"
    r"|suppress(?:ed|es)|attenuat(?:ed|es)|alleviat(?:ed|es))\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
# The same patterns without IGNORECASE, for lowered text.
_LOWERED = {p: re.compile(p.pattern) for p in (_NEGATION, _HEDGE, _HARD_BREAK, _CONJUNCTION, _VERB, _DEFERRED)}


class CueScanner:
    """Cues of one sentence, found once and asked about many matched phrases.

    `text` holds the sentence lower-cased (the cue patterns are matched on that); offsets
    given to `negated` and `hedged` are offsets in the original sentence, which are the same.
    """

    __slots__ = ("_deferrals", "_hedges", "_lowered", "_negations", "_segment_starts", "text")

    def __init__(self, text: str) -> None:
        # The cue patterns are lower case; matching them on lowered text without IGNORECASE is
        # several times faster. Where lowering changes the length ("İ") offsets would drift,
        # so such text is matched as it is, ignoring case.
        lowered = text.lower()
        self.text = lowered if len(lowered) == len(text) else text
        self._lowered = self.text is lowered
        flags = 0 if self._lowered else re.IGNORECASE
        negations = _pattern(_NEGATION, flags).finditer(self.text)
        self._negations = [(m.start(), m.end(), m.group().lower()) for m in negations]
        self._hedges = [(m.start(), m.end()) for m in _pattern(_HEDGE, flags).finditer(self.text)]
        self._deferrals = [m.start() for m in _pattern(_DEFERRED, flags).finditer(self.text)]
        self._segment_starts: list[int] | None = None  # clauses are found only when a cue needs them

    def _segment(self, position: int) -> int:
        if self._segment_starts is None:
            self._segment_starts = [start for start, _ in clause_spans(self.text, lowered=self._lowered)]
        return bisect_right(self._segment_starts, position) - 1

    def negated(self, start: int, end: int) -> bool:
        """Whether a negation cue outside text[start:end] governs that phrase."""
        if not self._negations:
            return False
        segment = self._segment(start)
        for cue_start, cue_end, cue in self._negations:
            if cue_end <= start:
                if cue in _POST_ONLY or self._segment(cue_start) != segment:
                    continue
                if _words(self.text, cue_end, start) <= PRE_WINDOW:
                    return True
            elif cue_start >= end:
                if cue not in _POST_CUES or self._segment(cue_start) != segment:
                    continue
                if _words(self.text, end, cue_start) <= POST_WINDOW:
                    return True
        return False

    def hedged(self, start: int, end: int) -> bool:
        """Whether a hedging cue stands in the same clause as text[start:end]."""
        if not self._hedges:
            return False
        segment = self._segment(start)
        return any(
            self._segment(cue_start) == segment and not (start <= cue_start < end)
            for cue_start, _ in self._hedges
        )


    def deferred(self, start: int, end: int, done: re.Pattern[str] | None = None) -> bool:
        """Whether a call for future work ("are needed", "further studies") stands in the same clause.

        With `done` (a pattern of a finding told as done: "lowered", "increased"), a phrase that such
        a finding introduces, before any call for future work, is not deferred: "Vesicles lowered
        melanin in B16F10 cells and are candidates for future studies" tested the cells.
        """
        if not self._deferrals:
            return False
        segment = self._segment(start)
        deferrals = [cue for cue in self._deferrals if self._segment(cue) == segment and not (start <= cue < end)]
        if not deferrals or done is None:
            return bool(deferrals)
        clause_start = self._segment_starts[segment] if self._segment_starts else 0
        if any(cue < start for cue in deferrals):
            return True
        # The finding must lead straight to the phrase: "Since exosomes healed rats, a trial is planned"
        # and "... in mice, so a trial is needed" start a new phrase after the comma or "so".
        lead_in = max([clause_start, *(m.end() for m in _NEW_PHRASE.finditer(self.text, clause_start, start))])
        return not done.search(self.text, lead_in, start)


def _pattern(pattern: re.Pattern[str], flags: int) -> re.Pattern[str]:
    return pattern if flags else _LOWERED[pattern]


def _words(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def hard_clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each part of a sentence between hard breaks (";", ":", "but", "whereas", ", which")."""
    starts = [0, *(m.start() for m in _HARD_BREAK.finditer(text))]
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def clause_spans(text: str, lowered: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each clause of a sentence, in order, covering the whole text.

    `lowered` says the text is already lower case, which allows the faster case-sensitive match.
    """
    flags = 0 if lowered else re.IGNORECASE
    spans: list[tuple[int, int]] = []
    begin = 0
    for brk in _pattern(_HARD_BREAK, flags).finditer(text):
        spans.extend(_split_on_conjunctions(text, begin, brk.start(), flags))
        begin = brk.start()
    spans.extend(_split_on_conjunctions(text, begin, len(text), flags))
    return spans


def _split_on_conjunctions(text: str, begin: int, stop: int, flags: int) -> list[tuple[int, int]]:
    conjunctions = list(_pattern(_CONJUNCTION, flags).finditer(text, begin, stop))
    verb = _pattern(_VERB, flags)
    spans = []
    left = begin
    for index, conj in enumerate(conjunctions):
        right_end = conjunctions[index + 1].start() if index + 1 < len(conjunctions) else stop
        if verb.search(text, left, conj.start()) and verb.search(text, conj.end(), right_end):
            spans.append((left, conj.start()))
            left = conj.start()
    spans.append((left, stop))
    return spans


def is_negated(sentence: str, start: int, end: int) -> bool:
    return CueScanner(sentence).negated(start, end)


def is_hedged(sentence: str, start: int, end: int) -> bool:
    return CueScanner(sentence).hedged(start, end)
