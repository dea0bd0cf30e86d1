"""Active learning for title-and-abstract screening: which record should a person read next?

`ActiveLearner` keeps the feature matrix of the whole collection (built once,
from text only) and, on every `fit`, trains a classifier on the labelled rows
and scores the rest. Models: logistic regression ("lr"), linear SVM ("svm"),
naive Bayes ("nb"), an incremental SGD model ("sgd"), and "ensemble", the mean
of the standardised scores of lr and svm (nb left out: in the SYNERGY replays it
pulled early ranking down, WSS@95 on Oud_2018 0.755 with it, 0.785 without; see
issue 7). Classes are balanced by weight:
relevant records are rare, and without it the model learns to say "irrelevant".

Query strategies: "max" (most likely relevant first), "uncertainty" (closest
to the boundary first) and "mixed" (max, but one in `mix_every` picks is the
most uncertain record, which keeps the model learning about its blind spots).

With no labels yet, or labels of one class only, records are ranked by the
protocol's keywords when given (`keywords=`), else kept in input order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC
from threadpoolctl import ThreadpoolController

from exoreview.records import Record
from exoreview.screen.features import FeatureConfig, Fields, build_features, fields_of

MODELS = ("lr", "svm", "nb", "sgd", "ensemble")
QUERIES = ("max", "uncertainty", "mixed")
ENSEMBLE = ("lr", "svm")  # the parts of model="ensemble"


_THREADPOOLS = ThreadpoolController()


def _standardise(scores: np.ndarray) -> np.ndarray:
    spread = scores.std()
    return (scores - scores.mean()) / spread if spread > 0 else scores - scores.mean()


def _balanced_weights(y: np.ndarray) -> np.ndarray:
    """Sample weights under which both classes weigh the same in total."""
    n_pos = max(int(y.sum()), 1)
    n_neg = max(len(y) - n_pos, 1)
    return np.where(y == 1, n_neg / n_pos, 1.0)


class ActiveLearner:
    """Ranks unlabelled records, most promising first, from the labels so far."""

    # Fitted attributes, scikit-learn's convention: a name ending in "_" exists only once learnt.
    # These annotations create none of them: set_documents() sets X_, fit() the others.
    X_: sp.csr_matrix  # the collection's features
    labelled_: dict[int, bool]  # row -> relevant?, as last fitted
    scores_: np.ndarray  # relevance score per row
    margin_: np.ndarray | None  # the boundary uncertainty sampling measures against; None without both classes

    def __init__(self, model: str = "ensemble", query: str = "max", *, C_lr: float = 1.0, C_svm: float = 0.1,
                 nb_alpha: float = 0.1, balance: bool = True, mix_every: int = 10,
                 features: FeatureConfig | None = None, keywords: Sequence[str] = (),
                 random_state: int = 0) -> None:
        if model not in MODELS:
            raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
        if query not in QUERIES:
            raise ValueError(f"unknown query strategy {query!r}; choose one of {', '.join(QUERIES)}")
        self.model = model
        self.query = query
        self.C_lr = C_lr
        self.C_svm = C_svm
        self.nb_alpha = nb_alpha
        self.balance = balance
        self.mix_every = mix_every
        self.feature_config = features or FeatureConfig()
        self.keywords = list(keywords)
        self.random_state = random_state
        self._docs: Sequence[Record | Fields | str] | None = None
        self._fields: list[Fields] = []
        self._lr: LogisticRegression | None = None
        self._sgd: SGDClassifier | None = None
        self._sgd_seen: set[int] = set()
        self._queries = 0
        self._prior: np.ndarray | None = None  # keyword scores of the collection, counted once

    # --- data -----------------------------------------------------------------
    def set_documents(self, records_or_texts: Sequence[Record | Fields | str],
                      features: sp.csr_matrix | None = None, prior: np.ndarray | None = None) -> ActiveLearner:
        """Build (or take) the feature matrix of the collection; `fit` calls this when the collection changes.

        `features` and `prior` (the keyword scores) may come from another learner over the same collection
        with the same keywords, so many reviewers' sessions share them.
        """
        self._docs = records_or_texts
        self._fields = [fields_of(d) for d in records_or_texts]
        self.X_ = features if features is not None else build_features(self._fields, self.feature_config)
        if self.X_.shape[0] != len(records_or_texts):
            raise ValueError(f"feature matrix has {self.X_.shape[0]} rows for {len(records_or_texts)} records")
        self._lr = self._sgd = None
        self._sgd_seen = set()
        self._prior = prior
        return self

    # --- learning -------------------------------------------------------------
    def fit(self, records_or_texts: Sequence[Record | Fields | str] | None, labelled: dict[int, bool]) -> ActiveLearner:
        """Train on `labelled` (row index -> relevant?) and score every record.

        Pass the same sequence each time (or None once set) to reuse its features.
        """
        if records_or_texts is not None and records_or_texts is not self._docs:
            self.set_documents(records_or_texts)
        if not hasattr(self, "X_"):
            raise ValueError("no records: pass them to fit() or set_documents() first")
        n = self.X_.shape[0]
        bad = [i for i in labelled if not 0 <= i < n]
        if bad:
            raise ValueError(f"labelled row(s) {bad[:5]} outside the {n} records")
        self.labelled_ = dict(labelled)
        idx = np.fromiter(labelled, dtype=np.int64, count=len(labelled))
        y = np.fromiter((int(bool(labelled[i])) for i in idx), dtype=np.int64, count=len(idx))
        if len(set(y.tolist())) < 2:
            self.scores_ = self._prior_scores()
            self.margin_ = None
            return self
        # a retrain is many small dense operations: BLAS threads only add hand-offs (2-4x the CPU on a busy machine)
        with _THREADPOOLS.limit(limits=1, user_api="blas"):
            self._fit_linear(idx, y)
        return self

    def _fit_linear(self, idx: np.ndarray, y: np.ndarray) -> None:
        """Train every part of the model on the labelled rows `idx` and score the whole collection."""
        X = self.X_[idx]
        weights = _balanced_weights(y) if self.balance else np.ones(len(y))
        parts = {"ensemble": ENSEMBLE}.get(self.model, (self.model,))
        linear = [self._linear(part, X, y, weights, idx) for part in parts]
        # every part is linear in the features: one product with the stacked weights scores them all,
        # one pass over the collection's matrix instead of one per part (that pass is most of a retrain)
        coefs = np.column_stack([coef for coef, _ in linear])
        intercepts = np.array([intercept for _, intercept in linear])
        all_scores = np.asarray(self.X_ @ coefs) + intercepts
        raw = {part: all_scores[:, k] for k, part in enumerate(parts)}
        self.scores_ = np.mean([_standardise(r) for r in raw.values()], axis=0)
        # the boundary uncertainty sampling measures against: a margin model's zero
        self.margin_ = raw.get("svm", raw.get("lr", next(iter(raw.values()))))

    def _linear(self, part: str, X: sp.csr_matrix, y: np.ndarray, w: np.ndarray,
                idx: np.ndarray) -> tuple[np.ndarray, float]:
        """Train `part` on the labelled rows; its score is `features @ coef + intercept`."""
        if part == "lr":
            if self._lr is None:  # warm start: the previous solution seeds the next fit
                self._lr = LogisticRegression(C=self.C_lr, max_iter=200, warm_start=True, tol=1e-3)
            self._lr.fit(X, y, sample_weight=w)
            return self._lr.coef_[0], float(self._lr.intercept_[0])
        if part == "svm":
            svm = LinearSVC(C=self.C_svm, loss="squared_hinge", tol=1e-3, random_state=self.random_state)
            svm.fit(X, y, sample_weight=w)
            return svm.coef_[0], float(svm.intercept_[0])
        if part == "nb":
            nb = ComplementNB(alpha=self.nb_alpha)
            nb.fit(X, y, sample_weight=w)
            # ComplementNB's joint log-likelihood is features @ feature_log_prob_.T, no class prior (two classes)
            return nb.feature_log_prob_[1] - nb.feature_log_prob_[0], 0.0
        # sgd: incremental, learns only the rows it has not seen (several passes over those)
        if self._sgd is None:
            self._sgd = SGDClassifier(loss="log_loss", alpha=1e-4, random_state=self.random_state)
        new = np.array([k for k, i in enumerate(idx) if int(i) not in self._sgd_seen], dtype=np.int64)
        rows = new if len(new) else np.arange(len(idx))
        for _ in range(5):
            self._sgd.partial_fit(X[rows], y[rows], classes=np.array([0, 1]), sample_weight=w[rows])
        self._sgd_seen.update(int(i) for i in idx)
        return self._sgd.coef_[0], float(self._sgd.intercept_[0])

    def prior_scores(self) -> np.ndarray:
        """The keyword scores of the collection (what ranks it before both classes are labelled)."""
        return self._prior_scores()

    def _prior_scores(self) -> np.ndarray:
        """Without both classes labelled: protocol keywords if any, else input order (all scores equal).

        They depend on the collection alone, so they are counted once per collection, not per retrain.
        """
        if self._prior is None or len(self._prior) != len(self._fields):
            self._prior = self._keyword_scores()
        return self._prior.copy()

    def _keyword_scores(self) -> np.ndarray:
        n = len(self._fields)
        if not self.keywords:
            return np.zeros(n)
        patterns = [re.compile(rf"\b{re.escape(k.lower())}", re.IGNORECASE) for k in self.keywords if k.strip()]
        scores = np.zeros(n)
        for row, fields in enumerate(self._fields):
            text = fields.text()
            title = fields.title
            for pattern in patterns:
                # a hit in the title weighs more than one in the abstract; each keyword counts once per field
                scores[row] += 2.0 * bool(pattern.search(title)) + bool(pattern.search(text))
        return scores

    # --- querying -------------------------------------------------------------
    def rank(self) -> list[int]:
        """Unlabelled row indices, the one to read next first (ties keep input order)."""
        self._check_fitted("rank")
        mask = np.ones(len(self.scores_), dtype=bool)
        mask[np.fromiter(self.labelled_, dtype=np.int64, count=len(self.labelled_))] = False
        unlabelled = np.flatnonzero(mask)
        if len(unlabelled) == 0:
            return []
        scores = self.scores_[unlabelled]
        margin = np.abs(self.margin_[unlabelled]) if self.margin_ is not None else None
        if self.query == "uncertainty" and margin is not None:
            order = np.lexsort((unlabelled, margin))
        else:
            order = np.lexsort((unlabelled, -scores))
        ranked = unlabelled[order].tolist()
        if self.query == "mixed" and margin is not None and len(ranked) > 1 and self._is_exploration_turn():
            uncertain = int(unlabelled[np.argmin(margin)])
            ranked.remove(uncertain)
            ranked.insert(0, uncertain)
        return ranked

    def _is_exploration_turn(self) -> bool:
        self._queries += 1
        return self._queries % self.mix_every == 0

    def scores(self) -> np.ndarray:
        """Relevance score per row (higher: more likely relevant); a ranking, not a probability."""
        self._check_fitted("scores")
        return self.scores_.copy()

    def _check_fitted(self, method: str) -> None:
        """NotFittedError (a ValueError) unless fit() has run."""
        if not hasattr(self, "scores_"):
            raise NotFittedError(f"this ActiveLearner is not fitted yet: call fit() before {method}()")
