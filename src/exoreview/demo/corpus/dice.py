"""The one source of randomness for a corpus: a seeded stream with cheap helpers.

`random.Random.choice` and `randint` cost several times more than one call to
`random()`; at 10^6 records with ~100 draws each that difference is most of the
load-test budget, so every helper here is built on `random()` alone.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Dice:
    __slots__ = ("random",)

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def chance(self, p: float) -> bool:
        return self.random() < p

    def between(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi], both ends included."""
        return lo + int(self.random() * (hi - lo + 1))

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        """k distinct items in their original order (k is small; rejection is cheap)."""
        if k >= len(seq):
            return list(seq)
        chosen: set[int] = set()
        while len(chosen) < k:
            chosen.add(int(self.random() * len(seq)))
        return [seq[i] for i in sorted(chosen)]


class Weighted(Generic[T]):
    """Weighted choice by bisecting a precomputed cumulative table."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, dice: Dice) -> T:
        return self.items[bisect.bisect_right(self.cumulative, dice.random() * self.total)]
