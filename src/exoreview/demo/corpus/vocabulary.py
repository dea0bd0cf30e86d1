"""What the synthetic studies are made of: EV sources, methods, mechanisms, delivery, safety.

Keys are the class ids of the built-in taxonomy (protocol/builtin/taxonomies/
exosome-aesthetics.toml), so a record's ground truth can be compared with the
classifier's labels without a mapping table. Every phrase is written to express
exactly its own class and nothing else: a stray "wound" or "dermal papilla" in a
phrase would make the text claim an indication the ground truth does not list.
The tables live in data/vocabulary.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exoreview.demo.corpus import bibliography as b
from exoreview.demo.corpus.bibliography import Mesh, MeshEntry
from exoreview.demo.corpus.tables import load, tuples


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    titles: tuple[str, ...]  # capitalised, for the start of a title
    long: str  # first mention in an abstract; defines the short form
    short: str  # later mentions (plural subject)
    origin: str  # "isolated from <origin>"
    noun: str  # "Exosomes", "Extracellular vesicles" or "Exosome-like nanovesicles"
    mesh: tuple[MeshEntry, ...]
    keyword: str
    only_for: tuple[str, ...] = ()  # indications this source is limited to (empty: any)
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Method:
    key: str
    phrases: tuple[str, ...]
    mesh: Mesh | None = None
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Mechanism:
    key: str
    results: tuple[str, ...]  # predicates: "<short> {result}"
    title: str  # noun phrase for "via ..." in titles
    negated: str  # noun phrase for "did not alter ..."
    mesh: tuple[MeshEntry, ...]
    fibrotic: tuple[str, ...] = ()  # predicates for scar conditions, where the aim is to damp the pathway


@dataclass(frozen=True, slots=True)
class Delivery:
    key: str
    clinical: str  # how a clinical study gave the vesicles
    animal: str  # how an animal study gave them ("" if not used in animals)
    title: str  # for clinical titles ("" if none)
    mesh: tuple[MeshEntry, ...]


_DATA = load("vocabulary.json")


def _build(cls: type, raw: dict[str, Any]) -> Any:
    """One table row: its fields as tuples, its MeSH keys resolved."""
    fields = tuples(raw)
    mesh = raw.get("mesh")
    if isinstance(mesh, list):
        fields["mesh"] = b.entries(mesh)
    elif mesh is not None:
        fields["mesh"] = b.MESH[mesh]
    return cls(**fields)


SOURCES: tuple[Source, ...] = tuple(_build(Source, raw) for raw in _DATA["sources"])
SOURCE_BY_KEY = {s.key: s for s in SOURCES}

# Plant species: (name in text, abbreviation, MeSH).
PLANTS: tuple[tuple[str, str, Mesh], ...] = tuple((name, abbr, b.MESH[mesh]) for name, abbr, mesh in _DATA["plants"])

ISOLATION: tuple[Method, ...] = tuple(_build(Method, raw) for raw in _DATA["isolation"])
# Particle and morphology methods; markers are handled separately below.
CHARACTERIZATION: tuple[Method, ...] = tuple(_build(Method, raw) for raw in _DATA["characterization"])
POSITIVE_MARKERS: tuple[str, ...] = tuples(_DATA["positive_markers"])
NEGATIVE_MARKERS: tuple[str, ...] = tuples(_DATA["negative_markers"])
MARKER_CLASS: dict[str, str] = _DATA["marker_class"]

MECHANISMS: tuple[Mechanism, ...] = tuple(_build(Mechanism, raw) for raw in _DATA["mechanisms"])
MECHANISM_BY_KEY = {m.key: m for m in MECHANISMS}
# Pathways a negated sentence may name without touching any indication's wording.
NEGATABLE: tuple[str, ...] = tuples(_DATA["negatable"])

DELIVERY: tuple[Delivery, ...] = tuple(_build(Delivery, raw) for raw in _DATA["delivery"])
DELIVERY_BY_KEY = {d.key: d for d in DELIVERY}

DOSES_IN_VITRO: tuple[str, ...] = tuples(_DATA["doses_in_vitro"])
DOSES_ANIMAL: tuple[str, ...] = tuples(_DATA["doses_animal"])
DOSES_CLINICAL: tuple[str, ...] = tuples(_DATA["doses_clinical"])

# Adverse events a clinical abstract may report, worded to be read as events ("transient erythema").
ADVERSE_EVENTS: tuple[str, ...] = tuples(_DATA["adverse_events"])
SERIOUS_EVENTS: tuple[str, ...] = tuples(_DATA["serious_events"])
FOLLOW_UP_WEEKS: tuple[int, ...] = tuples(_DATA["follow_up_weeks"])

# Study designs (taxonomy ids) with sampling weights for relevant studies.
DESIGN_WEIGHTS: dict[str, float] = _DATA["design_weights"]
PRECLINICAL = frozenset(_DATA["preclinical"])
CLINICAL = frozenset(_DATA["clinical"])
REVIEWS = frozenset(_DATA["reviews"])
SPECIES: dict[str, tuple[Mesh, str]] = {key: (b.MESH[mesh], word) for key, (mesh, word) in _DATA["species"].items()}
