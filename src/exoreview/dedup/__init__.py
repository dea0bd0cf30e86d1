"""Deduplication: the same study found twice is counted once, and every merge can be undone."""

from exoreview.dedup.matcher import find_duplicates, normalize_doi, normalize_title
from exoreview.dedup.stage import deduplicate

__all__ = ["deduplicate", "find_duplicates", "normalize_doi", "normalize_title"]
