"""Compare two records: is this one study exported twice, two studies, or a question for a reviewer?

A pair is first checked for vetoes, any one of which keeps the records apart:
a notice against an article, different DOIs, PMIDs or PMCIDs, a
CommentsCorrections link between them, years two or more apart, titles
whose words differ (not just their case, punctuation, accents or tags), or
titles with different numbers ("phase 2" vs "phase 3").

Otherwise the score is the title's agreement (1.0 for the same words, 0.9 when
one title is the other cut short or with a subtitle added, 0.75 when only the
subtitles differ) plus 0.05 for each piece of agreeing evidence and minus
0.05 (0.1 for the strong ones) for each conflict:

    same year +1, one year apart -1 (a print and an online date: needs support)
    same first author +1, different first author -2
    compatible journal names +1, incompatible -1
    same first page +1, different first page -2; different volume -1
    a title of fewer than five words -2 (it says too little on its own)

A title of one or two words merges only when year, journal and first page agree too; else it goes to review.

`MERGE_AT` and above merges; `REVIEW_AT` up to it goes to a reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

from exoreview.dedup.normalize import (
    STOPWORDS,
    first_page,
    is_number_token,
    journal_tokens,
    journals_compatible,
    normalize_doi,
    normalize_text,
    surname_key,
)
from exoreview.dedup.notices import linked_pmids, notice_signature
from exoreview.records import Record

MERGE_AT = 1.0
REVIEW_AT = 0.85
STEP = 0.05
MIN_PREFIX_WORDS = 3  # a cut title must keep at least this many words to be matched on
FULL_TITLE_WORDS = 5  # fewer words than this cost 0.1: such a title says little on its own
MIN_TITLE_WORDS = 3  # shorter titles go to a reviewer at best


@dataclass(slots=True)
class Fingerprint:
    """What the matcher compares, computed once per record."""

    title: str
    tokens: tuple[str, ...]
    year: int | None
    surname: str
    initial: str
    journal: tuple[str, ...]
    issn: str
    volume: str
    page: str
    doi: str
    pmid: str
    pmcid: str
    notice: tuple[bool, bool]
    links: frozenset[str]


def fingerprint(record: Record) -> Fingerprint:
    title = normalize_text(record.title)
    author = record.authors[0] if record.authors else None
    surname = initial = ""
    if author is not None:
        surname = surname_key(author.last_name or author.collective_name)
        initial = (author.initials or normalize_text(author.fore_name))[:1].lower()
    journal = record.journal
    return Fingerprint(
        title=title, tokens=tuple(title.split()), year=record.pub_date.year, surname=surname, initial=initial,
        journal=journal_tokens(journal.title or journal.iso_abbreviation),
        issn=journal.issn_linking or journal.issn_print or journal.issn_electronic,
        volume=journal.volume.strip().lower(), page=first_page(journal.pages),
        doi=normalize_doi(record.doi), pmid=record.pmid.strip(), pmcid=record.pmcid.strip().upper(),
        notice=notice_signature(record, title), links=linked_pmids(record),
    )


@dataclass(slots=True)
class Verdict:
    decision: str  # "merge", "review" or "distinct"
    score: float
    reason: str  # the agreeing evidence, e.g. "title+year+author", or the veto


DISTINCT = "distinct"


def veto(a: Fingerprint, b: Fingerprint) -> str:
    """Why two records can never be one study, or '' when nothing forbids it."""
    if a.notice != b.notice:
        return "notice and article"  # or two notices marked differently: never merged on a guess
    for name in ("doi", "pmid", "pmcid"):
        x, y = getattr(a, name), getattr(b, name)
        if x and y and x != y:
            return f"different {name}"
    if (a.pmid and a.pmid in b.links) or (b.pmid and b.pmid in a.links):
        return "linked notice"
    if a.year and b.year and abs(a.year - b.year) > 1:
        return "years differ"
    return ""


def conflict(a: Fingerprint, b: Fingerprint) -> bool:
    """A veto, or different first authors: checked between every two members of groups about to join."""
    return bool(veto(a, b)) or bool(a.surname and b.surname and a.surname != b.surname)


def title_relation(a: Fingerprint, b: Fingerprint) -> tuple[str, float]:
    """("same" | "prefix" | "subtitle" | "different", title score)."""
    if a.title == b.title:
        return "same", 1.0
    if a.title.replace(" ", "") == b.title.replace(" ", ""):
        return "same", 1.0  # 'cross-sectional' vs 'crosssectional'
    short, long = (a, b) if len(a.title) <= len(b.title) else (b, a)
    if len(short.tokens) >= MIN_PREFIX_WORDS and long.title.replace(" ", "").startswith(short.title.replace(" ", "")):
        return "prefix", 0.9  # cut short, possibly mid-word, or a subtitle added
    if Indel.normalized_similarity(a.title, b.title) < 0.5:
        return "different", 0.0
    relation = _word_relation(a.tokens, b.tokens)
    return relation, _TITLE_SCORES[relation]


_TITLE_SCORES = {"same": 1.0, "prefix": 0.9, "subtitle": 0.75, "different": 0.0}


def _word_relation(ta: tuple[str, ...], tb: tuple[str, ...]) -> str:
    """How two titles' words relate, edit by edit: one edit that makes them different decides."""
    relation = "same"
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(list(ta), list(tb)):
        if tag == "equal":
            continue
        edit = _edit_relation(ta, tb, (i1, i2, j1, j2))
        if edit == "different":
            return edit
        if edit != "same":
            relation = edit
    return relation


