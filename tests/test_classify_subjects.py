"""Subjects (human, animal, in vitro, ex vivo) from composed abstracts, the shipped model, and real MeSH."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pytest

from exoreview.bench.subjects_train import (
    Example,
    fit,
    leave_one_dataset_out,
    load_examples,
    load_medline_samples,
    mean_macro,
    model_bytes,
    model_predictor,
    score,
    seen_dataset_ceiling,
)
from exoreview.classify.sentences import field_text
from exoreview.classify.subjects import (
    SUBJECTS,
    SubjectsModel,
    find_cues,
    predict_subjects,
    record_features,
    shipped_model,
)
from exoreview.records import AbstractSection, MeshHeading, Record


def _record(title: str, *sentences: str, **fields: object) -> Record:
    return Record(title=title, abstract=[AbstractSection(" ".join(sentences))] if sentences else [], **fields)


# Composed for these tests: the EV-in-dermatology situations the model must get right.
CASES = {
    "mouse wound model": (
        _record("Adipose stem cell exosomes speed wound closure in diabetic mice",
                "Excisional wounds were made on the backs of db/db mice and dressed with an exosome hydrogel.",
                "Treated animals closed their wounds two days earlier."),
        {"animal"}, False),
    "rat flap model": (
        _record("Vesicles from platelet lysate and random skin flap survival",
                "Sprague-Dawley rats received vesicles under the flap on day zero.", "Necrotic area fell by a third."),
        {"animal"}, False),
    "human cell culture": (
        _record("Cord stem cell exosomes and the proliferation of dermal fibroblasts",
                "Human dermal fibroblasts and HaCaT keratinocytes were cultured with exosomes in vitro.",
                "Migration in a scratch assay and type I collagen both rose."),
        {"human", "in_vitro"}, False),
    "split-face trial": (
        _record("Exosome gel after fractional laser for atrophic acne scars: a split-face trial",
                "Twenty-five patients with atrophic acne scars took part in this randomized split-face study.",
                "One side of the face received the gel after each laser session."),
        {"human"}, True),
    "skin explants": (
        _record("Exosomes and ultraviolet injury of human skin explants",
                "Skin left over from abdominoplasty was kept ex vivo and irradiated with UVB.",
                "Exosome treatment lowered the count of sunburn cells."),
        {"human", "ex_vivo"}, False),
    "negated in vitro": (
        _record("A serum with exosomes for photoaged skin",
                "This was not an in vitro study.", "Thirty women aged 40 to 60 years applied the serum twice a day."),
        {"human"}, True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_composed_abstracts(name: str) -> None:
    record, expected, participants = CASES[name]
    prediction = predict_subjects(record)
    assert set(prediction.subjects) == expected, (name, prediction.subjects, prediction.scores)
    assert prediction.human_participants is participants
    assert prediction.subjects == [s for s in SUBJECTS if s in expected]  # documented order


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_subject_points_at_its_sentence(name: str) -> None:
    record = CASES[name][0]
    prediction = predict_subjects(record)
    for subject, evidence in prediction.items:
        assert evidence.sentence, subject
        assert field_text(record, evidence.field_name)[evidence.start : evidence.end] == evidence.sentence
        assert evidence.match and evidence.match in evidence.sentence
        assert evidence.method.startswith(("model:subjects/", "pattern:subjects."))
    labels = prediction.labels(record_id=7)
    expected = [(7, "subjects", subject) for subject in prediction.subjects]
    assert [(lab.record_id, lab.facet, lab.value) for lab in labels] == expected


def test_model_subjects_carry_their_probability() -> None:
    record = CASES["mouse wound model"][0]
    prediction = predict_subjects(record)
    assert prediction.scores["animal"] > shipped_model().classes["animal"].threshold > prediction.scores["human"]
    assert prediction.evidence["animal"].method == shipped_model().method
    assert prediction.labels()[0].detail.startswith("p=")


def test_cues_skip_antibodies_negations_and_hedges() -> None:
    record = _record("CD63 staining of exosomes from patient plasma",
                     "Vesicles were stained with a rabbit anti-CD63 antibody and a mouse monoclonal antibody.",
                     "No animals were used.", "Explants may be studied in future work.")
    hits = find_cues(record_features(record).sentences)
    assert not [h for h in hits if h.cue == "species"]
    animals = [h for h in hits if h.subject == "animal"]
    assert animals and all(h.negated for h in animals)
    explant = [h for h in hits if h.subject == "ex_vivo"]
    assert explant and all(h.hedged for h in explant)
    assert "ex_vivo" not in predict_subjects(record).subjects


def test_mesh_is_never_read() -> None:
    record = _record("A survey of clinic staff", "Nurses answered a questionnaire about their workload.")
    tagged = _record("A survey of clinic staff", "Nurses answered a questionnaire about their workload.",
                     mesh=[MeshHeading("Animals", "D000818"), MeshHeading("Mice", "D051379")])
    assert predict_subjects(record).scores == predict_subjects(tagged).scores


def test_record_without_text_gets_the_prior_only() -> None:
    prediction = predict_subjects(Record(pmid="1"))
    for _subject, evidence in prediction.items:
        assert evidence.sentence == "" and evidence.method.startswith("model:")


def test_shipped_model_file_is_plain_json_and_round_trips() -> None:
    text = resources.files("exoreview.classify").joinpath("models", "subjects.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert set(data["classes"]) == {"human", "animal"}
    for spec in data["classes"].values():
        assert 0 < spec["threshold"] < 1 and spec["weights"]
    assert SubjectsModel.from_dict(data).to_dict() == data
    assert data["about"]["gold"].startswith("MEDLINE check tags")


@pytest.mark.slow
def test_build_is_deterministic_on_a_subset(shared) -> None:
    root = shared("data", "synergy")
    examples = load_examples(root, datasets=["Sep_2021", "Donners_2021"], limit=80)
    assert {e.dataset for e in examples} == {"Sep_2021", "Donners_2021"}
    first, second = model_bytes(fit(examples)), model_bytes(fit(list(examples)))
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    model = SubjectsModel.from_dict(json.loads(first))
    assert model.about["trained_on"] == ["Donners_2021", "Sep_2021"]


@pytest.mark.slow
def test_shipped_model_on_real_records(shared) -> None:
    """In-sample (the shipped model was trained on these), so a floor, not the benchmark's figure."""
    examples = load_examples(shared("data", "synergy"))
    assert len(examples) == 2340
    scores = score(examples, model_predictor(shipped_model()))
    assert scores["Sep_2021"]["animal"] >= 0.9
    assert all(row["human"] >= 0.9 for name, row in scores.items() if name != "Sep_2021")
    assert mean_macro(scores) >= 0.75



