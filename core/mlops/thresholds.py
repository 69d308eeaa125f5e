"""Thresholds chosen on held-out real text, never on the golden set.

The distress head's threshold is read off the real-text validation split (data/real/, split
validation: never trained on): the one that maximises F-beta (beta 2: a missed distress costs a
check-in question that was not asked; a false one costs a kind question that was not needed) for
"distress or crisis" against "none"."""

from __future__ import annotations

import numpy as np

from core.mlops.dataset import Example
from core.nlu.embeddings import Embedder
from core.nlu.features import extract
from core.safety.semantic import SemanticCrisisClassifier

BETA = 2.0
BOUNDS = (0.30, 0.90)


def distress_scores(bundle: dict, rows: list[Example], embedder: Embedder) -> np.ndarray:
    classifier = SemanticCrisisClassifier(bundle)
    features = extract([r.text for r in rows], embedder)
    return np.array([classifier.score(f.text, f.embedding, f.window_texts, f.window_embeddings).distress
                     for f in features], dtype=float)


def choose_distress_threshold(bundle: dict, rows: list[Example], embedder: Embedder) -> dict:
    """Sets bundle["distress_threshold"]; returns what was measured."""
    if not rows:
        bundle["distress_threshold"] = 0.5
        return {"threshold": 0.5, "validation_rows": 0}
    scores = distress_scores(bundle, rows, embedder)
    truth = np.array([r.risk_level != "none" for r in rows])
    best, best_score = BOUNDS[0], -1.0
    for threshold in np.round(np.arange(BOUNDS[0], BOUNDS[1] + 1e-9, 0.01), 2):
        flagged = scores >= threshold
        tp = float((flagged & truth).sum())
        precision, recall = tp / max(1.0, float(flagged.sum())), tp / max(1.0, float(truth.sum()))
        score = (1 + BETA**2) * precision * recall / max(1e-9, BETA**2 * precision + recall)
        if score > best_score:
            best, best_score = float(threshold), score
    bundle["distress_threshold"] = best
    flagged = scores >= best
    distress = np.array([r.risk_level == "distress" for r in rows])
    return {"threshold": best, "validation_rows": len(rows),
            "distress_recall": round(float(flagged[distress].mean()), 4) if distress.any() else None,
            "false_distress_on_none": round(float(flagged[~truth].mean()), 4) if (~truth).any() else None}
