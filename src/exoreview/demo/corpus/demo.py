"""The offline demo's corpus: what the local PubMed service serves, plus a hand search.

`pubmed` is the first 400 records of the synthetic stream. `hand_search` imitates a
colleague's reference-manager export (the kind of file that arrives as RIS): about
half of it repeats PubMed records with the cosmetic differences such exports have
(no PMID, DOI written as a URL or in capitals, title case changed, punctuation
lost, DOI missing), and the rest is new, mostly conference abstracts with neither
PMID nor DOI. `truth` holds ground truth for both parts, keyed by `truth_key`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from exoreview.demo.corpus import bibliography as b
from exoreview.demo.corpus.dice import Dice
from exoreview.demo.corpus.offtopic import OFF_TOPIC
from exoreview.demo.corpus.planner import Planner
from exoreview.demo.corpus.records_kit import DOI_PREFIX, RecordKit
from exoreview.demo.corpus.synthetic import iter_labelled, write_off_topic, write_study
from exoreview.demo.corpus.truth import off_topic_truth, study_truth
from exoreview.records import AbstractSection, Author, PubDate, PublicationType, Record

DEMO_SIZE = 400
HAND_SEARCH_DUPLICATES = 20
HAND_SEARCH_NEW = 20
OFF_TOPIC_SLOTS = (5, 12, 19)  # new hand-search records that turn out irrelevant on screening
# How each duplicate differs from its PubMed twin, cycled over the duplicates.
DUPLICATE_KINDS = ("doi", "title_year")
_WORDS = re.compile(r"[^\W_]+")


def _norm_title(title: str) -> str:
    return " ".join(_WORDS.findall(title.lower()))


def truth_key(record: Record) -> str:
    """PMID if the record has one, else its DOI (lower case), else 'title:' + its normalized title."""
    if record.pmid:
        return record.pmid
    if record.doi:
        return record.doi.lower()
    return "title:" + _norm_title(record.title)


@dataclass
class DemoCorpus:
    pubmed: list[Record]
    hand_search: list[Record]
    truth: dict[str, dict[str, Any]] = field(default_factory=dict)
    seed: int = 2025

    def truth_of(self, record: Record) -> dict[str, Any]:
        return self.truth[truth_key(record)]


def _restyle_title(title: str, dice: Dice) -> str:
    """Cosmetic differences a reference manager introduces; the words themselves stay the same."""
    text = title.rstrip(".")
    style = dice.between(0, 3)
    if style == 0:
        text = text.lower()
    elif style == 1:
        text = " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    elif style == 2:
        text = text.replace("-", " ").replace(":", " -")
    else:
        text = text.upper() if dice.chance(0.3) else text.replace(",", "").replace(":", ".")
    return text


def _as_export(record: Record, dice: Dice) -> Record:
    """A copy of `record` as a reference manager would export it: no MeSH, flat abstract, fewer ids."""
    copy = Record.from_dict(record.to_dict())
    copy.mesh, copy.status, copy.pmcid, copy.corrections = [], "", "", []
    copy.publication_types = [PublicationType(*b.PT_JOURNAL_ARTICLE)]
    copy.abstract = [AbstractSection(record.abstract_text.replace("\n", " "))] if dice.chance(0.7) else []
    if dice.chance(0.3):
        copy.authors = copy.authors[:3]
    for author in copy.authors:
        author.affiliations = []
    if dice.chance(0.5):
        copy.journal.title = copy.journal.iso_abbreviation
    copy.pub_date = PubDate(record.pub_date.year)
    return copy


def _duplicates(pubmed: list[Record], truth: dict[str, dict[str, Any]], dice: Dice) -> list[Record]:
    titles = {}
    for r in pubmed:
        key = _norm_title(r.title)
        titles[key] = titles.get(key, 0) + 1
    # English relevant articles with an abstract and a title no other PubMed record shares.
    candidates = [r for r in pubmed if truth[r.pmid]["relevant"] and r.abstract and r.languages == ["eng"]
                  and titles[_norm_title(r.title)] == 1]
    chosen = dice.sample(candidates, HAND_SEARCH_DUPLICATES)
    out = []
    for i, original in enumerate(chosen):
        kind = DUPLICATE_KINDS[i % len(DUPLICATE_KINDS)]
        copy = _as_export(original, dice)
        copy.pmid = ""  # reference managers rarely export PMIDs; matching must use DOI or title
        if kind == "doi":
            copy.doi = dice.pick((f"https://doi.org/{original.doi}", original.doi.upper(), f"doi:{original.doi}"))
            if dice.chance(0.5):
                copy.title = _restyle_title(original.title, dice)
        elif kind == "title_year":
            copy.doi = ""
            copy.title = _restyle_title(original.title, dice)
        entry = dict(truth[original.pmid])
        entry.update(pmid=copy.pmid, doi=copy.doi, duplicate_of=original.pmid, duplicate_kind=kind,
                     has_abstract=bool(copy.abstract))
        truth[truth_key(copy)] = entry
        out.append(copy)
    return out


TITLE_TRIES = 50  # fresh titles drawn for a hand-search slot before one is told apart by a subtitle


def _unused_title(title: str, taken: set[str], tries: int, slot: int) -> str:
    """The title, or once a slot has drawn TITLE_TRIES titles all taken (a large corpus uses up the
    templates), the title with a subtitle naming the slot's report, which no PubMed record carries."""
    if tries <= TITLE_TRIES or _norm_title(title) not in taken:
        return title
    return f"{title}: regional practice report {slot}"