def test_medline_samples_train_but_never_double_a_scored_record(shared) -> None:
    root = shared("fixtures").parent
    samples = load_medline_samples(root)
    assert {e.dataset for e in samples} == {"medline16n0902", "mesh_papers"}
    assert len(samples) == 378 and all(e.ids for e in samples)
    # A record already among the scored examples (by PMID or DOI) is not taken again.
    scored = samples[:5] + samples[-3:]
    rest = load_medline_samples(root, exclude=scored)
    assert len(rest) == len(samples) - len(scored)
    assert not {i for e in scored for i in e.ids} & {i for e in rest for i in e.ids}


def _composed(dataset: str, n: int, signal: bool, seed: int) -> list[Example]:
    """Composed examples (not real records): gold `animal` follows the feature "mice" when `signal`,
    and a coin otherwise; `human` is on every other record."""
    import random

    rng = random.Random(seed)
    out = []
    for i in range(n):
        animal = i % 3 == 0
        words = {"study", f"w{rng.randrange(40)}", f"w{rng.randrange(40)}"}
        if (signal and animal) or (not signal and rng.random() < 0.5):
            words.add("mice")
        if i % 2 == 0:
            words.add("patients")
        out.append(Example(dataset, f"{dataset}-{i}", frozenset(words), {"human": i % 2 == 0, "animal": animal}))
    return out


def test_ceiling_finds_a_stated_signal_and_not_a_coin() -> None:
    examples = _composed("clear", 60, True, 1) + _composed("coin", 60, False, 2) + _composed("other", 60, True, 3)
    ceiling = seen_dataset_ceiling(examples, folds=3)
    assert ceiling["clear"]["animal"] == 1.0 and ceiling["clear"]["human"] == 1.0
    assert ceiling["coin"]["animal"] < 0.8  # no threshold recovers a coin from the words


def test_leave_one_dataset_out_never_trains_on_the_held_out_dataset() -> None:
    examples = _composed("a", 30, True, 1) + _composed("b", 30, True, 2) + _composed("c", 30, True, 3)
    extra = _composed("sample", 30, True, 4)
    scores, models = leave_one_dataset_out(examples, keep_models=True, train_also=extra)
    assert set(scores) == {"a", "b", "c"}  # the training-only group is never scored
    for held_out, model in models.items():
        assert model.about["trained_on"] == sorted({"a", "b", "c", "sample"} - {held_out})
