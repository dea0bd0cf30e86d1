"""The real-paper development set: loading `data/real_papers.toml`, reading texts, scoring labels.

`real_papers.toml` holds identifiers, titles, years and hand labels of real papers (never their
abstracts; see data/LABELING.md). The texts are gathered at evaluation time into a folder, one
`<key>.txt` per paper: the title on the first line, a blank line, the abstract, and optionally a
last line "Keywords: a; b". `benchmarks/real_labels.py` scores the classifier and the screening
rules against the labels with this module; the tests import it to check the set itself.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from exoreview.classify import StudyClassifier
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, Journal, PubDate, Record
from exoreview.results import ELIGIBILITY, EXCLUDE, MAYBE, TITLE_ABSTRACT, Label
from exoreview.screen.rules import CriteriaRules

DATA = Path(__file__).resolve().parent / "data"
FINGERPRINTS = DATA / "real_texts_fingerprints.json"  # the last measured gather of texts, as facts
PAPERS = DATA / "real_papers.toml"

GROUPS = ("exosome", "hard_negative")
DESIGNS = ("meta_analysis", "systematic_review", "narrative_review", "rct", "split_face", "nonrandomized_trial",
           "case_series", "case_report", "animal", "ex_vivo", "in_vitro", "other")
REVIEWS = frozenset({"meta_analysis", "systematic_review", "narrative_review"})
SUBJECTS = ("human", "animal", "in_vitro", "ex_vivo")
SAFETY = ("not_reported", "no_adverse_events", "adverse_events_reported", "serious_adverse_event")
EXCLUDE_REASONS = ("no_ev", "no_indication", "ev_marker", "out_of_window", "not_english", "notice")
SET_FACETS = ("subjects", "indication", "ev_source", "delivery", "isolation", "characterization")
TEST_SHARE = 40  # percent of papers in the test split, chosen by a hash of the key


def split_of(key: str) -> str:
    """'test' or 'dev', fixed by the key alone, so adding papers never moves an old one."""
    digest = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16)
    return "test" if digest % 100 < TEST_SHARE else "dev"


@dataclass(slots=True)
class Paper:
    key: str
    title: str
    year: int
    group: str
    include: bool
    design: str
    safety: str
    labels: dict[str, frozenset[str]]  # the set facets
    pmid: str = ""
    doi: str = ""
    pmcid: str = ""
    journal: str = ""
    url: str = ""
    exclude_reason: str = ""
    note: str = ""
    split: str = ""

    @property
    def is_review(self) -> bool:
        return self.design in REVIEWS


def load_papers(path: Path = PAPERS) -> list[Paper]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    papers = []
    for entry in data.get("paper", []):
        labels = {facet: frozenset(entry.get(facet, [])) for facet in SET_FACETS}
        papers.append(Paper(
            key=entry["key"], title=entry["title"], year=int(entry["year"]), group=entry["group"],
            include=bool(entry["include"]), design=entry["design"], safety=entry["safety"], labels=labels,
            pmid=entry.get("pmid", ""), doi=entry.get("doi", ""), pmcid=entry.get("pmcid", ""),
            journal=entry.get("journal", ""), url=entry.get("url", ""),
            exclude_reason=entry.get("exclude_reason", ""), note=entry.get("note", ""),
            split=entry.get("split", "") or split_of(entry["key"]),
        ))
    return papers


def problems(papers: Iterable[Paper], known: dict[str, set[str]]) -> list[str]:
    """Everything wrong with the set: unknown ids, doubled papers, a split that is not the key's."""
    found: list[str] = []
    seen: dict[str, str] = {}
    for paper in papers:
        where = paper.key
        for identity in (f"pmid:{paper.pmid}" if paper.pmid else "", f"doi:{paper.doi.lower()}" if paper.doi else "",
                         f"title:{''.join(ch for ch in paper.title.lower() if ch.isalnum())}", f"key:{paper.key}"):
            if identity and identity in seen:
                found.append(f"{where}: same {identity.split(':')[0]} as {seen[identity]}")
            elif identity:
                seen[identity] = where
        if paper.group not in GROUPS:
            found.append(f"{where}: group {paper.group!r}")
        if paper.design not in DESIGNS:
            found.append(f"{where}: design {paper.design!r}")
        if paper.safety not in SAFETY:
            found.append(f"{where}: safety {paper.safety!r}")
        if paper.include == bool(paper.exclude_reason) or (paper.exclude_reason and
                                                           paper.exclude_reason not in EXCLUDE_REASONS):
            found.append(f"{where}: include={paper.include} with exclude_reason {paper.exclude_reason!r}")
        if paper.split != split_of(paper.key):
            found.append(f"{where}: split {paper.split!r}, but the key puts it in {split_of(paper.key)!r}")
        for facet, values in paper.labels.items():
            unknown = values - known.get(facet, set())
            if unknown:
                found.append(f"{where}: {facet} {sorted(unknown)}")
        if paper.is_review and paper.labels["subjects"]:
            found.append(f"{where}: a review with subjects")
    return found


# -- texts -------------------------------------------------------------------------------------------------


