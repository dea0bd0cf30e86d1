"""Features for screening: TF-IDF over words (1-2 grams) and characters, per field.

A record contributes its title, abstract, keywords and MeSH headings. MeSH
headings and keywords also enter as whole-term tokens ("mesh:Skin Aging"), so
a controlled term counts as one feature instead of a bag of its words. Plain
strings (an ASReview CSV row already joined) are accepted too.

TF-IDF is fitted on every record to screen, labelled or not: that uses no
label, which is what ASReview does as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from exoreview.records import Record

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Fields:
    """The parts of a record a screener reads."""

    title: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()

    def text(self) -> str:
        return " ".join(p for p in (self.title, self.abstract, " ".join(self.keywords), " ".join(self.mesh)) if p)

    def terms(self) -> list[str]:
        """Controlled terms as single tokens."""
        return ([f"kw:{_SPACE.sub(' ', k.strip().lower())}" for k in self.keywords if k.strip()]
                + [f"mesh:{m.strip().lower()}" for m in self.mesh if m.strip()])


def fields_of(item: Record | Fields | str) -> Fields:
    if isinstance(item, Fields):
        return item
    if isinstance(item, str):
        return Fields(abstract=item)
    return Fields(title=item.title, abstract=item.abstract_text, keywords=tuple(item.keywords),
                  mesh=tuple(m.descriptor for m in item.mesh))


@dataclass(slots=True)
class FeatureConfig:
    """Which blocks to build and how much each weighs (blocks are L2-normalised, then scaled)."""

    words: float = 1.0
    chars: float = 0.6
    terms: float = 0.4
    title_boost: int = 1  # the title is read again this many extra times: it is the densest field
    min_df: int = 1
    max_df: float = 0.95


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def build_features(items: Sequence[Record | Fields | str], config: FeatureConfig | None = None) -> sp.csr_matrix:
    """One row per item: the configured TF-IDF blocks side by side."""
    config = config or FeatureConfig()
    fields = [fields_of(i) for i in items]
    texts = [" ".join([f.title] * config.title_boost + [f.text()]) for f in fields]
    blocks = []
    if config.words:
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=config.min_df, max_df=config.max_df,
                                stop_words="english", dtype=np.float32)
        blocks.append(config.words * _fit(words, texts))
    if config.chars:
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
                                max_df=config.max_df, dtype=np.float32, max_features=200_000)
        blocks.append(config.chars * _fit(chars, texts))
    term_lists = [f.terms() for f in fields]
    if config.terms and any(term_lists):
        terms = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1, dtype=np.float32)
        blocks.append(config.terms * _fit(terms, term_lists))
    if not blocks:
        raise ValueError("no feature block is switched on")
    # float64 in canonical form: the linear models would otherwise copy and sort it on every retrain
    matrix = sp.hstack(blocks, format="csr").astype(np.float64)
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def _fit(vectorizer: TfidfVectorizer, docs: list) -> sp.csr_matrix:
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # every document empty (or every term pruned): a block of zeros says so honestly
        return sp.csr_matrix((len(docs), 1), dtype=np.float32)
    return normalize(matrix).astype(np.float32)
