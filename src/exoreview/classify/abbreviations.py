"""Short forms defined in a record's own text, found with the Schwartz–Hearst algorithm.

The same short form names different things in different papers: "ASC" is an adipose-derived
stem cell in one abstract and an amniotic stem cell in the next, and "AD" is atopic dermatitis
or Alzheimer's disease. A pattern that trusts a short form's usual meaning mislabels the other
paper, so the classifier first reads how the record defines each short form ("amniotic stem
cells (ASCs)") and matches the long form wherever the short one is used.

Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation definitions in
biomedical text": a candidate is "long form (short form)" (or "short form (long form)" when the
parenthesis holds several words); the long form is the shortest run of words before the
parenthesis, at most min(|SF| + 5, 2|SF|) words, in which the short form's characters occur in
order, right to left, with its first character at the start of a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_PAREN = re.compile(r"\(([^()]{1,120})\)")
_WORD = re.compile(r"\S+")
_NAMING = re.compile(r"^(?:hereafter|henceforth|hereinafter|referred to as|termed|called|named)\s+", re.IGNORECASE)
_PLURAL = re.compile(r"(?<=[A-Z0-9])s$")  # "ASCs" defines "ASC" too
# A short form for the cells' vesicles: "hucMSC-Ex", "ADSC-Exos", "BMSC-sEVs"
_VESICLE_SUFFIX = re.compile(r"[-_](?:s?EVs?|Exos?|EXOs?|exos?|Exs?|Exosomes?|NVs?)$")


@dataclass(frozen=True, slots=True)
class Definition:
    short: str
    long: str
    start: int  # offsets of "long form (short form)" in the text it was found in
    end: int


def find_definitions(text: str) -> list[Definition]:
    """Every short-form definition in `text`, in order."""
    found: list[Definition] = []
    for paren in _PAREN.finditer(text):
        inside = paren.group(1).strip()
        inside = re.split(r"[;,]\s", inside, maxsplit=1)[0].strip()  # "(ASC, n = 12)" -> "ASC"
        inside = _NAMING.sub("", inside)  # "(hereafter ASCs)" -> "ASCs"
        words_inside = inside.split()
        if _is_short_form(inside) and len(words_inside) <= 2:
            definition = _long_before(text, paren.start(), inside)
            core = _VESICLE_SUFFIX.sub("", inside)
            if definition is None and core != inside and _is_short_form(core):
                # "MSCs of the cord (hucMSC-Ex)": the suffix names the vesicles, the core the cells.
                inside, definition = core, _long_before(text, paren.start(), core)
            if definition is not None:
                long_form, start = definition
                found.append(Definition(inside, long_form, start, paren.end()))
        elif len(words_inside) > 2:
            # "short form (long form)": the word before the parenthesis is the short form.
            before = re.search(r"(\S+)\s*$", text[: paren.start()])
            if before and _is_short_form(before.group(1)) and _matches(before.group(1), inside):
                found.append(Definition(before.group(1), inside, before.start(1), paren.end()))
    return found


def definitions_of(texts: Iterable[str]) -> dict[str, str]:
    """Short form -> long form over several texts (title, abstract); the first definition wins.

    A plural short form ("ASCs") also defines its singular ("ASC"), since both are used.
    """
    meanings: dict[str, str] = {}
    for text in texts:
        for definition in find_definitions(text):
            for short in {definition.short, _PLURAL.sub("", definition.short)}:
                if len(short) >= 2:
                    meanings.setdefault(short, definition.long)
    # A long form may use another short form ("ASC-exosomes (ASC-Exos)"): read it in full too.
    for short, long_form in list(meanings.items()):
        others = {k: v for k, v in meanings.items() if k != short and short not in v}
        meanings[short] = expand_short_forms(long_form, others).text
    return meanings


def _is_short_form(candidate: str) -> bool:
    letters = sum(ch.isalpha() for ch in candidate)
    return (2 <= len(candidate) <= 10 and letters >= 1 and candidate[0].isalnum()
            and any(ch.isupper() for ch in candidate) and " " not in candidate.strip()
            and not candidate.replace(".", "").isdigit())


def _long_before(text: str, paren_start: int, short: str) -> tuple[str, int] | None:
    """The long form that ends just before the parenthesis, with its start offset; None if none fits."""
    words = list(_WORD.finditer(text[:paren_start]))
    limit = min(len(short) + 5, 2 * len(short))
    window = words[-limit:] if limit else []
    if not window:
        return None
    for first in range(len(window) - 1, -1, -1):  # the shortest run of words that explains the short form
        start = window[first].start()
        candidate = text[start:paren_start].strip()
        if _matches(short, candidate):
            return candidate, start
    return None


def _matches(short: str, long_form: str) -> bool:
    """Schwartz–Hearst: the short form's letters and digits occur in the long form right to left,
    its first character beginning a word of the long form."""
    s_chars = [ch.lower() for ch in short if ch.isalnum()]
    if not s_chars or len(long_form) <= len(short):
        return False
    lowered = long_form.lower()
    l_index = len(lowered) - 1
    for s_index in range(len(s_chars) - 1, -1, -1):
        ch = s_chars[s_index]
        while l_index >= 0 and (lowered[l_index] != ch or
                                (s_index == 0 and l_index > 0 and lowered[l_index - 1].isalnum())):
            l_index -= 1
        if l_index < 0:
            return False
        l_index -= 1
    return True


@dataclass(slots=True)
class Expansion:
    """A sentence with each defined short form replaced by its long form, and the way back.

    `spans` holds (start, end, original start, original end, note) for every replaced short
    form, in order; text between them is unchanged, only shifted.
    """

    original: str
    text: str
    spans: list[tuple[int, int, int, int, str]]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original sentence of text[start:end]; a replaced form maps to the whole short form."""
        return self._position(start, True), self._position(end, False)

    def note(self, start: int, end: int) -> str:
        """'ASC = amniotic stem cells' for every replaced short form inside text[start:end]."""
        notes = [note for s, e, _, _, note in self.spans if note and s < end and start < e]
        return "; ".join(dict.fromkeys(notes))

    def _position(self, position: int, is_start: bool) -> int:
        shift = 0
        for s, e, o_start, o_end, _ in self.spans:
            if position < s or (not is_start and position == s):
                break
            if position < e or (not is_start and position == e):
                return o_start if is_start else o_end
            shift = o_end - e
        return min(max(position + shift, 0), len(self.original))


