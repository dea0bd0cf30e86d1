"""ClinicalTrials.gov API v2: studies matching the protocol, as records with their trial facts.

`GET {base}studies?query.cond=...&query.intr=...&query.term=...&pageSize=1000&countTotal=true`
answers `{studies: [...], nextPageToken, totalCount}`; the next page is asked
with `pageToken`, and the last page has no `nextPageToken`. Error bodies are
plain text. `GET {base}studies/{nctId}` returns one study.

How trials are stored (for the report): each study is a record of source
`ctgov` whose `extra` holds the trial facts (see `TRIAL_FIELDS`; lists are
JSON). `trials(store)` reads them back as typed `Trial` rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from exoreview.formats.errors import MalformedRecord
from exoreview.records import AbstractSection, Journal, PubDate, Record
from exoreview.sources.jsonapi import JsonSourceClient, require
from exoreview.sources.pages import Page, RawPage, cursor_pages
from exoreview.sources.translate_query import Translation, to_ctgov
from exoreview.store import Store

CTGOV_API = "https://clinicaltrials.gov/api/v2/"
SOURCE = "ctgov"
MAX_PAGE_SIZE = 1000
TRIAL_FIELDS = ("nct_id", "brief_title", "conditions", "interventions", "phases", "overall_status", "enrollment",
                "enrollment_type", "start_date", "completion_date", "lead_sponsor", "has_results", "study_type")


class ClinicalTrialsClient(JsonSourceClient):
    source = SOURCE
    default_base_url = CTGOV_API
    default_rate = 50 / 60  # ClinicalTrials.gov asks for about 50 requests a minute

    def translate(self, protocol_query: str, *, native_query: str = "", condition: str = "",
                  intervention: str = "") -> Translation:
        if native_query.strip():
            params = {"query.term": native_query.strip(), **_given(condition, intervention)}
            return Translation(SOURCE, " & ".join(f"{k}={v}" for k, v in params.items()), params,
                               ["native Essie expression, sent as written"])
        return to_ctgov(protocol_query, condition=condition, intervention=intervention)

    def pages(self, translation: Translation, *, page_size: int = MAX_PAGE_SIZE) -> Iterator[Page]:
        def fetch(token: str) -> RawPage:
            params = {**translation.params, "pageSize": str(min(page_size, MAX_PAGE_SIZE)), "format": "json"}
            if token:
                params["pageToken"] = token
            else:
                params["countTotal"] = "true"  # the total comes with the first page only
            data = self.get_json("studies", params)
            require(data, "studies", SOURCE, "studies answer")
            total = data.get("totalCount")
            return RawPage(data["studies"] or [], None if total is None else int(total or 0),
                           data.get("nextPageToken") or "")

        return cursor_pages(fetch, study_to_record)

    def study(self, nct_id: str) -> Record:
        return study_to_record(self.get_json(f"studies/{nct_id}", {"format": "json"}))

    def fetch(self, ids: list[str]) -> list[Record]:
        found: list[Record] = []
        for start in range(0, len(ids), 100):
            params = {"filter.ids": ",".join(ids[start:start + 100])}
            for page in self.pages(Translation(SOURCE, "", params)):
                found += page.records
        return found


def _given(condition: str, intervention: str) -> dict[str, str]:
    params = {}
    if condition.strip():
        params["query.cond"] = condition.strip()
    if intervention.strip():
        params["query.intr"] = intervention.strip()
    return params


def study_to_record(study: dict[str, Any], position: int = 0) -> Record:
    """One v2 study to a Record: registry title and summary, trial facts in `extra` (lists as JSON)."""
    protocol = study.get("protocolSection") if isinstance(study, dict) else None
    ident = (protocol or {}).get("identificationModule") or {}
    nct_id = ident.get("nctId") or ""
    if not nct_id:
        raise MalformedRecord(SOURCE, position, "study without protocolSection.identificationModule.nctId")
    status = _module(protocol, "statusModule")
    summary = (_module(protocol, "descriptionModule").get("briefSummary") or "").strip()
    extra = _trial_facts(study, protocol, nct_id)
    first_posted = _struct_date(status, "studyFirstPostDateStruct") or extra["start_date"]
    return Record(
        title=(ident.get("officialTitle") or ident.get("briefTitle") or "").strip(),
        abstract=[AbstractSection(text=summary)] if summary else [],
        journal=Journal(title="ClinicalTrials.gov"),
        pub_date=_date(first_posted),
        keywords=list(_module(protocol, "conditionsModule").get("keywords") or []),
        languages=["eng"],
        free_full_text=True,  # a registry entry is public to read in full
        work_type="clinical-trial-registration",
        extra=extra,
    )


def _module(protocol: dict[str, Any], name: str) -> dict[str, Any]:
    """One module of the protocol section, {} when the study has none."""
    return protocol.get(name) or {}


def _struct_date(status: dict[str, Any], name: str) -> str:
    """The date of one of the status module's date structs ('2020-03' or '2020-03-05'), or ''."""
    return (status.get(name) or {}).get("date") or ""


