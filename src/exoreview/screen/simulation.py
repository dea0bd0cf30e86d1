"""Simulated screening on a labelled dataset: how much reading would the ranker have saved?

Protocol (the one ASReview's `simulate` follows, so the figures compare):
start from the prior records (given by 0-based row, or one relevant and one
irrelevant drawn with the seed), retrain, read the top-ranked record, repeat.
`batch` > 1 reads that many records per retrain (faster, a little worse);
`batch=AUTO` (the benchmark's setting) retrains after every record for the
first 50 read, then after every max(1, read // 50): 2% of what has been read
(2 records at 100 read, 10 at 500), which keeps a 1,000-record replay to about
200 retrains.
Once every relevant record has been read the rest cannot change any figure
(all that is left is irrelevant), so retraining stops there and the remaining
records follow the last ranking. Metrics count the records after the priors.
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from exoreview.errors import BadInput
from exoreview.formats.openalex import is_synergy_folder, iter_synergy
from exoreview.screen.active import ActiveLearner
from exoreview.screen.features import Fields
from exoreview.screen.stopping import stop_p_value


class DatasetError(BadInput, ValueError):
    """A dataset file that cannot be simulated on; the message names the file and row."""


@dataclass(slots=True)
class Dataset:
    name: str
    items: list[Fields]
    labels: list[bool]

    def __len__(self) -> int:
        return len(self.items)


def load_dataset(path: Path) -> Dataset:
    """A SYNERGY folder (works_*.zip/json + labels.csv) or a CSV with title, abstract, label_included."""
    path = Path(path)
    if path.is_dir():
        if not is_synergy_folder(path):
            raise DatasetError(f"{path}: not a SYNERGY folder (needs labels.csv and works_*.zip or works_*.json)")
        items, labels = [], []
        for row in iter_synergy(path):
            r = row.record
            items.append(Fields(title=r.title, abstract=r.abstract_text, keywords=tuple(r.keywords),
                                mesh=tuple(m.descriptor for m in r.mesh)))
            labels.append(row.included)
        return Dataset(path.name, items, labels)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such dataset")
    return _load_csv(path)


_LABEL_COLUMNS = ("label_included", "included", "label")


def _load_csv(path: Path) -> Dataset:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = {c.strip().lower(): c for c in reader.fieldnames or []}
        label_column = next((columns[c] for c in _LABEL_COLUMNS if c in columns), None)
        if label_column is None or not ({"title", "abstract"} & set(columns)):
            raise DatasetError(f"{path}: a CSV needs title and/or abstract columns and a label_included column; "
                               f"found {', '.join(columns) or 'none'}")
        items, labels = [], []
        for row_number, row in enumerate(reader):
            raw = (row.get(label_column) or "").strip()
            if raw not in {"0", "1", "0.0", "1.0"}:
                raise DatasetError(f"{path}: row {row_number} (0-based, after the header): "
                                   f"label_included must be 0 or 1, got {raw!r}")
            keywords = row.get(columns.get("keywords", ""), "") or ""
            items.append(Fields(title=(row.get(columns.get("title", ""), "") or "").strip(),
                                abstract=(row.get(columns.get("abstract", ""), "") or "").strip(),
                                keywords=tuple(k.strip() for k in keywords.split(";") if k.strip())))
            labels.append(raw.startswith("1"))
    return Dataset(path.stem, items, labels)


def draw_priors(labels: Sequence[bool], seed: int) -> list[int]:
    """One relevant and one irrelevant row, drawn with `seed` (the relevant one first)."""
    relevant = [i for i, label in enumerate(labels) if label]
    irrelevant = [i for i, label in enumerate(labels) if not label]
    if not relevant or not irrelevant:
        raise DatasetError("the dataset needs at least one relevant and one irrelevant record to draw priors from")
    rng = np.random.default_rng(seed)
    return [int(rng.choice(relevant)), int(rng.choice(irrelevant))]


@dataclass(slots=True)
class Simulation:
    """A finished simulated screening."""

    order: list[int]  # row indices in the order read, priors first
    labels_in_order: list[bool]
    n_priors: int
    retrain_seconds: list[float] = field(default_factory=list)
    seconds: float = 0.0


AUTO = 0  # batch=AUTO: the growing schedule above


def batch_size(batch: int, read: int) -> int:
    """Records to read before the next retrain, `read` records in."""
    return max(1, read // 50) if batch == AUTO else batch


def simulate(dataset: Dataset, priors: Sequence[int], *, seed: int = 0, batch: int = 1,
             learner: ActiveLearner | None = None, features: sp.csr_matrix | None = None,
             progress: Callable[[int, int], None] | None = None) -> Simulation:
    """Screen `dataset` in model order from `priors` until every relevant record is read, then the rest.

    `features` reuses a matrix built earlier for the same records (the learner builds it otherwise).
    """
    n = len(dataset)
    bad = [i for i in priors if not 0 <= i < n]
    if bad:
        raise DatasetError(f"{dataset.name}: prior row(s) {bad} outside rows 0..{n - 1}")
    if len(set(priors)) != len(priors):
        raise DatasetError(f"{dataset.name}: prior rows repeat: {list(priors)}")
    if batch < 0:
        raise ValueError(f"batch must be at least 1 (or AUTO = 0), got {batch}")
    started = time.perf_counter()
    learner = learner or ActiveLearner(random_state=seed)
    learner.set_documents(dataset.items, features)
    labels = dataset.labels
    labelled = {int(i): labels[i] for i in priors}
    order = [int(i) for i in priors]
    left_relevant = sum(labels) - sum(labelled.values())
    timings: list[float] = []
    ranked: list[int] = [i for i in range(n) if i not in labelled]
    while len(order) < n and left_relevant > 0:
        tick = time.perf_counter()
        learner.fit(None, labelled)
        ranked = learner.rank()
        timings.append(time.perf_counter() - tick)
        step = batch_size(batch, len(order))
        for i in ranked[:step]:
            labelled[i] = labels[i]
            order.append(i)
            left_relevant -= labels[i]
        ranked = ranked[step:]
        if progress:
            progress(len(order), n)
    order.extend(i for i in ranked if i not in labelled)
    return Simulation(order=order, labels_in_order=[labels[i] for i in order], n_priors=len(priors),
                      retrain_seconds=timings, seconds=time.perf_counter() - started)


@dataclass(slots=True)
class Metrics:
    n_records: int
    n_included: int
    wss95: float
    wss100: float
    recall_at_10pct: float
    records_to_95: int
    stop_at: int
    recall_at_stop: float


def records_to_recall(labels_in_order: Sequence[bool], recall: float) -> int:
    """How many records must be read to find `recall` of the relevant ones (0 when there are none)."""
    total = sum(labels_in_order)
    needed = math.ceil(recall * total - 1e-9)
    if needed <= 0:
        return 0
    found = np.cumsum(np.asarray(labels_in_order, dtype=np.int64))
    return int(np.searchsorted(found, needed) + 1)


def first_stop(labels_in_order: Sequence[bool], n_total: int, target: float = 0.95,
               confidence: float = 0.95, stride: int = 16) -> int:
    """Records read when the hypergeometric rule first says stop (n_total if it never does).

    Within a run of irrelevant records the rule's p-value only falls (each window
    draws one more record from the same pool and finds nothing), so checking at
    every `stride`-th record and at the end of each run, then stepping back
    through the last stretch, finds the same first stop as checking every record.
    """
    alpha = 1 - confidence
    labels = np.asarray(labels_in_order, dtype=np.int64)
    last_checked = 0
    for read in range(1, len(labels)):
        if labels[read - 1]:
            last_checked = read
            continue
        run_ends = labels[read] or read == len(labels) - 1
        if not run_ends and read - last_checked < stride:
            continue
        if stop_p_value(labels[:read], n_total, target) < alpha:
            for earlier in range(last_checked + 1, read):
                if not labels[earlier - 1] and stop_p_value(labels[:earlier], n_total, target) < alpha:
                    return earlier
            return read
        last_checked = read
    return n_total


def screening_metrics(labels_in_order: Sequence[bool], n_priors: int, *, target: float = 0.95,
                      confidence: float = 0.95) -> Metrics:
    """WSS@95, WSS@100, recall at 10% and records to 95% over the records after the priors; the stop point."""
    after = list(labels_in_order[n_priors:])
    n_after = len(after)
    relevant_after = sum(after)
    to_95 = records_to_recall(after, 0.95)
    to_100 = records_to_recall(after, 1.0)
    tenth = round(0.1 * n_after)
    recall_10 = sum(after[:tenth]) / relevant_after if relevant_after else 1.0
    n_total = len(labels_in_order)
    stop_at = first_stop(labels_in_order, n_total, target, confidence)
    total_relevant = sum(labels_in_order)
    recall_at_stop = sum(labels_in_order[:stop_at]) / total_relevant if total_relevant else 1.0
    return Metrics(n_records=n_total, n_included=total_relevant,
                   wss95=(n_after - to_95) / n_after - 0.05 if n_after else 0.0,
                   wss100=(n_after - to_100) / n_after if n_after else 0.0,
                   recall_at_10pct=recall_10, records_to_95=to_95, stop_at=stop_at, recall_at_stop=recall_at_stop)


def result_row(dataset: Dataset, seed: int, run: Simulation) -> dict[str, object]:
    """The JSON line `exoreview simulate` prints."""
    metrics = asdict(screening_metrics(run.labels_in_order, run.n_priors))
    median = float(np.median(run.retrain_seconds)) if run.retrain_seconds else 0.0
    return {"dataset": dataset.name, "n_records": metrics["n_records"], "n_included": metrics["n_included"],
            "seed": seed, "wss95": round(metrics["wss95"], 4), "wss100": round(metrics["wss100"], 4),
            "recall_at_10pct": round(metrics["recall_at_10pct"], 4), "records_to_95": metrics["records_to_95"],
            "stop_at": metrics["stop_at"], "recall_at_stop": round(metrics["recall_at_stop"], 4),
            "seconds": round(run.seconds, 3), "seconds_per_retrain_median": round(median, 4),
            "priors": run.order[:run.n_priors]}
