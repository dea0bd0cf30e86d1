"""The composed held-out sets and the per-class benchmark that reads them; the subjects hand-over."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from exoreview.classify import RuleClassifier, StudyClassifier
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, Record

ROOT = Path(__file__).resolve().parents[1]
HELDOUT_FILES = ["classify_heldout.toml", "classify_heldout2.toml", "classify_heldout3.toml"]


@pytest.fixture(scope="module")
def classifier() -> RuleClassifier:
    return RuleClassifier(load_protocol("exosome-aesthetics").taxonomy)


def _benchmark():  # the benchmark script, imported as a module
    spec = importlib.util.spec_from_file_location("classify_rules_precision",
                                                  ROOT / "benchmarks" / "classify_rules_precision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize("name", HELDOUT_FILES)
def test_heldout_labels_name_classes_of_the_listed_facets(name: str) -> None:
    taxonomy = load_protocol("exosome-aesthetics").taxonomy
    data = tomllib.loads((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
    texts = [case["text"] for case in data["sentence"]]
    assert len(texts) == len(set(texts)) >= 40
    for case in data["sentence"]:
        for label in case["labels"]:
            facet, value = label.split(".")
            assert facet in data["facets"] and value in taxonomy.classes(facet), (case["text"], label)


def test_heldout_sets_do_not_share_sentences_with_the_development_suite() -> None:
    suite = tomllib.loads((ROOT / "tests" / "data" / "classify_sentences.toml").read_text(encoding="utf-8"))
    development = {s for classes in suite.values() for cases in classes.values() for kind in ("positive", "negative")
                   for s in cases.get(kind, [])}
    for name in HELDOUT_FILES:
        data = tomllib.loads((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
        assert not development & {case["text"] for case in data["sentence"]}, name


def test_benchmark_counts_per_class(classifier: RuleClassifier) -> None:
    heldout = {"facets": ["safety", "indication"], "sentence": [
        {"text": "No adverse events were reported.", "labels": ["safety.no_adverse_events"]},
        {"text": "Wrinkles faded.", "labels": ["indication.skin_rejuvenation"]},
        {"text": "The wound dressing was changed.", "labels": []},
    ]}
    result = _benchmark().evaluate_heldout(classifier, heldout)
    per_class = result["per_class"]
    assert per_class["safety.no_adverse_events"] == {"precision": 1.0, "recall": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert per_class["indication.wound_healing"]["fp"] == 1  # "wound dressing" names a wound
    assert (result["tp"], result["fp"], result["fn"]) == (2, 1, 0)


def test_subjects_come_from_the_rules_unless_the_taxonomy_names_the_model(classifier: RuleClassifier) -> None:
    record = Record(title="Exosomes in a mouse model of photoaging",
                    abstract=[AbstractSection("Hairless mice were irradiated and treated with exosomes.")])
    taxonomy = load_protocol("exosome-aesthetics").taxonomy
    by_rules = [lab for lab in StudyClassifier(taxonomy).classify(record, 3) if lab.facet == "subjects"]
    assert [(lab.value, lab.evidence.method.split(".")[0]) for lab in by_rules] == [("animal", "pattern:subjects")]
    # The MeSH-trained model plugs in through the taxonomy, and still speaks only where a sentence does.
    with_model = taxonomy.model_copy(update={"classifiers": {"subjects": "subjects-model"}})
    by_model = [lab for lab in StudyClassifier(with_model).classify(record, 3) if lab.facet == "subjects"]
    assert [lab.value for lab in by_model] == ["animal"]
    assert by_model[0].evidence.method.startswith("model:subjects/") and "mice" in by_model[0].evidence.sentence
    others = StudyClassifier(with_model).classify(record, 3)
    assert [(lab.facet, lab.value) for lab in others if lab.facet != "subjects"] == [
        (lab.facet, lab.value) for lab in classifier.classify(record, 3) if lab.facet != "subjects"]


def test_phrasings_use_the_taxonomys_ids_and_keep_their_measured_level() -> None:
    """The composed abstracts (tuned on) hold the level they reached: a regression shows here first."""
    taxonomy = load_protocol("exosome-aesthetics").taxonomy
    data = tomllib.loads((ROOT / "tests" / "data" / "classify_phrasings.toml").read_text(encoding="utf-8"))
    for entry in data["abstract"]:
        assert entry["design"] in {*taxonomy.classes("design"), "other"}, entry["text"][:60]
        for facet in ("ev_source", "delivery", "subjects"):
            assert set(entry[facet]) <= set(taxonomy.classes(facet)), (facet, entry["text"][:60])
    figures = _benchmark().evaluate_phrasings(data)
    assert figures["abstracts"] == 150
    assert figures["design_accuracy"] >= 0.93 and figures["ev_source_micro_f1"] >= 0.95
    assert figures["delivery_micro_f1"] >= 0.96 and figures["subjects_micro_f1"] >= 0.95
