"""Turning a planned study (or an off-topic kind) into a `Record`: ids, people, journal, MeSH.

Pools of names, affiliations and journals are built once at import; per record the
kit only draws indices and constructs the dataclasses, which is what keeps large
corpora fast.
"""

from __future__ import annotations

from exoreview.demo.corpus import bibliography as b
from exoreview.demo.corpus import vocabulary as v
from exoreview.demo.corpus.dice import Dice
from exoreview.demo.corpus.offtopic import OffTopic
from exoreview.demo.corpus.vocabulary import MeshEntry
from exoreview.demo.corpus.writing import Study
from exoreview.records import (
    AbstractSection,
    Author,
    Journal,
    MeshHeading,
    MeshQualifier,
    PubDate,
    PublicationType,
    Record,
)

DOI_PREFIX = "10.99999/exoreview-synthetic."
PMCID_OFFSET = 9_000_000  # PMID 90000001 -> PMC99000001, above any real PMCID

# Every (surname, first name, initials) triple, built once: one draw per author instead of three.
_PEOPLE = tuple((head + tail, fore, "".join(part[0].upper() for part in fore.split("-")))
                for head in b.SURNAME_HEADS for tail in b.SURNAME_TAILS for fore in b.FIRST_NAMES)
_AFFILIATIONS = tuple(f"{dept}, {inst}, {city}, {country}." for dept in b.DEPARTMENTS
                      for inst, city, country in b.INSTITUTIONS)
_MIDDLE = "ABCDEFGHJKLMNPRST"
_JOURNALS = tuple((title, iso, b.issn(stem), b.issn(str(int(stem) + 500)), f"99{stem[3:]}")
                  for title, iso, stem in b.JOURNALS)
_ALT_LABELS = {"BACKGROUND": "INTRODUCTION", "OBJECTIVE": "AIMS", "METHODS": "MATERIALS AND METHODS",
               "RESULTS": "RESULTS", "CONCLUSIONS": "CONCLUSION"}
_DESIGN_TYPES = {
    "in_vitro": (b.PT_JOURNAL_ARTICLE,), "ex_vivo": (b.PT_JOURNAL_ARTICLE,), "animal": (b.PT_JOURNAL_ARTICLE,),
    "case_report": (b.PT_CASE_REPORTS, b.PT_JOURNAL_ARTICLE), "case_series": (b.PT_JOURNAL_ARTICLE,),
    "nonrandomized_trial": (b.PT_CLINICAL_TRIAL, b.PT_JOURNAL_ARTICLE),
    "split_face": (b.PT_COMPARATIVE, b.PT_JOURNAL_ARTICLE), "rct": (b.PT_JOURNAL_ARTICLE, b.PT_RCT),
    "narrative_review": (b.PT_JOURNAL_ARTICLE, b.PT_REVIEW),
    "systematic_review": (b.PT_JOURNAL_ARTICLE, b.PT_REVIEW, b.PT_SYSTEMATIC_REVIEW),
    "meta_analysis": (b.PT_JOURNAL_ARTICLE, b.PT_META_ANALYSIS, b.PT_REVIEW, b.PT_SYSTEMATIC_REVIEW),
}
_DESIGN_TAGS: dict[str, tuple[MeshEntry, ...]] = {
    "in_vitro": ((b.HUMANS, None, False), (b.CELLS_CULTURED, None, False)),
    "ex_vivo": ((b.HUMANS, None, False), (b.ORGAN_CULTURE, None, False)),
    "animal": ((b.ANIMALS, None, False),),
    "case_report": ((b.HUMANS, None, False), (b.ADULT, None, False), (b.TREATMENT_OUTCOME, None, False)),
    "case_series": ((b.HUMANS, None, False), (b.ADULT, None, False), (b.TREATMENT_OUTCOME, None, False)),
    "nonrandomized_trial": ((b.HUMANS, None, False), (b.ADULT, None, False), (b.PROSPECTIVE, None, False),
                            (b.TREATMENT_OUTCOME, None, False)),
    "split_face": ((b.HUMANS, None, False), (b.ADULT, None, False), (b.MIDDLE_AGED, None, False),
                   (b.TREATMENT_OUTCOME, None, False)),
    "rct": ((b.HUMANS, None, False), (b.ADULT, None, False), (b.DOUBLE_BLIND, None, False),
            (b.TREATMENT_OUTCOME, None, False)),
    "narrative_review": ((b.HUMANS, None, False), (b.ANIMALS, None, False)),
    "systematic_review": ((b.HUMANS, None, False),),
    "meta_analysis": ((b.HUMANS, None, False),),
}
_EV_QUALIFIERS = (b.Q_METABOLISM, b.Q_TRANSPLANTATION, b.Q_CHEMISTRY, None)
_EV_ONLY = frozenset({"plant", "synthetic_mimetic", "bacteria"})  # not called exosomes by indexers


