"""Automatic term mapping and PubMed-style QueryTranslation strings.

``expand`` resolves every untagged term into explicitly tagged ones, so the
evaluator and the translation see the same query. The mapping is deliberately
narrower than PubMed's: there are no entry terms or journal/author tables, only
"does this run of words exactly name a MeSH descriptor". When it does, the run
becomes ``("x"[MeSH Terms] OR "x"[All Fields])`` the way PubMed writes it;
otherwise each word is searched in All Fields.
"""

from __future__ import annotations

from collections.abc import Callable

from exoreview.eutils.query import LONG_NAMES, BoolOp, DateRange, Node, Term, fold

# Longest run of words tried as one descriptor name; MeSH names rarely exceed it.
MAX_MAPPED_WORDS = 6

DescriptorNamer = Callable[[str], str | None]


def expand(node: Node, descriptor_name: DescriptorNamer | None = None) -> Node:
    """Replace untagged terms by tagged ones; ``descriptor_name`` maps text to a MeSH name."""
    return fold(node, lambda leaf: _expand_term(leaf, descriptor_name),
                lambda op, left, right: BoolOp(op.op, left, right, op.grouped))


def _expand_term(node: Term | DateRange, descriptor_name: DescriptorNamer | None) -> Node:
    if isinstance(node, DateRange) or node.tag is not None:
        return node
    if node.quoted:  # PubMed does not map quoted phrases
        return Term(node.text, "all", True, node.pos)
    # Stray punctuation ("a - b") has no words to find; PubMed ignores it rather than match nothing.
    words = [w for w in node.text.split() if any(ch.isalnum() for ch in w)] or node.text.split()
    parts: list[Node] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_MAPPED_WORDS), i, -1):
            chunk = " ".join(words[i:j])
            name = descriptor_name(chunk) if descriptor_name and "*" not in chunk else None
            if name:
                parts.append(_mapped(name, words[i:j], node.pos))
                i = j
                break
        else:
            parts.append(Term(words[i], "all", False, node.pos))
            i += 1
    return _chain("AND", parts, grouped=False)


def _mapped(name: str, words: list[str], pos: int) -> Node:
    """PubMed's shape: "x y"[MeSH Terms] OR ("x"[All Fields] AND "y"[All Fields]) OR "x y"[All Fields]."""
    mesh = Term(name, "mh", False, pos)
    if len(words) == 1:
        return BoolOp("OR", mesh, Term(words[0], "all", False, pos), grouped=True)
    each_word = _chain("AND", [Term(w, "all", False, pos) for w in words], grouped=True)
    phrase = Term(" ".join(words), "all", True, pos)
    return BoolOp("OR", BoolOp("OR", mesh, each_word), phrase, grouped=True)


def _chain(op: str, parts: list[Node], *, grouped: bool) -> Node:
    node = parts[0]
    for part in parts[1:]:
        node = BoolOp(op, node, part)
    if grouped and isinstance(node, BoolOp):
        node = BoolOp(node.op, node.left, node.right, grouped=True)
    return node


def to_string(node: Node) -> str:
    """A QueryTranslation: lowercase terms, quoted, with long field names."""
    return fold(node, _term_string, _join)


def _term_string(node: Term | DateRange) -> str:
    if isinstance(node, Term):
        text = " ".join(node.text.casefold().split())
        tag = LONG_NAMES[node.tag or "all"]
        # PubMed leaves truncated single words unquoted: rejuvenat*[All Fields]
        if node.truncated and " " not in text:
            return f"{text}[{tag}]"
        return f'"{text}"[{tag}]'
    if node.label:
        return f'"{node.label}"[{LONG_NAMES["dp"]}]'
    return f"{node.start}:{node.end}[{LONG_NAMES['dp']}]"


def _join(node: BoolOp, left: str, right: str) -> str:
    if isinstance(node.left, BoolOp) and node.left.grouped:
        left = f"({left})"
    # Left-to-right evaluation makes a BoolOp on the right need parentheses always.
    if isinstance(node.right, BoolOp):
        right = f"({right})"
    return f"{left} {node.op} {right}"
