"""The fast inference paths give exactly what scikit-learn's own transform and predict give."""

from __future__ import annotations

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from core.nlu.vectorize import calibrated_proba, logistic_proba, tfidf_transform

TEXTS = [
    "my mom keeps forgetting her pills", "mi mamá no quiere comer nada", "how do i help dad in the shower",
    "dolor de espalda crónico", "thanks so much", "hola buenas tardes", "she fell again last night",
    "¿qué hago si se le baja el azúcar?", "knee replacement recovery", "respite care near me",
] * 3
LABELS = ["a", "b", "c", "b", "a", "b", "c", "b", "a", "c"] * 3


def _fitted(**kwargs) -> TfidfVectorizer:
    return TfidfVectorizer(strip_accents="unicode", sublinear_tf=True, **kwargs).fit(TEXTS)


def test_tfidf_transform_equals_sklearn():
    unseen = ["completely new words here", "mamá azúcar dolor", "", "she she she fell fell"]
    for vectorizer in (_fitted(ngram_range=(1, 2)), _fitted(analyzer="char_wb", ngram_range=(2, 5))):
        expected = vectorizer.transform(unseen).toarray()
        assert np.allclose(tfidf_transform(vectorizer, unseen).toarray(), expected)


def test_logistic_proba_equals_sklearn():
    x = _fitted().transform(TEXTS)
    for labels in (LABELS, [label == "a" for label in LABELS]):
        model = LogisticRegression(max_iter=500).fit(x, labels)
        assert np.allclose(logistic_proba(model, x), model.predict_proba(x))


def test_calibrated_proba_equals_sklearn():
    x = _fitted().transform(TEXTS)
    model = CalibratedClassifierCV(LinearSVC(), method="sigmoid", cv=3, ensemble=False).fit(x, LABELS)
    assert np.allclose(calibrated_proba(model, x), model.predict_proba(x))


def test_trained_models_fast_paths_equal_sklearn(trained):
    import pytest  # noqa: F401
    from scipy import sparse

    from core.nlu.embeddings import get_embedder
    from core.nlu.features import embed
    from core.nlu.intent import IntentModel
    from core.nlu.model_files import load_model
    from core.safety.semantic import SemanticCrisisClassifier

    texts = ["my dad keeps falling at night", "no aguanto más", "hello", "how do i get a break from caring"]
    embeddings = embed(texts, get_embedder())
    intent = IntentModel(load_model("intent", trained))
    stacked = sparse.hstack([intent.word.transform(texts), intent.char.transform(texts), embeddings * intent.weight])
    assert np.allclose(intent.predict_proba(texts, embeddings), intent.classifier.predict_proba(stacked))
    crisis = SemanticCrisisClassifier(load_model("crisis", trained))
    stacked = sparse.hstack([crisis.word.transform(texts), crisis.char.transform(texts), embeddings])
    assert np.allclose(crisis.probabilities(texts, embeddings), crisis.model.predict_proba(stacked)[:, 1])
