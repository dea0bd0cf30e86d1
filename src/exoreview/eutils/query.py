"""PubMed query syntax: lexer, parser and the small AST they produce.

Rules followed (PubMed's, as far as a local engine needs them):

* AND, OR, NOT (any case) bind left to right with equal precedence:
  ``a OR b AND c`` means ``(a OR b) AND c``. Parentheses override.
* Adjacent terms without an operator are ANDed.
* A field tag binds to the whole run of words before it, back to the previous
  operator or parenthesis, and makes that run a phrase: ``skin aging[tiab]``
  is the phrase "skin aging" in title/abstract, ``smith j[au]`` one author.
* An untagged, unquoted run stays one Term with ``tag=None``; the evaluator
  maps it (see ``translate.expand``), like PubMed's automatic term mapping.
* ``*`` truncates at the end of a word (the last word of a phrase).
* Dates: ``2019[dp]``, ``2014:2024[dp]``, ``2014/01/01:2024/12/31[dp]`` and the
  older ``"2014/01/01"[dp] : "2024/12/31"[dp]`` form all give a DateRange.

Size: a run of N operators makes a tree N deep (its left spine), so nothing that
walks a tree recurses: ``fold`` visits it with a stack of its own, and a query of
thousands of OR'd terms costs no more stack than a short one. Parentheses are
the only recursion in the parser; past MAX_NESTING levels they are a syntax error.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from exoreview.errors import BadInput

# Canonical field keys and the tags (case-insensitive) that name them.
FIELD_TAGS: dict[str, str] = {
    "all": "all", "all fields": "all",
    "tiab": "tiab", "title/abstract": "tiab",
    "ti": "ti", "title": "ti",
    "ab": "ab", "abstract": "ab",
    "tw": "tw", "text word": "tw", "word": "tw",
    "mh": "mh", "mesh": "mh", "mesh terms": "mh",
    "mh:noexp": "mh_noexp", "mesh:noexp": "mh_noexp", "mesh terms:noexp": "mh_noexp",
    "majr": "majr", "mesh major topic": "majr",
    "majr:noexp": "majr_noexp", "mesh major topic:noexp": "majr_noexp",
    "pt": "pt", "publication type": "pt", "ptyp": "pt",
    "dp": "dp", "pdat": "dp", "date - publication": "dp", "publication date": "dp",
    "au": "au", "author": "au",
    "la": "la", "language": "la", "lang": "la",
    "sb": "sb", "filter": "sb", "subset": "sb",
    "pmid": "pmid", "uid": "pmid",
    "aid": "aid", "article identifier": "aid", "lid": "aid", "location id": "aid",
    "ta": "ta", "journal": "ta", "jour": "ta",
}  # fmt: skip

# How PubMed spells each field in a QueryTranslation.
LONG_NAMES: dict[str, str] = {
    "all": "All Fields",
    "tiab": "Title/Abstract",
    "ti": "Title",
    "ab": "Abstract",
    "tw": "Text Word",
    "mh": "MeSH Terms",
    "mh_noexp": "MeSH Terms:noexp",
    "majr": "MeSH Major Topic",
    "majr_noexp": "MeSH Major Topic:noexp",
    "pt": "Publication Type",
    "dp": "Date - Publication",
    "au": "Author",
    "la": "Language",
    "sb": "Filter",
    "pmid": "UID",
    "aid": "Article Identifier",
    "ta": "Journal",
}

OPERATORS = frozenset({"AND", "OR", "NOT"})
# Deepest parentheses accepted; real searches nest a handful of levels. Each level is three parser frames.
MAX_NESTING = 100


class QuerySyntaxError(BadInput, ValueError):
    """A query PubMed would reject; ``position`` is a 0-based character offset."""

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(f"{reason} (at position {position})")
        self.position = position
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    tag: str | None = None  # canonical field key; None means untagged
    quoted: bool = False
    pos: int = dataclasses.field(default=0, compare=False)

    @property
    def truncated(self) -> bool:
        return self.text.endswith("*")


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive publication-date range, both ends as YYYY/MM/DD."""

    start: str
    end: str
    label: str = ""  # the single date as typed ("2019"), for translation
    pos: int = dataclasses.field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "AND" | "OR" | "NOT"
    left: Node
    right: Node
    grouped: bool = dataclasses.field(default=False, compare=False)  # parenthesized


