"""The classifier seam: any classifier plugs in by name, the taxonomy assigns facets, evidence is required."""

from __future__ import annotations

import pytest

from exoreview.classify import (
    Classifier,
    RuleClassifier,
    StudyClassifier,
    classifier_names,
    make_classifier,
    register_classifier,
)
from exoreview.protocol import ProtocolError, Taxonomy, load_protocol
from exoreview.records import AbstractSection, Record
from exoreview.results import Evidence, Label

TAXONOMY = load_protocol("exosome-aesthetics").taxonomy
RECORD = Record(title="Exosomes for acne scars: a split-face trial",
                abstract=[AbstractSection("Twenty patients received fractional laser and topical exosomes on one "
                                          "side of the face; no adverse events occurred.")])


class VerifiedDesigns:
    """A stand-in for a model trained on reviewer-verified labels: it labels designs, one with no sentence."""

    name = "verified-designs"

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy

    def classify(self, record: Record, record_id: int = 0) -> list[Label]:
        stated = Evidence(record.title, 0, len(record.title), "title", "model:verified-designs/1", "split-face")
        return [Label(record_id, "design", "rct", stated),
                Label(record_id, "design", "case_report", Evidence("", 0, 0, "title", "model:verified-designs/1")),
                Label(record_id, "indication", "hair_loss", stated)]


def test_built_in_classifiers_are_registered() -> None:
    assert {"rules", "subjects-model"} <= set(classifier_names())
    assert isinstance(make_classifier("rules", TAXONOMY), RuleClassifier)
    assert isinstance(make_classifier("rules", TAXONOMY), Classifier)


def test_a_plugged_in_classifier_labels_only_the_facets_the_taxonomy_gives_it() -> None:
    register_classifier(VerifiedDesigns.name, VerifiedDesigns)
    taxonomy = TAXONOMY.model_copy(update={"classifiers": {"design": "verified-designs"}})
    labels = StudyClassifier(taxonomy).classify(RECORD, 5)
    designs = [(lab.value, lab.evidence.method) for lab in labels if lab.facet == "design"]
    # Its label without a sentence is dropped; its indication is ignored (the rules own that facet).
    assert designs == [("rct", "model:verified-designs/1")]
    assert {lab.value for lab in labels if lab.facet == "indication"} == {"scars"}
    assert all(lab.evidence.sentence for lab in labels)


def test_the_rules_alone_give_the_same_labels_as_the_study_classifier_by_default() -> None:
    rules = [(lab.facet, lab.value) for lab in RuleClassifier(TAXONOMY).classify(RECORD)]
    assert [(lab.facet, lab.value) for lab in StudyClassifier(TAXONOMY).classify(RECORD)] == rules
    assert ("design", "split_face") in rules and ("subjects", "human") in rules


def test_an_unknown_classifier_is_a_protocol_error_naming_the_known_ones() -> None:
    with pytest.raises(ProtocolError, match=r"no classifier named 'nope'.*rules"):
        StudyClassifier(TAXONOMY.model_copy(update={"default_classifier": "nope"}))


def test_a_protocol_can_assign_a_facet_to_a_classifier(tmp_path) -> None:
    text = (tmp_path / "p.toml")
    text.write_text('name = "t"\ntitle = "t"\nquestion = "q"\n[report]\ntitle = "t"\n'
                    '[taxonomy]\nextends = "exosome-aesthetics"\nclassifiers = { subjects = "subjects-model" }\n',
                    encoding="utf-8")
    protocol = load_protocol(text)
    assert protocol.taxonomy.classifiers == {"subjects": "subjects-model"}
    assert protocol.taxonomy.scope["safety"] == "study"  # the built-in settings stay under the protocol's
    assert protocol.sources == []
