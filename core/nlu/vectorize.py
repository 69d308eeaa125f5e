"""Fast inference paths for the fitted scikit-learn parts, exact to their own transform/predict.

On the hot path one message (and each window of a long one) goes through two TF-IDF vectorizers in
each of two models. Building and looking up the n-grams is the expensive part: word n-gram counts
of a text are computed once and shared by vectorizers with the same settings, and character
n-grams, which never cross a word, are looked up word by word with each word's columns kept. The
sublinear TF, IDF and L2 normalisation follow sklearn's TfidfVectorizer exactly. A text's TF-IDF
row stays a (columns, values) pair and a linear decision is a gather and a dot product over those
columns, with no scipy matrix and no sklearn validation per call. Tests check equality with
sklearn's own outputs.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from functools import lru_cache
from itertools import pairwise, repeat
from weakref import WeakKeyDictionary

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer

_CACHE_SIZE = 256  # texts whose word n-grams are kept (a message and its windows, read by two models)
_WORD_CACHE_SIZE = 20_000  # words whose character n-gram columns are kept, per vectorizer
_ngram_cache: OrderedDict[tuple, Counter] = OrderedDict()
_analyzers: dict[tuple, object] = {}  # an analyzer depends only on the vectorizer's settings
_word_columns: WeakKeyDictionary = WeakKeyDictionary()  # vectorizer -> cached word -> columns
_NO_COLUMNS = np.zeros(0, dtype=np.int64)


def _config(vectorizer: TfidfVectorizer) -> tuple:
    p = vectorizer
    return (p.analyzer, tuple(p.ngram_range), p.strip_accents, p.lowercase, p.token_pattern, p.preprocessor is None)


def _by_word(vectorizer: TfidfVectorizer) -> bool:
    return vectorizer.analyzer == "char_wb" and vectorizer.preprocessor is None


def _preprocessed_words(vectorizer: TfidfVectorizer, text: str) -> list[str]:
    config = _config(vectorizer)
    preprocess = _analyzers.get(("preprocess", config))
    if preprocess is None:
        preprocess = _analyzers[("preprocess", config)] = vectorizer.build_preprocessor()
    return preprocess(vectorizer.decode(text)).split()


def _ngrams(vectorizer: TfidfVectorizer, text: str) -> Counter:
    """The n-gram counts vectorizer.build_analyzer() gives, kept for the last few texts (the word
    n-grams; char_wb vectorizers go word by word, see _column_counts)."""
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


def _word_char_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """sklearn's char_wb n-grams of one word (its _char_wb_ngrams, for one word)."""
    w = f" {word} "
    out = []
    for n in range(min_n, max_n + 1):
        out.extend(w[i : i + n] for i in range(max(1, len(w) - n + 1)))
        if len(w) <= n:  # a short word counts once, at its shortest n that covers it
            break
    return out


