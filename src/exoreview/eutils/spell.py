"""ESpell: suggest the nearest known word for each unknown word of a query.

Candidates come from a symmetric-delete index (every vocabulary word under
each single-character deletion) probed with the query word, its one-edit
variants and their deletions. That reaches every word within two edits
without comparing against the whole vocabulary; the few candidates found are
then ranked by exact edit distance, then by how common the word is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from exoreview.eutils.query import OPERATORS
from exoreview.eutils.textnorm import fold

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
# Field tags are kept as they are; words are runs of letters and digits.
_PIECE_RE = re.compile(r"\[[^\]]*\]|[^\W_]+")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    edits |= {a + c + b for a, b in splits for c in _ALPHABET}
    return edits


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance counting an adjacent transposition as one edit."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class Speller:
    def __init__(self, frequencies: Mapping[str, int]) -> None:
        self.frequencies = dict(frequencies)
        self._by_delete: dict[str, list[str]] = {}
        for word in self.frequencies:
            if word.isdigit():
                continue
            self._by_delete.setdefault(word, []).append(word)
            for variant in _deletes(word):
                self._by_delete.setdefault(variant, []).append(word)

    def suggest(self, word: str) -> str:
        """The best known word within reach, or the word itself."""
        word = fold(word)
        if word in self.frequencies or len(word) < 3 or any(ch.isdigit() for ch in word):
            return word
        # Short words have so many neighbours at distance 2 that suggestions become noise.
        limit = 1 if len(word) <= 4 else 2
        probes = {word} | _edits1(word) if limit == 2 else {word}
        keys: set[str] = set()
        for probe in probes:
            keys.add(probe)
            keys |= _deletes(probe)
        candidates = {c for key in keys for c in self._by_delete.get(key, ())}
        best: tuple[int, int, str] | None = None
        for candidate in candidates:
            distance = edit_distance(word, candidate)
            if distance > limit:
                continue
            score = (distance, -self.frequencies[candidate], candidate)
            if best is None or score < best:
                best = score
        return best[2] if best else word

    def correct(self, query: str) -> str:
        """The query with each unknown word replaced; tags, operators and stems kept."""
        pieces: list[str] = []
        last = 0
        for match in _PIECE_RE.finditer(query):
            text = match.group()
            pieces.append(query[last : match.start()])
            last = match.end()
            truncated = query.startswith("*", match.end())
            if text.startswith("[") or text.upper() in OPERATORS or truncated:
                pieces.append(text)
                continue
            suggestion = self.suggest(text)
            pieces.append(text if suggestion == fold(text) else suggestion)
        pieces.append(query[last:])
        return "".join(pieces)
