"""A local ClinicalTrials.gov API v2: `/api/v2/studies` (query.cond/intr/term, pageToken) and `/studies/{nctId}`.

There is no real trial data in `../shared`, so `synthetic_trials()` writes a
small SYNTHETIC registry: every study's NCT ID is in the NCT99xxxxxx range,
its official title starts with "[Synthetic]", and its sponsor is an
"exoreview synthetic sponsor". Error bodies are plain text, as the real API's.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from typing import Any

from exoreview.demo.localapis.base import Answer, decode_cursor, encode_cursor, int_param, json_answer, text_answer
from exoreview.demo.localapis.textquery import Match, QueryError, evaluate, normalize, parse_query, text_matches
from exoreview.eutils.faults import FaultPlan

PREFIX = "/api/v2/"
MAX_PAGE_SIZE = 1000
KNOWN_PARAMS = {"query.cond", "query.intr", "query.term", "filter.ids", "pageSize", "pageToken", "countTotal",
                "format", "fields", "sort"}
NCT_RE = re.compile(r"^NCT\d{8}$", re.IGNORECASE)


class ClinicalTrialsService:
    name = "ctgov"

    def __init__(self, studies: Iterable[dict[str, Any]], *, faults: FaultPlan | None = None) -> None:
        self.studies = list(studies)
        self.by_id = {s["protocolSection"]["identificationModule"]["nctId"]: s for s in self.studies}
        self.areas = [_areas(s) for s in self.studies]
        self.faults = faults or FaultPlan()
        self.requests: list[tuple[str, dict[str, str]]] = []

    def endpoint(self, path: str) -> str:
        return "study" if path.rstrip("/").removeprefix(PREFIX).count("/") >= 1 else "studies"

    def fault_body(self, status: int) -> Answer:
        return text_answer("Too Many Requests" if status == 429 else "Service Unavailable", status)

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        rest = path.removeprefix(PREFIX).strip("/")
        if not path.startswith(PREFIX) or not rest.startswith("studies"):
            return text_answer(f"Path {path} not found", 404)
        if rest == "studies":
            return self.search(params)
        nct_id = rest.removeprefix("studies/")
        if not NCT_RE.match(nct_id):
            return text_answer("Parameter `nctId` has incorrect format", 400)
        study = self.by_id.get(nct_id.upper())
        if study is None:
            return text_answer(f"NCT number {nct_id.upper()} not found", 404)
        return json_answer(study)

    def search(self, params: dict[str, str]) -> Answer:
        problem = _bad_search_params(params)
        if problem:
            return text_answer(problem, 400)
        page_size = int_param(params.get("pageSize"), 10) or 10
        try:
            chosen = self._chosen(params)
        except QueryError as exc:
            return text_answer(f"Invalid Essie expression: {exc}", 400)
        key = "|".join(params.get(p, "") for p in ("query.cond", "query.intr", "query.term", "filter.ids"))
        offset = 0
        if params.get("pageToken"):
            offset = decode_cursor(params["pageToken"], key)
            if offset is None:
                return text_answer(f"Invalid pageToken `{params['pageToken']}`", 400)
        page = chosen[offset:offset + page_size]
        body: dict[str, Any] = {}
        if params.get("countTotal", "false").lower() == "true" and not params.get("pageToken"):
            body["totalCount"] = len(chosen)
        body["studies"] = [self.studies[i] for i in page]
        if offset + len(page) < len(chosen):
            body["nextPageToken"] = encode_cursor(offset + len(page), key)
        return json_answer(body)

    def _chosen(self, params: dict[str, str]) -> list[int]:
        """Indexes of the studies every query area and the id filter accept (QueryError on a bad expression)."""
        chosen = list(range(len(self.studies)))
        for param, area in (("query.cond", "cond"), ("query.intr", "intr"), ("query.term", "term")):
            if params.get(param, "").strip():
                tree = parse_query(params[param])
                chosen = [i for i in chosen if evaluate(tree, {"": self.areas[i][area]}, _match)]
        if params.get("filter.ids"):
            wanted = {i.strip().upper() for i in params["filter.ids"].split(",")}
            chosen = [i for i in chosen if self.studies[i]["protocolSection"]["identificationModule"]["nctId"]
                      in wanted]
        return chosen


def _bad_search_params(params: dict[str, str]) -> str | None:
    """What the real service would refuse in a search's parameters, in its words; None if nothing."""
    unknown = sorted(set(params) - KNOWN_PARAMS)
    if unknown:
        return f"Unknown parameter `{unknown[0]}`"
    if params.get("format", "json") != "json":
        return "This local service answers format=json only"
    page_size = int_param(params.get("pageSize"), 10)
    if not 0 <= page_size <= MAX_PAGE_SIZE:
        return f"Parameter `pageSize` must be between 0 and {MAX_PAGE_SIZE}"
    return None