def heading(entry: MeshEntry) -> MeshHeading:
    (name, ui), qualifier, major = entry
    if qualifier is None:
        return MeshHeading(name, ui, major)
    # PubMed stars the qualifier, not the descriptor, when a starred heading has one.
    return MeshHeading(name, ui, False, [MeshQualifier(qualifier[0], qualifier[1], major)])


def headings(entries: list[MeshEntry]) -> list[MeshHeading]:
    seen: dict[str, MeshEntry] = {}
    for entry in entries:
        seen.setdefault(entry[0][1], entry)
    return [heading(e) for e in sorted(seen.values(), key=lambda e: e[0][0].casefold())]


def deliveries_of(study: Study) -> list[str]:
    """Delivery classes the text names: the chosen routes plus any the condition's wording implies."""
    keys = [x.key for x in study.deliveries]
    if study.condition is not None:
        keys.extend(k for k in study.condition.implied if k not in keys)
    return keys


class RecordKit:
    def __init__(self, dice: Dice) -> None:
        self.d = dice

    @staticmethod
    def main_indication(study: Study) -> str:
        return study.condition.indication if study.condition else study.conditions[0].indication

    @staticmethod
    def citation(record: Record) -> str:
        j = record.journal
        return f"{j.iso_abbreviation}. {record.pub_date.year};{j.volume}({j.issue}):{j.pages}"

    def bare(self, pmid: str, year: int, free: bool) -> Record:
        d = self.d
        title, iso, issn_print, issn_electronic, nlm_id = d.pick(_JOURNALS)
        if d.chance(0.5):
            pages = f"e{d.between(100, 9999)}"
        else:
            start = d.between(1, 900)
            pages = f"{start}-{start + d.between(4, 14)}"
        journal = Journal(title, iso, issn_print, issn_electronic, issn_print, nlm_id, str(year - 2004),
                          str(d.between(1, 12)), pages)
        month = d.between(1, 12)
        date = PubDate(year, month, d.between(1, 28) if d.chance(0.9) else None)
        return Record(
            pmid=pmid, doi=DOI_PREFIX + pmid, pmcid=f"PMC{int(pmid) + PMCID_OFFSET}" if free and d.chance(0.85) else "",
            journal=journal, pub_date=date, authors=self._authors(d.between(2, 8)), languages=["eng"],
            free_full_text=free, synthetic=True, status="MEDLINE",
        )

    def _authors(self, k: int) -> list[Author]:
        rnd = self.d.random
        first = _AFFILIATIONS[int(rnd() * len(_AFFILIATIONS))]
        last = _AFFILIATIONS[int(rnd() * len(_AFFILIATIONS))] if rnd() < 0.4 else first
        authors = []
        for i in range(k):
            surname, fore, initials = _PEOPLE[int(rnd() * len(_PEOPLE))]
            if rnd() < 0.25:
                initials += _MIDDLE[int(rnd() * len(_MIDDLE))]
            authors.append(Author(surname, fore, initials, "", [last if i == k - 1 else first]))
        return authors

    def _abstract(self, sections: list[tuple[str, str]], unstructured_rate: float) -> list[AbstractSection]:
        d = self.d
        r = d.random()
        if r < unstructured_rate:
            return [AbstractSection(" ".join(text for _, text in sections))]
        if r < unstructured_rate + (1 - unstructured_rate) * 0.3:
            merged: list[tuple[str, str]] = []
            for cat, text in sections:
                if cat == "OBJECTIVE" and merged and merged[-1][0] == "BACKGROUND":
                    merged[-1] = ("BACKGROUND", f"{merged[-1][1]} {text}")
                else:
                    merged.append((cat, text))
            sections = merged
        if d.chance(0.2):
            return [AbstractSection(text, _ALT_LABELS[cat], cat) for cat, text in sections]
        return [AbstractSection(text, cat, cat) for cat, text in sections]

    def _status(self, year: int, has_abstract: bool) -> str:
        r = self.d.random()
        if not has_abstract or r < 0.8:
            return "MEDLINE"  # an abstract-less record keeps its MeSH so the seed query still finds it
        if r < 0.9 or year < 2024:
            return "PubMed-not-MEDLINE"
        return "In-Data-Review" if r < 0.95 else "Publisher"

    def article(self, pmid: str, year: int, free: bool, study: Study, title: str,
                sections: list[tuple[str, str]], language: str) -> Record:
        d = self.d
        record = self.bare(pmid, year, free)
        record.title = f"{title}." if language == "eng" else f"[{title}]."
        if sections:
            record.abstract = self._abstract(sections, 0.6 if study.design == "narrative_review" else 0.2)
        record.languages = [language]
        record.status = self._status(year, bool(sections))
        if record.status == "MEDLINE":
            record.mesh = headings(self._mesh(study))
        types = [PublicationType(*pt) for pt in _DESIGN_TYPES[study.design]]
        if d.chance(0.3):
            types.append(PublicationType(*b.PT_RESEARCH_SUPPORT))
            record.grants = [f"{d.pick(b.GRANT_AGENCIES)} SYN-{year}-{d.between(100, 999)}"]
        if language != "eng" and sections:
            types.append(PublicationType(*b.PT_ENGLISH_ABSTRACT))
        record.publication_types = types
        record.keywords = self._keywords(study)
        return record

    def _mesh(self, study: Study) -> list[MeshEntry]:
        d = self.d
        source = study.source
        ev = b.EXTRACELLULAR_VESICLES if (source and source.key in _EV_ONLY) or d.chance(0.2) else b.EXOSOMES
        entries: list[MeshEntry] = [(ev, d.pick(_EV_QUALIFIERS), True)]
        conditions = [study.condition] if study.condition else study.conditions
        for c in conditions:
            entries.extend(c.mesh)
            if c.needs_esthetics:
                entries.append((b.ESTHETICS, None, False))
        if source is not None:
            entries.extend(source.mesh)
            if study.plant >= 0:
                entries.append((v.PLANTS[study.plant][2], b.Q_CHEMISTRY, False))
        for m in study.mechanisms[:2]:
            entries.extend(m.mesh)
        for key in deliveries_of(study):
            entries.extend(v.DELIVERY_BY_KEY[key].mesh)
        if study.isolation and d.chance(0.4) and study.isolation[0].mesh:
            entries.append((study.isolation[0].mesh, b.Q_METHODS, False))
        entries.extend(_DESIGN_TAGS[study.design])
        if study.design == "animal":
            entries.append((v.SPECIES[study.species][0], None, False))
        elif study.sex:
            entries.append((b.FEMALE if study.sex == "woman" else b.MALE, None, False))
        return entries

    @staticmethod
    def _keywords(study: Study) -> list[str]:
        words = ["extracellular vesicles" if study.names[4] == "Extracellular vesicles" else "exosomes"]
        for c in [study.condition] if study.condition else study.conditions:
            words.extend(c.keywords)
        if study.source is not None:
            words.append(study.source.keyword)
        return words

    def off_topic(self, pmid: str, year: int, free: bool, kind: OffTopic, title: str,
                  sections: list[tuple[str, str]]) -> Record:
        record = self.bare(pmid, year, free)
        record.title = f"{title}."
        record.abstract = self._abstract(sections, 0.2)
        record.mesh = headings(list(kind.mesh))  # always indexed: its MeSH is what the seed query matches
        record.publication_types = [PublicationType(*pt) for pt in kind.publication_types]
        return record
