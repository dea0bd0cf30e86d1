"""Classify studies by a taxonomy, with the sentence that supports each label."""

from exoreview.classify.cues import CueScanner, is_hedged, is_negated
from exoreview.classify.design import DesignDecision, decide_design
from exoreview.classify.details import detail_labels, find_doses, outcome_directions
from exoreview.classify.rules import RuleClassifier
from exoreview.classify.sentences import Sentence, field_text, record_sentences, split_sentences
from exoreview.classify.stage import classify_records

__all__ = [
    "CueScanner",
    "DesignDecision",
    "RuleClassifier",
    "Sentence",
    "classify_records",
    "decide_design",
    "detail_labels",
    "field_text",
    "find_doses",
    "is_hedged",
    "is_negated",
    "outcome_directions",
    "record_sentences",
    "split_sentences",
]
