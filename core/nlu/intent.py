"""The intent model: TF-IDF word and character n-grams plus the shared sentence embedding, into a
calibrated linear classifier.

Word and character n-grams carry the exact words people use, in both languages and with typos;
the embedding carries meaning when the words are new. Every hyperparameter is pinned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from core.nlu.vectorize import BlockLinear, calibrate, sigmoid_calibration, tfidf_rows, tfidf_transform
from core.taxonomy import SMALLTALK_INTENTS

# Below this calibrated confidence the intent model is unsure: the assistant asks instead of guessing
# (core/dialogue/policy.py) and the labeling queue puts the turn before surer ones (core/mlops/labeling.py).
CLARIFY_BELOW = 0.40

HYPERPARAMETERS = {
    "word_ngrams": (1, 2),
    # A word or word pair seen once in training teaches nothing and costs memory: with the real
    # train split's long posts, 126k of them against 34k seen twice (the served model's file 117 MB
    # against 60; routing on the real validation split the same).
    "word_min_df": 2,
    "char_ngrams": (2, 5),
    "char_min_df": 2,
    "char_max_features": 80000,
    "embedding_weight": 1.0,
    "svm_C": 0.5,
    "calibration": "sigmoid",
    "calibration_folds": 5,
    "random_state": 13,
}


def intent_reply_kind(intent: str, confidence: float) -> str:
    """The kind of reply the intent model's top intent asks for: small talk (a greeting, thanks,
    goodbye, or out of scope), a clarifying question, or a topic answer. The Assistant routes every
    turn by it after the conversation's own rules (follow-ups, a current topic) have had their say;
    `predict` reads one message as a first turn, where it is the whole routing."""
    if intent in SMALLTALK_INTENTS and confidence >= CLARIFY_BELOW:
        return "smalltalk"
    if confidence < CLARIFY_BELOW:
        return "clarify"
    return "smalltalk" if intent == "out_of_scope" else "answer"


@dataclass(frozen=True)
class IntentPrediction:
    intent: str
    confidence: float
    ranking: list[tuple[str, float]]  # every intent, likeliest first


def _vectorizers(hp: dict) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    word = TfidfVectorizer(
        analyzer="word", ngram_range=tuple(hp["word_ngrams"]), strip_accents="unicode",
        lowercase=True, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b", min_df=hp.get("word_min_df", 1),
    )
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=tuple(hp["char_ngrams"]), strip_accents="unicode", lowercase=True,
        sublinear_tf=True, min_df=hp["char_min_df"], max_features=hp["char_max_features"],
    )
    return word, char


def _classifier(hp: dict) -> CalibratedClassifierCV:
    svm = LinearSVC(C=hp["svm_C"], class_weight="balanced", random_state=hp["random_state"])
    return CalibratedClassifierCV(svm, method=hp["calibration"], cv=hp["calibration_folds"], ensemble=False)


def _stack(word, char, texts: list[str], embeddings: np.ndarray, weight: float):
    return sparse.hstack(
        [tfidf_transform(word, texts), tfidf_transform(char, texts), sparse.csr_matrix(embeddings * weight)], format="csr"
    )


def fit_intent(texts: list[str], embeddings: np.ndarray, labels: list[str], hp: dict | None = None,
               sample_weight: np.ndarray | None = None) -> dict:
    hp = dict(hp or HYPERPARAMETERS)
    word, char = _vectorizers(hp)
    word.fit(texts)
    char.fit(texts)
    features = _stack(word, char, texts, embeddings, hp["embedding_weight"])
    classifier = _classifier(hp).fit(features, labels, sample_weight=sample_weight)
    return {"word": word, "char": char, "classifier": classifier, "hyperparameters": hp}


class IntentModel:
    def __init__(self, bundle: dict) -> None:
        self.word = bundle["word"]
        self.char = bundle["char"]
        self.classifier = bundle["classifier"]
        self.weight = float(bundle["hyperparameters"]["embedding_weight"])
        self.classes = [str(c) for c in self.classifier.classes_]
        estimator, self._a, self._b = sigmoid_calibration(self.classifier)
        sizes = [len(self.word.vocabulary_), len(self.char.vocabulary_), estimator.coef_.shape[1]
                 - len(self.word.vocabulary_) - len(self.char.vocabulary_)]
        self._linear = BlockLinear(estimator.coef_, estimator.intercept_, sizes)

    def predict_proba(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        blocks = [tfidf_rows(self.word, texts), tfidf_rows(self.char, texts), embeddings * self.weight]
        return calibrate(self._linear.decision(blocks), self._a, self._b)

    def predict(self, texts: list[str], embeddings: np.ndarray) -> list[IntentPrediction]:
        out = []
        for row in self.predict_proba(texts, embeddings):
            order = np.argsort(-row)
            ranking = [(self.classes[i], float(row[i])) for i in order]
            out.append(IntentPrediction(ranking[0][0], ranking[0][1], ranking))
        return out