def read_text(folder: Path, paper: Paper) -> Record | None:
    """The paper as a record (title, abstract, keywords from its text file; facts from the set); None if absent."""
    path = Path(folder) / f"{paper.key}.txt"
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").strip().splitlines()
    title = lines[0].strip() if lines else ""
    body = lines[1:]
    keywords: list[str] = []
    if body and body[-1].lower().startswith("keywords:"):
        keywords = [k.strip() for k in body[-1].split(":", 1)[1].replace(",", ";").split(";") if k.strip()]
        body = body[:-1]
    abstract = " ".join(line.strip() for line in body if line.strip())
    return Record(pmid=paper.pmid, doi=paper.doi, pmcid=paper.pmcid, title=title,
                  abstract=[AbstractSection(abstract)] if abstract else [], keywords=keywords,
                  journal=Journal(title=paper.journal), pub_date=PubDate(year=paper.year))


def text_fingerprint(folder: Path, key: str) -> dict[str, object] | None:
    """Facts about a gathered text, never the text: the SHA-256 of its words joined by single spaces, and how
    many words it has. Two gathers of one paper give the same fingerprint when they hold the same words."""
    path = Path(folder) / f"{key}.txt"
    if not path.is_file():
        return None
    words = path.read_text(encoding="utf-8").split()
    return {"sha256": hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest(), "words": len(words)}


def compare_texts(folder: Path, keys: list[str], known: dict[str, dict]) -> dict[str, list[str]]:
    """Each paper's text against the fingerprints of the last measured gather: same, differ (another copy,
    cut elsewhere), new (no fingerprint) or missing (no text here)."""
    found: dict[str, list[str]] = {"same": [], "differ": [], "new": [], "missing": []}
    for key in keys:
        mine = text_fingerprint(folder, key)
        kind = ("missing" if mine is None else "new" if key not in known
                else "same" if known[key]["sha256"] == mine["sha256"] else "differ")
        found[kind].append(key)
    return found


# -- scores ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class SetScore:
    """Micro-averaged precision, recall and F1 over the papers of a set-valued facet."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    papers: int = 0
    exact: int = 0  # papers whose predicted set equals the gold set

    def add(self, gold: frozenset[str], predicted: frozenset[str]) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)
        self.papers += 1
        self.exact += gold == predicted

    def as_dict(self) -> dict[str, float | int | None]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = (2 * self.tp / (2 * self.tp + self.fp + self.fn)) if self.tp + self.fp + self.fn else None
        return {"micro_f1": _round(f1), "precision": _round(precision), "recall": _round(recall),
                "exact": _round(self.exact / self.papers if self.papers else None), "papers": self.papers,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(slots=True)
class Accuracy:
    right: int = 0
    papers: int = 0
    confusion: dict[str, int] = field(default_factory=dict)  # "gold->predicted" for the misses

    def add(self, gold: str, predicted: str) -> None:
        self.papers += 1
        if gold == predicted:
            self.right += 1
        else:
            key = f"{gold}->{predicted}"
            self.confusion[key] = self.confusion.get(key, 0) + 1

    def as_dict(self) -> dict[str, object]:
        return {"accuracy": _round(self.right / self.papers if self.papers else None), "papers": self.papers,
                "misses": dict(sorted(self.confusion.items(), key=lambda kv: -kv[1]))}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


# -- predictions -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Prediction:
    """What exoreview decides for one paper, in the set's terms, with the labels behind it."""

    design: str
    safety: str
    labels: dict[str, frozenset[str]]
    include: bool
    screening: str  # the deciding criterion and note, or "include"
    evidence: dict[tuple[str, str], Label]

    def why(self, facet: str, value: str = "") -> str:
        label = self.evidence.get((facet, value)) if value else next(
            (lab for (f, _), lab in self.evidence.items() if f == facet), None)
        if label is None:
            return "(no label)"
        e = label.evidence
        return f"[{e.field_name}; {e.method}; {e.match!r}] {e.sentence[:160]}"


class StudyPredictor:
    """The classify and screen stages of exoreview, applied to one record as `exoreview run` would."""

    def __init__(self, protocol: str = "exosome-aesthetics") -> None:
        self.protocol = load_protocol(protocol)
        self.taxonomy_version = self.protocol.taxonomy.version
        self.classifier = StudyClassifier(self.protocol.taxonomy)
        self.stages = [CriteriaRules(self.protocol.exclude, stage, self.classifier.classify)
                       for stage in (TITLE_ABSTRACT, ELIGIBILITY)]

    def predict(self, record: Record) -> Prediction:
        labels = self.classifier.classify(record)
        affirmed = [lab for lab in labels if not lab.negated]
        evidence = {(lab.facet, lab.value): lab for lab in affirmed}
        sets = {facet: frozenset(lab.value for lab in affirmed if lab.facet == facet) for facet in SET_FACETS}
        design = next((lab.value for lab in affirmed if lab.facet == "design"), "other")
        screening, include = "include", True
        for rules in self.stages:
            outcome = rules.decide(record, labels=labels)
            if outcome.label == EXCLUDE:
                screening, include = f"{outcome.reason_id}: {outcome.note}", False
                break
            if outcome.label == MAYBE:
                screening = f"maybe: {outcome.note}"
        return Prediction(design, safety_finding(affirmed), sets, include, screening, evidence)


def safety_finding(labels: list[Label]) -> str:
    """One value per study: the worst harm it reports, else that it saw none, else not reported."""
    values = {lab.value for lab in labels if lab.facet == "safety" and not lab.negated}
    for value in ("serious_adverse_event", "adverse_events_reported", "no_adverse_events"):
        if value in values:
            return value
    return "not_reported"
