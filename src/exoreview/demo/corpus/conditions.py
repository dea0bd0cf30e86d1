"""The conditions synthetic studies treat, one per taxonomy sub-class of indication.

Each background sentence names the condition with at least one phrase of the seed
review's second search block (aesthetic, wrinkles, photoaging, hair loss, hair growth,
melasma, pigmentation, skin rejuvenation), so an abstract always matches the seed
query. Background sentences avoid "patients" and other words that would signal human
participants, because they are shared by in vitro and animal studies. The table lives in
data/conditions.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exoreview.demo.corpus import bibliography as b
from exoreview.demo.corpus.tables import load, tuples
from exoreview.demo.corpus.vocabulary import MeshEntry

_DATA = load("conditions.json")

# Descriptors of the seed query's second block, after explosion; a condition without
# one of them gets "Esthetics" so its MEDLINE indexing alone matches the query.
_BLOCK2_UIS = frozenset(_DATA["block2_uis"])


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    indication: str  # taxonomy class id
    name: str  # as named in running text
    target: str  # what vesicles act on, for titles ("hair growth")
    polarity: str  # "promote" or "reduce": which verbs fit the target
    mesh: tuple[MeshEntry, ...]
    background: tuple[str, ...]
    cells: str  # in vitro target cells
    explant: str  # ex vivo tissue
    models: dict[str, str]  # species -> animal model
    readout: str  # what improves in preclinical work
    population: str  # clinical population, after a count ("24 women with melasma")
    endpoint: str  # primary clinical endpoint
    site: str  # "face", "scalp" or "body"
    comparator: str
    mechanisms: tuple[str, ...]
    deliveries: tuple[str, ...]  # clinical delivery routes that fit
    keywords: tuple[str, ...]
    fibrotic: bool = False
    weight: float = 1.0
    implied: tuple[str, ...] = ()  # delivery classes the condition's own wording already names
    case_phrase: str = ""  # follows "12 patients" / "a 45-year-old woman"; default "with <name>"
    needs_esthetics: bool = field(init=False)

    def __post_init__(self) -> None:
        if not self.case_phrase:
            object.__setattr__(self, "case_phrase", f"with {self.name}")
        object.__setattr__(self, "needs_esthetics", not any(m[0][1] in _BLOCK2_UIS for m in self.mesh))


CONDITIONS: tuple[Condition, ...] = tuple(Condition(**{**tuples(raw), "mesh": b.entries(raw["mesh"])})
                                          for raw in _DATA["conditions"])
CONDITION_BY_KEY = {c.key: c for c in CONDITIONS}
INDICATIONS: tuple[str, ...] = tuples(_DATA["indications"])
# How reviews and off-topic abstracts name a whole indication.
INDICATION_PHRASES: dict[str, str] = _DATA["indication_phrases"]
