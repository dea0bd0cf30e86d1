"""Training and scoring the subjects model against MEDLINE's check tags (build script and benchmark).

Gold: a record carrying MeSH is `human` when tagged "Humans" and `animal` when tagged "Animals";
records without MeSH are not used. The model never sees MeSH: features come from
`subjects.record_features`.

Training data: the SYNERGY datasets' records, plus the real MEDLINE citations of the shared
fixtures (`MEDLINE_SAMPLES`). The latter are a general sample of MEDLINE, not one review's
topic: records about neither people nor animals, and animal studies outside neuroscience,
which the six review datasets hardly hold. The benchmark never scores them; they only train.

Class imbalance: "Humans" is on ~90% of the records and "Animals" on ~14%, in proportions that
differ wildly between datasets. So each class is weighted balanced, and its regularisation C and
its probability threshold are chosen by leave-one-dataset-out *within the training datasets only*,
maximising the mean over datasets of that class's F1 (the figure the benchmark reports).

scikit-learn is needed here only; prediction reads the JSON the build writes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from exoreview.classify.subjects import (
    MODEL_CLASSES,
    ClassModel,
    SubjectsModel,
    feature_values,
    record_features,
)
from exoreview.formats.medline import iter_medline
from exoreview.formats.openalex import iter_synergy, synergy_datasets
from exoreview.formats.pubmed.reader import iter_pubmed_xml
from exoreview.records import Record

MODEL_VERSION = "1"
C_GRID = (0.3, 1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.05))
MIN_DF = 3  # a term must occur in this many training records to get a weight
DIGITS = 3  # weights are rounded so that the file is small and its bytes stable
PRUNE = 0.02  # smaller weights are dropped: they change few decisions and double the file
GOLD_TAGS = {"human": "Humans", "animal": "Animals"}
# Real MEDLINE citations under ../shared used as extra training groups: (group name, path, reader).
MEDLINE_SAMPLES: tuple[tuple[str, tuple[str, ...], Callable[[str], Iterable[Record]]], ...] = (
    ("medline16n0902", ("fixtures", "pubmed_xml", "medline16n0902.xml.gz"), iter_pubmed_xml),
    ("mesh_papers", ("fixtures", "medline", "mesh_papers.txt"), iter_medline),
)


@dataclass(frozen=True, slots=True)
class Example:
    dataset: str
    key: str  # OpenAlex ID, PMID or DOI
    features: frozenset[str]
    gold: dict[str, bool]
    ids: frozenset[str] = frozenset()  # every identifier of the record: "pmid:..", "doi:.."


def gold_subjects(record: Record) -> dict[str, bool] | None:
    """The check tags as subjects; None for a record without MeSH (not scored)."""
    if not record.mesh:
        return None
    descriptors = {h.descriptor for h in record.mesh}
    return {subject: tag in descriptors for subject, tag in GOLD_TAGS.items()}


def load_examples(root: Path, datasets: Sequence[str] | None = None, limit: int | None = None) -> list[Example]:
    """Every record with MeSH of the SYNERGY folders under root (optionally some datasets, first `limit`)."""
    examples: list[Example] = []
    for folder in synergy_datasets(root):
        if datasets and folder.name not in datasets:
            continue
        taken = 0
        for item in iter_synergy(folder):
            example = _example(folder.name, item.record)
            if example is None:
                continue
            examples.append(example)
            taken += 1
            if limit and taken >= limit:
                break
    return examples


def _example(dataset: str, record: Record) -> Example | None:
    gold = gold_subjects(record)
    if gold is None:
        return None
    key = record.openalex_id or record.pmid or record.doi
    ids = frozenset(f"{kind}:{value.lower()}" for kind, value in (("pmid", record.pmid), ("doi", record.doi)) if value)
    return Example(dataset, key, frozenset(record_features(record).all()), gold, ids)


def load_medline_samples(shared: Path, exclude: Iterable[Example] = ()) -> list[Example]:
    """The shared MEDLINE fixtures' records with MeSH, one group per file; a record whose PMID or DOI is
    among `exclude` (the SYNERGY examples) is left out, so that no scored record trains its own model."""
    taken = {i for e in exclude for i in e.ids}
    examples: list[Example] = []
    for name, parts, read in MEDLINE_SAMPLES:
        for record in read(str(shared.joinpath(*parts))):
            example = _example(name, record)
            if example is None or example.ids & taken:
                continue
            taken |= example.ids
            examples.append(example)
    return examples


# -- fitting -----------------------------------------------------------------------------------------


def _matrix(examples: Sequence[Example], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    rows, cols, data = [], [], []
    for row, example in enumerate(examples):
        for feature, value in feature_values(sorted(example.features)):
            col = vocabulary.get(feature)
            if col is not None:
                rows.append(row)
                cols.append(col)
                data.append(value)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(examples), len(vocabulary)))


def _vocabulary(examples: Sequence[Example]) -> dict[str, int]:
    counts = Counter(f for e in examples for f in e.features)
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_DF))}


def _logistic(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", solver="liblinear", random_state=0, max_iter=1000)


def _fit_one(examples: Sequence[Example], subject: str, c: float) -> ClassModel:
    vocabulary = _vocabulary(examples)
    y = np.array([e.gold[subject] for e in examples], dtype=int)
    if y.min() == y.max():  # one class only: a constant model
        return ClassModel(20.0 if y[0] else -20.0, 0.5, {})
    lr = _logistic(c).fit(_matrix(examples, vocabulary), y)
    weights = {f: round(float(w), DIGITS) for f, w in zip(vocabulary, lr.coef_[0], strict=True)}
    weights = {f: w for f, w in weights.items() if abs(w) >= PRUNE}
    return ClassModel(round(float(lr.intercept_[0]), DIGITS), 0.5, weights)


def f1(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    if tp + fp + fn == 0:
        return 1.0  # nothing to find and nothing claimed
    return float(2 * tp / (2 * tp + fp + fn))


def _by_dataset(examples: Sequence[Example]) -> dict[str, list[Example]]:
    groups: dict[str, list[Example]] = {}
    for e in examples:
        groups.setdefault(e.dataset, []).append(e)
    return groups


def _tune(examples: Sequence[Example], subject: str) -> tuple[float, float]:
    """(C, threshold) maximising the mean per-dataset F1 over leave-one-dataset-out folds of `examples`."""
    groups = _by_dataset(examples)
    if len(groups) < 2:
        return 1.0, 0.5
    held: dict[float, list[tuple[list[bool], np.ndarray]]] = {c: [] for c in C_GRID}
    for name, test in groups.items():
        train = [e for e in examples if e.dataset != name]
        y = np.array([e.gold[subject] for e in train], dtype=int)
        gold = [e.gold[subject] for e in test]
        vocabulary = _vocabulary(train)
        x_train, x_test = _matrix(train, vocabulary), _matrix(test, vocabulary)
        for c in C_GRID:
            if y.min() == y.max():
                held[c].append((gold, np.full(len(test), float(y[0]))))
            else:
                held[c].append((gold, _logistic(c).fit(x_train, y).predict_proba(x_test)[:, 1]))
    best: tuple[float, float, float] | None = None
    for c in C_GRID:
        for threshold in THRESHOLDS:
            mean = sum(f1(g, list(ps >= threshold)) for g, ps in held[c]) / len(held[c])
            if best is None or mean > best[0] + 1e-12:
                best = (mean, c, threshold)
    assert best is not None
    return best[1], best[2]


def fit(examples: Sequence[Example], say: Callable[[str], None] = lambda _: None) -> SubjectsModel:
    """A model for every MODEL_CLASSES subject, C and threshold tuned on `examples` alone."""
    classes: dict[str, ClassModel] = {}
    tuned: dict[str, dict[str, float]] = {}
    for subject in MODEL_CLASSES:
        c, threshold = _tune(examples, subject)
        model = _fit_one(examples, subject, c)
        model.threshold = threshold
        classes[subject] = model
        tuned[subject] = {"C": c, "threshold": threshold}
        say(f"  {subject}: C={c} threshold={threshold} terms={len(model.weights)}")
    about = {
        "trained_on": sorted(_by_dataset(examples)),
        "records": len(examples),
        "gold": "MEDLINE check tags Humans / Animals",
        "features": "title, abstract and keyword unigrams and bigrams, journal words, rule cues (no MeSH)",
        "groups": {name: len(group) for name, group in sorted(_by_dataset(examples).items())},
        "tuned": tuned,
        "min_df": MIN_DF,
    }
    return SubjectsModel(MODEL_VERSION, classes, about)


def model_bytes(model: SubjectsModel) -> bytes:
    """The model file's bytes: sorted keys, one class per line group, so that the same data gives the same file."""
    return (json.dumps(model.to_dict(), sort_keys=True, indent=0, ensure_ascii=False) + "\n").encode("utf-8")


