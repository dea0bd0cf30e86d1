"""Postings storage for the search index: numpy arrays of document ids.

Every result set is a sorted, duplicate-free int32 array of document ids, so
boolean operators are merges over sorted arrays in C.

Word fields are stored as one flat int32 array of token ids per field plus one
offset per document (``TokenField``). Indexing a record is then a C-level
extend; the inverted index is derived from the flat array in one sort when a
query first needs it, and phrases are verified against the flat array without
keeping positions in the postings.

(``np.unique`` is avoided on purpose: in numpy 2.x it hashes and is ~100x slower
than sorting for the integer arrays used here.)
"""

from __future__ import annotations

import bisect
from array import array

import numpy as np
import numpy.typing as npt

Docs = npt.NDArray[np.int32]
EMPTY: Docs = np.empty(0, dtype=np.int32)
GAP = -1  # token id separating instances of a repeated field; matches no word


def sorted_unique(values: npt.NDArray[np.int32]) -> Docs:
    if len(values) < 2:
        return values.astype(np.int32, copy=False)
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep].astype(np.int32, copy=False)


def union(*parts: Docs) -> Docs:
    parts = tuple(p for p in parts if len(p))
    if not parts:
        return EMPTY
    return parts[0] if len(parts) == 1 else sorted_unique(np.concatenate(parts))


def intersect(a: Docs, b: Docs) -> Docs:
    return np.intersect1d(a, b, assume_unique=True).astype(np.int32, copy=False)


def difference(a: Docs, b: Docs) -> Docs:
    return a[~np.isin(a, b, assume_unique=True)] if len(b) else a


class TokenField:
    """One word field (title, abstract, ...): token ids per document, and postings."""

    def __init__(self) -> None:
        self._flat = array("i")
        self._offsets = array("q", [0])
        self._csr: tuple[Docs, npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int64]] | None
        self._csr = None

    def append(self, token_ids: list[int]) -> None:
        """The next document's token ids (GAP between instances)."""
        self._flat.extend(token_ids)
        self._offsets.append(len(self._flat))
        self._csr = None

    def _postings(self) -> tuple[Docs, npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """(docs, bounds per token id, flat tokens, offsets), built on first use after a change."""
        if self._csr is None:
            # Copies, not views: a live view would stop the arrays from growing on append().
            flat = np.array(self._flat, dtype=np.int32)
            offsets = np.array(self._offsets, dtype=np.int64)
            owner = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))
            words = flat >= 0
            # One sort of (token id, doc) pairs groups each token's documents in order.
            keys = sorted_unique_int64((flat[words].astype(np.int64) << 32) | owner[words])
            token_of = (keys >> 32).astype(np.int32)
            docs = (keys & 0xFFFFFFFF).astype(np.int32)
            top = int(token_of[-1]) + 2 if len(token_of) else 1
            bounds = np.searchsorted(token_of, np.arange(top)).astype(np.int64)
            self._csr = (docs, bounds, flat, offsets)
        return self._csr

    def docs(self, token_id: int) -> Docs:
        docs, bounds, _, _ = self._postings()
        if token_id < 0 or token_id + 1 >= len(bounds):
            return EMPTY
        return docs[bounds[token_id] : bounds[token_id + 1]]

    def docs_any(self, token_ids: list[int]) -> Docs:
        return union(*(self.docs(t) for t in token_ids))

    def frequencies(self) -> npt.NDArray[np.int64]:
        """Document frequency per token id (index = token id)."""
        return np.diff(self._postings()[1])

    def phrase(self, candidates: Docs, words: list[list[int]]) -> Docs:
        """Candidates where the words occur consecutively; each word is a set of allowed ids.

        All candidate documents' tokens are compared at once: position p starts a
        match when token p+k is allowed for word k, staying inside the document.
        """
        if not len(candidates):
            return EMPTY
        _, _, flat, offsets = self._postings()
        starts = offsets[candidates]
        lengths = offsets[candidates + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return EMPTY
        base = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        positions = np.arange(total, dtype=np.int64) + base
        ends = np.repeat(starts + lengths, lengths)
        ok = np.ones(total, dtype=bool)
        for k, allowed in enumerate(words):
            at = positions + k
            ok &= at < ends
            tokens = flat[np.minimum(at, len(flat) - 1)]
            ok &= tokens == allowed[0] if len(allowed) == 1 else np.isin(tokens, allowed)
        return sorted_unique(np.repeat(candidates, lengths)[ok])


def sorted_unique_int64(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    if len(values) < 2:
        return values
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


class KeyPostings:
    """Exact-value field (MeSH UI, author key, journal...) -> documents, with prefix scans."""

    def __init__(self) -> None:
        self._lists: dict[str, list[int]] = {}
        self._arrays: dict[str, Docs] = {}
        self._keys: list[str] | None = None

    def add(self, key: str, doc: int) -> None:
        docs = self._lists.get(key)
        if docs is None:
            self._lists[key] = [doc]
            self._keys = None
        elif docs[-1] != doc:  # documents arrive in id order, so this keeps lists unique
            docs.append(doc)
        self._arrays.pop(key, None)

    def __contains__(self, key: str) -> bool:
        return key in self._lists

    def get(self, key: str) -> Docs:
        found = self._arrays.get(key)
        if found is None:
            found = np.array(self._lists.get(key, ()), dtype=np.int32)
            if key in self._lists:
                self._arrays[key] = found
        return found

    def with_prefix(self, prefix: str) -> list[str]:
        if self._keys is None:
            self._keys = sorted(self._lists)
        start = bisect.bisect_left(self._keys, prefix)
        end = bisect.bisect_left(self._keys, prefix + "\U0010ffff")
        return self._keys[start:end]

    def get_prefix(self, prefix: str) -> Docs:
        return union(*(self.get(key) for key in self.with_prefix(prefix)))
