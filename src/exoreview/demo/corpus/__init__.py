"""Synthetic corpora: deterministic PubMed-like records for the offline demo and load tests.

Every record is written by our own templates and marked `synthetic=True`; see
`synthetic` for the stream and its noise, `demo` for the demo's PubMed and
hand-search parts with their ground truth.
"""

from exoreview.demo.corpus.demo import DemoCorpus, demo_corpus, truth_key
from exoreview.demo.corpus.synthetic import FIRST_PMID, generate, iter_labelled, iter_records

__all__ = ["FIRST_PMID", "DemoCorpus", "demo_corpus", "generate", "iter_labelled", "iter_records", "truth_key"]
