"""Ground truth for synthetic records, kept outside `Record` so no stage can peek at it.

Facet names and class ids are those of the built-in taxonomy, and each facet lists
exactly the classes the record's text expresses (not negated, not merely hedged),
which is what downstream tests compare a classifier against. Negated and hedged
mechanisms are listed apart so tests can check that a classifier leaves them out.
"""

from __future__ import annotations

from typing import Any

from exoreview.demo.corpus import vocabulary as v
from exoreview.demo.corpus.records_kit import deliveries_of
from exoreview.demo.corpus.writing import Study
from exoreview.records import Record

DATE_RANGE = (2014, 2024)  # the seed review's publication-date filter
FACETS = ("indication", "ev_source", "isolation", "characterization", "design", "subjects", "species",
          "mechanism", "delivery", "safety")


def _base(record: Record) -> dict[str, Any]:
    year = record.year or 0
    in_range = DATE_RANGE[0] <= year <= DATE_RANGE[1]
    return {
        "pmid": record.pmid, "doi": record.doi, "relevant": False, "noise": None, "include": False,
        "retracted": False, "language": record.languages[0] if record.languages else "", "year": year,
        "in_date_range": in_range, "free_full_text": record.free_full_text,
        "has_abstract": bool(record.abstract), "duplicate_of": None, "duplicate_kind": None,
        "indication": [], "condition": [], "ev_source": [], "ev_source_detail": None, "isolation": [],
        "characterization": [], "design": None, "subjects": [], "species": [], "mechanism": [],
        "mechanism_negated": [], "mechanism_hedged": [], "delivery": [], "safety": [], "adverse_events": [],
        "follow_up_weeks": None, "dose": None, "outcome": None, "hedged": False, "n_participants": None,
    }


def off_topic_truth(record: Record, noise: str) -> dict[str, Any]:
    truth = _base(record)
    truth["noise"] = noise
    return truth


def _characterization(study: Study) -> list[str]:
    classes = [m.key for m in study.characterization]
    if study.western:
        classes.append("western_blot")
    classes.extend(v.MARKER_CLASS[m] for m in study.markers_pos + study.markers_neg)
    if study.protein:
        classes.append("protein_quantification")
    if study.ratio:
        classes.append("particle_protein_ratio")
    return classes


def _subjects(study: Study) -> list[str]:
    if study.design in v.CLINICAL:
        return ["human"]
    if study.design == "animal":
        return ["animal", "in_vitro"] if study.with_in_vitro else ["animal"]
    if study.design in v.PRECLINICAL:
        return [study.design]
    return []


def _classes(study: Study) -> dict[str, Any]:
    """What the study is about: the taxonomy classes a perfect classifier would read off its text."""
    conditions = [study.condition] if study.condition else study.conditions
    sources = [study.source] if study.source else study.sources
    return {
        "indication": list(dict.fromkeys(c.indication for c in conditions)),
        "condition": [c.key for c in conditions] if study.condition else [],
        "ev_source": [s.key for s in sources],
        "ev_source_detail": v.PLANTS[study.plant][0] if study.plant >= 0 else None,
        "isolation": [m.key for m in study.isolation],
        "characterization": _characterization(study),
        "design": study.design,
        "subjects": _subjects(study),
        "species": [study.species] if study.species else [],
        "mechanism": [m.key for m in study.mechanisms],
        "mechanism_negated": [study.mechanism_negated.key] if study.mechanism_negated else [],
        "mechanism_hedged": [study.mechanism_hedged.key] if study.mechanism_hedged else [],
    }


def _findings(study: Study) -> dict[str, Any]:
    """What the study did and found: delivery, safety, dose, outcome."""
    return {
        "delivery": deliveries_of(study),
        "safety": list(study.safety),
        "adverse_events": [*study.events, *([study.serious] if study.serious else [])],
        "follow_up_weeks": study.follow_up or None,
        "dose": study.dose or None,
        "outcome": study.outcome if study.design not in v.REVIEWS else None,
        "hedged": study.hedged,
        "n_participants": study.n or None,
    }


def study_truth(record: Record, study: Study) -> dict[str, Any]:
    """Truth for a relevant record; `include` applies the seed protocol's filters and criteria."""
    truth = _base(record)
    truth["relevant"] = True
    truth.update(_classes(study))
    truth.update(_findings(study))
    truth["retracted"] = record.is_retracted
    truth["include"] = (truth["in_date_range"] and record.free_full_text and truth["language"] == "eng"
                        and not truth["retracted"])
    return truth