def _edit_relation(ta: tuple[str, ...], tb: tuple[str, ...], span: tuple[int, int, int, int]) -> str:
    """What one edit (words ta[i1:i2] -> tb[j1:j2]) makes of two titles: "same", "prefix", "subtitle" or "different"."""
    i1, i2, j1, j2 = span
    left, right = ta[i1:i2], tb[j1:j2]
    at_end = i2 == len(ta) and j2 == len(tb)
    if at_end and _is_cut(left, right, ta[:i1]):
        return "prefix"
    if any(is_number_token(t) for t in left + right):
        return "different"
    if not left or not right:
        return "same" if all(t in STOPWORDS for t in left + right) else "different"  # 'a' / 'the' dropped
    if Indel.normalized_similarity("".join(left), "".join(right)) >= 0.8:
        return "same"  # a spelling variant: 'jorgensen' / 'jrgensen', 'tumour' / 'tumor'
    if at_end and i1 >= FULL_TITLE_WORDS:
        return "subtitle"
    return "different"


def _is_cut(left: tuple[str, ...], right: tuple[str, ...], common: tuple[str, ...]) -> bool:
    """One title is the other cut short (possibly mid-word) or with words added at its end."""
    if len(common) < MIN_PREFIX_WORDS and not (left and right):
        return False
    if not left or not right:
        return len(common) >= MIN_PREFIX_WORDS
    joined_a, joined_b = "".join(left), "".join(right)
    shorter, longer = sorted((joined_a, joined_b), key=len)
    return len(common) + 1 >= MIN_PREFIX_WORDS and longer.startswith(shorter)


def compare(a: Fingerprint, b: Fingerprint) -> Verdict:
    reason = veto(a, b)
    if reason:
        return Verdict(DISTINCT, 0.0, reason)
    relation, title_score = title_relation(a, b)
    if relation == "different":
        return Verdict(DISTINCT, 0.0, "titles differ")
    points, agree = _agreement(a, b)
    agree.insert(0, "title" if relation == "same" else f"title-{relation}")
    shortest = min(len(a.tokens), len(b.tokens))
    if shortest < FULL_TITLE_WORDS:
        points -= 2
    score = round(title_score + STEP * points, 3)
    return Verdict(_decision(score, shortest, agree), score, "+".join(agree))


def _agreement(a: Fingerprint, b: Fingerprint) -> tuple[int, list[str]]:
    """(points, what agrees) from year, first author, journal, first page and volume."""
    points = 0
    agree: list[str] = []
    for check in (_year_points, _author_points, _journal_points, _page_points):
        delta, agreed = check(a, b)
        points += delta
        if agreed:
            agree.append(agreed)
    if a.volume and b.volume and a.volume != b.volume:
        points -= 1
    return points, agree


def _year_points(a: Fingerprint, b: Fingerprint) -> tuple[int, str]:
    if not (a.year and b.year):
        return 0, ""
    return (1, "year") if a.year == b.year else (-1, "year±1")


def _author_points(a: Fingerprint, b: Fingerprint) -> tuple[int, str]:
    if not (a.surname and b.surname):
        return 0, ""
    if a.surname == b.surname and (not a.initial or not b.initial or a.initial == b.initial):
        return 1, "author"
    return -2, ""


def _journal_points(a: Fingerprint, b: Fingerprint) -> tuple[int, str]:
    if not (a.journal and b.journal):
        return 0, ""
    if (a.issn and a.issn == b.issn) or journals_compatible(a.journal, b.journal):
        return 1, "journal"
    return -1, ""


def _page_points(a: Fingerprint, b: Fingerprint) -> tuple[int, str]:
    if not (a.page and b.page):
        return 0, ""
    return (1, "pages") if a.page == b.page else (-2, "")


def _decision(score: float, shortest: int, agree: list[str]) -> str:
    """Merge, review or distinct by score; a very short title merges only when year, journal and page agree."""
    decision = "merge" if score >= MERGE_AT - 1e-9 else "review" if score >= REVIEW_AT - 1e-9 else DISTINCT
    if decision == "merge" and shortest < MIN_TITLE_WORDS and not {"year", "journal", "pages"} <= set(agree):
        decision = "review"  # "Abstracts", "Book reviews": too short to merge without year, journal and page
    return decision
