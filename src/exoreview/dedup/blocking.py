"""Candidate pairs without comparing all pairs: records meet only when they share a blocking key.

Three keys, so a copy missed by one is caught by another:

- the first three title words (survives truncation and added subtitles);
- the two rarest of the first eight title words (survives changes at either end);
- the first author's surname with the rarest title word (survives a reworded title start).

A block larger than `WINDOW_ABOVE` records is not compared all against all:
its records are sorted by title and each is compared with the next `WINDOW`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from exoreview.dedup.compare import Fingerprint

WINDOW_ABOVE = 40
WINDOW = 12
_MIN_WORD = 3


def blocking_keys(fp: Fingerprint, rank: dict[str, int]) -> list[str]:
    """Keys of one record; `rank` orders words from rarest (0) to commonest, ties alphabetically, and
    leaves out words found in one record only: they cannot bring two records together, and a word
    only one copy has ('nonantigen' for 'non-antigen') would otherwise crowd out the shared ones."""
    tokens = fp.tokens
    if not tokens:
        return []
    keys = ["p:" + " ".join(tokens[:3])]
    words = sorted({t for t in tokens[:8] if len(t) >= _MIN_WORD and t in rank}, key=rank.__getitem__)
    if len(words) >= 2:
        keys.append("r:" + " ".join(sorted(words[:2])))
    if fp.surname:
        long_words = [t for t in tokens if len(t) >= _MIN_WORD and t in rank]
        keys.append(f"a:{fp.surname}:{min(long_words, key=rank.__getitem__) if long_words else ''}")
    return keys


def candidate_pairs(prints: Sequence[Fingerprint]) -> Iterator[tuple[int, int]]:
    """Pairs (i, j), i < j, of positions in `prints` that share a key; each pair once."""
    frequency: Counter[str] = Counter()
    for fp in prints:
        frequency.update(set(fp.tokens))
    rank = {word: n for n, (_, word) in enumerate(sorted((c, w) for w, c in frequency.items() if c > 1))}
    blocks: dict[str, list[int]] = {}
    for position, fp in enumerate(prints):
        for key in blocking_keys(fp, rank):
            blocks.setdefault(key, []).append(position)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= WINDOW_ABOVE:
            pairs = ((members[i], members[j]) for i in range(len(members)) for j in range(i + 1, len(members)))
        else:
            ordered = sorted(members, key=lambda p: prints[p].title)
            pairs = ((ordered[i], ordered[j]) for i in range(len(ordered))
                     for j in range(i + 1, min(i + 1 + WINDOW, len(ordered))))
        for a, b in pairs:
            pair = (a, b) if a < b else (b, a)
            if pair not in seen:
                seen.add(pair)
                yield pair
