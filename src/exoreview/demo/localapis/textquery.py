"""A small boolean search language shared by the local APIs, and matching over simple documents.

Grammar: terms, "quoted phrases", FIELD:term, FIELD:"phrase", FIELD:[low TO high],
AND / OR / NOT (upper case), parentheses; adjacent operands are ANDed; NOT binds
tightest, then AND, then OR (Lucene's reading, which Europe PMC and Essie share).
A trailing `*` truncates a word. Matching is on lower-cased alphanumeric tokens;
no stemming, so the local servers are stricter than OpenAlex's stemmed search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from exoreview.errors import BadInput

_TOKEN = re.compile(r"[0-9a-z]+\*?")
_FIELD = re.compile(r"([A-Za-z_]+):")


class QueryError(BadInput, ValueError):
    """A query the API would reject; the message is the API's error text."""


@dataclass(frozen=True, slots=True)
class Match:
    field: str  # "" for the default field
    value: str
    phrase: bool = False
    low: str = ""  # a range when low or high is set
    high: str = ""

    @property
    def is_range(self) -> bool:
        return bool(self.low or self.high)


@dataclass(frozen=True, slots=True)
class Op:
    op: str  # AND | OR | NOT (NOT has only `left`)
    left: Node
    right: Node | None = None


Node = Match | Op


def normalize(text: str) -> str:
    """' token token ' form, so a phrase is a substring with spaces around it."""
    return " " + " ".join(_TOKEN.findall(text.lower().replace("*", " "))) + " "


def _lex(query: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            tokens.append((ch, ch))
            i += 1
            continue
        field = ""
        match = _FIELD.match(query, i)
        if match and match.end() < n and not query[match.end()].isspace():
            field, i = match.group(1).upper(), match.end()
        if i < n and query[i] == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError(f"unbalanced quotes in query at position {i}")
            tokens.append(("term", Match(field, query[i + 1:end], phrase=True)))
            i = end + 1
        elif field and i < n and query[i] == "[":
            end = query.find("]", i)
            if end < 0:
                raise QueryError(f"unclosed range for field {field}")
            low, sep, high = query[i + 1:end].partition(" TO ")
            if not sep:
                raise QueryError(f"range for field {field} needs 'low TO high'")
            tokens.append(("term", Match(field, "", low=low.strip(), high=high.strip())))
            i = end + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"':
                j += 1
            word = query[i:j]
            if not field and word in ("AND", "OR", "NOT"):
                tokens.append(("op", word))
            else:
                tokens.append(("term", Match(field, word)))
            i = j
    return tokens


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = _lex(query)
        self.i = 0

    def peek(self) -> tuple[str, object] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        if not self.tokens:
            raise QueryError("empty query")
        node = self.disjunction()
        if self.peek() is not None:
            raise QueryError("unbalanced parenthesis: ')' without '('")
        return node

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.peek() == ("op", "OR"):
            self.i += 1
            node = Op("OR", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.unary()
        while (token := self.peek()) is not None and token != ("op", "OR") and token[0] != ")":
            if token == ("op", "AND"):
                self.i += 1
            node = Op("AND", node, self.unary())
        return node

    def unary(self) -> Node:
        token = self.peek()
        if token is None:
            raise QueryError("query ends where a term was expected")
        if token == ("op", "NOT"):
            self.i += 1
            return Op("NOT", self.unary())
        if token[0] == "op":
            raise QueryError(f"operator {token[1]} where a term was expected")
        if token[0] == ")":
            raise QueryError("unbalanced parenthesis: ')' without '('")
        self.i += 1
        if token[0] == "(":
            node = self.disjunction()
            if self.peek() != (")", ")"):
                raise QueryError("unbalanced parenthesis: '(' is never closed")
            self.i += 1
            return node
        return token[1]  # type: ignore[return-value]


def parse_query(query: str) -> Node:
    return _Parser(query).parse()


def fields_of(node: Node) -> set[str]:
    if isinstance(node, Match):
        return {node.field}
    return fields_of(node.left) | (fields_of(node.right) if node.right is not None else set())


def text_matches(value: str, normalized_text: str) -> bool:
    """Does a word or phrase (trailing * truncates) occur in a normalize()d text?"""
    words = _TOKEN.findall(value.lower())
    if not words:
        return False
    phrase = " ".join(words)
    if phrase.endswith("*"):
        return " " + phrase[:-1] in normalized_text
    return " " + phrase + " " in normalized_text


Document = dict[str, str]  # field -> normalized text (or raw value for range fields)


def evaluate(node: Node, doc: Document, match_term: Callable[[Match, Document], bool]) -> bool:
    if isinstance(node, Match):
        return bool(match_term(node, doc))
    if node.op == "NOT":
        return not evaluate(node.left, doc, match_term)
    if node.op == "AND":
        return evaluate(node.left, doc, match_term) and evaluate(node.right, doc, match_term)  # type: ignore[arg-type]
    return evaluate(node.left, doc, match_term) or evaluate(node.right, doc, match_term)  # type: ignore[arg-type]
