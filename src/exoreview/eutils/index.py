"""An in-memory PubMed-like search index over Records.

Word fields keep token ids in flat arrays (see postings.py); exact-value fields
(MeSH, publication type, language, author, journal) keep key -> document
lists. Results are sorted numpy arrays of document ids until the final PMID
list is produced.

Replacing a record (same PMID added again) marks the old document id dead
instead of rewriting postings; dead ids are removed from every result.
Derived structures (inverted word postings, date order, rank, vocabulary) are
rebuilt lazily on the first query after add().
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Iterator
from typing import Protocol

import numpy as np
import numpy.typing as npt

from exoreview.eutils.postings import (
    EMPTY,
    GAP,
    Docs,
    KeyPostings,
    TokenField,
    difference,
    intersect,
    union,
)
from exoreview.eutils.query import BoolOp, DateRange, Node, Term, fold, parse
from exoreview.eutils.spell import Speller
from exoreview.eutils.textnorm import language_code, normalize, tokenize
from exoreview.eutils.translate import expand, to_string
from exoreview.mesh.tree import MeshTree
from exoreview.records import Record

# Word fields, and which of them each text tag searches. [tiab] includes author
# keywords and [tw] MeSH and publication types, as in PubMed.
TEXT_FIELDS = ("ti", "ab", "kw", "mesh", "pt", "chem", "au", "ta")
TEXT_GROUPS: dict[str, tuple[str, ...]] = {
    "ti": ("ti",),
    "ab": ("ab",),
    "tiab": ("ti", "ab", "kw"),
    "tw": ("ti", "ab", "kw", "mesh", "pt", "chem"),
    "all": TEXT_FIELDS,
}
SUBSETS = ("free full text", "hasabstract", "medline")
_YEAR_RE = re.compile(r"\b(\d{4})\b")


def date_key(record: Record) -> int:
    """YYYYMMDD as an int, missing parts as 01 (PubMed's comparison); 0 when unknown."""
    date = record.pub_date
    if date.year is not None:
        return date.year * 10000 + (date.month or 1) * 100 + (date.day or 1)
    match = _YEAR_RE.search(date.medline_date)
    return int(match.group(1)) * 10000 + 101 if match else 0


def text_fields(record: Record) -> dict[str, list[str]]:
    """The values of each word field of a record, by field name (TEXT_FIELDS)."""
    journal = record.journal
    return {
        "ti": [record.title],
        "ab": [s.text for s in record.abstract] + [s.text for s in record.other_abstracts],
        "kw": record.keywords,
        "mesh": [m.descriptor + " " + " ".join(q.name for q in m.qualifiers) for m in record.mesh],
        "pt": [p.name for p in record.publication_types],
        "chem": record.chemicals,
        "au": [f"{a.last_name} {a.fore_name} {a.initials} {a.collective_name}" for a in record.authors],
        "ta": [journal.title, journal.iso_abbreviation],
    }


def _author_keys(record: Record) -> Iterator[str]:
    """[au] keys of each author: "last initials", "last fore name" and the collective name."""
    for author in record.authors:
        for name in (f"{author.last_name} {author.initials}", f"{author.last_name} {author.fore_name}",
                     author.collective_name):  # fmt: skip
            if key := normalize(name):
                yield key


def _journal_keys(record: Record) -> Iterator[str]:
    """[ta] keys: the journal's title, abbreviation, ISSNs and NLM id."""
    journal = record.journal
    for value in (journal.title, journal.iso_abbreviation, journal.issn_print, journal.issn_electronic,
                  journal.issn_linking, journal.nlm_unique_id):  # fmt: skip
        if key := normalize(value):
            yield key


def exact_keys(record: Record) -> Iterator[tuple[str, str]]:
    """(kind, key) of every exact-value posting of a record: MeSH by name and UI (major apart), publication
    types, languages, author and journal keys, article identifiers and subsets. The one derivation both
    indexes use, in memory (RecordIndex) and on disk (DiskIndex)."""
    for heading in record.mesh:
        key = normalize(heading.descriptor)
        yield "mesh_name", key
        if heading.ui:
            yield "mesh_ui", heading.ui.upper()
        if heading.is_major:
            yield "major_name", key
            if heading.ui:
                yield "major_ui", heading.ui.upper()
    for ptype in record.publication_types:
        yield "ptype", normalize(ptype.name)
    for language in record.languages:
        yield "language", language_code(language)
    for key in _author_keys(record):
        yield "author", key
    for key in _journal_keys(record):
        yield "journal", key
    for identifier in (record.doi, record.pmcid, record.pii, *record.elocation_ids):
        if identifier.strip():
            yield "article_ids", identifier.strip().lower()
    members = (record.free_full_text, bool(record.abstract), record.status.upper() == "MEDLINE")
    for subset, member in zip(SUBSETS, members, strict=True):
        if member:
            yield "subsets", subset


class _Gathered:
    """Large OR'd results gathered as a mask over document ids: a run of N ORs costs N scatters, not N sorts."""

    __slots__ = ("mask",)

    def __init__(self, size: int, *parts: Docs) -> None:
        self.mask = np.zeros(size, dtype=bool)
        for part in parts:
            self.mask[part] = True

    def add(self, docs: Docs) -> _Gathered:
        self.mask[docs] = True
        return self

    def docs(self) -> Docs:
        return np.flatnonzero(self.mask).astype(np.int32)


class KeyLookup(Protocol):
    """Exact-value postings: a key's documents, and the documents of every key with a prefix."""

    def get(self, key: str) -> Docs: ...

    def get_prefix(self, prefix: str) -> Docs: ...


Partial = Docs | _Gathered  # a subquery's documents while a query is evaluated


def _docs(value: Partial) -> Docs:
    return value.docs() if isinstance(value, _Gathered) else value


def _settled(node: BoolOp, left: Partial) -> bool:
    """Nothing AND (or NOT) anything is nothing: the right side need not be searched. (Gathered is never empty.)"""
    return node.op != "OR" and not isinstance(left, _Gathered) and not len(left)


class _Vocabulary(dict[str, int]):
    """Token -> id, assigning the next id to unseen tokens during indexing."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[str] = []

    def __missing__(self, token: str) -> int:
        token_id = self[token] = len(self.tokens)
        self.tokens.append(token)
        return token_id


class QueryEngine:
    """PubMed query evaluation over an index's primitives; RecordIndex (memory) and DiskIndex (SQLite) give them.

    Both answer from the same code, so the on-disk index cannot drift from the in-memory one in
    what a query means: only where the postings come from differs.
    """

    mesh: MeshTree | None

    # -- what an index provides ---------------------------------------------------

    def _size(self) -> int:
        """Document ids run from 0 to this (dead ones included)."""
        raise NotImplementedError

    def _live_only(self, docs: Docs) -> Docs:
        raise NotImplementedError

    def _date_range(self, low: int, high: int) -> Docs:
        """Sorted documents whose date key (YYYYMMDD) lies in [low, high]."""
        raise NotImplementedError

    def _words(self, term: Term, fields: tuple[str, ...]) -> Docs:
        raise NotImplementedError

    def _keys(self, name: str) -> KeyLookup:
        """Exact-value postings by name: mesh_ui, mesh_name, major_ui, major_name, ptype, language, author,
        journal, subsets, article_ids."""
        raise NotImplementedError

    def _pmid_doc(self, pmid: str) -> int | None:
        raise NotImplementedError

    def _ordered_pmids(self, docs: Docs) -> list[str]:
        """PMIDs of docs, most recent first (publication date, then PMID, then document id, descending)."""
        raise NotImplementedError

    def _descriptor_name(self, text: str) -> str | None:
        raise NotImplementedError

    # -- public queries -------------------------------------------------------------

    def prepare(self, query: str | Node) -> Node:
        """Parse (if needed) and resolve untagged terms, as search and translate see it."""
        node = parse(query) if isinstance(query, str) else query
        return expand(node, self._descriptor_name)

    def search(self, query: str | Node) -> list[str]:
        """PMIDs matching query, most recent first (publication date, then PMID, descending)."""
        return self._ordered_pmids(self._evaluate(self.prepare(query)))

    def count(self, query: str | Node) -> int:
        return len(self._evaluate(self.prepare(query)))

    def translate(self, query: str | Node) -> str:
        """PubMed-style QueryTranslation, e.g. "exosomes"[MeSH Terms] AND "skin aging"[Title/Abstract]."""
        return to_string(self.prepare(query))

    # -- evaluation -------------------------------------------------------------

    def _evaluate(self, node: Node) -> Docs:
        return self._live_only(self._node(node))

    def _node(self, node: Node) -> Docs:
        # Without recursion (see query.fold): a query of thousands of OR'd terms is as deep as it is long.
        return _docs(fold(node, self._leaf, self._combine, keep_left=_settled))

    def _combine(self, node: BoolOp, left: Partial, right: Partial) -> Partial:
        if node.op == "AND":
            return intersect(_docs(left), _docs(right))
        if node.op == "NOT":
            return difference(_docs(left), _docs(right))
        if isinstance(left, _Gathered):
            return left.add(_docs(right))
        right = _docs(right)
        size = self._size()
        # Small results merge by sorting; past a sixteenth of the records a mask is cheaper, and stays so.
        return _Gathered(size, left, right) if (len(left) + len(right)) * 16 > size else union(left, right)

    def _leaf(self, node: Term | DateRange) -> Docs:
        if isinstance(node, DateRange):
            return self._date_range(int(node.start.replace("/", "")), int(node.end.replace("/", "")))
        return self._term(node)

    def _term(self, term: Term) -> Docs:
        tag = term.tag or "all"
        if tag in TEXT_GROUPS:
            return self._words(term, TEXT_GROUPS[tag])
        if tag in ("mh", "mh_noexp", "majr", "majr_noexp"):
            return self._mesh_term(term, major=tag.startswith("majr"), explode=not tag.endswith("noexp"))
        if tag == "au":
            return self._author_term(term)
        if tag == "pmid":
            doc = self._pmid_doc(term.text.strip())
            return np.array([doc], dtype=np.int32) if doc is not None else EMPTY
        if tag == "aid":
            return self._keys("article_ids").get(term.text.strip().lower())
        if tag == "sb":
            key = normalize(term.text).replace("loattrfree", "free").replace("has abstract", "hasabstract")
            return self._keys("subsets").get(key)
        postings = self._keys({"pt": "ptype", "la": "language", "ta": "journal"}[tag])
        key = language_code(term.text) if tag == "la" else normalize(term.text)
        return postings.get_prefix(key) if term.truncated else postings.get(key)

    def _mesh_term(self, term: Term, *, major: bool, explode: bool) -> Docs:
        kind = "major" if major else "mesh"
        by_ui, by_name = self._keys(f"{kind}_ui"), self._keys(f"{kind}_name")
        if term.truncated:
            return by_name.get_prefix(normalize(term.text))
        names = {normalize(term.text)}
        uis = {term.text.strip().upper()}
        descriptor = self.mesh.lookup(term.text) if self.mesh is not None else None
        if descriptor is not None and self.mesh is not None:
            uis = self.mesh.descendants(descriptor.ui) if explode else {descriptor.ui}
            # Records parsed without UIs still match by the descriptor names.
            names = {normalize(d.name) for ui in uis if (d := self.mesh.lookup(ui))}
        return union(*(by_ui.get(ui) for ui in uis), *(by_name.get(n) for n in names))

    def _author_term(self, term: Term) -> Docs:
        """Author "smith j" finds Smith J, Smith JA, ...; "smith" every Smith; quotes make it exact."""
        key = normalize(term.text)
        if term.quoted and not term.truncated:
            return self._keys("author").get(key)
        # A bare last name must not reach into longer names ("smith" vs "smithson").
        prefix = key if term.truncated or " " in key else key + " "
        authors = self._keys("author")
        return union(authors.get_prefix(prefix), authors.get(key))


class RecordIndex(QueryEngine):
    """Inverted indexes over Records answering PubMed queries."""

    def __init__(self, records: Iterable[Record] = (), mesh: MeshTree | None = None) -> None:
        self.mesh = mesh
        self._records: list[Record] = []
        self._live: dict[str, int] = {}  # PMID -> current document id
        self._dead: set[int] = set()
        self._vocabulary = _Vocabulary()
        self._text: dict[str, TokenField] = {name: TokenField() for name in TEXT_FIELDS}
        self._value_ids: dict[str, dict[str, list[int]]] = {name: {} for name in ("mesh", "pt", "chem", "ta")}
        self._mesh_ui, self._mesh_name = KeyPostings(), KeyPostings()
        self._major_ui, self._major_name = KeyPostings(), KeyPostings()
        self._mesh_display: dict[str, str] = {}  # normalized name -> name as indexed
        self._ptype, self._language = KeyPostings(), KeyPostings()
        self._author, self._journal = KeyPostings(), KeyPostings()
        self._subsets = KeyPostings()
        self._article_ids = KeyPostings()  # [aid]: DOI, PMC ID, publisher item identifier
        self._key_postings: dict[str, KeyPostings] = {
            "mesh_ui": self._mesh_ui, "mesh_name": self._mesh_name, "major_ui": self._major_ui,
            "major_name": self._major_name, "ptype": self._ptype, "language": self._language,
            "author": self._author, "journal": self._journal, "subsets": self._subsets,
            "article_ids": self._article_ids,
        }
        self._dates = array("i")
        self._pmid_numbers = array("q")
        self._cache: dict[str, object] = {}
        self.add(records)
        self.warm()

    # -- building -------------------------------------------------------------

    def add(self, records: Iterable[Record]) -> None:
        """Index more records; a record whose PMID is already indexed replaces it.

        Records without a PMID are skipped: this index answers PMID queries only.
        A record of kind "deleted" removes its PMID, as a baseline update would.
        """
        for record in records:
            if not record.pmid:
                continue
            old = self._live.pop(record.pmid, None)
            if old is not None:
                self._dead.add(old)
            if record.kind != "deleted":
                self._index(record)
        self._cache.clear()

    def _word_ids(self, values: list[str], cache: dict[str, list[int]] | None = None) -> list[int]:
        """Token ids of a field's values, GAP between values so phrases cannot span them.

        ``cache`` is for fields whose values repeat across records (MeSH names,
        journals, publication types): each distinct value is tokenized once.
        """
        ids = self._vocabulary.__getitem__
        if len(values) == 1 and cache is None:  # the common case (a title)
            return list(map(ids, tokenize(values[0])))
        out: list[int] = []
        for value in values:
            words = cache.get(value) if cache is not None else None
            if words is None:
                words = list(map(ids, tokenize(value)))
                if cache is not None:
                    cache[value] = words
            if words:
                if out:
                    out.append(GAP)
                out.extend(words)
        return out

    def _index(self, record: Record) -> None:
        doc = len(self._records)
        self._records.append(record)
        self._live[record.pmid] = doc
        for name, values in text_fields(record).items():
            self._text[name].append(self._word_ids(values, self._value_ids.get(name)))
        self._dates.append(date_key(record))
        self._pmid_numbers.append(int(record.pmid) if record.pmid.isdigit() else 0)
        for heading in record.mesh:
            self._mesh_display.setdefault(normalize(heading.descriptor), heading.descriptor)
        postings = self._key_postings
        for kind, key in exact_keys(record):
            postings[kind].add(key, doc)

    def warm(self) -> None:
        """Build the derived structures now rather than on the next query.

        The constructor calls this; add() leaves it to the next query so that a
        series of small adds does not rebuild the postings each time.
        """
        for field in self._text.values():
            field.docs(0)
        self._rank()
        self._date_order()
        self._sorted_vocabulary()
        self._alive()

    # -- public queries ---------------------------------------------------------

    def __len__(self) -> int:
        return len(self._live)

    def __contains__(self, pmid: object) -> bool:
        return pmid in self._live

    def get(self, pmid: str) -> Record | None:
        doc = self._live.get(pmid)
        return self._records[doc] if doc is not None else None

    def spell(self, query: str) -> str:
        """ESpell: the query with unknown words replaced by the nearest common indexed word."""
        speller = self._cache.get("speller")
        if not isinstance(speller, Speller):
            totals = np.zeros(len(self._vocabulary.tokens), dtype=np.int64)
            for field in self._text.values():
                counts = field.frequencies()
                totals[: len(counts)] += counts
            tokens = self._vocabulary.tokens
            speller = Speller({tokens[i]: int(n) for i, n in enumerate(totals.tolist()) if n})
            self._cache["speller"] = speller
        return speller.correct(query)

    # -- the engine's primitives --------------------------------------------------

    def _size(self) -> int:
        return len(self._records)

    def _live_only(self, docs: Docs) -> Docs:
        return docs[self._alive()[docs]] if self._dead else docs

    def _date_range(self, low: int, high: int) -> Docs:
        dates, docs = self._date_order()
        return np.sort(docs[np.searchsorted(dates, low) : np.searchsorted(dates, high, side="right")])

    def _keys(self, name: str) -> KeyLookup:
        return self._key_postings[name]

    def _pmid_doc(self, pmid: str) -> int | None:
        return self._live.get(pmid)

    def _ordered_pmids(self, docs: Docs) -> list[str]:
        ordered = docs[np.argsort(self._rank()[docs], kind="stable")]
        records = self._records
        return [records[doc].pmid for doc in ordered.tolist()]

    def _words(self, term: Term, fields: tuple[str, ...]) -> Docs:
        words = tokenize(term.text)
        if not words:
            return EMPTY
        vocabulary = self._vocabulary
        allowed = [[vocabulary[w]] if w in vocabulary else [] for w in words]
        if term.truncated:
            keys, ids = self._sorted_vocabulary()
            start = bisect.bisect_left(keys, words[-1])
            end = bisect.bisect_left(keys, words[-1] + "\U0010ffff")
            allowed[-1] = ids[start:end]
        if any(not ids for ids in allowed):
            return EMPTY
        found: list[Docs] = []
        for name in fields:
            field = self._text[name]
            candidates = field.docs_any(allowed[-1])
            for ids in allowed[:-1]:
                if not len(candidates):
                    break
                candidates = intersect(candidates, field.docs(ids[0]))
            found.append(field.phrase(candidates, allowed) if len(words) > 1 else candidates)
        return union(*found)

    # -- lazily derived structures ------------------------------------------------

    def _rank(self) -> npt.NDArray[np.int64]:
        """Position of each document in "most recent" order (dead ones included, harmlessly)."""
        rank = self._cache.get("rank")
        if not isinstance(rank, np.ndarray):
            dates = np.array(self._dates, dtype=np.int64)
            order = np.lexsort((np.array(self._pmid_numbers, dtype=np.int64), dates))[::-1]
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            self._cache["rank"] = rank
        return rank

    def _date_order(self) -> tuple[npt.NDArray[np.int32], Docs]:
        cached = self._cache.get("dates")
        if not isinstance(cached, tuple):
            dates = np.array(self._dates, dtype=np.int32)
            order = np.argsort(dates, kind="stable").astype(np.int32)
            cached = self._cache["dates"] = (dates[order], order)
        return cached

    def _sorted_vocabulary(self) -> tuple[list[str], list[int]]:
        cached = self._cache.get("vocabulary")
        if not isinstance(cached, tuple):
            pairs = sorted(self._vocabulary.items())
            cached = self._cache["vocabulary"] = ([p[0] for p in pairs], [p[1] for p in pairs])
        return cached

    def _alive(self) -> npt.NDArray[np.bool_]:
        alive = self._cache.get("alive")
        if not isinstance(alive, np.ndarray):
            alive = np.ones(len(self._records), dtype=bool)
            alive[list(self._dead)] = False
            self._cache["alive"] = alive
        return alive

    def _descriptor_name(self, text: str) -> str | None:
        """The MeSH name text exactly spells (tree if given, else names seen in records)."""
        if self.mesh is not None:
            descriptor = self.mesh.lookup(text)
            return descriptor.name if descriptor and descriptor.name.casefold() == text.casefold() else None
        return self._mesh_display.get(normalize(text))
