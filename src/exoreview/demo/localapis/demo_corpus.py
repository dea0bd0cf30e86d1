"""What the offline demo's Europe PMC, OpenAlex and ClinicalTrials.gov servers answer.

All of it is SYNTHETIC and comes from the same demo corpus as the demo's PubMed
service, the way real databases overlap:

- Europe PMC indexes MEDLINE, so it serves a subset of the PubMed records as
  they are (same PMID and DOI): deduplication merges them by identifier.
- OpenAlex serves works written from another subset through the OpenAlex
  writer (`formats.openalex`); a third of them keep their PMID, a third lose
  it but keep the DOI, a third lose both and differ in title case, so the
  fuzzy deduplicator has real work.
- ClinicalTrials.gov serves the synthetic registry (`localapis.ctgov`): EV
  trials in skin or hair conditions (what the protocol asks for), EV trials
  elsewhere and skin trials without EVs.

Each view is deterministic in the demo seed.
"""

from __future__ import annotations

import json
from typing import Any

from exoreview.demo.corpus.dice import Dice
from exoreview.demo.localapis.ctgov import synthetic_trials
from exoreview.formats.openalex import write_openalex_json
from exoreview.records import Record

EUROPEPMC_SHARE = 0.6  # of the PubMed records, how many Europe PMC also has
OPENALEX_SHARE = 0.5
# How an OpenAlex work differs from its PubMed twin, cycled over the chosen records.
OPENALEX_VARIANTS = ("same_ids", "doi_only", "no_ids")
# PubMed publication type -> OpenAlex work type, for the notices OpenAlex types as such.
NOTICE_WORK_TYPES = (("Published Erratum", "erratum"), ("Retraction of Publication", "retraction"))
OPENALEX_ID_BASE = 9_900_000_000  # W99…: far from real OpenAlex ids, and obviously made up


def europepmc_records(pubmed: list[Record], seed: int) -> list[Record]:
    """The PubMed records Europe PMC also holds, unchanged."""
    dice = Dice(seed * 7331 + 1)
    return [r for r in pubmed if dice.chance(EUROPEPMC_SHARE)]


def openalex_copy(record: Record, variant: str, number: int) -> Record:
    """A record as OpenAlex would hold it: its own id, and maybe fewer identifiers."""
    copy = Record.from_dict(record.to_dict())
    copy.openalex_id = f"W{OPENALEX_ID_BASE + number}"
    types = {p.name for p in record.publication_types}
    # OpenAlex types notices as such; without it a notice's copy would look like an article to dedup.
    copy.work_type = next((w for pt, w in NOTICE_WORK_TYPES if pt in types), copy.work_type)
    if variant in ("doi_only", "no_ids"):
        copy.pmid, copy.pmcid = "", ""
        copy.mesh = []  # OpenAlex has MeSH only for works it matched to PubMed
    if variant == "no_ids":
        copy.doi = ""
        copy.title = copy.title.lower() if number % 2 else copy.title.upper()
    return copy


def openalex_works(pubmed: list[Record], seed: int) -> list[dict[str, Any]]:
    """OpenAlex work objects for a subset of the PubMed records, written by exoreview's OpenAlex writer."""
    dice = Dice(seed * 7331 + 2)
    chosen = [r for r in pubmed if dice.chance(OPENALEX_SHARE)]
    copies = [openalex_copy(r, OPENALEX_VARIANTS[n % len(OPENALEX_VARIANTS)], n + 1) for n, r in enumerate(chosen)]
    return json.loads(write_openalex_json(copies))


def registry(seed: int) -> list[dict]:
    """The synthetic ClinicalTrials.gov registry the demo searches."""
    return synthetic_trials(seed=seed)
