"""The semantic crisis classifier: a small linear model over the sentence embedding, with word and
character n-grams beside it.

It catches what explicit patterns cannot: the indirect, long, rambling ways people say they are in
danger. It is its own model, trained and versioned apart from the intent model. The embedding
carries meaning across wording; the n-grams carry the exact words people use in both languages
(the embedding model is English-first). Long messages are also read as overlapping windows, and
the most worrying window counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from core.nlu.vectorize import logistic_proba, tfidf_transform

NONE = "none"
# Every hyperparameter is pinned: the same data gives the same model.
HYPERPARAMETERS = {
    "C": 4.0,
    "type_C": 4.0,
    "max_iter": 3000,
    "word_ngrams": (1, 2),
    "char_ngrams": (2, 5),
    "char_min_df": 2,
    "char_max_features": 80000,
    "target_recall": 0.85,  # out-of-fold recall of the classifier alone that sets its threshold
    "threshold_bounds": (0.45, 0.8),
    "random_state": 13,
}


@dataclass(frozen=True)
class SemanticScore:
    probability: float
    crisis_type: str | None


def _vectorizers(hp: dict) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    word = TfidfVectorizer(ngram_range=tuple(hp["word_ngrams"]), strip_accents="unicode", sublinear_tf=True,
                           token_pattern=r"(?u)\b\w+\b")
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(hp["char_ngrams"]), strip_accents="unicode",
                           sublinear_tf=True, min_df=hp["char_min_df"], max_features=hp["char_max_features"])
    return word, char


def _features(word, char, texts: list[str], embeddings: np.ndarray):
    return sparse.hstack([tfidf_transform(word, texts), tfidf_transform(char, texts), sparse.csr_matrix(embeddings)],
                         format="csr")


def _fit_binary(texts, embeddings, is_crisis, weights, hp):
    word, char = _vectorizers(hp)
    word.fit(texts)
    char.fit(texts)
    model = LogisticRegression(C=hp["C"], max_iter=hp["max_iter"], class_weight="balanced",
                               random_state=hp["random_state"])
    model.fit(_features(word, char, texts, embeddings), is_crisis, sample_weight=weights)
    return word, char, model


class SemanticCrisisClassifier:
    def __init__(self, bundle: dict) -> None:
        self.word, self.char = bundle["word"], bundle["char"]
        self.model: LogisticRegression = bundle["model"]
        self.type_model: LogisticRegression = bundle["type_model"]
        self.threshold: float = float(bundle["threshold"])

    def probabilities(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        return logistic_proba(self.model, _features(self.word, self.char, texts, embeddings))[:, 1]

    def score(self, text: str, embedding: np.ndarray, window_texts: list[str] | None = None,
              window_embeddings: np.ndarray | None = None) -> SemanticScore:
        texts = [text, *(window_texts or [])]
        rows = embedding.reshape(1, -1)
        if window_texts and window_embeddings is not None and len(window_embeddings):
            rows = np.vstack([rows, window_embeddings])
        features = _features(self.word, self.char, texts, rows)
        probs = logistic_proba(self.model, features)[:, 1]
        worst = int(np.argmax(probs))
        type_probs = logistic_proba(self.type_model, features[worst])[0]
        crisis_type = str(self.type_model.classes_[int(np.argmax(type_probs))])
        return SemanticScore(float(probs[worst]), crisis_type)


def fit_semantic(texts: list[str], embeddings: np.ndarray, labels: list[str], weights: np.ndarray,
                 hp: dict | None = None) -> tuple[dict, dict]:
    """Fit on all data; the threshold comes from out-of-fold probabilities. Returns (bundle, report)."""
    hp = dict(hp or HYPERPARAMETERS)
    y = np.asarray(labels)
    is_crisis = (y != NONE).astype(int)
    oof = np.zeros(len(y))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=hp["random_state"])
    for fit_idx, test_idx in folds.split(texts, is_crisis):
        word, char, model = _fit_binary([texts[i] for i in fit_idx], embeddings[fit_idx], is_crisis[fit_idx],
                                        weights[fit_idx], hp)
        oof[test_idx] = model.predict_proba(_features(word, char, [texts[i] for i in test_idx], embeddings[test_idx]))[:, 1]
    threshold = _choose_threshold(oof, is_crisis.astype(bool), hp)
    word, char, model = _fit_binary(texts, embeddings, is_crisis, weights, hp)
    crisis_rows = np.flatnonzero(is_crisis)
    type_model = LogisticRegression(C=hp["type_C"], max_iter=hp["max_iter"], class_weight="balanced",
                                    random_state=hp["random_state"])
    type_model.fit(_features(word, char, [texts[i] for i in crisis_rows], embeddings[crisis_rows]), y[crisis_rows])
    flagged = oof >= threshold
    report = {
        "threshold": threshold,
        "oof_recall": round(float(flagged[is_crisis == 1].mean()), 4),
        "oof_false_positive_rate": round(float(flagged[is_crisis == 0].mean()), 4),
        "positives": int(is_crisis.sum()),
        "negatives": int((is_crisis == 0).sum()),
    }
    bundle = {"word": word, "char": char, "model": model, "type_model": type_model, "threshold": threshold,
              "hyperparameters": hp}
    return bundle, report


def _choose_threshold(p_crisis: np.ndarray, is_crisis: np.ndarray, hp: dict) -> float:
    positives = np.sort(p_crisis[is_crisis])
    index = int(np.floor((1 - hp["target_recall"]) * len(positives)))
    threshold = float(positives[min(index, len(positives) - 1)]) if len(positives) else 0.5
    low, high = hp["threshold_bounds"]
    return round(min(max(threshold, low), high), 4)
