"""Deduplication: the same study found twice is counted once, and every merge can be undone."""

from exoreview.dedup.matcher import MatchResult, ReviewPair, find_duplicates, match_records
from exoreview.dedup.normalize import normalize_doi, normalize_title
from exoreview.dedup.notices import is_notice
from exoreview.dedup.stage import deduplicate

__all__ = ["MatchResult", "ReviewPair", "deduplicate", "find_duplicates", "is_notice", "match_records",
           "normalize_doi", "normalize_title"]
