"""Details beyond the taxonomy: the dose a study states and the direction of its outcomes.

Both are labels like any other (facet "dose" with value "stated", facet "outcome" with value
"improved", "no_change" or "worse"), each with the sentence that supports it, so the synthesis
can count them and a reader can check them.
"""

from __future__ import annotations

import re

from exoreview.classify.cues import CueScanner
from exoreview.classify.sentences import Sentence
from exoreview.results import Evidence, Label

DOSE = "dose"
OUTCOME = "outcome"
IMPROVED, NO_CHANGE, WORSE = "improved", "no_change", "worse"

_NUMBER = r"\d+(?:[.,]\d+)*"
_POWER = r"(?:\s?[×xX*]\s?10\s?(?:\^\s?|[eE])?[-−]?\d+|\s?[×xX*]\s?10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)"
_AMOUNT = (
    rf"(?:{_NUMBER}(?:\s?(?:-|–|to)\s?{_NUMBER})?{_POWER}?|10\s?\^\s?\d+|10[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d+(?:\.\d+)?[eE]\+?\d+)"
)
_PER = r"(?:\s?/\s?(?:mL|ml|µL|μL|uL|kg|cm2|cm²|dose|injection|site|wound|well|day|mouse))?"
# Grams alone are left out on purpose: "100,000 × g" is a centrifugal force, not a dose.
_UNIT = rf"(?:(?:[Pp]articles?|vesicles|exosomes|EVs){_PER}|(?:[µμun]g|mg){_PER}|(?:mL|ml|µL|μL|uL){_PER})"
_DOSE = re.compile(rf"(?<![\w.]){_AMOUNT}\s?{_UNIT}(?![\w/])")
# A number with a unit is a dose only where the sentence speaks of vesicles or of giving something.
_DOSE_CONTEXT = re.compile(
    r"\b(?:exo\w*|EVs?|vesicles?|dos(?:e|es|ed|ing)|concentrations?|treated|injected|applied|administered"
    r"|received|particles)\b",
    re.IGNORECASE,
)

_NO_CHANGE = re.compile(
    r"\bno (?:statistically )?significant (?:differences?|changes?|improvements?|effects?|increases?|decreases?"
    r"|reductions?)\b"
    r"|\bnot (?:statistically )?significant(?:ly)?(?: (?:different|changed|improved|altered|affected))?\b"
    r"|\b(?:did|does|do|could)(?: not|n't) (?:significantly )?(?:improve|change|differ|alter|affect|increase"
    r"|reduce|decrease|enhance|promote|accelerate)\b"
    r"|\bfailed to (?:significantly )?(?:improve|change|promote|reduce|increase|enhance|accelerate)\b"
    r"|\bno (?:measurable |observable |detectable |noticeable |clinical )?(?:improvements?|changes?|benefits?)\b"
    r"|\bunchanged\b|\bremained (?:stable|unchanged|similar)\b"
    r"|\b(?:comparable|similar) (?:to|with) (?:the )?(?:control|placebo|vehicle|baseline)\b",
    re.IGNORECASE,
)
_WORSE = re.compile(
    r"\bworsen(?:ed|ing|s)?\b|\bdeteriorat(?:ed|ion)\b|\bexacerbat(?:ed|ion|es)\b|\baggravat(?:ed|ion|es)\b"
    r"|\b(?:delayed|impaired) (?:wound )?(?:healing|closure|regrowth|re-epithelialization)\b"
    r"|\bincreased (?:[\w-]+ ){0,2}?(?:wrinkl\w*|hyperpigmentation|scarring|hair loss|lesions?|severity)\b",
    re.IGNORECASE,
)
_IMPROVED = re.compile(
    r"\b(?:improv(?:e|ed|es|ing|ements?)|enhanc(?:e|ed|es|ing)|promot(?:e|ed|es|ing)|accelerat(?:e|ed|es|ing)"
    r"|restor(?:e|ed|es|ing)|alleviat(?:e|ed|es|ing)|attenuat(?:e|ed|es|ing)|ameliorat(?:e|ed|es|ing)"
    r"|revers(?:e|ed|es|ing)|rescu(?:e|ed|es|ing)|stimulat(?:e|ed|es|ing))\b"
    r"|\bsignificant(?:ly)? (?:increas|decreas|reduc|elevat|lower|upregulat|downregulat|inhibit|suppress)\w*"
    r"|\b(?:increas|reduc|decreas)\w* (?:[\w-]+ ){0,3}?(?:collagen|elastin|hair|wrinkl\w*|pigment\w*|melanin"
    r"|scar\w*|wounds?|thickness|density|hydration|elasticity|erythema|inflammation|lesions?)\b",
    re.IGNORECASE,
)
# In a structured abstract only these sections report what the study found.
_FINDING_SECTIONS = ("RESULT", "CONCLUSION", "FINDING", "OUTCOME")


def find_doses(text: str) -> list[str]:
    """Dose strings in a sentence, e.g. '1 × 10^10 particles', '100 µg/mL', '2 mL'."""
    if not _DOSE_CONTEXT.search(text):
        return []
    return [m.group() for m in _DOSE.finditer(text)]


def outcome_directions(text: str, scanner: CueScanner | None = None) -> list[tuple[str, int, int]]:
    """(direction, start, end) for each outcome statement in a sentence."""
    scanner = scanner or CueScanner(text)
    found = [(NO_CHANGE, m.start(), m.end()) for m in _NO_CHANGE.finditer(text)]
    found += [(WORSE, m.start(), m.end()) for m in _WORSE.finditer(text) if not scanner.negated(m.start(), m.end())]
    for m in _IMPROVED.finditer(text):
        if any(s < m.end() and m.start() < e for _, s, e in found):
            continue  # "did not improve" is already a no-change statement
        # A negated improvement ("failed to significantly enhance") is no change, not improvement.
        found.append((NO_CHANGE if scanner.negated(m.start(), m.end()) else IMPROVED, m.start(), m.end()))
    return sorted(found, key=lambda item: item[1])


def detail_labels(sentences: list[tuple[str, Sentence]], record_id: int = 0) -> list[Label]:
    """One dose label (the first sentence stating a dose) and one label per outcome direction."""
    structured = any(s.section for f, s in sentences if f == "abstract")
    dose: Label | None = None
    outcomes: dict[str, tuple[tuple[int, int, int], Label]] = {}
    for order, (field_name, sentence) in enumerate(sentences):
        if field_name not in ("title", "abstract"):
            continue
        if dose is None:
            doses = find_doses(sentence.text)
            if doses:
                evidence = Evidence(sentence.text, sentence.start, sentence.end, field_name, "dose", doses[0])
                dose = Label(record_id, DOSE, "stated", evidence, detail="; ".join(doses))
        finding = field_name == "title" or not structured or sentence.section.startswith(_FINDING_SECTIONS)
        if not finding:
            continue
        scanner = CueScanner(sentence.text)
        for direction, start, end in outcome_directions(sentence.text, scanner):
            hedged = scanner.hedged(start, end)
            rank = (int(hedged), int(field_name == "title"), order)
            if direction in outcomes and outcomes[direction][0] <= rank:
                continue
            evidence = Evidence(sentence.text, sentence.start, sentence.end, field_name, f"outcome:{direction}",
                                sentence.text[start:end])
            outcomes[direction] = (rank, Label(record_id, OUTCOME, direction, evidence, hedged=hedged))
    labels = [dose] if dose else []
    labels += [outcomes[d][1] for d in (IMPROVED, NO_CHANGE, WORSE) if d in outcomes]
    return labels
