"""The deterministic synthetic corpus: PubMed-like records for the offline demo and load tests.

Third-party abstracts cannot ship, so every title and sentence comes from the
templates in this package and every record says `synthetic=True`. One seeded
`Dice` drives a whole stream, so the same (n, seed, start_pmid) always yields the
same records; records are built directly from precomputed strings and tables to
keep the load-test path well above 20,000 records per second.

The stream mixes in the noise a real search returns: ~25% irrelevant records that
still match the seed query, ~5% without an abstract, ~5% not in English, a few
retracted articles with their retraction notices, errata, and dates outside the
review's 2014-2024 window. Ground truth for each record (relevance and taxonomy
classes) comes from the same decisions that wrote the text, via `iter_labelled`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from exoreview.demo.corpus import bibliography as b
from exoreview.demo.corpus import vocabulary as v
from exoreview.demo.corpus.clinical import write_clinical, write_review
from exoreview.demo.corpus.conditions import INDICATION_PHRASES
from exoreview.demo.corpus.dice import Dice, Weighted
from exoreview.demo.corpus.languages import LANGUAGES, vernacular_title
from exoreview.demo.corpus.offtopic import OFF_TOPIC, OFF_TOPIC_WEIGHTS, OffTopic
from exoreview.demo.corpus.planner import Planner
from exoreview.demo.corpus.records_kit import RecordKit
from exoreview.demo.corpus.truth import DATE_RANGE, off_topic_truth, study_truth
from exoreview.demo.corpus.writing import Study, lower_first, write_preclinical
from exoreview.records import AbstractSection, Correction, PublicationType, Record

FIRST_PMID = 90000001  # far above real PMIDs, so a synthetic id can never be mistaken for one

IRRELEVANT_RATE = 0.25
NO_ABSTRACT_RATE = 0.05 / (1 - IRRELEVANT_RATE)  # only relevant records lose their abstract
NON_ENGLISH_RATE = 0.05 / (1 - IRRELEVANT_RATE)
FREE_RATE = 0.65
# Retractions and errata come on a fixed schedule of record slots rather than by chance,
# so the 400-record demo reliably holds two retractions and three errata (large corpora ~0.6% and ~0.8%).
RETRACTION_PERIOD, RETRACTION_OFFSET = 173, 57
ERRATUM_PERIOD, ERRATUM_OFFSET = 131, 90

_YEARS = Weighted(range(2010, 2026), (1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 12))
_OFF_TOPIC = Weighted(OFF_TOPIC, OFF_TOPIC_WEIGHTS)
Labelled = tuple[Record, dict[str, Any]]
TITLE_CHECK_LIMIT = 2_000  # demo-sized prefix kept free of repeated titles; beyond it repeats are harmless
_WORDS = re.compile(r"[^\W_]+")


def write_study(study: Study, dice: Dice) -> tuple[str, list[tuple[str, str]]]:
    """Title and (NLM category, text) sections for a planned relevant study."""
    if study.design in v.PRECLINICAL:
        return write_preclinical(study, dice)
    if study.design in v.CLINICAL:
        return write_clinical(study, dice)
    return write_review(study, dice)


def write_off_topic(kind: OffTopic, d: Dice) -> tuple[str, list[tuple[str, str]]]:
    """Title and sections of an off-topic record, its placeholders filled from `d`."""
    fill: dict[str, object] = {
        "n": d.between(8, 60), "pct": d.between(12, 58), "p": d.pick(("P < 0.01", "P = 0.03", "P = 0.2")),
        "months": d.pick((6, 9, 12, 18)),
    }
    for name, values in kind.slots:
        value = d.pick(values)
        fill[name], fill[f"{name}_lower"], fill[f"{name}_cap"] = value, lower_first(value), value.capitalize()
    title = d.pick(kind.titles).format(**fill)
    return title, [(cat, text.format(**fill)) for cat, text in kind.sections]


class _Stream:
    """One corpus stream; `records()` yields (record, truth) pairs, truth only when labelled."""

    def __init__(self, seed: int, start_pmid: int, labelled: bool) -> None:
        self.d = Dice(seed)
        self.planner = Planner(self.d)
        self.kit = RecordKit(self.d)
        self.pmid = start_pmid
        self.labelled = labelled
        self.seen_titles: set[str] = set()

    def _fresh(self, title: str) -> bool:
        """True if no earlier record of the stream had this title (checked for the first records only).

        Different papers rarely share a title, and the demo's deduplication must not meet
        look-alikes it was never meant to merge; a bounded set keeps 10^6-record streams lean.
        """
        if len(self.seen_titles) >= TITLE_CHECK_LIMIT:
            return True
        key = " ".join(_WORDS.findall(title.lower()))
        if key in self.seen_titles:
            return False
        self.seen_titles.add(key)
        return True

    def records(self, n: int) -> Iterator[tuple[Record, dict[str, Any] | None]]:
        d = self.d
        slot = 0
        while slot < n:
            retract = slot % RETRACTION_PERIOD == RETRACTION_OFFSET and slot + 1 < n
            erratum = not retract and slot % ERRATUM_PERIOD == ERRATUM_OFFSET and slot + 1 < n
            year = _YEARS.draw(d)
            free = d.chance(FREE_RATE)
            pmid = self._next_pmid()
            if not (retract or erratum) and d.chance(IRRELEVANT_RATE):
                yield self._off_topic(pmid, year, free)
                slot += 1
                continue
            record, study, truth = self._relevant(pmid, year, free, special=retract or erratum)
            if not (retract or erratum):
                yield record, truth
                slot += 1
                continue
            yield from self._with_notice(record, study, truth, retract)
            slot += 2

    def _relevant(self, pmid: str, year: int, free: bool, *, special: bool
                  ) -> tuple[Record, Study, dict[str, Any] | None]:
        """One planned study as a record (a title not seen before, when eight tries find one), with its truth."""
        d, kit = self.d, self.kit
        language = "eng" if special or not d.chance(NON_ENGLISH_RATE) else d.pick(LANGUAGES)
        has_abstract = special or not d.chance(NO_ABSTRACT_RATE)
        clean = has_abstract and language == "eng" and free and DATE_RANGE[0] <= year <= DATE_RANGE[1]
        study = self.planner.plan(use_cover=clean)
        for _ in range(8):
            title, sections = write_study(study, d)
            if self._fresh(title):
                break
        record = kit.article(pmid, year, free, study, title, sections if has_abstract else [], language)
        if language != "eng":
            record.vernacular_title = vernacular_title(language, kit.main_indication(study))
        return record, study, study_truth(record, study) if self.labelled else None

    def _with_notice(self, record: Record, study: Study, truth: dict[str, Any] | None, retract: bool
                     ) -> Iterator[tuple[Record, dict[str, Any] | None]]:
        """A retracted (or corrected) record, then its retraction notice (or erratum)."""
        notice = self._notice(record, study, retract)
        if truth is not None and retract:
            truth["retracted"], truth["include"] = True, False
        yield record, truth
        yield notice, (off_topic_truth(notice, "retraction_notice" if retract else "erratum")
                       if self.labelled else None)

    def _next_pmid(self) -> str:
        pmid = str(self.pmid)
        self.pmid += 1
        return pmid

    def _off_topic(self, pmid: str, year: int, free: bool) -> tuple[Record, dict[str, Any] | None]:
        for _ in range(8):
            kind: OffTopic = _OFF_TOPIC.draw(self.d)
            title, sections = write_off_topic(kind, self.d)
            if self._fresh(title):
                break
        record = self.kit.off_topic(pmid, year, free, kind, title, sections)
        return record, (off_topic_truth(record, kind.noise) if self.labelled else None)

    def _notice(self, original: Record, study: Study, retraction: bool) -> Record:
        """A retraction notice or erratum for `original`, linked both ways as PubMed links them."""
        d = self.d
        year = min(2025, (original.year or 2020) + d.between(0, 2))
        notice = self.kit.bare(self._next_pmid(), year, True)
        topic = INDICATION_PHRASES[self.kit.main_indication(study)]
        base_title = original.title.rstrip(".")
        if retraction:
            notice.title = f"Retraction: {base_title}."
            text = (f"This article has been retracted at the request of the editors after concerns about duplicated "
                    f"images. The retracted study concerned exosomes for {topic} in aesthetic dermatology.")
            notice.publication_types = [PublicationType(*b.PT_RETRACTION_NOTICE)]
            link_out, link_back = "RetractionIn", "RetractionOf"
            original.publication_types.append(PublicationType(*b.PT_RETRACTED))
        else:
            notice.title = f"Erratum: {base_title}."
            text = (f"In this article on exosomes for {topic} in aesthetic dermatology, the dose given in the Methods "
                    f"section was incorrect; the correct dose is {d.pick(v.DOSES_CLINICAL)}.")
            notice.publication_types = [PublicationType(*b.PT_ERRATUM)]
            link_out, link_back = "ErratumIn", "ErratumFor"
        notice.abstract = [AbstractSection(text)]
        notice.journal = original.journal
        original.corrections.append(Correction(link_out, notice.pmid, self.kit.citation(notice)))
        notice.corrections.append(Correction(link_back, original.pmid, self.kit.citation(original)))
        return notice


def iter_labelled(n: int, seed: int = 2025, *, start_pmid: int = FIRST_PMID) -> Iterator[Labelled]:
    """(record, ground truth) pairs; the records are exactly those of `iter_records`."""
    for record, truth in _Stream(seed, start_pmid, labelled=True).records(n):
        assert truth is not None
        yield record, truth


def iter_records(n: int, seed: int = 2025, *, start_pmid: int = FIRST_PMID) -> Iterator[Record]:
    """Stream n synthetic records (PMIDs start_pmid, start_pmid + 1, ...) without holding them all."""
    for record, _ in _Stream(seed, start_pmid, labelled=False).records(n):
        yield record


def generate(n: int = 400, seed: int = 2025) -> list[Record]:
    """n synthetic records as a list; same (n, seed), same records."""
    return list(iter_records(n, seed))