def _new_records(seed: int, truth: dict[str, dict[str, Any]], taken: set[str]) -> list[Record]:
    """Studies PubMed does not have: conference abstracts and articles in unindexed journals."""
    dice = Dice(seed * 7919 + 17)  # a stream of its own, so the PubMed part does not depend on it
    planner, kit = Planner(dice), RecordKit(dice)
    out: list[Record] = []
    aesthetic_only = [kind for kind in OFF_TOPIC if kind.noise == "aesthetic_without_ev"]
    tries = 0
    while len(out) < HAND_SEARCH_NEW:
        n = len(out) + 1
        tries += 1
        year = dice.between(2012, 2025)
        if n in OFF_TOPIC_SLOTS:
            kind = dice.pick(aesthetic_only)
            title, sections = write_off_topic(kind, dice)
            title = _unused_title(title, taken, tries, n)
            if _norm_title(title) in taken:
                continue
            taken.add(_norm_title(title))
            tries = 0
            record = kit.off_topic(f"{n}", year, dice.chance(0.7), kind, title, sections)
            record.pmid, record.pmcid, record.mesh, record.status = "", "", [], ""
            record.doi = f"{DOI_PREFIX}hs{seed}-{n}"
            record.pub_date = PubDate(year)
            truth[truth_key(record)] = off_topic_truth(record, kind.noise)
            out.append(record)
            continue
        study = planner.plan(use_cover=False)
        title, sections = write_study(study, dice)
        title = _unused_title(title, taken, tries, n)
        if _norm_title(title) in taken:
            continue
        taken.add(_norm_title(title))
        tries = 0
        record = kit.article(f"{n}", year, dice.chance(0.7), study, title, sections, "eng")
        record.pmid, record.pmcid, record.mesh, record.status, record.grants = "", "", [], "", []
        record.keywords = record.keywords[:3]
        for author in record.authors:
            author.affiliations = []
        if n % 2:  # a conference abstract: no DOI, short unstructured abstract, few authors
            record.doi = ""
            record.authors = record.authors[:3] or [Author("Anon", "", "A")]
            record.journal.title = f"{dice.pick(b.CONFERENCES)} {year}"
            record.journal.iso_abbreviation = ""
            record.journal.issn_print = record.journal.issn_electronic = record.journal.issn_linking = ""
            record.publication_types = [PublicationType(*b.PT_CONGRESS)]
            record.abstract = [AbstractSection(" ".join(s.text for s in record.abstract[:3]))]
        else:
            record.doi = f"{DOI_PREFIX}hs{seed}-{n}"
            record.journal.title = "Regional Journal of Aesthetic Practice (Synthetic)"
            record.journal.iso_abbreviation = "Reg J Aesthet Pract Synth"
        record.pub_date = PubDate(year)
        entry = study_truth(record, study)
        entry["noise"] = "conference_abstract" if n % 2 else None
        truth[truth_key(record)] = entry
        out.append(record)
    return out


def demo_corpus(seed: int = 2025, size: int = DEMO_SIZE) -> DemoCorpus:
    """The demo's `size` PubMed records, hand-search records and ground truth; deterministic in (seed, size)."""
    if size < 1:
        raise ValueError(f"the demo corpus needs at least one record, got {size}")
    truth: dict[str, dict[str, Any]] = {}
    pubmed = []
    for record, entry in iter_labelled(size, seed):
        truth[record.pmid] = entry
        pubmed.append(record)
    dice = Dice(seed * 104729 + 3)
    duplicates = _duplicates(pubmed, truth, dice)
    taken = {_norm_title(r.title) for r in pubmed}
    new = _new_records(seed, truth, taken)
    # Interleave so duplicates do not all come first, as in a real export sorted by author.
    hand_search = sorted(duplicates + new, key=lambda r: (r.first_author, r.title))
    return DemoCorpus(pubmed=pubmed, hand_search=hand_search, truth=truth, seed=seed)