# -- scoring -----------------------------------------------------------------------------------------

Predictor = Callable[[Example], dict[str, bool]]


def model_predictor(model: SubjectsModel) -> Predictor:
    def predict(example: Example) -> dict[str, bool]:
        return {s: model.classes[s].score(example.features) >= model.classes[s].threshold for s in MODEL_CLASSES}

    return predict


def score(examples: Sequence[Example], predict: Predictor) -> dict[str, dict[str, float]]:
    """Per dataset: F1 of human and animal, their mean (macro_f1), and the record count."""
    out: dict[str, dict[str, float]] = {}
    for name, group in sorted(_by_dataset(examples).items()):
        predictions = [predict(e) for e in group]
        row = {s: round(f1([e.gold[s] for e in group], [p[s] for p in predictions]), 4) for s in MODEL_CLASSES}
        row["macro_f1"] = round(sum(row[s] for s in MODEL_CLASSES) / len(MODEL_CLASSES), 4)
        row["records"] = len(group)
        out[name] = row
    return out


def mean_macro(scores: dict[str, dict[str, float]]) -> float:
    return round(sum(row["macro_f1"] for row in scores.values()) / len(scores), 4) if scores else 0.0


def leave_one_dataset_out(examples: Sequence[Example], say: Callable[[str], None] = lambda _: None,
                          keep_models: bool = False, train_also: Sequence[Example] = ()) -> Any:
    """Train on all datasets but one (tuning inside them), score the one left out; for each dataset.

    `train_also` (the MEDLINE samples) joins every training set and is never scored.
    Returns the scores, or (scores, {held-out dataset: its model}) with `keep_models`.
    """
    out: dict[str, dict[str, float]] = {}
    models: dict[str, SubjectsModel] = {}
    for name in sorted(_by_dataset(examples)):
        say(f"held out: {name}")
        model = models[name] = fit([e for e in examples if e.dataset != name] + list(train_also), say)
        out.update(score([e for e in examples if e.dataset == name], model_predictor(model)))
    return (out, models) if keep_models else out


