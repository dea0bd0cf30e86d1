"""The protocol's PubMed-style query, translated for Europe PMC, OpenAlex and ClinicalTrials.gov.

The query is parsed with the local E-utilities parser (one grammar for every
source), then written in the target's syntax. What a target cannot express
exactly is either approximated with a note (logged with the search, so the
PRISMA-S log says how each source was searched) or refused with a
`TranslationError` naming the term and the fix (`native_query` in the
protocol sends a hand-written query instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from exoreview.eutils.query import BoolOp, DateRange, Node, QuerySyntaxError, Term, fold, parse
from exoreview.protocol.model import ProtocolError


class TranslationError(ProtocolError):
    """A query term the target source cannot search; the message names it and the way out (a bad protocol: exit 2)."""


@dataclass(slots=True)
class Translation:
    source: str
    query: str  # the query string in the source's syntax ("" when everything went into params)
    params: dict[str, str] = field(default_factory=dict)  # request parameters carrying the query and filters
    notes: list[str] = field(default_factory=list)  # approximations a reader of the search log must know


def _parse(query: str, source: str) -> Node:
    try:
        return parse(query)
    except QuerySyntaxError as exc:
        raise TranslationError(f"{source}: the protocol query is not valid PubMed syntax: {exc}") from exc


def _conjuncts(node: Node) -> list[Node]:
    """The top-level AND chain, flattened; filters can only be lifted out of it."""
    found: list[Node] = []
    stack = [node]  # without recursion: a protocol may AND a thousand terms
    while stack:
        current = stack.pop()
        if isinstance(current, BoolOp) and current.op == "AND":
            stack += [current.right, current.left]
        else:
            found.append(current)
    return found


def _is_free_full_text(node: Node) -> bool:
    return isinstance(node, Term) and node.tag == "sb" and node.text.strip().lower() in {
        "free full text", "free full text[sb]", "freetext", "free text"}


def _languages(node: Node) -> list[str] | None:
    """['eng', 'fre'] for `eng[la]` or `(eng[la] OR fre[la])`, else None."""
    def leaf(term: Term | DateRange) -> list[str] | None:
        return [term.text.strip().lower()] if isinstance(term, Term) and term.tag == "la" else None

    def combine(op: BoolOp, left: list[str] | None, right: list[str] | None) -> list[str] | None:
        return left + right if op.op == "OR" and left is not None and right is not None else None

    return fold(node, leaf, combine)


def _render(node: Node, leaf: Callable[[Term | DateRange], str]) -> str:
    """The query in a target syntax, leaf by leaf, without recursion (a protocol may OR a thousand terms)."""
    return fold(node, leaf, lambda op, left, right: _join(op.op, left, right, op))


def _phrase(term: Term) -> str:
    text = term.text.strip()
    return f'"{text}"' if term.quoted or " " in text or "-" in text else text


def _join(op: str, left: str, right: str, node: BoolOp) -> str:
    def wrap(child: Node, text: str) -> str:
        # Same-operator chains stay flat (AND and OR associate; NOT chains to the left); mixed ones get parentheses.
        flat = isinstance(child, BoolOp) and child.op == op and (op != "NOT" or child is node.left)
        return f"({text})" if isinstance(child, BoolOp) and not flat else text
    return f"{wrap(node.left, left)} {op} {wrap(node.right, right)}"


def _iso(date: str) -> str:
    return date.replace("/", "-")


# -- Europe PMC ------------------------------------------------------------------------------------------

_EPMC_FIELDS = {"tiab": "TITLE_ABS", "ti": "TITLE", "ab": "ABSTRACT", "mh": "MESH", "mh_noexp": "MESH",
                "majr": "MESH", "majr_noexp": "MESH", "pt": "PUB_TYPE", "au": "AUTH", "la": "LANG",
                "ta": "JOURNAL"}


def to_europepmc(query: str) -> Translation:
    """Europe PMC search syntax: FIELD:"phrase", FIRST_PDATE:[a TO b], HAS_FREE_FULLTEXT:Y."""
    notes: list[str] = []

    def leaf(node: Term | DateRange) -> str:
        if isinstance(node, DateRange):
            return f"FIRST_PDATE:[{_iso(node.start)} TO {_iso(node.end)}]"
        if _is_free_full_text(node):
            return "HAS_FREE_FULLTEXT:Y"
        if node.tag == "sb":
            raise TranslationError(f"europepmc: PubMed filter {node.text!r}[sb] has no Europe PMC equivalent; "
                                   "remove it or write the query in `native_query`")
        if node.tag == "pmid":
            return f"(EXT_ID:{node.text.strip()} AND SRC:MED)"
        if node.tag in ("majr", "majr_noexp") and "MeSH major topics searched as any MeSH heading" not in notes:
            notes.append("MeSH major topics searched as any MeSH heading")
        if node.tag in ("mh_noexp", "majr_noexp") and "MeSH :noexp searched as MESH" not in notes:
            notes.append("MeSH :noexp searched as MESH")
        name = _EPMC_FIELDS.get(node.tag or "")
        return f"{name}:{_phrase(node)}" if name else _phrase(node)

    return Translation("europepmc", _render(_parse(query, "europepmc"), leaf), notes=notes)


# -- OpenAlex --------------------------------------------------------------------------------------------

# ISO 639-2 (PubMed's [la]) to ISO 639-1 (OpenAlex's `language`), for the languages reviews name.
_LANG_639_1 = {"eng": "en", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "spa": "es", "ita": "it",
               "por": "pt", "chi": "zh", "zho": "zh", "jpn": "ja", "kor": "ko", "rus": "ru", "dut": "nl",
               "nld": "nl", "pol": "pl", "tur": "tr", "swe": "sv", "dan": "da", "nor": "no", "fin": "fi"}


def to_openalex(query: str) -> Translation:
    """OpenAlex `search` (boolean, title/abstract/full text) plus `filter` for dates, open access, language."""
    notes: list[str] = []
    filters: list[str] = []
    searched: list[Node] = []
    for node in _conjuncts(_parse(query, "openalex")):
        languages = _languages(node)
        if isinstance(node, DateRange):
            filters += [f"from_publication_date:{_iso(node.start)}", f"to_publication_date:{_iso(node.end)}"]
        elif _is_free_full_text(node):
            filters.append("open_access.is_oa:true")
            notes.append("free full text[sb] sent as open_access.is_oa:true")
        elif languages is not None:
            codes = [_LANG_639_1.get(code, code) for code in languages]
            filters.append("language:" + "|".join(codes))
        else:
            searched.append(node)

    def leaf(node: Term | DateRange) -> str:
        if isinstance(node, DateRange) or node.tag in ("sb", "la"):
            raise TranslationError("openalex: dates, [sb] and [la] can only be ANDed with the whole query "
                                   "(OpenAlex takes them as filters); move them to the top level")
        if node.tag in ("au", "pt", "ta", "pmid"):
            raise TranslationError(f"openalex: [{node.tag}] term {node.text!r} cannot be sent as an OpenAlex "
                                   "search; write the query in `native_query`")
        if node.tag in ("mh", "mh_noexp", "majr", "majr_noexp") and not any("MeSH" in n for n in notes):
            notes.append("MeSH descriptors searched as phrases (OpenAlex has MeSH only for PubMed-indexed works)")
        text = node.text.strip()
        if text.endswith("*"):
            text = text.rstrip("*")
            if "truncation '*' dropped: OpenAlex stems words instead" not in notes:
                notes.append("truncation '*' dropped: OpenAlex stems words instead")
        return _phrase(Term(text, node.tag, node.quoted))

    params: dict[str, str] = {}
    if searched:
        params["search"] = _and_all([_render(node, leaf) for node in searched], searched)
    if filters:
        params["filter"] = ",".join(filters)
    if searched:
        notes.append("OpenAlex search covers title, abstract and full text")
    return Translation("openalex", params.get("search", ""), params, notes)


# -- ClinicalTrials.gov ------------------------------------------------------------------------------------


def to_ctgov(query: str = "", *, condition: str = "", intervention: str = "") -> Translation:
    """ClinicalTrials.gov v2 Essie expressions: the query as query.term, plus query.cond / query.intr as written.

    Publication filters ([dp], [sb], [la]) say nothing about a registry entry, so top-level ones are left out
    (with a note); field tags are dropped because query.term searches every study field.
    """
    notes: list[str] = []
    params: dict[str, str] = {}
    if condition.strip():
        params["query.cond"] = condition.strip()
    if intervention.strip():
        params["query.intr"] = intervention.strip()

    def leaf(node: Term | DateRange) -> str:
        if isinstance(node, DateRange) or node.tag in ("sb", "la", "pt"):
            raise TranslationError("ctgov: publication filters ([dp], [sb], [la], [pt]) nested inside the query "
                                   "have no registry meaning; AND them with the whole query or drop them")
        if node.tag in ("au", "ta", "pmid"):
            raise TranslationError(f"ctgov: [{node.tag}] term {node.text!r} cannot be searched in a trial "
                                   "registry; write `condition`/`intervention` or `native_query` instead")
        text = node.text.strip().rstrip("*")
        if node.text.strip().endswith("*") and "truncation '*' dropped" not in notes:
            notes.append("truncation '*' dropped")
        return _phrase(Term(text, node.tag, node.quoted))

    if query.strip():
        kept: list[Node] = []
        for node in _conjuncts(_parse(query, "ctgov")):
            if isinstance(node, DateRange) or _is_free_full_text(node) or _languages(node) is not None:
                notes.append(f"publication filter left out for the registry: {_describe(node)}")
            else:
                kept.append(node)
        if kept:
            params["query.term"] = _and_all([_render(node, leaf) for node in kept], kept)
            notes.append("field tags dropped: query.term searches every study field (titles, conditions, "
                         "interventions, keywords, summaries)")
    if not params:
        raise TranslationError("ctgov: nothing to search; give the source a query, blocks, condition or "
                               "intervention")
    sent = " & ".join(f"{k}={v}" for k, v in params.items())
    return Translation("ctgov", sent, params, notes)


def _and_all(texts: list[str], nodes: list[Node]) -> str:
    """Conjuncts joined by AND, each compound one in parentheses."""
    if len(texts) == 1:
        return texts[0]
    return " AND ".join(f"({t})" if isinstance(n, BoolOp) else t for t, n in zip(texts, nodes, strict=True))


def _describe(node: Node) -> str:
    if isinstance(node, DateRange):
        return f"{node.start}:{node.end}[dp]"
    if isinstance(node, Term):
        return f"{node.text}[{node.tag}]"
    return "language filter"