def _column_counts(vectorizer: TfidfVectorizer, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(vocabulary columns, how often each occurs) for one text, columns ascending.

    char_wb n-grams never cross a word boundary, so a text's n-grams are its words' n-grams one
    after another. Words recur (within a long message and its windows, and from one message to the
    next), so each word's columns are looked up once per vectorizer and kept: building and looking
    up character n-grams was most of a long message's non-neural time (measured)."""
    if _by_word(vectorizer):
        columns = _word_columns.get(vectorizer)
        if columns is None:
            columns = _word_columns[vectorizer] = _columns_of_words(vectorizer)
        parts = [columns(word) for word in _preprocessed_words(vectorizer, text)]
        return np.unique(np.concatenate(parts) if parts else _NO_COLUMNS, return_counts=True)
    vocabulary = vectorizer.vocabulary_
    counts = _ngrams(vectorizer, text)
    cols = np.fromiter(map(vocabulary.get, counts, repeat(-1)), dtype=np.int64, count=len(counts))
    tf = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    keep = np.flatnonzero(cols >= 0)
    keep = keep[np.argsort(cols[keep])]
    return cols[keep], tf[keep]


def _columns_of_words(vectorizer: TfidfVectorizer):
    vocabulary = vectorizer.vocabulary_  # the cache holds the vocabulary, not the vectorizer
    min_n, max_n = vectorizer.ngram_range

    @lru_cache(maxsize=_WORD_CACHE_SIZE)
    def columns(word: str) -> np.ndarray:
        found = [vocabulary.get(g, -1) for g in _word_char_ngrams(word, min_n, max_n)]
        return np.array([c for c in found if c >= 0], dtype=np.int64)

    return columns


class SparseRows:
    """TF-IDF rows as (columns ascending, values) pairs, in the order the texts came.

    What serving needs for one message and its windows, without building a scipy matrix: for a
    handful of rows scipy's constructor and slicing cost more than the arithmetic (measured: about
    a quarter of a millisecond a turn). `tocsr()` gives the matrix sklearn's transform gives."""

    __slots__ = ("rows", "width")

    def __init__(self, rows: list[tuple[np.ndarray, np.ndarray]], width: int) -> None:
        self.rows = rows
        self.width = width

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: slice) -> SparseRows:
        return SparseRows(self.rows[index], self.width)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), self.width

    def __matmul__(self, coef: np.ndarray) -> np.ndarray:
        """self @ coef for a dense (width x k) coef: a gather and a dot product per row."""
        out = np.zeros((len(self.rows), coef.shape[1]))
        for i, (cols, vals) in enumerate(self.rows):
            if len(cols):
                out[i] = vals @ coef[cols]
        return out

    def tocsr(self) -> sparse.csr_matrix:
        shape = (len(self.rows), self.width)
        if not self.rows:
            return sparse.csr_matrix(shape)
        indptr = np.concatenate([[0], np.cumsum([len(cols) for cols, _ in self.rows])])
        indices = np.concatenate([cols for cols, _ in self.rows])
        data = np.concatenate([vals for _, vals in self.rows])
        return sparse.csr_matrix((data, indices, indptr), shape=shape)


def tfidf_rows(vectorizer: TfidfVectorizer, texts: list[str]) -> SparseRows:
    """The rows of vectorizer.transform(texts) for a fitted TfidfVectorizer (norm l2)."""
    idf = vectorizer.idf_
    rows = []
    for text in texts:
        cols, counts = _column_counts(vectorizer, text)
        tf = counts.astype(np.float64)
        if vectorizer.sublinear_tf:
            tf = 1.0 + np.log(tf)
        vals = tf * idf[cols]
        norm = float(np.sqrt(vals @ vals))
        if norm:
            vals /= norm
        rows.append((cols, vals))
    return SparseRows(rows, len(idf))


def tfidf_transform(vectorizer: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """Same result as vectorizer.transform(texts) for a fitted TfidfVectorizer (norm l2)."""
    return tfidf_rows(vectorizer, texts).tocsr()


class BlockLinear:
    """A fitted linear model's decision computed block by block (word n-grams, character n-grams,
    embedding), so the blocks never need stacking into one sparse matrix on the hot path."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, sizes: list[int]) -> None:
        bounds = np.cumsum([0, *sizes])
        self.coefs = [np.ascontiguousarray(coef[:, a:b].T) for a, b in pairwise(bounds)]
        self.intercept = np.asarray(intercept)

    def decision(self, blocks: list) -> np.ndarray:
        """Blocks are SparseRows, scipy matrices or dense arrays, with the same rows."""
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
    """(base estimator, a, b) of a CalibratedClassifierCV(ensemble=False, method='sigmoid').

    Reads the fitted sigmoid parameters `a_` and `b_` of scikit-learn's private `_SigmoidCalibration`
    objects. The public `predict_proba` validates its input and calibrates one class at a time on
    every call; serving needs the parameters once, to calibrate every class in one vectorised step
    on the fast path. A test pins that `calibrate` with these parameters equals `predict_proba`."""
    (member,) = calibrated.calibrated_classifiers_
    a = np.array([c.a_ for c in member.calibrators])
    b = np.array([c.b_ for c in member.calibrators])
    return member.estimator, a, b


def calibrate(scores: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    proba = expit(-(a * scores + b))
    totals = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1.0 / proba.shape[1])
    return np.where(totals == 0, uniform, proba / np.where(totals == 0, 1, totals))