def _areas(study: dict[str, Any]) -> dict[str, str]:
    p = study["protocolSection"]
    ident = p["identificationModule"]
    titles = f"{ident.get('briefTitle', '')} | {ident.get('officialTitle', '')}"
    conditions = p.get("conditionsModule") or {}
    cond = " | ".join(conditions.get("conditions", []) + conditions.get("keywords", []))
    interventions = (p.get("armsInterventionsModule") or {}).get("interventions") or []
    intr = " | ".join(f"{i.get('name', '')} | {' | '.join(i.get('otherNames', []))}" for i in interventions)
    summary = (p.get("descriptionModule") or {}).get("briefSummary", "")
    sponsor = ((p.get("sponsorCollaboratorsModule") or {}).get("leadSponsor") or {}).get("name", "")
    return {"cond": normalize(f"{cond} | {titles} | {ident['nctId']}"), "intr": normalize(intr),
            "term": normalize(" | ".join([ident["nctId"], titles, cond, intr, summary, sponsor]))}


def _match(term: Match, doc: dict[str, str]) -> bool:
    if term.field:
        raise QueryError(f"unsupported field {term.field}: this local service reads plain Essie terms")
    return text_matches(term.value, doc[""])



# -- the synthetic registry ------------------------------------------------------------------------------

_EV_PRODUCTS = ["adipose stem cell-derived exosomes", "umbilical cord MSC extracellular vesicles",
                "platelet-derived extracellular vesicles", "plant-derived exosome-like nanovesicles",
                "keratinocyte exosomes"]
_SKIN_HAIR = ["Androgenetic Alopecia", "Skin Aging", "Melasma", "Atrophic Acne Scars", "Atopic Dermatitis",
              "Photoaging", "Alopecia Areata", "Chronic Wounds"]
_OTHER_CONDITIONS = ["Knee Osteoarthritis", "Acute Respiratory Distress Syndrome", "Ischemic Stroke",
                     "Crohn Disease", "Dry Eye Disease"]
_OTHER_TREATMENTS = ["topical minoxidil 5%", "fractional CO2 laser", "oral tranexamic acid",
                     "hyaluronic acid filler", "low-level light therapy"]
_STATUSES = ["COMPLETED", "RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "TERMINATED", "UNKNOWN"]
_PHASES = [["NA"], ["PHASE1"], ["PHASE1", "PHASE2"], ["PHASE2"], ["PHASE3"], ["EARLY_PHASE1"]]


def synthetic_trials(seed: int = 7, n_ev_skin: int = 14, n_ev_other: int = 8, n_skin_other: int = 10) -> list[dict]:
    """A SYNTHETIC v2 registry: EV products for skin/hair conditions, EVs elsewhere, skin trials without EVs."""
    rng = random.Random(seed)
    studies: list[dict] = []
    plans = ([("ev", rng.choice(_EV_PRODUCTS), rng.choice(_SKIN_HAIR)) for _ in range(n_ev_skin)]
             + [("ev", rng.choice(_EV_PRODUCTS), rng.choice(_OTHER_CONDITIONS)) for _ in range(n_ev_other)]
             + [("other", rng.choice(_OTHER_TREATMENTS), rng.choice(_SKIN_HAIR)) for _ in range(n_skin_other)])
    for number, (kind, treatment, condition) in enumerate(plans, start=1):
        nct_id = f"NCT99{number:06d}"
        start_year = rng.randint(2016, 2024)
        status = rng.choice(_STATUSES)
        has_results = status == "COMPLETED" and rng.random() < 0.5
        studies.append(_study(nct_id, kind, treatment, condition, start_year, status, rng.choice(_PHASES),
                              rng.randint(12, 240), has_results, number))
    return studies


def _study(nct_id: str, kind: str, treatment: str, condition: str, start_year: int, status: str,
           phases: list[str], enrollment: int, has_results: bool, number: int) -> dict:
    title = f"{treatment[0].upper()}{treatment[1:]} for {condition}"
    intervention_type = "BIOLOGICAL" if kind == "ev" else ("DEVICE" if "laser" in treatment or "light" in treatment
                                                          else "DRUG")
    actual = status in ("COMPLETED", "TERMINATED", "ACTIVE_NOT_RECRUITING")
    return {
        "protocolSection": {
            "identificationModule": {
                "nctId": nct_id, "briefTitle": title,
                "officialTitle": f"[Synthetic] A Study of {title} (exoreview synthetic registry entry {number})",
                "organization": {"fullName": "exoreview synthetic registry", "class": "OTHER"}},
            "statusModule": {
                "overallStatus": status,
                "startDateStruct": {"date": f"{start_year}-{(number % 12) + 1:02d}",
                                    "type": "ACTUAL" if actual else "ESTIMATED"},
                "completionDateStruct": {"date": f"{start_year + 2}-{(number % 12) + 1:02d}",
                                         "type": "ACTUAL" if status == "COMPLETED" else "ESTIMATED"},
                "studyFirstPostDateStruct": {"date": f"{start_year}-{(number % 12) + 1:02d}-15", "type": "ACTUAL"}},
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": f"exoreview synthetic sponsor {number % 5 + 1}",
                                                           "class": "OTHER"}},
            "descriptionModule": {"briefSummary": f"Synthetic registry entry written by exoreview for tests: "
                                                  f"participants with {condition.lower()} receive {treatment}."},
            "conditionsModule": {"conditions": [condition],
                                 "keywords": ["exosomes", "extracellular vesicles"] if kind == "ev" else []},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": phases,
                             "enrollmentInfo": {"count": enrollment, "type": "ACTUAL" if actual else "ESTIMATED"}},
            "armsInterventionsModule": {"interventions": [{"type": intervention_type, "name": treatment}]},
        },
        "hasResults": has_results,
    }
