"""Who or what a study studied: `human`, `animal`, `in_vitro`, `ex_vivo`, each with its sentence.

`human` and `animal` follow MEDLINE's check tags "Humans" and "Animals" faithfully, because
those tags are the only gold standard there is (`benchmarks/subjects_vs_mesh.py` scores
against them). They come from a logistic-regression model over the words of the title,
abstract, keywords and journal plus a few rule cues, trained on the MeSH of real records (the
SYNERGY datasets and the MEDLINE fixtures under ../shared) by `scripts/build_subjects_model.py`
and shipped as JSON (`models/subjects.json`): a vocabulary
with one weight per class, so reading it needs no scikit-learn and no pickle.

MEDLINE tags "Humans" on studies of human *cells* too. A review of skin treatments needs to
tell a split-face trial from a keratinocyte culture, so `human_participants` says, separately,
whether people took part: `human` plus a cue naming participants (patients, volunteers,
"12 women", a trial), or `human` without any laboratory cue. `in_vitro` and `ex_vivo` have no
gold tags: they are rules (cell cultures, cell lines; explants, organ cultures), negation-aware.

Every subject carries an `Evidence`: the sentence, its offsets in its field, the field, the
method (``model:subjects/<version>`` or ``pattern:subjects.<subject>/<cue>``) and the words
that decided it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from exoreview.classify.cues import CueScanner
from exoreview.classify.sentences import Sentence, record_sentences
from exoreview.records import Record
from exoreview.results import Evidence, Label

SUBJECTS = ("human", "animal", "in_vitro", "ex_vivo")
MODEL_CLASSES = ("human", "animal")  # predicted by the model; the other two by rules
SUBJECTS_FACET = "subjects"
MODEL_FILE = "subjects.json"

# -- rule cues ---------------------------------------------------------------------------------------
#
# Each cue is (name, pattern). Cues feed the model as features ("cue:animal.species") and give the
# readable evidence sentence; for in_vitro and ex_vivo they alone decide.

_SPECIES = (
    r"mice|mouse|murine|rats?|rodents?|rabbits?|hamsters?|guinea[- ]pigs?|minipigs?|piglets?|pigs|porcine|swine"
    r"|dogs|canine|cats|feline|monkeys?|macaques?|primates?|baboons?|sheep|ovine|goats?|cattle|cows?|calves"
    r"|horses|ponies|zebrafish|drosophila|nematodes?|c\. elegans|chick(?:en)? embryos?|xenopus"
)
# An antibody raised in an animal names no animal model: "rabbit anti-CD63", "mouse monoclonal".
_NOT_ANTIBODY = r"(?![- ](?:anti-|monoclonal|polyclonal|igg|antibod|serum|secondary))"
CUES: dict[str, tuple[tuple[str, str], ...]] = {
    "human": (
        ("patients", r"\b(?:patients?|outpatients|inpatients)\b"),
        ("participants", r"\b(?:participants|volunteers|subjects|respondents|attendees|recruits)\b"),
        ("people", r"\b\d[\d,]* (?:[a-z-]+ ){0,2}?(?:women|men|girls|boys|children|adults|adolescents|infants"
                   r"|individuals|people|persons|twins|veterans|students|nurses|physicians|smokers)\b"),
        ("age", r"\b\d{1,3}-(?:year|month|week)-old (?:man|woman|male|female|boy|girl|patient|child|infant)\b"
                r"|\baged? (?:\d{1,3}|between \d{1,3})\b"),
        ("trial", r"\b(?:randomi[sz]ed|placebo|double-?blind|single-?blind|clinical trials?|cohort|split-?face"
                  r"|case reports?|case series|cross-sectional|questionnaires?|interviews?|surveys?)\b"),
        ("humans", r"\b(?:humans?|healthy controls|women|men|children|adults|adolescents|elderly)\b"),
    ),
    "animal": (
        ("species", rf"(?<!anti-)\b(?:{_SPECIES})\b{_NOT_ANTIBODY}"),
        ("strain", r"\b(?:C57BL/?6\w*|BALB/?c|Sprague[- ]Dawley|Wistar|Long[- ]Evans|nude mice|knock-?out mice"
                   r"|transgenic (?:mice|rats|animals)|db/db|ob/ob)\b"),
        ("animals", r"\b(?:animals?|in vivo|rodent models?|animal models?|xenografts?)\b"),
    ),
    "in_vitro": (
        ("in_vitro", r"\bin vitro\b"),
        ("cell_line", r"\bcell lines?\b|\b(?:HaCaT|HDFs?|HEK-?293T?|HeLa|HUVECs?|NIH[- ]?3T3|B16(?:-?F10)?"
                      r"|RAW ?264\.7|THP-1|Caco-2|MCF-?7|A549|HepG2|SH-SY5Y|PC-?12|HFDPCs?|HDPCs?|HSFs?|L929)\b"),
        ("culture", r"\b(?:cultured|primary) (?:human |normal |murine |mouse |rat )?(?:[\w-]+ ){0,2}?"
                    r"(?:cells|fibroblasts|keratinocytes|melanocytes|macrophages|neurons|myoblasts|chondrocytes"
                    r"|osteoblasts|adipocytes|dermal papilla cells)\b"
                    r"|\bcells? cultures?\b|\bco-?cultur(?:e|ed|es)\b"
                    r"|\bcells were (?:treated|incubated|exposed|co-?cultured|cultured|pretreated|transfected)\b"),
        ("assay", r"\b(?:scratch (?:wound )?assays?|transwell|CCK-?8|MTT assays?|tube formation assays?)\b"),
    ),
    "ex_vivo": (
        ("ex_vivo", r"\bex vivo\b"),
        ("explant", r"\b(?:(?:human |skin |tissue |organ )?explants?(?: cultures?)?|explanted)\b"),
        ("organ_culture", r"\b(?:organ|organotypic) cultures?\b|\borgan-?cultured\b"
                          r"|\b(?:isolated|microdissected) (?:(?:human|scalp|anagen) ){0,3}(?:hair )?follicles\b"
                          r"|\bfollicles (?:were )?(?:maintained|kept|grown) in (?:organ )?culture\b"
                          r"|\b(?:skin|tissue) (?:biopsies|samples) were (?:cultured|incubated|maintained)\b"),
    ),
}
_COMPILED = {subject: tuple((name, re.compile(p, re.IGNORECASE)) for name, p in cues) for subject, cues in CUES.items()}
# The cues that say people took part (not merely human material): for `human_participants`.
PARTICIPANT_CUES = frozenset({"patients", "participants", "people", "age", "trial"})

_TOKEN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|\d+")
_TAG = re.compile(r"<[^>]{1,40}>")  # OpenAlex abstracts keep HTML such as <h2>Abstract</h2>


# -- features ----------------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Lower-case words; numbers become '0' (their value says nothing about who was studied)."""
    words = _TOKEN.findall(_TAG.sub(" ", text.lower()))
    return ["0" if w[0].isdigit() else w for w in words]


