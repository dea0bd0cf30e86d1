"""Registered clinical trials, read from ClinicalTrials.gov records in the store.

The trials source stores its records like any other source; the trial's own fields (status,
phase, conditions, enrollment, dates) travel in `Record.extra`. They are read defensively:
a field the source did not send shows as a dash, never as an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from exoreview.store.database import Store
from exoreview.synthesis.tables import clean_title

TRIAL_SOURCES = ("clinicaltrials", "ctgov", "clinicaltrials.gov")
_PHASE = re.compile(r"PHASE(\d)")
_NCT = re.compile(r"NCT\d{8}")


@dataclass(frozen=True, slots=True)
class Trial:
    record_id: int
    nct_id: str
    title: str
    status: str
    phase: str
    conditions: str
    enrollment: str
    start: str
    included: bool

    @property
    def url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct_id}" if self.nct_id else ""


def _first(extra: dict[str, str], *keys: str) -> str:
    for key in keys:
        value = extra.get(key)
        if value:
            return " ".join(_readable(str(value)).split())
    return ""


def _readable(value: str) -> str:
    """Lists arrive as JSON text (["PHASE2", "PHASE3"]); show them as "Phase 2, Phase 3"."""
    if not value.startswith("["):
        return value
    try:
        items = json.loads(value)
    except ValueError:
        return value
    if not isinstance(items, list):
        return value
    return ", ".join(_phase_name(str(item)) for item in items)


def _phase_name(value: str) -> str:
    """CT.gov's phase codes (PHASE2, EARLY_PHASE1, NA) as a reader writes them; other values unchanged."""
    if value == "NA":
        return "Not applicable"
    if value == "EARLY_PHASE1":
        return "Early phase 1"
    return _PHASE.sub(lambda match: f"Phase {match.group(1)}", value)


def read_trials(store: Store, included: set[int], duplicates: set[int]) -> tuple[Trial, ...]:
    ids: list[int] = []
    for row in store.db.execute("SELECT id, source, source_id FROM records ORDER BY id"):
        if row[1].lower() in TRIAL_SOURCES or _NCT.fullmatch(row[2] or ""):
            ids.append(row[0])
    trials = []
    for record_id, record in store.iter_records([i for i in ids if i not in duplicates]):
        extra = {str(k).lower(): v for k, v in record.extra.items()}
        nct = _first(extra, "nct_id", "nctid", "nct")
        if not nct:
            found = _NCT.search(" ".join([record.title, *record.elocation_ids, *extra.values()]))
            nct = found.group(0) if found else ""
        trials.append(Trial(
            record_id=record_id, nct_id=nct, title=clean_title(record.title) or "[Untitled]",
            status=_first(extra, "overall_status", "status", "overallstatus"),
            phase=_first(extra, "phase", "phases"),
            conditions=_first(extra, "conditions", "condition"),
            enrollment=_first(extra, "enrollment", "enrollment_count"),
            start=_first(extra, "start_date", "start", "startdate"),
            included=record_id in included,
        ))
    return tuple(sorted(trials, key=lambda t: (t.nct_id or "~", t.record_id)))
