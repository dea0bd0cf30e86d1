"""The stopping rules: the hypergeometric test's decisions and recall estimates, and the heuristic."""

from __future__ import annotations

import numpy as np
import pytest

from exoreview.screen.simulation import first_stop
from exoreview.screen.stopping import (
    consecutive_irrelevant,
    estimate_recall,
    heuristic_stop,
    stop_p_value,
)


def _ranked(n: int, relevant: int, within: int, seed: int = 0) -> np.ndarray:
    """n labels, the relevant ones spread at random over the first `within` positions."""
    rng = np.random.default_rng(seed)
    labels = np.zeros(n, dtype=bool)
    labels[rng.choice(within, relevant, replace=False)] = True
    return labels


def test_no_stop_while_relevant_records_keep_coming() -> None:
    labels = _ranked(1000, 50, 400)
    early = estimate_recall(labels[:300], 1000)
    assert not early.stop
    assert early.p_value > 0.5
    assert 0 < early.low <= early.estimate <= early.high == 1.0


def test_stops_after_a_long_run_of_irrelevant_records() -> None:
    labels = _ranked(1000, 50, 400)
    late = estimate_recall(labels[:800], 1000)
    assert late.stop and late.p_value < 0.05
    assert late.low >= 0.95 - 1e-9  # stopping at 0.95 means the interval excludes recall below it
    assert late.relevant_seen == 50 and late.screened == 800


def test_the_estimate_rises_as_irrelevant_records_pile_up() -> None:
    labels = _ranked(1000, 50, 400)
    lows = [estimate_recall(labels[:n], 1000).low for n in (450, 550, 650, 750)]
    assert lows == sorted(lows) and lows[0] < lows[-1]


def test_too_few_records_left_for_a_miss_means_stop() -> None:
    # 20 relevant seen, one record left: recall below 0.95 would need two more relevant records
    labels = [True] * 20 + [False] * 79
    assert stop_p_value(labels, 100) == 0.0
    assert estimate_recall(labels, 100).stop


def test_everything_screened_is_full_recall() -> None:
    result = estimate_recall([True, False, False], 3)
    assert (result.estimate, result.low, result.high, result.stop) == (1.0, 1.0, 1.0, True)


def test_a_higher_confidence_stops_later() -> None:
    labels = _ranked(1000, 50, 400)
    assert first_stop(labels, 1000, confidence=0.8) < first_stop(labels, 1000, confidence=0.99)


def test_first_stop_matches_checking_every_record() -> None:
    labels = _ranked(600, 40, 450, seed=3)
    every = next(n for n in range(1, 600) if not labels[n - 1] and stop_p_value(labels[:n], 600) < 0.05)
    assert first_stop(labels, 600) == every
    assert estimate_recall(labels[:every], 600).stop and not estimate_recall(labels[:every - 1], 600).stop


@pytest.mark.parametrize("screened, total", [(5, 3)])
def test_more_screened_than_exist_is_an_error(screened: int, total: int) -> None:
    with pytest.raises(ValueError, match="only 3 in total"):
        estimate_recall([False] * screened, total)


def test_heuristic_counts_the_trailing_run() -> None:
    assert consecutive_irrelevant([True, False, True, False, False]) == 2
    labels = [True] * 10 + [False] * 49
    assert not heuristic_stop(labels, 200, run=50)
    assert heuristic_stop([*labels, False], 200, run=50)
    assert not heuristic_stop([False] * 50, 1000, run=50)  # under 10% screened: too early to trust a run


def _p_over_every_sample(labels: np.ndarray, n_total: int, target: float) -> float:
    """The test as Callaghan & Müller-Hansen state it: one hypergeometric term for every sample size."""
    from scipy.stats import hypergeom

    seen = int(labels.sum())
    total_relevant = int(np.floor(seen / target)) + 1
    p = 1.0
    for k in range(1, len(labels) + 1):
        in_sample = int(labels[len(labels) - k:].sum())
        pool = n_total - len(labels) + k
        in_pool = total_relevant - (seen - in_sample)
        if in_pool > pool or in_pool < 0:
            return 0.0
        p = min(p, float(hypergeom.cdf(in_sample, pool, in_pool, k)))
    return p


@pytest.mark.parametrize("seed", range(6))
def test_one_term_per_stretch_gives_the_p_value_of_every_sample(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_total = int(rng.integers(60, 400))
    labels = _ranked(n_total, int(rng.integers(1, 30)), n_total, seed=seed)
    for screened in sorted(set(rng.integers(1, n_total, 12).tolist()) | {n_total - 1}):
        head = labels[:screened]
        assert stop_p_value(head, n_total) == pytest.approx(_p_over_every_sample(head, n_total, 0.95), rel=1e-12)
