"""Our sentence splitter and negation/hedging cues against well-kept NLP libraries, on real papers.

Usage: python benchmarks/nlp_alternatives.py --texts DIR [--split dev|test|all] [--json]
Needs the benchmark extras (`pip install -e '.[bench]'`: pysbd, medspacy); neither downloads a model.

Each variant runs the whole classifier and screening rules of `real_labels.py` on the same papers,
with one part swapped:
- `exoreview`: as shipped (rule-based splitter; NegEx-style cues scoped to the clause);
- `pysbd-sentences`: sentences from pySBD (the Golden Rules segmenter) instead of ours;
- `pyrush-sentences`: sentences from medspaCy's PyRuSH sentencizer;
- `medspacy-context`: negation, hedging and deferral from medspaCy's ConText (its default rules:
  NEGATED_EXISTENCE for negation; POSSIBLE_EXISTENCE and HYPOTHETICAL for hedges; HYPOTHETICAL for
  a call for future work) instead of our cue scanner.
The choice is made on the dev split (the default); the shipped parts are the ones that measure best.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import exoreview.classify.rules as rules_module
import exoreview.classify.sentences as sentences_module
from exoreview.classify.sentences import Sentence
from real_labels import headline, score
from real_set import PAPERS, StudyPredictor, load_papers, read_text


def _splitter(segment: Callable[[str], list[str]]) -> Callable[..., list[Sentence]]:
    """A split_sentences replacement from a library that returns sentence strings in order."""
    def split(text: str, offset: int = 0, section: str = "") -> list[Sentence]:
        out, position = [], 0
        for piece in segment(text):
            piece = piece.strip()
            if not piece:
                continue
            start = text.find(piece, position)
            if start < 0:  # the library changed the text: fall back to a search from the start
                start = text.find(piece)
            if start < 0:
                continue
            out.append(Sentence(piece, offset + start, offset + start + len(piece), section))
            position = start + len(piece)
        return out
    return split


def pysbd_splitter() -> Callable[..., list[Sentence]]:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    return _splitter(segmenter.segment)


def pyrush_splitter() -> Callable[..., list[Sentence]]:
    import medspacy

    nlp = medspacy.load(enable=["medspacy_pyrush"])
    return _splitter(lambda text: [s.text for s in nlp(text).sents])


def context_scanner() -> type:
    """A CueScanner replacement asking medspaCy's ConText about each matched phrase."""
    import medspacy
    from spacy.tokens import Span

    nlp = medspacy.load(enable=["medspacy_context"])
    context = nlp.get_pipe("medspacy_context")

    class ContextScanner:
        def __init__(self, text: str) -> None:
            self.text = text
            self._cache: dict[tuple[int, int], Span | None] = {}

        def _span(self, start: int, end: int) -> Span | None:
            if (start, end) not in self._cache:
                doc = nlp.make_doc(self.text)
                for token in doc:  # the text is one sentence already
                    token.is_sent_start = token.i == 0
                span = doc.char_span(start, end, label="TARGET", alignment_mode="expand")
                if span is not None:
                    doc.ents = [span]
                    context(doc)
                    span = doc.ents[0]
                self._cache[(start, end)] = span
            return self._cache[(start, end)]

        def negated(self, start: int, end: int) -> bool:
            span = self._span(start, end)
            return bool(span is not None and span._.is_negated)

        def hedged(self, start: int, end: int) -> bool:
            span = self._span(start, end)
            return bool(span is not None and (span._.is_uncertain or span._.is_hypothetical))

        def deferred(self, start: int, end: int) -> bool:
            span = self._span(start, end)
            return bool(span is not None and span._.is_hypothetical)

    return ContextScanner


@contextmanager
def swapped(variant: str) -> Iterator[None]:
    saved = (sentences_module.split_sentences, rules_module.CueScanner)
    try:
        if variant == "pysbd-sentences":
            sentences_module.split_sentences = pysbd_splitter()
        elif variant == "pyrush-sentences":
            sentences_module.split_sentences = pyrush_splitter()
        elif variant == "medspacy-context":
            rules_module.CueScanner = context_scanner()
        yield
    finally:
        sentences_module.split_sentences, rules_module.CueScanner = saved


def _decided(prediction) -> tuple:
    return prediction.design, prediction.safety, prediction.include, sorted(prediction.labels.items())


VARIANTS = ("exoreview", "pysbd-sentences", "pyrush-sentences", "medspacy-context")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, required=True)
    parser.add_argument("--papers", type=Path, default=PAPERS)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    os.environ.setdefault("LOGURU_LEVEL", "WARNING")
    papers = [p for p in load_papers(args.papers) if args.split == "all" or p.split == args.split]
    records = {p.key: read_text(args.texts, p) for p in papers}
    papers = [p for p in papers if records[p.key] is not None]
    results, differing, shipped = {}, {}, {}
    for variant in VARIANTS:
        with swapped(variant):
            predictor = StudyPredictor()
            predictions = {p.key: predictor.predict(records[p.key]) for p in papers}
        results[variant] = headline(score(papers, predictions))
        shipped = shipped or predictions
        differing[variant] = sum(_decided(predictions[k]) != _decided(shipped[k]) for k in predictions)
    best = {facet: max(VARIANTS, key=lambda v: (results[v][facet] or 0, v == "exoreview"))
            for facet in results["exoreview"]}
    line = {"benchmark": "nlp_alternatives", "split": args.split, "papers": len(papers), "figures": results,
            "papers_decided_differently_from_exoreview": differing,
            "best_per_facet": best, "machine": {"cores": os.cpu_count(), "python": platform.python_version()}}
    print(json.dumps(line, sort_keys=True) if args.json else json.dumps(line, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