Node = Term | DateRange | BoolOp
T = TypeVar("T")


def fold(node: Node, leaf: Callable[[Term | DateRange], T], combine: Callable[[BoolOp, T, T], T], *,
         keep_left: Callable[[BoolOp, T], bool] | None = None) -> T:
    """The value of a tree, computed bottom-up (left side first) without recursion.

    ``leaf`` gives a term's value, ``combine(op, left, right)`` a BoolOp's from its sides' values.
    ``keep_left(op, left)``, when true, makes the left value the BoolOp's without computing its right
    side (nothing AND anything is nothing).
    """
    values: list[T] = []
    stack: list[tuple[Node, int]] = [(node, 0)]  # (node, 0: not started, 1: left done, 2: both done)
    while stack:
        current, stage = stack.pop()
        if not isinstance(current, BoolOp):
            values.append(leaf(current))
        elif stage == 0:
            stack += [(current, 1), (current.left, 0)]
        elif stage == 1:
            if keep_left is None or not keep_left(current, values[-1]):
                stack += [(current, 2), (current.right, 0)]
        else:
            right = values.pop()
            values[-1] = combine(current, values[-1], right)
    return values[0]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(" ")" "word" "quoted" "tag" "op" ":"
    text: str
    pos: int


def _lex(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, ch, i))
            i += 1
        elif ch == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(i, "unbalanced quote: '\"' is never closed")
            tokens.append(_Token("quoted", query[i + 1 : end], i))
            i = end + 1
        elif ch == "[":
            end = query.find("]", i + 1)
            if end < 0:
                raise QuerySyntaxError(i, "unclosed field tag: '[' without ']'")
            tokens.append(_Token("tag", query[i + 1 : end], i))
            i = end + 1
        elif ch == "]":
            raise QuerySyntaxError(i, "unexpected ']' without '['")
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"[]':
                j += 1
            word = query[i:j]
            kind = "op" if word.upper() in OPERATORS else ":" if word == ":" else "word"
            tokens.append(_Token(kind, word.upper() if kind == "op" else word, i))
            i = j
    return tokens


