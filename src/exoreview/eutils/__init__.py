"""A local PubMed-compatible E-utilities service: query language and search index."""
