"""Screening: protocol criteria as rules, an active learner that orders what people read, when to stop."""

from exoreview.screen.active import ActiveLearner
from exoreview.screen.ranker import BaselineRanker
from exoreview.screen.rules import CriteriaRules
from exoreview.screen.stage import screen_records
from exoreview.screen.stopping import RecallEstimate, estimate_recall, heuristic_stop

__all__ = ["ActiveLearner", "BaselineRanker", "CriteriaRules", "RecallEstimate", "estimate_recall",
           "heuristic_stop", "screen_records"]
