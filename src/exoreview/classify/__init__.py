"""Classify studies by a taxonomy, with the sentence that supports each label.

The stage that labels and appraises a review's studies is `exoreview.stages.classify` (it builds on
`exoreview.appraise`, which builds on this package, so it is not imported here).
"""

from exoreview.classify.base import (
    Classifier,
    StudyClassifier,
    classifier_names,
    has_evidence,
    make_classifier,
    register_classifier,
)
from exoreview.classify.cues import CueScanner, is_hedged, is_negated
from exoreview.classify.design import DesignDecision, decide_design
from exoreview.classify.details import detail_labels, find_doses, outcome_directions
from exoreview.classify.rules import RuleClassifier
from exoreview.classify.sentences import Sentence, field_text, record_sentences, split_sentences
from exoreview.classify.subjects import SubjectsModelClassifier

register_classifier(RuleClassifier.name, RuleClassifier)
register_classifier(SubjectsModelClassifier.name, SubjectsModelClassifier)

__all__ = [
    "Classifier",
    "CueScanner",
    "DesignDecision",
    "RuleClassifier",
    "Sentence",
    "StudyClassifier",
    "SubjectsModelClassifier",
    "classifier_names",
    "decide_design",
    "detail_labels",
    "field_text",
    "find_doses",
    "has_evidence",
    "is_hedged",
    "is_negated",
    "make_classifier",
    "outcome_directions",
    "record_sentences",
    "register_classifier",
    "split_sentences",
]
