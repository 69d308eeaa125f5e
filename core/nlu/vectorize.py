"""Fast inference paths for the fitted scikit-learn parts, exact to their own transform/predict.

On the hot path one message goes through two TF-IDF vectorizers in each of two models. Building
the n-grams is the expensive part and is the same for vectorizers with the same settings, so the
n-gram counts of a text are computed once and reused; the vocabulary lookup, sublinear TF, IDF and
L2 normalisation follow sklearn's TfidfVectorizer exactly. Linear decisions are one sparse product
instead of sklearn's per-call validation. Tests check equality with sklearn's own outputs.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from itertools import pairwise, repeat

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
        counts = _ngrams(vectorizer, text)
        cols = np.fromiter(map(vocabulary.get, counts, repeat(-1)), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        keep = cols >= 0
        cols, tf = cols[keep], tf[keep]
        if vectorizer.sublinear_tf:
            tf = 1.0 + np.log(tf)
        vals = tf * idf[cols]
        norm = float(np.sqrt(vals @ vals))
        if norm:
            vals /= norm
        order = np.argsort(cols)
        indices.append(cols[order])
        data.append(vals[order])
        indptr.append(indptr[-1] + len(cols))
    shape = (len(texts), len(idf))
    if not texts:
        return sparse.csr_matrix(shape)
    return sparse.csr_matrix((np.concatenate(data), np.concatenate(indices), np.asarray(indptr)), shape=shape)


class BlockLinear:
    """A fitted linear model's decision computed block by block (word n-grams, character n-grams,
    embedding), so the blocks never need stacking into one sparse matrix on the hot path."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, sizes: list[int]) -> None:
        bounds = np.cumsum([0, *sizes])
        self.coefs = [np.ascontiguousarray(coef[:, a:b].T) for a, b in pairwise(bounds)]
        self.intercept = np.asarray(intercept)

    def decision(self, blocks: list) -> np.ndarray:
        total = np.tile(self.intercept, (blocks[0].shape[0], 1)).astype(np.float64)
        for block, coef in zip(blocks, self.coefs):
            total += np.asarray(block @ coef)
        return total


def softmax_or_sigmoid(scores: np.ndarray) -> np.ndarray:
    if scores.shape[1] == 1:
        positive = expit(scores[:, 0])
        return np.column_stack([1 - positive, positive])
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def sigmoid_calibration(calibrated) -> tuple[object, np.ndarray, np.ndarray]:
    """(base estimator, a, b) of a CalibratedClassifierCV(ensemble=False, method='sigmoid')."""
    (member,) = calibrated.calibrated_classifiers_
    a = np.array([c.a_ for c in member.calibrators])
    b = np.array([c.b_ for c in member.calibrators])
    return member.estimator, a, b


def calibrate(scores: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    proba = expit(-(a * scores + b))
    totals = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1.0 / proba.shape[1])
    return np.where(totals == 0, uniform, proba / np.where(totals == 0, 1, totals))


def linear_decision(model, features) -> np.ndarray:
    """model.decision_function without sklearn's input validation."""
    scores = features @ model.coef_.T
    return np.asarray(scores) + model.intercept_


def logistic_proba(model, features) -> np.ndarray:
    """LogisticRegression.predict_proba for binary or multinomial models."""
    return softmax_or_sigmoid(linear_decision(model, features))


def calibrated_proba(calibrated, features) -> np.ndarray:
    """CalibratedClassifierCV(ensemble=False, method='sigmoid').predict_proba for 3+ classes."""
    estimator, a, b = sigmoid_calibration(calibrated)
    return calibrate(linear_decision(estimator, features), a, b)
