"""Screening: protocol criteria as rules, a ranker that orders what people read first."""

from exoreview.screen.ranker import BaselineRanker
from exoreview.screen.rules import CriteriaRules
from exoreview.screen.stage import screen_records

__all__ = ["BaselineRanker", "CriteriaRules", "screen_records"]
