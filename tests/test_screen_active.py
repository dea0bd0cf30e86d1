"""The active learner on composed records and on a real SYNERGY dataset."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from exoreview.screen.active import ENSEMBLE, ActiveLearner
from exoreview.screen.features import Fields, build_features
from exoreview.screen.simulation import draw_priors, load_dataset, screening_metrics, simulate

# Composed texts: exosome skin studies are relevant, the rest is not.
RELEVANT = [
    Fields("Exosomes from adipose stem cells reduce wrinkles", "Topical exosome treatment of photoaged skin."),
    Fields("Exosome serum after microneedling for acne scars", "Exosomes improved scar depth in skin."),
    Fields("Platelet exosomes for hair loss", "Exosomes applied to the scalp skin increased hair density."),
    Fields("Stem cell exosomes and skin rejuvenation", "Exosome gel on facial skin improved elasticity."),
]
IRRELEVANT = [
    Fields("Gastric cancer screening by endoscopy", "A cohort of patients with gastric lesions."),
    Fields("Knee osteoarthritis and running", "Runners reported knee pain over ten years."),
    Fields("Antibiotic resistance in hospital wards", "Resistant bacteria were cultured from wards."),
    Fields("Glioma imaging with MRI", "Tumour margins on MRI predicted survival."),
    Fields("Diet and blood pressure", "Salt intake raised blood pressure in adults."),
    Fields("Asthma inhalers in children", "Inhaler technique in children with asthma."),
]
DOCS = RELEVANT + IRRELEVANT


@pytest.mark.parametrize("model", ["lr", "svm", "nb", "sgd", "ensemble"])
def test_every_model_ranks_the_unlabelled_relevant_records_first(model: str) -> None:
    labelled = {0: True, 1: True, 4: False, 5: False}
    ranked = ActiveLearner(model=model).fit(DOCS, labelled).rank()
    assert sorted(ranked) == [2, 3, 6, 7, 8, 9]  # every unlabelled row, once, none labelled
    assert set(ranked[:2]) == {2, 3}


def test_uncertainty_and_mixed_queries_return_every_unlabelled_row() -> None:
    labelled = {0: True, 4: False}
    for query in ("uncertainty", "mixed"):
        learner = ActiveLearner(query=query, mix_every=1).fit(DOCS, labelled)
        assert sorted(learner.rank()) == sorted(set(range(len(DOCS))) - set(labelled))


def test_without_both_classes_it_ranks_by_protocol_keywords() -> None:
    learner = ActiveLearner(keywords=["exosome", "skin"]).fit(DOCS, {4: False})
    ranked = learner.rank()
    assert set(ranked[:4]) == {0, 1, 2, 3}
    assert ActiveLearner().fit(DOCS, {}).rank() == list(range(len(DOCS)))  # no keywords: input order


def test_refitting_reuses_the_collections_features() -> None:
    learner = ActiveLearner(model="lr").fit(DOCS, {0: True, 4: False})
    features = learner.X_
    learner.fit(DOCS, {0: True, 4: False, 1: True})
    assert learner.X_ is features
    assert 1 not in learner.rank()


def test_scores_from_one_product_match_each_models_own_scores() -> None:
    """fit() scores every part with one matrix product; it must give what sklearn's own scoring gives."""
    labelled = {0: True, 1: True, 4: False, 5: False, 6: False}
    rows = np.array(list(labelled))
    y = np.array([int(v) for v in labelled.values()])
    weights = np.where(y == 1, 3 / 2, 1.0)  # balanced: 2 relevant, 3 irrelevant
    features = build_features(DOCS)
    expected = {
        "lr": LogisticRegression(C=1.0, max_iter=200, tol=1e-3).fit(features[rows], y, sample_weight=weights)
        .decision_function(features),
        "svm": LinearSVC(C=0.1, tol=1e-3, random_state=0).fit(features[rows], y, sample_weight=weights)
        .decision_function(features),
        "nb": np.diff(ComplementNB(alpha=0.1).fit(features[rows], y, sample_weight=weights)
                      .predict_joint_log_proba(features), axis=1)[:, 0],
    }
    standardised = {model: (scores - scores.mean()) / scores.std() for model, scores in expected.items()}
    for model, scores in standardised.items():  # a single model's scores come standardised too
        np.testing.assert_allclose(ActiveLearner(model=model).fit(DOCS, labelled).scores(), scores, atol=1e-9)
    ensemble = ActiveLearner().fit(DOCS, labelled).scores()
    np.testing.assert_allclose(ensemble, np.mean([standardised[m] for m in ENSEMBLE], axis=0), atol=1e-9)


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="unknown model 'forest'"):
        ActiveLearner(model="forest")
    with pytest.raises(ValueError, match="outside the 10 records"):
        ActiveLearner().fit(DOCS, {10: True, 0: False})


def test_features_hold_word_char_and_term_blocks() -> None:
    docs = [Fields("Skin exosomes", "text", mesh=("Skin Aging",)), Fields("Knee pain", "other text")]
    with_terms = build_features(docs)
    assert with_terms.shape[0] == 2
    assert np.all(np.isfinite(with_terms.data))
    assert build_features([Fields(), Fields()]).shape[0] == 2  # empty records still get a row


@pytest.mark.slow
def test_simulation_on_a_synergy_dataset_beats_random_reading(shared) -> None:
    dataset = load_dataset(shared("data", "synergy", "Donners_2021"))
    assert len(dataset) == 258 and sum(dataset.labels) == 15
    priors = draw_priors(dataset.labels, 1)
    assert dataset.labels[priors[0]] and not dataset.labels[priors[1]]
    run = simulate(dataset, priors, seed=1, batch=8)
    assert sorted(run.order) == list(range(len(dataset)))
    metrics = screening_metrics(run.labels_in_order, 2)
    # reading at random saves nothing on average (WSS@95 about 0): the ranker must save a real share
    assert metrics.wss95 > 0.3
    assert metrics.recall_at_10pct > 0.3
