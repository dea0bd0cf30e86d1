"""When to stop screening: a statistical criterion with a stated confidence, and a heuristic.

The statistical criterion is the hypergeometric test of Callaghan & Müller-Hansen
(2020, Systematic Reviews 9:273). Read the last k screened records as a sample
drawn without replacement from the records that were still unscreened when the
sample began. If recall were below the target, that pool would have held at
least K_tar = floor(r_seen / target) + 1 - r_before relevant records; the test
asks how likely it is to find as few relevant records in the sample as we did.
We take the smallest p over every k (as their reference code does) and reject
"recall < target" when p < 1 - confidence. A ranker puts relevant records first,
so the real sample is richer in relevant records than a random one: the test
errs on the safe side. `benchmarks/stopping_calibration.py` checks it.

The same test, inverted over the unknown total of relevant records, gives the
estimated recall and its interval shown to a reviewer at any point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import hypergeom


@dataclass(frozen=True, slots=True)
class RecallEstimate:
    """Recall of the records screened so far, as the hypergeometric test sees it.

    `estimate` is the recall at which the test's p-value crosses 0.5; `low` is
    the smallest recall the test does not reject at `confidence`. The interval
    is one-sided, [low, high] with high = 1.0: screening in ranked order says
    little against having found everything, so no upper bound is claimed.
    `stop` says the test rejects "recall < target" at `confidence`.
    """

    estimate: float
    low: float
    high: float
    stop: bool
    screened: int
    relevant_seen: int
    n_total: int
    target: float
    confidence: float
    p_value: float


def _windows(labels: np.ndarray, n_total: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each sample of the last k screened: k, relevant in it, pool size, relevant before it."""
    n_seen = len(labels)
    in_sample = np.cumsum(labels[::-1])  # relevant among the last k, k = 1..n_seen
    k = np.arange(1, n_seen + 1)
    pool = n_total - n_seen + k
    before = int(labels.sum()) - in_sample
    return k, in_sample, pool, before


def _stretch_ends(labels: np.ndarray) -> np.ndarray:
    """Indices (k - 1) of the longest sample in each stretch of samples with the same relevant count.

    Growing a sample by one irrelevant record draws once more from a pool one record larger with the
    same relevant records in it, so P(at most x relevant) can only fall; the minimum over a stretch
    is at its longest sample: the one whose next older record is relevant, and the whole sequence.
    """
    older_is_relevant = np.append(labels[::-1][1:], 1).astype(bool)
    return np.flatnonzero(older_is_relevant)


def _p_fewer(labels: np.ndarray, n_total: int, total_relevant: int) -> float:
    """min over samples of P(at most the observed relevant | `total_relevant` relevant overall)."""
    if len(labels) == 0:
        return 1.0
    k, in_sample, pool, before = _windows(labels, n_total)
    in_pool = total_relevant - before
    possible = (in_pool <= pool) & (in_pool >= 0)
    if not possible.all():
        return 0.0  # that many relevant records cannot fit in what is left
    ends = _stretch_ends(labels)  # one hypergeometric term per relevant record seen, not one per record
    return float(np.min(hypergeom.cdf(in_sample[ends], pool[ends], in_pool[ends], k[ends])))


def _largest_not_rejected(labels: np.ndarray, n_total: int, alpha: float) -> int:
    """The largest total of relevant records with _p_fewer >= alpha (p falls as the total grows)."""
    lo = int(labels.sum())  # always consistent: everything relevant was seen
    hi = lo + (n_total - len(labels))
    if _p_fewer(labels, n_total, hi) >= alpha:
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _p_fewer(labels, n_total, mid) >= alpha:
            lo = mid
        else:
            hi = mid
    return lo


def _recall(seen: int, total: int) -> float:
    return 1.0 if total <= 0 else seen / total


def stop_p_value(labels_in_screening_order: Sequence[bool], n_total: int, target: float = 0.95) -> float:
    """p-value of "recall < target" given the labels so far (small p: safe to stop)."""
    labels = np.asarray(labels_in_screening_order, dtype=np.int64)
    r_seen = int(labels.sum())
    return _p_fewer(labels, n_total, math.floor(r_seen / target) + 1)


def estimate_recall(labels_in_screening_order: Sequence[bool], n_total: int, confidence: float = 0.95,
                    target: float = 0.95) -> RecallEstimate:
    """Estimated recall with a one-sided `confidence` interval, and whether to stop at `target` recall.

    `labels_in_screening_order` are the decisions so far (True = relevant), in
    the order they were screened; `n_total` counts every record to screen.
    """
    if not 0 < confidence < 1 or not 0 < target <= 1:
        raise ValueError(f"confidence and target must lie in (0, 1): got {confidence}, {target}")
    labels = np.asarray(labels_in_screening_order, dtype=np.int64)
    if len(labels) > n_total:
        raise ValueError(f"{len(labels)} records screened but only {n_total} in total")
    r_seen = int(labels.sum())
    alpha = 1 - confidence
    p = stop_p_value(labels, n_total, target) if len(labels) < n_total else 0.0
    if len(labels) == n_total:
        estimate = low = 1.0
    else:
        estimate = _recall(r_seen, _largest_not_rejected(labels, n_total, 0.5))
        low = _recall(r_seen, _largest_not_rejected(labels, n_total, alpha))
    return RecallEstimate(estimate=estimate, low=low, high=1.0, stop=p < alpha,
                          screened=len(labels), relevant_seen=r_seen, n_total=n_total, target=target,
                          confidence=confidence, p_value=p)


def consecutive_irrelevant(labels_in_screening_order: Sequence[bool]) -> int:
    """How many irrelevant records in a row end the sequence."""
    run = 0
    for label in reversed(labels_in_screening_order):
        if label:
            break
        run += 1
    return run


def heuristic_stop(labels_in_screening_order: Sequence[bool], n_total: int, run: int | None = None,
                   min_fraction: float = 0.1) -> bool:
    """The data-driven heuristic: stop after `run` irrelevant records in a row.

    As in the SAFE procedure (Boetje & van de Schoot 2024), it applies only
    after a minimum share of the records was screened (`min_fraction`); `run`
    defaults to max(50, 5% of the records). It comes with no guarantee on
    recall: prefer `estimate_recall(...).stop` where one is needed.
    """
    if run is None:
        run = max(50, math.ceil(0.05 * n_total))
    screened = len(labels_in_screening_order)
    if screened >= n_total:
        return True
    return screened >= min_fraction * n_total and consecutive_irrelevant(labels_in_screening_order) >= run
