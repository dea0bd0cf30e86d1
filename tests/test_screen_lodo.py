"""Leave-one-dataset-out choice of screening settings (benchmarks/lodo.py, `screening_vs_asreview.py --lodo`).

The protocol must never let the left-out dataset reach the choice; checked on tables where the
honest and the dishonest choice differ, and on real SYNERGY datasets from ../shared.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

from tests.bench_helpers import bench_module

lodo = bench_module("lodo")


def _runs(table: dict[str, dict[str, list[float]]]) -> list:
    return [lodo.Run(candidate, dataset, seed, wss, 0.5, 1.0)
            for candidate, cells in table.items() for dataset, values in cells.items()
            for seed, wss in enumerate(values, start=1)]


def test_the_left_out_dataset_never_decides_its_own_setting() -> None:
    # "tuned" is best on c alone (by far); "steady" is best on a and b. Honest folds for c choose "steady".
    runs = _runs({"steady": {"a": [0.8, 0.8], "b": [0.7, 0.7], "c": [0.3, 0.3]},
                  "tuned": {"a": [0.6, 0.6], "b": [0.6, 0.6], "c": [0.9, 0.9]}})
    folds = {fold.left_out: fold for fold in lodo.leave_one_dataset_out(runs)}
    assert folds["c"].chosen == "steady" and folds["c"].wss95 == pytest.approx(0.3)
    # leaving out a: steady 0.5 mean on b, c vs tuned 0.75: tuned is chosen and scored on a
    assert folds["a"].chosen == "tuned" and folds["a"].wss95 == pytest.approx(0.6)
    assert folds["b"].chosen == "tuned"
    assert folds["c"].chosen_on == pytest.approx({"steady": 0.75, "tuned": 0.6})
    assert [r.seed for r in folds["c"].runs] == [1, 2]


def test_a_tie_goes_to_the_candidate_named_first_and_one_dataset_is_refused() -> None:
    runs = _runs({"first": {"a": [0.5], "b": [0.5]}, "second": {"a": [0.5], "b": [0.5]}})
    assert {fold.chosen for fold in lodo.leave_one_dataset_out(runs)} == {"first"}
    with pytest.raises(ValueError, match="at least two datasets"):
        lodo.leave_one_dataset_out(_runs({"only": {"a": [0.5]}}))


@pytest.mark.shared
def test_folds_on_two_real_datasets_score_the_learner_exoreview_simulate_uses(shared) -> None:
    folders = [shared("data", "synergy", "Donners_2021"), shared("data", "synergy", "Sep_2021")]
    candidates = {"default": {}, "words_only": {"features": {"chars": 0.0, "terms": 0.0}}}
    with ProcessPoolExecutor(max_workers=2) as pool:
        runs = lodo.run_all(folders, candidates, seeds=[1], pool=pool, say=lambda _line: None)
    assert {(r.candidate, r.dataset) for r in runs} == {(c, f.name) for c in candidates for f in folders}
    assert all(0.0 < r.wss95 < 1.0 and 0.0 <= r.recall_at_10pct <= 1.0 for r in runs)
    folds = lodo.leave_one_dataset_out(runs)
    table = lodo.mean_table(runs)
    for fold in folds:
        other = next(f.name for f in folders if f.name != fold.left_out)
        assert fold.chosen == max(candidates, key=lambda c: (table[c][other], c == "default"))
        assert fold.wss95 == pytest.approx(table[fold.chosen][fold.left_out])
