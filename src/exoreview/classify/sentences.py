"""Sentences with character offsets, so every label can point at the words that support it.

Offsets index the text of a record's field exactly as `field_text` builds it, so a reader
(the report, a reviewer checking a label) can slice the sentence back out:
`field_text(record, "abstract")[start:end] == sentence.text`.

The splitter is rule-based on purpose: abstracts are short, the rules are few, and a
statistical splitter would be a heavy dependency for the abbreviations that matter here
("e.g.", "et al.", "vs.", "Fig. 2", "L. plantarum", "1.5 × 10^9").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exoreview.records import Record

# Fields whose text is split into sentences; MeSH and publication types are lists of headings.
TEXT_FIELDS = ("title", "abstract", "keywords")
LIST_SEPARATOR = "; "

# Abbreviations after which a period never ends a sentence, whatever follows.
_ALWAYS_ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "cf", "vs", "al", "fig", "figs", "ref", "refs", "approx", "ca", "resp",
        "dr", "prof", "mr", "mrs", "ms", "st", "spp", "sp", "subsp", "var", "eq", "eqs", "suppl",
        "vol", "viz", "incl", "max", "inc", "ltd", "corp", "co", "dept", "univ", "jr", "sr",
    }
)
# Candidate ends: terminal punctuation (with closing quotes/brackets) followed by space, or a line break.
_CANDIDATE = re.compile(r"[.!?…]+[\"'”’)\]]*\s+|\n\s*")
_LAST_TOKEN = re.compile(r"(\S+)$")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # "U.S", "s.c", "i.v"
_MIXED_CASE_WORD = re.compile(r"[a-z]+[A-Z0-9]")  # "hUCMSC", "miR-21", "mRNA" may start a sentence
# A section heading written into the text ("Background: ...", "METHODS: ..."), as RIS, BibTeX and
# CSV exports and many web pages give a structured abstract.
_INLINE_SECTION = re.compile(
    r"^(?P<label>(?:BACKGROUND|INTRODUCTION|CONTEXT|RATIONALE|IMPORTANCE|SIGNIFICANCE|OBJECTIVES?|AIMS?"
    r"|PURPOSE|(?:STUDY )?DESIGN|(?:MATERIALS?|PATIENTS|SUBJECTS|PARTICIPANTS) AND METHODS|METHODS?"
    r"|METHODOLOGY|SETTING|INTERVENTIONS?|MAIN OUTCOMES?(?: AND MEASURES?)?|MEASUREMENTS|RESULTS?|FINDINGS"
    r"|OBSERVATIONS|CASE (?:PRESENTATION|REPORT|SUMMARY|DESCRIPTION)|DISCUSSION|SUMMARY|LIMITATIONS"
    r"|CONCLUSIONS?(?: AND (?:RELEVANCE|IMPLICATIONS))?|INTERPRETATION|CLINICAL (?:RELEVANCE|SIGNIFICANCE)"
    r"|(?:AIMS? AND )?OBJECTIVES?|HYPOTHESIS))\s*[:.]\s",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offsets within the field text
    end: int
    section: str = ""  # the abstract section label ("RESULTS"), when the abstract is structured


def split_sentences(text: str, offset: int = 0, section: str = "") -> list[Sentence]:
    """Split `text` into sentences; offsets are shifted by `offset` (the text's place in its field)."""
    sentences: list[Sentence] = []
    begin = 0
    for candidate in _CANDIDATE.finditer(text):
        if not _ends_sentence(text, begin, candidate):
            continue
        # The terminator belongs to the sentence; the whitespace after it does not.
        stop = candidate.end() - (len(candidate.group()) - len(candidate.group().rstrip()))
        _append(sentences, text, begin, stop, offset, section)
        begin = candidate.end()
    _append(sentences, text, begin, len(text), offset, section)
    return sentences


def _ends_sentence(text: str, begin: int, candidate: re.Match[str]) -> bool:
    punct = candidate.group()
    if "\n" in punct or not punct.startswith("."):
        return True  # a line break, "?", "!" or "…" always ends a sentence
    following = text[candidate.end() : candidate.end() + 30]
    if not following:
        return True
    match = _LAST_TOKEN.search(text, begin, candidate.start())
    token = match.group(1).lstrip("([\"'") if match else ""
    lowered = token.lower()
    if lowered in _ALWAYS_ABBREVIATIONS:
        return False
    if lowered == "no" and following[0].isdigit():  # "No. 3"
        return False
    next_word = following.split(maxsplit=1)[0]
    starts_lower = next_word[0].islower()
    if _DOTTED_ACRONYM.match(token) or (len(token) == 1 and token.isalpha()):
        # "i.v. injection", "L. plantarum": an abbreviation unless a capitalised sentence follows.
        return not starts_lower
    if starts_lower:
        # Sentences rarely start in lower case, except with gene or cell names such as "hUCMSC".
        return bool(_MIXED_CASE_WORD.match(next_word))
    return True


def _append(sentences: list[Sentence], text: str, begin: int, stop: int, offset: int, section: str) -> None:
    chunk = text[begin:stop]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    start = offset + begin + lead
    sentences.append(Sentence(stripped, start, start + len(stripped), section))


def inline_sections(sentences: list[Sentence]) -> list[Sentence]:
    """Give sentences the section whose heading is written into the text ("Results: ...")."""
    if not any(_section_heading(s.text) for s in sentences):
        return sentences
    current = ""
    out = []
    for sentence in sentences:
        current = _section_heading(sentence.text) or current
        out.append(Sentence(sentence.text, sentence.start, sentence.end, current))
    return out


def _section_heading(text: str) -> str:
    match = _INLINE_SECTION.match(text)
    if not match or not (match.group("label").isupper() or match.group("label")[0].isupper()):
        return ""
    return " ".join(match.group("label").upper().split())


def field_text(record: Record, field_name: str) -> str:
    """The text a field's evidence offsets index; lists are joined with '; '."""
    if field_name == "title":
        return record.title
    if field_name == "abstract":
        return record.abstract_text
    if field_name == "keywords":
        return LIST_SEPARATOR.join(record.keywords)
    if field_name == "mesh":
        return LIST_SEPARATOR.join(h.descriptor for h in record.mesh)
    if field_name == "publication_types":
        return LIST_SEPARATOR.join(p.name for p in record.publication_types)
    raise ValueError(f"field_text: unknown field {field_name!r} (known: {', '.join(TEXT_FIELDS)}, mesh, "
                     "publication_types)")


def list_items(items: list[str]) -> list[Sentence]:
    """Each item of a '; '-joined list as its own sentence, with offsets into the joined text."""
    sentences = []
    position = 0
    for item in items:
        if item.strip():
            lead = len(item) - len(item.lstrip())
            stripped = item.strip()
            sentences.append(Sentence(stripped, position + lead, position + lead + len(stripped)))
        position += len(item) + len(LIST_SEPARATOR)
    return sentences


def record_sentences(record: Record) -> list[tuple[str, Sentence]]:
    """(field name, sentence) for the title (one sentence), each abstract sentence and each keyword."""
    out: list[tuple[str, Sentence]] = []
    title = record.title
    if title.strip():
        lead = len(title) - len(title.lstrip())
        stripped = title.strip()
        out.append(("title", Sentence(stripped, lead, lead + len(stripped))))
    # Mirror Record.abstract_text: sections joined by "\n", each as "LABEL: text" when labelled.
    position = 0
    for section in record.abstract:
        prefix = f"{section.label}: " if section.label else ""
        label = section.nlm_category or section.label
        sentences = split_sentences(section.text, position + len(prefix), label.upper())
        out.extend(("abstract", sentence) for sentence in (sentences if label else inline_sections(sentences)))
        position += len(prefix) + len(section.text) + 1
    out.extend(("keywords", sentence) for sentence in list_items(record.keywords))
    return out
