"""`exoreview simulate` through the command line, on a real SYNERGY folder and on a CSV made from it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from exoreview.cli.app import main
from exoreview.screen.simulation import AUTO, batch_size, load_dataset, records_to_recall, screening_metrics

KEYS = {"dataset", "n_records", "n_included", "seed", "wss95", "wss100", "recall_at_10pct", "records_to_95",
        "stop_at", "recall_at_stop", "seconds", "seconds_per_retrain_median"}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict | None, str]:
    code = main(["simulate", *args])
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    return code, (json.loads(lines[-1]) if code == 0 else None), captured.err


@pytest.mark.slow
def test_simulate_a_synergy_folder(shared, capsys: pytest.CaptureFixture[str]) -> None:
    folder = shared("data", "synergy", "Donners_2021")
    code, row, _ = _run(capsys, str(folder), "--seed", "3", "--prior-idx", "0", "1", "--batch", "25", "--json")
    assert code == 0
    assert set(row) >= KEYS
    assert (row["dataset"], row["n_records"], row["n_included"], row["seed"]) == ("Donners_2021", 258, 15, 3)
    assert row["priors"] == [0, 1]
    assert 0.2 < row["wss95"] < 0.95 and row["wss100"] <= 1.0
    assert 0 < row["records_to_95"] <= 256
    assert row["stop_at"] <= 258 and 0 < row["recall_at_stop"] <= 1


@pytest.mark.slow
def test_simulate_a_csv_with_drawn_priors(shared, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = load_dataset(shared("data", "synergy", "Sep_2021"))
    path = tmp_path / "sep.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "abstract", "label_included"])
        writer.writerows([i.title, i.abstract, int(label)] for i, label in zip(dataset.items, dataset.labels,
                                                                                strict=True))
    code, row, _ = _run(capsys, str(path), "--seed", "5", "--batch", "30", "--json")
    assert code == 0
    assert (row["dataset"], row["n_records"], row["n_included"]) == ("sep", 271, 40)
    relevant, irrelevant = row["priors"]
    assert dataset.labels[relevant] and not dataset.labels[irrelevant]
    # the same seed draws the same priors and reads in the same order
    _, again, _ = _run(capsys, str(path), "--seed", "5", "--batch", "30", "--json")
    assert (again["priors"], again["wss95"]) == (row["priors"], row["wss95"])


def test_bad_csv_rows_and_priors_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("title,abstract,label_included\nA,x,1\nB,y,maybe\n", encoding="utf-8")
    code, _, err = _run(capsys, str(path), "--json")
    assert code == 2 and "row 1" in err and "maybe" in err
    path.write_text("title,abstract,label_included\nA,x,1\nB,y,0\n", encoding="utf-8")
    code, _, err = _run(capsys, str(path), "--prior-idx", "0", "7", "--json")
    assert code == 2 and "7" in err
    code, _, err = _run(capsys, str(tmp_path / "missing.csv"), "--json")
    assert code == 2


def test_metrics_count_the_records_after_the_priors() -> None:
    # priors (2) then 10 records, 4 relevant among them, found at reads 1, 2, 5, 9
    labels = [True, False, True, True, False, False, True, False, False, False, True, False]
    metrics = screening_metrics(labels, 2)
    assert records_to_recall(labels[2:], 0.95) == 9  # 95% of 4 rounds up to all 4
    assert metrics.records_to_95 == 9
    assert metrics.wss95 == pytest.approx((10 - 9) / 10 - 0.05)
    assert metrics.wss100 == pytest.approx(0.1)
    assert metrics.recall_at_10pct == pytest.approx(0.25)  # the first of 10 records holds 1 of 4


def test_the_auto_schedule_retrains_every_record_early_and_in_small_batches_late() -> None:
    assert [batch_size(AUTO, read) for read in (2, 49, 100, 500)] == [1, 1, 2, 10]
    assert batch_size(3, 500) == 3
