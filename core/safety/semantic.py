"""The semantic crisis classifier: a small linear model over sentence embeddings.

It catches what explicit patterns cannot: the indirect, long, rambling ways people say they are in
danger. It is its own model, trained and versioned apart from the intent model, and returns for
each message the probability of crisis and the likeliest crisis type. Long messages are read as
overlapping windows too, and the most worrying window counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

NONE = "none"
# Every hyperparameter is pinned: the same data gives the same model.
HYPERPARAMETERS = {"C": 4.0, "max_iter": 3000, "class_weight": "balanced", "random_state": 13}
TARGET_RECALL = 0.97  # the decision threshold is the highest that keeps this out-of-fold recall
THRESHOLD_BOUNDS = (0.2, 0.7)


@dataclass(frozen=True)
class SemanticScore:
    probability: float
    crisis_type: str | None


class SemanticCrisisClassifier:
    def __init__(self, bundle: dict) -> None:
        self.model: LogisticRegression = bundle["model"]
        self.threshold: float = float(bundle["threshold"])
        self.classes: list[str] = [str(c) for c in self.model.classes_]
        self._none = self.classes.index(NONE)
        self._coef = self.model.coef_.astype(np.float32)
        self._intercept = self.model.intercept_.astype(np.float32)

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """Class probabilities computed with numpy directly: same result as predict_proba, less overhead."""
        logits = embeddings @ self._coef.T + self._intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def score(self, embedding: np.ndarray, windows: np.ndarray | None = None) -> SemanticScore:
        rows = embedding.reshape(1, -1) if windows is None or not len(windows) else np.vstack([embedding, windows])
        probs = self.probabilities(rows)
        crisis = 1.0 - probs[:, self._none]
        worst = int(np.argmax(crisis))
        type_probs = probs[worst].copy()
        type_probs[self._none] = -1
        return SemanticScore(float(crisis[worst]), self.classes[int(np.argmax(type_probs))])


def fit_semantic(embeddings: np.ndarray, labels: list[str], weights: np.ndarray) -> tuple[dict, dict]:
    """Fit on all data; the threshold comes from out-of-fold probabilities. Returns (bundle, report)."""
    y = np.asarray(labels)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=13)
    oof = cross_val_predict(
        LogisticRegression(**HYPERPARAMETERS), embeddings, y, cv=folds, method="predict_proba",
        params={"sample_weight": weights},
    )
    classes = sorted(set(labels))
    p_crisis = 1.0 - oof[:, classes.index(NONE)]
    is_crisis = y != NONE
    threshold = _choose_threshold(p_crisis, is_crisis)
    model = LogisticRegression(**HYPERPARAMETERS).fit(embeddings, y, sample_weight=weights)
    flagged = p_crisis >= threshold
    report = {
        "threshold": threshold,
        "oof_recall": float(flagged[is_crisis].mean()),
        "oof_false_positive_rate": float(flagged[~is_crisis].mean()),
        "positives": int(is_crisis.sum()),
        "negatives": int((~is_crisis).sum()),
    }
    return {"model": model, "threshold": threshold, "hyperparameters": dict(HYPERPARAMETERS)}, report


def _choose_threshold(p_crisis: np.ndarray, is_crisis: np.ndarray) -> float:
    positives = np.sort(p_crisis[is_crisis])
    index = int(np.floor((1 - TARGET_RECALL) * len(positives)))
    threshold = float(positives[min(index, len(positives) - 1)]) if len(positives) else 0.5
    low, high = THRESHOLD_BOUNDS
    return round(min(max(threshold, low), high), 4)