def sentence_terms(text: str) -> set[str]:
    """Unigrams and bigrams of one sentence."""
    words = tokens(text)
    terms = set(words)
    terms.update(f"{a} {b}" for a, b in pairwise(words))
    return terms


@dataclass(frozen=True, slots=True)
class CueHit:
    subject: str
    cue: str
    field_name: str
    sentence: Sentence
    start: int  # within the sentence
    end: int
    negated: bool
    hedged: bool

    @property
    def feature(self) -> str:
        return f"cue:{self.subject}.{self.cue}"


def find_cues(sentences: Iterable[tuple[str, Sentence]]) -> list[CueHit]:
    """Every cue match in the record's sentences, with its negation and hedging."""
    hits: list[CueHit] = []
    for field_name, sentence in sentences:
        scanner: CueScanner | None = None
        for subject, cues in _COMPILED.items():
            for name, pattern in cues:
                for m in pattern.finditer(sentence.text):
                    scanner = scanner or CueScanner(sentence.text)
                    hits.append(CueHit(subject, name, field_name, sentence, m.start(), m.end(),
                                       scanner.negated(m.start(), m.end()), scanner.hedged(m.start(), m.end())))
    return hits


@dataclass(slots=True)
class RecordFeatures:
    """What the model reads of one record: terms per sentence, journal words, affirmed cues."""

    sentences: list[tuple[str, Sentence]]
    terms: list[set[str]]  # per sentence, aligned with `sentences`
    cues: list[CueHit]
    journal: set[str]

    def all(self) -> set[str]:
        features = set().union(*self.terms) if self.terms else set()
        features.update(self.journal)
        features.update(hit.feature for hit in self.cues if not hit.negated)
        if not any(field_name == "abstract" for field_name, _ in self.sentences):
            features.add("meta:no_abstract")
        return features


