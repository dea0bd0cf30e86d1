"""Bibliographic vocabulary: MeSH identifiers, publication types, invented people and journals.

The lists live in data/bibliography.json; the MeSH table maps a key (the name the other data files use)
to a (name, UI) pair.

Descriptor and qualifier names and UIs are real (checked against the 2017 MeSH tree
in ../shared/data/mesh and NLM's publication-type list) so the local E-utilities
service can explode and filter on them exactly as PubMed would. Everything that
identifies a person, an institution or a journal is invented: the corpus must never
look like it attributes a claim to a real author.
"""

from __future__ import annotations

from typing import Any

from exoreview.demo.corpus.tables import load, tuples

Mesh = tuple[str, str]  # (descriptor name, descriptor UI); qualifiers and publication types have the same shape
MeshEntry = tuple[Mesh, Mesh | None, bool]  # descriptor, qualifier, major

_DATA = load("bibliography.json")

# Descriptors (2017 MeSH), qualifiers (Q_) and publication types (PT_), by key.
MESH: dict[str, Mesh] = {key: (name, ui) for key, (name, ui) in _DATA["mesh"].items()}

# The ones the record writer names in code; the data files name the rest by key.
EXOSOMES = MESH["EXOSOMES"]
EXTRACELLULAR_VESICLES = MESH["EXTRACELLULAR_VESICLES"]
ESTHETICS = MESH["ESTHETICS"]
HUMANS = MESH["HUMANS"]
ANIMALS = MESH["ANIMALS"]
MALE = MESH["MALE"]
FEMALE = MESH["FEMALE"]
ADULT = MESH["ADULT"]
MIDDLE_AGED = MESH["MIDDLE_AGED"]
CELLS_CULTURED = MESH["CELLS_CULTURED"]
ORGAN_CULTURE = MESH["ORGAN_CULTURE"]
TREATMENT_OUTCOME = MESH["TREATMENT_OUTCOME"]
DOUBLE_BLIND = MESH["DOUBLE_BLIND"]
PROSPECTIVE = MESH["PROSPECTIVE"]
Q_METABOLISM = MESH["Q_METABOLISM"]
Q_CHEMISTRY = MESH["Q_CHEMISTRY"]
Q_TRANSPLANTATION = MESH["Q_TRANSPLANTATION"]
Q_METHODS = MESH["Q_METHODS"]
PT_JOURNAL_ARTICLE = MESH["PT_JOURNAL_ARTICLE"]
PT_REVIEW = MESH["PT_REVIEW"]
PT_RCT = MESH["PT_RCT"]
PT_CLINICAL_TRIAL = MESH["PT_CLINICAL_TRIAL"]
PT_CASE_REPORTS = MESH["PT_CASE_REPORTS"]
PT_SYSTEMATIC_REVIEW = MESH["PT_SYSTEMATIC_REVIEW"]
PT_META_ANALYSIS = MESH["PT_META_ANALYSIS"]
PT_COMPARATIVE = MESH["PT_COMPARATIVE"]
PT_RESEARCH_SUPPORT = MESH["PT_RESEARCH_SUPPORT"]
PT_ENGLISH_ABSTRACT = MESH["PT_ENGLISH_ABSTRACT"]
PT_RETRACTED = MESH["PT_RETRACTED"]
PT_RETRACTION_NOTICE = MESH["PT_RETRACTION_NOTICE"]
PT_ERRATUM = MESH["PT_ERRATUM"]
PT_CONGRESS = MESH["PT_CONGRESS"]

# -- Invented people -------------------------------------------------------------------------
# Surnames are stitched from syllables so that no generated name is a real, known
# researcher's; first names are common given names that identify nobody on their own.
SURNAME_HEADS: tuple[str, ...] = tuples(_DATA["surname_heads"])
SURNAME_TAILS: tuple[str, ...] = tuples(_DATA["surname_tails"])
FIRST_NAMES: tuple[str, ...] = tuples(_DATA["first_names"])
DEPARTMENTS: tuple[str, ...] = tuples(_DATA["departments"])
INSTITUTIONS: tuple[tuple[str, str, str], ...] = tuples(_DATA["institutions"])  # name, city, country
GRANT_AGENCIES: tuple[str, ...] = tuples(_DATA["grant_agencies"])

# -- Invented journals (title, ISO abbreviation, print ISSN stem) ----------------------------
# ISSN stems start at 9990 so they read as ISSNs but sit far from the blocks real
# dermatology journals use; the check digit is computed so validators accept them.
JOURNALS: tuple[tuple[str, str, str], ...] = tuples(_DATA["journals"])
CONFERENCES: tuple[str, ...] = tuples(_DATA["conferences"])


def entries(raw: list[list[Any]], table: dict[str, Mesh] = MESH) -> tuple[MeshEntry, ...]:
    """MeSH entries from a data file: each [descriptor key, qualifier key or null, major]."""
    return tuple((table[descriptor], table[qualifier] if qualifier else None, major)
                 for descriptor, qualifier, major in raw)


def issn(stem: str) -> str:
    """A 7-digit stem plus its ISSN check digit (mod 11, X for 10), formatted NNNN-NNNC."""
    total = sum(int(d) * w for d, w in zip(stem, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{stem[:4]}-{stem[4:]}{'X' if check == 10 else check}"