def expand_short_forms(text: str, meanings: dict[str, str]) -> Expansion:
    """`text` with every short form of `meanings` ("ASC", "ASCs", "ASC-exosomes") read as its long form.

    The copy is also made plain where writing varies but meaning does not, so one cue reads them all:
    - a definition's parenthesis ("dermal papilla cells (DPCs) were treated", "cell (DPC)-derived")
      and a group size ("patients (n = 24) received") are dropped;
    - scare quotes around a word or two ("bovine colostrum-derived 'exosome' products") are dropped;
    - "originated from", "the conditioned medium of" and the like read as "derived from";
    - an origin told in an aside, "EVs (derived from milk)", reads without its parenthesis.
    """
    edits = sorted(_edits(text, meanings), key=lambda edit: (edit[0], -edit[1]))
    pieces: list[str] = []
    spans: list[tuple[int, int, int, int, str]] = []
    last = length = 0
    for start, end, replacement, note in edits:
        if start < last:
            continue  # overlaps an earlier edit
        pieces.append(text[last:start])
        length += start - last
        pieces.append(replacement)
        spans.append((length, length + len(replacement), start, end, note))
        length += len(replacement)
        last = end
    if not spans:
        return Expansion(text, text, [])
    pieces.append(text[last:])
    return Expansion(text, "".join(pieces), spans)