def record_features(record: Record) -> RecordFeatures:
    """Features of a record from everything but its MeSH (the model must not see the answer)."""
    sentences = record_sentences(record)
    journal = {f"journal:{w}" for w in tokens(record.journal.title or record.journal.iso_abbreviation)}
    return RecordFeatures(sentences, [sentence_terms(s.text) for _, s in sentences], find_cues(sentences), journal)


def feature_values(features: Iterable[str]) -> list[tuple[str, float]]:
    """Each feature's value: word features are scaled to unit length together, so that a long abstract
    does not outvote a short one; cue and meta features count 1 each, so a stated "mice" keeps its weight."""
    features = list(features)
    words = [f for f in features if not f.startswith(_WHOLE_PREFIXES)]
    scale = 1.0 / math.sqrt(len(words)) if words else 0.0
    return [(f, 1.0 if f.startswith(_WHOLE_PREFIXES) else scale) for f in features]


_WHOLE_PREFIXES = ("cue:", "meta:")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


# -- the model ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class ClassModel:
    intercept: float
    threshold: float  # on the probability
    weights: dict[str, float]

    def score(self, features: Iterable[str]) -> float:
        """Probability of the class: words count divided by the root of their number, cues count whole."""
        return _sigmoid(self.intercept + sum(v * self.weights.get(f, 0.0) for f, v in feature_values(features)))


@dataclass(slots=True)
class SubjectsModel:
    version: str
    classes: dict[str, ClassModel]
    about: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubjectsModel:
        classes = {name: ClassModel(float(spec["intercept"]), float(spec["threshold"]),
                                    {k: float(v) for k, v in spec["weights"].items()})
                   for name, spec in data["classes"].items()}
        return cls(str(data["version"]), classes, dict(data.get("about", {})))

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "about": self.about,
                "classes": {name: {"intercept": c.intercept, "threshold": c.threshold, "weights": c.weights}
                            for name, c in self.classes.items()}}

    @classmethod
    def load(cls, path: Path) -> SubjectsModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    @property
    def method(self) -> str:
        return f"model:subjects/{self.version}"


@lru_cache(maxsize=1)
def shipped_model() -> SubjectsModel:
    """The model built by scripts/build_subjects_model.py and shipped in the package."""
    text = resources.files("exoreview.classify").joinpath("models", MODEL_FILE).read_text(encoding="utf-8")
    return SubjectsModel.from_dict(json.loads(text))


# -- prediction --------------------------------------------------------------------------------------


@dataclass(slots=True)
class SubjectPrediction:
    """Subjects of one record, in SUBJECTS order, each with the evidence that decided it."""

    subjects: list[str]
    evidence: dict[str, Evidence]  # one per subject in `subjects`
    scores: dict[str, float]  # the model's probability for each MODEL_CLASSES subject
    human_participants: bool  # people took part (not only human cells or tissue)

    @property
    def items(self) -> list[tuple[str, Evidence]]:
        return [(subject, self.evidence[subject]) for subject in self.subjects]

    def labels(self, record_id: int = 0) -> list[Label]:
        """As stored labels of facet "subjects"; detail holds the model's probability where there is one."""
        return [Label(record_id, SUBJECTS_FACET, subject, evidence,
                      detail=f"p={self.scores[subject]:.3f}" if subject in self.scores else "")
                for subject, evidence in self.items]


