"""Irrelevant records that the seed query still retrieves, so screening has real work.

Two families: vesicle studies outside aesthetics (oncology, neurology, cardiology)
that carry a second-block term through a MeSH heading or a passing phrase (glial
scar, brain rejuvenation, tumour pigmentation), and aesthetic studies without
vesicles that name exosomes only in passing. Placeholders {n}, {pct}, {p} and
{months} are filled per record so repeated kinds do not produce identical text. The kinds live
in data/offtopic.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exoreview.demo.corpus import bibliography as b
from exoreview.demo.corpus.bibliography import Mesh
from exoreview.demo.corpus.tables import load, tuples
from exoreview.demo.corpus.vocabulary import MeshEntry


@dataclass(frozen=True, slots=True)
class OffTopic:
    noise: str  # ground-truth label for why the record is irrelevant
    titles: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]
    mesh: tuple[MeshEntry, ...]
    publication_types: tuple[tuple[str, str], ...] = (b.PT_JOURNAL_ARTICLE,)
    weight: float = 1.0
    slots: tuple[tuple[str, tuple[str, ...]], ...] = ()  # per-record variants, so titles rarely repeat


_DATA = load("offtopic.json")
# Headings only these records use, then everything bibliography.py knows.
_MESH: dict[str, Mesh] = {**b.MESH, **{key: (name, ui) for key, (name, ui) in _DATA["mesh"].items()}}


def _kind(raw: dict[str, Any]) -> OffTopic:
    fields = {**tuples(raw), "mesh": b.entries(raw["mesh"], _MESH)}
    if "publication_types" in raw:
        fields["publication_types"] = tuple(_MESH[key] for key in raw["publication_types"])
    return OffTopic(**fields)


OFF_TOPIC: tuple[OffTopic, ...] = tuple(_kind(raw) for raw in _DATA["kinds"])
OFF_TOPIC_WEIGHTS = tuple(o.weight for o in OFF_TOPIC)
