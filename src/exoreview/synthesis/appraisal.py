"""The EV reporting appraisal as the report shows it: each study's score, item by item, with its evidence.

Read from the `appraisals` table (one row per study and item, plus a "score" row) and explained
with the instrument's own words (appraise/misev.toml) when the stored instrument is the built-in
one; an item the file does not know is shown by its id. Every number here is a set of record ids,
so the report can link it to the records behind it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from exoreview.store.database import Store

Ids = tuple[int, ...]
# Ratings that count an appraisal item as met; anything else (no, partial, unclear, not reported) does not.
MET_RATINGS = frozenset({"yes", "met", "reported", "pass", "true", "1", "full", "adequate"})
# Items that do not apply to a study leave its denominator.
NOT_APPLICABLE = frozenset({"not_applicable", "n/a", "na"})
SCORE_ITEM = "score"  # the appraisal stage's summary row, not an item
MISEV_MARK = "misev"
LABEL_METHOD = "label:"  # evidence that is a classifier label: "label:<facet>.<class>"
REPORTED, NOT_REPORTED, NOT_APPLIES = "reported", "not_reported", "not_applicable"
RATING_TEXT = {REPORTED: "reported", NOT_REPORTED: "not reported", NOT_APPLIES: "not applicable"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class AppraisalItem:
    """One checklist item: its id, a short name and what it asks (the instrument file's words)."""

    id: str
    name: str
    text: str = ""

    @property
    def anchor(self) -> str:
        return "misev-item-" + _UNSAFE.sub("_", self.id)


@dataclass(frozen=True, slots=True)
class ItemRating:
    """A study's rating on one item and what it rests on: the sentence, or why the item does not apply."""

    record_id: int
    item: AppraisalItem
    rating: str  # as stored, lower-cased
    sentence: str = ""
    field_name: str = ""
    method: str = ""
    match: str = ""
    detail: str = ""
    label_anchor: str = ""  # the study's label entry this evidence is, when the report shows that label

    @property
    def status(self) -> str:
        """reported, not_reported or not_applicable, whatever words the instrument used."""
        if self.rating in MET_RATINGS:
            return REPORTED
        return NOT_APPLIES if self.rating in NOT_APPLICABLE else NOT_REPORTED

    @property
    def status_text(self) -> str:
        return RATING_TEXT[self.status]

    @property
    def anchor(self) -> str:
        return f"misev-{self.record_id}-" + _UNSAFE.sub("_", self.item.id)


@dataclass(frozen=True, slots=True)
class StudyAppraisal:
    """One study's appraisal; `ratings` is empty when the checklist did not apply to it (`note` says why)."""

    record_id: int
    ratings: tuple[ItemRating, ...]
    note: str = ""  # the score row's detail: "5 of 8 applicable items reported", or why not appraised

    @property
    def met(self) -> int:
        return sum(1 for r in self.ratings if r.status == REPORTED)

    @property
    def applicable(self) -> int:
        return sum(1 for r in self.ratings if r.status != NOT_APPLIES)

    @property
    def appraised(self) -> bool:
        return bool(self.ratings)

    @property
    def anchor(self) -> str:
        return f"misev-{self.record_id}"


@dataclass(frozen=True, slots=True)
class Appraisal:
    """The reporting score of the included studies under one instrument (the MISEV-based one when present)."""

    instrument: str
    items: tuple[str, ...]  # item ids, in the instrument's order
    scores: dict[int, tuple[int, int]]  # record id -> (items reported, items that apply)
    item_info: tuple[AppraisalItem, ...] = ()
    studies: dict[int, StudyAppraisal] = field(default_factory=dict)  # every study with a row, rated or not
    title: str = ""  # the instrument's title, when the instrument file is known

    @property
    def maximum(self) -> int:
        return len(self.items)

    def distribution(self) -> list[tuple[int, Ids]]:
        """(items reported, record ids) for every count from 0 to the maximum, empty bins included."""
        return [(k, tuple(sorted(i for i, (met, _) in self.scores.items() if met == k)))
                for k in range(self.maximum + 1)]

    def not_appraised(self) -> Ids:
        """Studies with only a score row: the checklist did not apply (a review, or not an EV study)."""
        return tuple(sorted(i for i, a in self.studies.items() if not a.appraised))

    def with_status(self, item: str, *statuses: str) -> Ids:
        return tuple(sorted(i for i, a in self.studies.items() for r in a.ratings
                            if r.item.id == item and r.status in statuses))

    def share(self, item: str) -> str:
        applies = len(self.with_status(item, REPORTED, NOT_REPORTED))
        return f"{round(100 * len(self.with_status(item, REPORTED)) / applies)}%" if applies else "—"


def item_name(item_id: str) -> str:
    """A short name from an item id: "separation_method" -> "Separation method"."""
    words = item_id.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else item_id


def _instrument_items(instrument: str) -> tuple[list[AppraisalItem], str]:
    """The built-in instrument's items when it is the one stored (same id; any version keeps item ids)."""
    from exoreview.appraise.instrument import InstrumentError, load_instrument

    try:
        builtin = load_instrument()
    except (InstrumentError, OSError):  # the report must not fail over the checklist file
        return [], ""
    if instrument.split("@", 1)[0] != builtin.id:
        return [], ""
    return [AppraisalItem(i.id, item_name(i.id), " ".join(i.text.split())) for i in builtin.items], builtin.title


def read_appraisal(store: Store, included: Iterable[int], label_anchors: dict[int, set[str]] | None = None
                   ) -> Appraisal | None:
    """The MISEV-based appraisal of the included studies, or another instrument's when none is MISEV-based.

    Read from the appraisals table directly and defensively: the appraisal stage may be absent, or the
    store older than the evidence columns. `label_anchors` (record id -> the label anchors the report
    shows) lets an item whose evidence is a label link to that label's entry.
    """
    wanted = set(included)
    rows = _rows(store)
    if rows is None:
        return None
    by_instrument = _latest_rows(rows, wanted)
    if not by_instrument:
        return None
    names = sorted(by_instrument, key=lambda n: (MISEV_MARK not in n.lower(), n))
    instrument = names[0]
    per_study = by_instrument[instrument]
    rated = {i: {item: r for item, r in per.items() if item != SCORE_ITEM} for i, per in per_study.items()}
    if not any(rated.values()):
        return None  # only score rows: no study was rated
    known, title = _instrument_items(instrument)
    info, items = _items_rated(known, rated)
    studies = _studies(per_study, rated, info, items, label_anchors or {})
    scores = {i: (a.met, a.applicable) for i, a in studies.items() if a.appraised}
    return Appraisal(instrument, items, scores, tuple(info[i] for i in items), studies, title)


def _latest_rows(rows: list[tuple], wanted: set[int]) -> dict[str, dict[int, dict[str, tuple]]]:
    """instrument -> record id -> item -> row, for the wanted records; the latest row for an item stands."""
    by_instrument: dict[str, dict[int, dict[str, tuple]]] = {}
    for row in rows:
        record_id, instrument, item = row[0], row[1], row[2]
        if record_id in wanted:
            # The latest row for an item stands (rows are read in insertion order).
            by_instrument.setdefault(instrument, {}).setdefault(record_id, {})[item] = row
    return by_instrument


def _items_rated(known: list[AppraisalItem], rated: dict[int, dict[str, tuple]]
                 ) -> tuple[dict[str, AppraisalItem], tuple[str, ...]]:
    """(item id -> item, item ids in order) of the items some study was rated on: the instrument's order,
    then items the instrument file does not know, by id."""
    order = {item.id: k for k, item in enumerate(known)}
    present = {item for per in rated.values() for item in per}
    info = {item.id: item for item in known if item.id in present}
    info |= {i: AppraisalItem(i, item_name(i)) for i in present if i not in info}
    return info, tuple(sorted(info, key=lambda i: (order.get(i, len(order)), i)))


def _studies(per_study: dict[int, dict[str, tuple]], rated: dict[int, dict[str, tuple]],
             info: dict[str, AppraisalItem], items: tuple[str, ...], anchors: dict[int, set[str]]
             ) -> dict[int, StudyAppraisal]:
    """Each study's ratings in item order, with its score row's note, by record id."""
    studies: dict[int, StudyAppraisal] = {}
    for record_id in sorted(per_study):
        ratings = tuple(_rating(record_id, info[item], rated[record_id][item], anchors.get(record_id, set()))
                        for item in items if item in rated[record_id])
        score_row = per_study[record_id].get(SCORE_ITEM)
        studies[record_id] = StudyAppraisal(record_id, ratings, str(score_row[10] or "") if score_row else "")
    return studies


def _rows(store: Store) -> list[tuple] | None:
    """(record_id, instrument, item, rating, sentence, field, method, match, start, end, detail) rows."""
    full = "SELECT record_id, instrument, item, rating, sentence, field, method, match, start, end, detail"
    short = "SELECT record_id, instrument, item, rating, sentence, field, '', '', 0, 0, ''"
    for columns in (full, short):
        try:
            return [tuple(r) for r in store.db.execute(f"{columns} FROM appraisals ORDER BY id").fetchall()]
        except sqlite3.Error:
            continue
    return None


def _rating(record_id: int, item: AppraisalItem, row: tuple, anchors: set[str]) -> ItemRating:
    from exoreview.synthesis.tables import evidence_anchor

    _, _, _, rating, sentence, field_name, method, match, _, _, detail = row
    method = str(method or "")
    label_anchor = ""
    if method.startswith(LABEL_METHOD) and "." in method and field_name in ("title", "abstract"):
        facet, value = method.removeprefix(LABEL_METHOD).split(".", 1)
        candidate = evidence_anchor(record_id, facet, value)
        label_anchor = candidate if candidate in anchors else ""
    return ItemRating(record_id, item, str(rating).strip().lower(), str(sentence or ""),
                      str(field_name or ""), method, str(match or ""), " ".join(str(detail or "").split()),
                      label_anchor)
