"""Helpers for benchmarks, tests and build scripts only: no product package imports this one.

`dedup_testset` builds the deduplication test set, `subjects_train` trains the subjects classifier's
shipped model, `pubmed_tiling` tiles PubMed XML into large files for parser and ingest benchmarks.
"""