def parse(query: str) -> Node:
    """Parse a PubMed query into an AST, or raise QuerySyntaxError."""
    return _Parser(query).parse()


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _lex(query)
        self.i = 0
        self.depth = 0  # parentheses open at this point

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise QuerySyntaxError(0, "empty query")
        node = self.expression()
        extra = self.peek()
        if extra is not None:  # only a ')' can stop expression() early
            raise QuerySyntaxError(extra.pos, "unbalanced parenthesis: ')' without '('")
        return node

    def expression(self) -> Node:
        node = self.operand()
        while (token := self.peek()) is not None and token.kind != ")":
            op = "AND"  # implicit AND between adjacent terms
            if token.kind == "op":
                self.take()
                following = self.peek()
                if following is None or following.kind in (")", "op"):
                    raise QuerySyntaxError(token.pos, f"dangling operator {token.text}: no term after it")
                op = token.text
            node = BoolOp(op, node, self.operand())
        return node

    def operand(self) -> Node:
        token = self.peek()
        if token is None:  # expression() guards against this; keep the error honest anyway
            raise QuerySyntaxError(len(self.query), "unexpected end of query")
        if token.kind == "op":
            raise QuerySyntaxError(token.pos, f"dangling operator {token.text}: no term before it")
        if token.kind == ")":
            raise QuerySyntaxError(token.pos, "unbalanced parenthesis: ')' without '('")
        if token.kind == "tag":
            raise QuerySyntaxError(token.pos, f"field tag [{token.text}] has no term before it")
        if token.kind == ":":
            raise QuerySyntaxError(token.pos, "unexpected ':' outside a date range")
        if token.kind == "(":
            return self.group()
        node = self.term()
        if isinstance(node, DateRange) and (colon := self.peek()) is not None and colon.kind == ":":
            node = self.legacy_range(node, colon)
        return node

    def group(self) -> Node:
        opening = self.take()
        if self.depth == MAX_NESTING:
            raise QuerySyntaxError(opening.pos, f"parentheses nested more than {MAX_NESTING} deep; "
                                   "write the query with fewer levels")
        following = self.peek()
        if following is not None and following.kind == ")":
            raise QuerySyntaxError(opening.pos, "empty parentheses")
        if following is None:
            raise QuerySyntaxError(opening.pos, "unbalanced parenthesis: '(' is never closed")
        self.depth += 1
        inner = self.expression()
        self.depth -= 1
        closing = self.peek()
        if closing is None:
            raise QuerySyntaxError(opening.pos, "unbalanced parenthesis: '(' is never closed")
        self.take()
        return dataclasses.replace(inner, grouped=True) if isinstance(inner, BoolOp) else inner

    def term(self) -> Node:
        first = self.take()
        if first.kind == "quoted":
            text, quoted = first.text.strip(), True
            if not text:
                raise QuerySyntaxError(first.pos, 'empty phrase ""')
        else:
            words = [first.text]
            while (token := self.peek()) is not None and token.kind == "word":
                words.append(self.take().text)
            text, quoted = " ".join(words), False
        tag: str | None = None
        if (token := self.peek()) is not None and token.kind == "tag":
            self.take()
            key = " ".join(token.text.casefold().split())
            if key not in FIELD_TAGS:
                raise QuerySyntaxError(token.pos, f"unknown field tag [{token.text}]")
            tag = FIELD_TAGS[key]
        if tag == "dp":
            return _date_range(text, first.pos)
        _check_truncation(text, first.pos, phrase=quoted or tag is not None)
        return Term(text, tag, quoted, first.pos)

    def legacy_range(self, start: DateRange, colon: _Token) -> DateRange:
        """``"2014/01/01"[dp] : "2024/12/31"[dp]``, as older PubMed translations wrote it."""
        self.take()
        token = self.peek()
        if token is None or token.kind not in ("word", "quoted"):
            raise QuerySyntaxError(colon.pos, "date range ':' needs a date after it")
        end = self.term()
        if not isinstance(end, DateRange):
            raise QuerySyntaxError(token.pos, "date range ':' needs a [dp] date after it")
        return DateRange(start.start, end.end, pos=start.pos)


def _check_truncation(text: str, pos: int, *, phrase: bool) -> None:
    words = text.split()
    offset = 0
    for index, word in enumerate(words):
        star = word.find("*")
        offset = text.find(word, offset)
        if star < 0:
            continue
        if star != len(word) - 1:
            raise QuerySyntaxError(pos + offset + star, "truncation '*' is allowed only at the end of a word")
        if star == 0:
            raise QuerySyntaxError(pos + offset, "truncation '*' needs a word stem before it")
        if phrase and index != len(words) - 1:
            raise QuerySyntaxError(pos + offset + star, "truncation '*' only on the last word of a phrase")


_DATE_RE = re.compile(r"^(\d{4})(?:[/-](\d{1,2})(?:[/-](\d{1,2}))?)?$")


def _date_bounds(text: str, pos: int) -> tuple[str, str]:
    """First and last day a (partial) date covers: "2024" -> 2024/01/01, 2024/12/31."""
    match = _DATE_RE.match(text.strip())
    if not match:
        raise QuerySyntaxError(pos, f"invalid date {text!r}: use YYYY, YYYY/MM or YYYY/MM/DD")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise QuerySyntaxError(pos, f"invalid month in date {text!r}")
    last_day = calendar.monthrange(year, month or 12)[1]
    if day is not None and not 1 <= day <= last_day:
        raise QuerySyntaxError(pos, f"invalid day in date {text!r}")
    start = f"{year:04d}/{month or 1:02d}/{day or 1:02d}"
    end = f"{year:04d}/{month or 12:02d}/{day or last_day:02d}"
    return start, end


def _date_range(text: str, pos: int) -> DateRange:
    if ":" in text:
        low, _, high = text.partition(":")
        start, _ = _date_bounds(low, pos)
        _, end = _date_bounds(high, pos + len(low) + 1)
        return DateRange(start, end, pos=pos)
    start, end = _date_bounds(text, pos)
    return DateRange(start, end, label=text.strip(), pos=pos)
