"""The fast inference paths give exactly what scikit-learn's own transform and predict give."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from core.nlu.vectorize import BlockLinear, calibrate, sigmoid_calibration, softmax_or_sigmoid, tfidf_transform

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


def _decision(model, x) -> np.ndarray:
    return BlockLinear(model.coef_, model.intercept_, [x.shape[1]]).decision([x])


def test_logistic_proba_equals_sklearn():
    x = _fitted().transform(TEXTS)
    for labels in (LABELS, [label == "a" for label in LABELS]):
        model = LogisticRegression(max_iter=500).fit(x, labels)
        assert np.allclose(softmax_or_sigmoid(_decision(model, x)), model.predict_proba(x))


def test_sigmoid_calibration_pins_what_serving_reads_from_sklearn():
    """sigmoid_calibration reads scikit-learn's private calibrator parameters (a_, b_): calibrating
    with them must equal the public predict_proba, or serving would drift from the trained model."""
    x = _fitted().transform(TEXTS)
    model = CalibratedClassifierCV(LinearSVC(), method="sigmoid", cv=3, ensemble=False).fit(x, LABELS)
    estimator, a, b = sigmoid_calibration(model)
    assert a.shape == b.shape == (len(set(LABELS)),)
    assert np.allclose(calibrate(_decision(estimator, x), a, b), model.predict_proba(x))


@pytest.mark.slow
def test_trained_models_fast_paths_equal_sklearn(trained):
    from scipy import sparse

    from core.nlu.embeddings import get_embedder
    from core.nlu.features import extract
    from core.nlu.intent import IntentModel
    from core.nlu.model_files import load_model
    from core.safety.semantic import SemanticCrisisClassifier

    texts = ["my dad keeps falling at night", "no aguanto más", "hello", "how do i get a break from caring"]
    embeddings = np.vstack([f.embedding for f in extract(texts, get_embedder())])
    intent = IntentModel(load_model("intent", trained))
    stacked = sparse.hstack([intent.word.transform(texts), intent.char.transform(texts), embeddings * intent.weight])
    assert np.allclose(intent.predict_proba(texts, embeddings), intent.classifier.predict_proba(stacked))
    crisis = SemanticCrisisClassifier(load_model("crisis", trained))
    stacked = sparse.hstack([crisis.word.transform(texts), crisis.char.transform(texts), embeddings])
    assert np.allclose(crisis.probabilities(texts, embeddings), crisis.model.predict_proba(stacked)[:, 1])


def test_sparse_rows_decision_equals_the_matrix_product():
    from core.nlu.vectorize import BlockLinear, tfidf_rows

    word, char = _fitted(ngram_range=(1, 2)), _fitted(analyzer="char_wb", ngram_range=(2, 5))
    unseen = ["completely new words here", "mamá azúcar dolor", "", "she she she fell fell"]
    dense = np.random.default_rng(0).normal(size=(len(unseen), 3))
    sizes = [len(word.vocabulary_), len(char.vocabulary_), 3]
    coef = np.random.default_rng(1).normal(size=(2, sum(sizes)))
    linear = BlockLinear(coef, np.array([0.5, -0.5]), sizes)
    rows = [tfidf_rows(word, unseen), tfidf_rows(char, unseen), dense]
    expected = np.hstack([word.transform(unseen).toarray(), char.transform(unseen).toarray(), dense]) @ coef.T + [0.5, -0.5]
    assert np.allclose(linear.decision(rows), expected)
    assert np.allclose(linear.decision([r[1:3] for r in rows]), expected[1:3])  # slicing keeps rows in order
    assert np.allclose(tfidf_rows(word, unseen).tocsr().toarray(), word.transform(unseen).toarray())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab yÉñ\t\n\u00a0¨ﬁ😀.")), max_size=40) | st.text(max_size=40))
def test_char_ngrams_word_by_word_equal_sklearn(text):
    """The word-by-word (cached) char_wb n-grams are exactly sklearn's for any text: odd spaces,
    accents that decompose into a space, ligatures, emoji, one-letter words."""
    from collections import Counter
    from itertools import chain

    from core.nlu.vectorize import _preprocessed_words, _word_char_ngrams

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), strip_accents="unicode", sublinear_tf=True)
    by_word = Counter(chain.from_iterable(_word_char_ngrams(w, 2, 5) for w in _preprocessed_words(vectorizer, text)))
    assert by_word == Counter(vectorizer.build_analyzer()(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab yÉñ\u00a0¨😀.")), max_size=30) | st.text(max_size=30),
                min_size=1, max_size=4))
def test_tfidf_rows_equal_sklearn_for_any_text(texts):
    """The word-cached character columns give sklearn's transform for any text, also when the
    same words come back in later texts."""
    from core.nlu.vectorize import tfidf_transform

    vectorizer = _fitted(analyzer="char_wb", ngram_range=(2, 5))
    for batch in (texts, texts[::-1]):
        assert np.allclose(tfidf_transform(vectorizer, batch).toarray(), vectorizer.transform(batch).toarray())
