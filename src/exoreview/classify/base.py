"""The classifier seam: a record goes in, labels with their evidence come out.

Any classifier (the taxonomy's rules, a model trained on reviewer-verified labels, a plug-in)
implements `Classifier`. The taxonomy says which classifier labels which facet
(`[taxonomy] classifiers = { subjects = "my-model" }`, the rest `default_classifier`), and
`StudyClassifier` runs each one for its facets. Classifiers come from a registry that built-in
ones join at import and plug-ins join through the `exoreview.classifiers` entry-point group,
each entry point naming a factory that takes the taxonomy and returns a `Classifier`.

Whatever a classifier returns, a label reaches the store only with a sentence of the record
that states it: `StudyClassifier` drops labels whose evidence has no sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from exoreview.protocol.model import ProtocolError, Taxonomy
from exoreview.records import Record
from exoreview.results import Label

ENTRY_POINT_GROUP = "exoreview.classifiers"


@runtime_checkable
class Classifier(Protocol):
    """Labels one record; every label carries the evidence (a sentence of the record) that supports it."""

    name: str

    def classify(self, record: Record, record_id: int = 0) -> list[Label]: ...


ClassifierFactory = Callable[[Taxonomy], Classifier]
_FACTORIES: dict[str, ClassifierFactory] = {}


def register_classifier(name: str, factory: ClassifierFactory) -> None:
    """Make `name` usable in a taxonomy's `classifiers` table."""
    _FACTORIES[name] = factory


def classifier_names() -> list[str]:
    _load_entry_points()
    return sorted(_FACTORIES)


def make_classifier(name: str, taxonomy: Taxonomy) -> Classifier:
    if name not in _FACTORIES:
        _load_entry_points()
    factory = _FACTORIES.get(name)
    if factory is None:
        raise ProtocolError(f"taxonomy: no classifier named {name!r}; known: {', '.join(classifier_names())} "
                            f"(plug-ins register under the {ENTRY_POINT_GROUP!r} entry-point group)")
    return factory(taxonomy)


def _load_entry_points() -> None:
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name not in _FACTORIES:
            _FACTORIES[entry.name] = entry.load()


class StudyClassifier:
    """Every classifier the taxonomy names, each labelling only the facets assigned to it."""

    name = "study"

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        assigned = dict(taxonomy.classifiers)
        names = {taxonomy.default_classifier, *assigned.values()}
        self._classifiers = {name: make_classifier(name, taxonomy) for name in sorted(names)}
        self._owner = assigned  # facet -> classifier name; facets not listed go to the default

    def owner(self, facet: str) -> str:
        return self._owner.get(facet, self.taxonomy.default_classifier)

    def classify(self, record: Record, record_id: int = 0) -> list[Label]:
        labels: list[Label] = []
        for name, classifier in self._classifiers.items():
            for label in classifier.classify(record, record_id):
                if self.owner(label.facet) == name and has_evidence(label):
                    labels.append(label)
        return labels


def has_evidence(label: Label) -> bool:
    """A label a reviewer can check: its evidence quotes a sentence of the record."""
    return bool(label.evidence.sentence.strip())