def _edits(text: str, meanings: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, note) of every change `expand_short_forms` makes to `text`."""
    edits = []
    for m in _short_form_pattern(tuple(sorted(meanings, key=len, reverse=True))).finditer(text):
        short = m.groupdict().get("short")
        if short is None:  # an aside: read as nothing
            edits.append((m.start(), m.end(), "", ""))
        else:
            long_form = meanings.get(short) or _plural_of(meanings.get(_PLURAL.sub("", short)), short)
            edits.append((m.start(), m.end(), long_form, f"{short} = {long_form}"))
    if "'" in text or "\u2018" in text or '"' in text or "\u201c" in text:
        for m in _SCARE_QUOTES.finditer(text):
            edits.extend(((m.start(1), m.end(1), "", ""), (m.start(3), m.end(3), "", "")))
    if "from" in text or " of " in text:
        edits.extend((m.start(), m.end(), "derived from", "") for m in _DERIVED_FROM.finditer(text))
        edits.extend((m.start(), m.end(), "", "") for m in _MEDIUM_OF.finditer(text))
    if "(" in text:
        for m in _ORIGIN_ASIDE.finditer(text):
            edits.extend(((m.start(), m.start() + 1, "", ""), (m.end() - 1, m.end(), "", "")))
    if "source" in text:
        edits.extend((m.start(), m.end(), "derived from ", "") for m in _SOURCE_LIST.finditer(text))
    return edits


def _plural_of(long_form: str | None, short: str) -> str:
    """The long form of a plural short form ("DPCs") that only its singular defines: "dermal papilla cells"."""
    if long_form is None:
        return short
    return long_form + "s" if short.endswith("s") and not long_form.endswith("s") else long_form


# 'exosome', "exosome", ‘exosome products’: quotes around one to three words, not an apostrophe.
_SCARE_QUOTES = re.compile(
    r"(?<![\w'\u2019])(['\u2018\"\u201c])([\w-]+(?: [\w-]+){0,2})(['\u2019\"\u201d])(?![\w'\u2019])")
# Ways of saying where vesicles came from that mean "derived from".
_DERIVED_FROM = re.compile(r"\b(?:originat(?:ed|ing)|stemm(?:ed|ing)|sourced|coming|came|come) from\b", re.IGNORECASE)
# "EVs (derived from bovine milk)" reads as "EVs derived from bovine milk": the origin told in an aside.
_ORIGIN_ASIDE = re.compile(
    r"\((?:(?:derived|isolated|obtained|extracted|purified|collected|prepared|secreted|released|produced) )?"
    r"(?:from|by) [^()]{1,80}\)", re.IGNORECASE)
# "the MSC source (adipose, bone marrow or umbilical cord)" reads as "the MSC derived from adipose, ...".
_SOURCE_LIST = re.compile(r"\bsources? \((?=[a-z])", re.IGNORECASE)
# "from the conditioned medium of HEK293T cells" reads as "from HEK293T cells": the medium is the cells'.
_MEDIUM_OF = re.compile(
    r"(?<=\bfrom )(?:the )?(?:(?:serum-free |exosome-free |EV-depleted )?(?:conditioned (?:culture )?(?:medium|media)"
    r"|(?:cell )?culture (?:supernatants?|medium|media)|supernatants?|secretomes?)) of ",
    re.IGNORECASE,
)


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _short_form_pattern(shorts: tuple[str, ...]) -> re.Pattern[str]:
    pattern = _PATTERNS.get(shorts)
    if pattern is None:
        if len(_PATTERNS) > 10_000:
            _PATTERNS.clear()
        group_size = r"n\s?=\s?\d[\d,]*"
        if shorts:
            alternatives = "|".join(re.escape(s) for s in shorts)
            aside = rf"(?:(?:{alternatives})s?|{group_size})"
            # Case matters ("AD" is not "ad"); a plural "s" may follow; a hyphen may join the next word.
            short = rf"|(?<![\w-])(?P<short>(?:{alternatives})s?)(?![\w])"
        else:
            aside, short = group_size, ""
        pattern = _PATTERNS[shorts] = re.compile(rf" \((?:{aside})\)(?=[\s,;.:-])" + short)
    return pattern
