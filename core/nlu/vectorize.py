"""Fast inference paths for the fitted scikit-learn parts, exact to their own transform/predict.

On the hot path one message goes through two TF-IDF vectorizers in each of two models. Building
the n-grams is the expensive part and is the same for vectorizers with the same settings, so the
n-gram counts of a text are computed once and reused; the vocabulary lookup, sublinear TF, IDF and
L2 normalisation follow sklearn's TfidfVectorizer exactly. Linear decisions are one sparse product
instead of sklearn's per-call validation. Tests check equality with sklearn's own outputs.
"""

from __future__ import annotations

from collections import Counter, OrderedDict

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer

_CACHE_SIZE = 256
_ngram_cache: OrderedDict[tuple, Counter] = OrderedDict()
_analyzers: dict[tuple, object] = {}  # an analyzer depends only on the vectorizer's settings


def _config(vectorizer: TfidfVectorizer) -> tuple:
    p = vectorizer
    return (p.analyzer, tuple(p.ngram_range), p.strip_accents, p.lowercase, p.token_pattern, p.preprocessor is None)


def _ngrams(vectorizer: TfidfVectorizer, text: str) -> Counter:
    config = _config(vectorizer)
    key = (config, text)
    counts = _ngram_cache.get(key)
    if counts is None:
        analyzer = _analyzers.get(config)
        if analyzer is None:
            analyzer = _analyzers[config] = vectorizer.build_analyzer()
        counts = Counter(analyzer(text))
        _ngram_cache[key] = counts
        if len(_ngram_cache) > _CACHE_SIZE:
            _ngram_cache.popitem(last=False)
    return counts


def tfidf_transform(vectorizer: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """Same result as vectorizer.transform(texts) for a fitted TfidfVectorizer (norm l2)."""
    vocabulary = vectorizer.vocabulary_
    idf = vectorizer.idf_
    indptr, indices, data = [0], [], []
    for text in texts:
        cols, vals = [], []
        for gram, count in _ngrams(vectorizer, text).items():
            j = vocabulary.get(gram)
            if j is not None:
                tf = 1.0 + np.log(count) if vectorizer.sublinear_tf else float(count)
                cols.append(j)
                vals.append(tf * idf[j])
        if vals:
            norm = float(np.sqrt(np.dot(vals, vals)))
            vals = [v / norm for v in vals] if norm else vals
        order = np.argsort(cols)
        indices.extend(np.asarray(cols, dtype=np.int64)[order])
        data.extend(np.asarray(vals, dtype=np.float64)[order])
        indptr.append(len(indices))
    shape = (len(texts), len(idf))
    return sparse.csr_matrix((np.asarray(data), np.asarray(indices, dtype=np.int64), np.asarray(indptr)), shape=shape)


def linear_decision(model, features) -> np.ndarray:
    """model.decision_function without sklearn's input validation."""
    scores = features @ model.coef_.T
    return np.asarray(scores) + model.intercept_


def logistic_proba(model, features) -> np.ndarray:
    """LogisticRegression.predict_proba for binary or multinomial models."""
    scores = linear_decision(model, features)
    if scores.shape[1] == 1:
        positive = expit(scores[:, 0])
        return np.column_stack([1 - positive, positive])
    scores -= scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def calibrated_proba(calibrated, features) -> np.ndarray:
    """CalibratedClassifierCV(ensemble=False, method='sigmoid').predict_proba for 3+ classes."""
    (member,) = calibrated.calibrated_classifiers_
    scores = linear_decision(member.estimator, features)
    a = np.array([c.a_ for c in member.calibrators])
    b = np.array([c.b_ for c in member.calibrators])
    proba = expit(-(a * scores + b))
    totals = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1.0 / proba.shape[1])
    return np.where(totals == 0, uniform, proba / np.where(totals == 0, 1, totals))
