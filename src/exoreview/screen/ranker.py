"""A baseline relevance ranker: TF-IDF over title and abstract, logistic regression.

Follows scikit-learn conventions (fit/predict_proba, random_state, no work in
__init__) so a later ranker can replace it and be compared on equal terms.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from exoreview.records import Record


def record_text(record: Record) -> str:
    return f"{record.title} {record.title} {record.abstract_text} {' '.join(record.keywords)}"


class BaselineRanker:
    def __init__(self, C: float = 2.0, random_state: int = 1) -> None:
        self.C = C
        self.random_state = random_state

    def fit(self, records: Sequence[Record], labels: Sequence[int]) -> BaselineRanker:
        if len(set(labels)) < 2:
            raise ValueError("the ranker needs at least one relevant and one irrelevant record to learn from")
        self.vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, stop_words="english")
        features = self.vectorizer_.fit_transform([record_text(r) for r in records])
        self.model_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=1000,
                                         random_state=self.random_state)
        self.model_.fit(features, np.asarray(labels))
        return self

    def predict_proba(self, records: Sequence[Record]) -> np.ndarray:
        features = self.vectorizer_.transform([record_text(r) for r in records])
        return self.model_.predict_proba(features)[:, 1]

    def rank(self, records: Sequence[Record]) -> list[int]:
        """Positions of `records`, most likely relevant first (ties keep input order)."""
        scores = self.predict_proba(records)
        return sorted(range(len(records)), key=lambda i: (-scores[i], i))