def predict_subjects(record: Record, model: SubjectsModel | None = None) -> SubjectPrediction:
    """The subjects of one record from its title, abstract, keywords and journal (never its MeSH)."""
    model = model or shipped_model()
    features = record_features(record)
    present = features.all()
    subjects: list[str] = []
    evidence: dict[str, Evidence] = {}
    scores: dict[str, float] = {}
    for subject in SUBJECTS:
        affirmed = [h for h in features.cues if h.subject == subject and not h.negated and not h.hedged]
        if subject in model.classes:
            class_model = model.classes[subject]
            scores[subject] = round(class_model.score(present), 6)
            if scores[subject] >= class_model.threshold:
                subjects.append(subject)
                evidence[subject] = _model_evidence(features, class_model, affirmed, model.method)
        elif affirmed:
            subjects.append(subject)
            evidence[subject] = _cue_evidence(_first(affirmed))
    return SubjectPrediction(subjects, evidence, scores, _human_participants(subjects, features.cues))


def _human_participants(subjects: list[str], cues: list[CueHit]) -> bool:
    if "human" not in subjects:
        return False
    affirmed = {h.cue for h in cues if h.subject == "human" and not h.negated and not h.hedged}
    return bool(affirmed & PARTICIPANT_CUES) or not ({"in_vitro", "ex_vivo"} & set(subjects))


def _first(hits: list[CueHit]) -> CueHit:
    """Title before abstract, then the earliest."""
    return min(hits, key=lambda h: (h.field_name != "title", h.sentence.start + h.start))


def _cue_evidence(hit: CueHit) -> Evidence:
    text = hit.sentence.text
    return Evidence(text, hit.sentence.start, hit.sentence.end, hit.field_name,
                    f"pattern:{SUBJECTS_FACET}.{hit.subject}/{hit.cue}", text[hit.start : hit.end])


def _model_evidence(features: RecordFeatures, class_model: ClassModel, affirmed: list[CueHit],
                    method: str) -> Evidence:
    """The sentence that pushed the model hardest towards the class; a sentence with a cue if one exists."""
    weights = class_model.weights
    best: tuple[float, int, str] | None = None
    candidates = {id(h.sentence) for h in affirmed}
    for index, (terms, (_, sentence)) in enumerate(zip(features.terms, features.sentences, strict=True)):
        if candidates and id(sentence) not in candidates:
            continue
        positive = [(weights.get(t, 0.0), t) for t in terms if weights.get(t, 0.0) > 0]
        total = sum(w for w, _ in positive)
        top = max(positive)[1] if positive else ""
        if best is None or total > best[0]:
            best = (total, index, top)
    if best is None:  # no text at all: the prior alone decided
        return Evidence("", 0, 0, "title", method, "")
    _, index, top = best
    field_name, sentence = features.sentences[index]
    cue = next((h for h in affirmed if h.sentence is sentence), None)
    match = sentence.text[cue.start : cue.end] if cue else top
    return Evidence(sentence.text, sentence.start, sentence.end, field_name, method, match)


class SubjectsModelClassifier:
    """The subjects model as a `Classifier`: human and animal as MEDLINE's check tags read them.

    It labels the facet "subjects" only, and only where a sentence of the record names the
    subject (a cue such as "patients" or "mice"): a probability with no sentence behind it is
    not evidence a reviewer can check, so such a prediction is not emitted. Name it in a
    taxonomy (`classifiers = { subjects = "subjects-model" }`) to use it instead of the rules.
    """

    name = "subjects-model"

    def __init__(self, taxonomy: object = None, model: SubjectsModel | None = None) -> None:
        self.model = model

    def classify(self, record: Record, record_id: int = 0) -> list[Label]:
        prediction = predict_subjects(record, self.model)
        stated = {(h.subject, h.sentence.text) for h in find_cues(record_sentences(record))
                  if not h.negated and not h.hedged}
        return [label for label in prediction.labels(record_id)
                if (label.value, label.evidence.sentence) in stated]