def _trial_facts(study: dict[str, Any], protocol: dict[str, Any], nct_id: str) -> dict[str, str]:
    """The `TRIAL_FIELDS` of a study as strings, lists as JSON: what `trial_from_record` reads back."""
    ident = _module(protocol, "identificationModule")
    status = _module(protocol, "statusModule")
    design = _module(protocol, "designModule")
    sponsor = _module(protocol, "sponsorCollaboratorsModule").get("leadSponsor") or {}
    interventions = [{"type": i.get("type", ""), "name": i.get("name", "")}
                     for i in _module(protocol, "armsInterventionsModule").get("interventions") or []]
    enrollment = design.get("enrollmentInfo") or {}
    return {
        "nct_id": nct_id,
        "brief_title": ident.get("briefTitle") or "",
        "conditions": json.dumps(_module(protocol, "conditionsModule").get("conditions") or []),
        "interventions": json.dumps(interventions),
        "phases": json.dumps(design.get("phases") or []),
        "overall_status": status.get("overallStatus") or "",
        "enrollment": str(enrollment.get("count", "")),
        "enrollment_type": enrollment.get("type") or "",
        "start_date": _struct_date(status, "startDateStruct"),
        "completion_date": _struct_date(status, "completionDateStruct"),
        "lead_sponsor": sponsor.get("name") or "",
        "has_results": "true" if study.get("hasResults") else "false",
        "study_type": design.get("studyType") or "",
    }


def _date(text: str) -> PubDate:
    parts = [p for p in text.split("-") if p.isdigit()]
    values = [int(p) for p in parts[:3]] + [None] * (3 - len(parts[:3]))
    return PubDate(*values) if parts else PubDate()


@dataclass(frozen=True, slots=True)
class Trial:
    """A registered trial as stored, for listings and tables."""

    record_id: int
    nct_id: str
    title: str
    conditions: tuple[str, ...]
    interventions: tuple[str, ...]  # "TYPE: name"
    phases: tuple[str, ...]
    overall_status: str
    enrollment: int | None
    enrollment_type: str
    start_date: str
    completion_date: str
    lead_sponsor: str
    has_results: bool

    @property
    def url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct_id}"


def trial_from_record(record_id: int, record: Record) -> Trial:
    extra = record.extra
    enrollment = extra.get("enrollment", "")
    return Trial(
        record_id=record_id,
        nct_id=extra["nct_id"],
        title=extra.get("brief_title") or record.title,
        conditions=tuple(json.loads(extra.get("conditions") or "[]")),
        interventions=tuple(f"{i['type']}: {i['name']}" if i.get("type") else i["name"]
                            for i in json.loads(extra.get("interventions") or "[]")),
        phases=tuple(json.loads(extra.get("phases") or "[]")),
        overall_status=extra.get("overall_status", ""),
        enrollment=int(enrollment) if enrollment.isdigit() else None,
        enrollment_type=extra.get("enrollment_type", ""),
        start_date=extra.get("start_date", ""),
        completion_date=extra.get("completion_date", ""),
        lead_sponsor=extra.get("lead_sponsor", ""),
        has_results=extra.get("has_results") == "true",
    )


def trials(store: Store, record_ids: list[int] | None = None) -> list[Trial]:
    """Every stored ClinicalTrials.gov study (or those of `record_ids`), ordered by NCT ID."""
    ids = store.record_ids(SOURCE) if record_ids is None else record_ids
    found = [trial_from_record(i, r) for i, r in store.iter_records(ids) if r.extra.get("nct_id")]
    return sorted(found, key=lambda t: t.nct_id)