def seen_dataset_ceiling(examples: Sequence[Example], train_also: Sequence[Example] = (), folds: int = 5,
                         say: Callable[[str], None] = lambda _: None) -> dict[str, dict[str, float]]:
    """An upper bound for this model on the check-tag gold, per dataset: what it scores when it has
    *seen* the dataset and may pick its settings on the answers.

    Each dataset is cut into `folds` (seeded); each fold is predicted by a model trained on the
    other folds, the other datasets and `train_also`. Then, per class, C (of C_GRID) and the
    threshold are the ones that give the best F1 on that dataset's own gold. No honest predictor
    gets those choices, so a figure below a target here means the target is out of reach for it.
    """
    out: dict[str, dict[str, float]] = {}
    for name, group in sorted(_by_dataset(examples).items()):
        say(f"ceiling: {name}")
        order = np.random.default_rng(0).permutation(len(group))
        probabilities = {(s, c): np.zeros(len(group)) for s in MODEL_CLASSES for c in C_GRID}
        others = [e for e in examples if e.dataset != name] + list(train_also)
        for k in range(folds):
            held = order[k::folds]
            held_set = set(held.tolist())
            train = others + [e for i, e in enumerate(group) if i not in held_set]
            vocabulary = _vocabulary(train)
            x_train, x_held = _matrix(train, vocabulary), _matrix([group[i] for i in held], vocabulary)
            for subject in MODEL_CLASSES:
                y = np.array([e.gold[subject] for e in train], dtype=int)
                for c in C_GRID:
                    probabilities[subject, c][held] = _logistic(c).fit(x_train, y).predict_proba(x_held)[:, 1]
        row: dict[str, float] = {}
        for subject in MODEL_CLASSES:
            gold = [e.gold[subject] for e in group]
            row[subject] = round(max(f1(gold, list(probabilities[subject, c] >= t))
                                     for c in C_GRID for t in np.arange(0.01, 1.0, 0.01)), 4)
        row["macro_f1"] = round(sum(row[s] for s in MODEL_CLASSES) / len(MODEL_CLASSES), 4)
        row["records"] = len(group)
        out[name] = row
    return out
