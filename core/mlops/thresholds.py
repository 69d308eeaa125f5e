"""Thresholds chosen on held-out real text, never on the golden set.

Both heads' thresholds are read off the real-text validation split (data/real/, split validation:
never trained on), scored once as a reply scores them (whole text and windows, the fine-tuned
encoder included):

- the distress head's: the one that maximises F-beta (beta 2: a missed distress costs a check-in
  question that was not asked; a false one costs a kind question that was not needed) for
  "distress or crisis" against "none";
- the confirming head's: within the bounds read out of fold on the training rows (`fit_confirm`:
  never below the one that keeps `confirm_keep` of the crisis rows, never above the one that keeps
  `confirm_min_keep` of them), as high as it can go without turning away one more real crisis that
  the classifier found there than the lower bound turns away (each one turned away is answered as
  distress: the warm reply and the direct question, not the crisis reply), less a margin: at most
  CONFIRM_MARGIN times the lowest of those crises' scores. The validation crises are few (36), so the
  rule is the strict one: the head may cost none of them beyond its bound, and it does not sit on the
  lowest one (a threshold at that crisis's score would turn away the next crisis just below it, one
  the split happened not to hold); with no validation crisis at all it stays at the lower bound.

Figures measured on the same split are therefore optimistic for these two choices; the README says
so where it reports them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.mlops.dataset import Example
from core.nlu.embeddings import Embedder
from core.nlu.features import extract
from core.safety.decision import DETECTOR_ALONE, crisis_rule
from core.safety.detectors import strongest_score
from core.safety.semantic import SemanticCrisisClassifier

BETA = 2.0
BOUNDS = (0.30, 0.90)
# The confirming threshold stays this fraction of the lowest real crisis it keeps (module docstring).
# With it, the served screen's threshold is 0.254 instead of 0.282 (README, "Graded risk: the
# confirming threshold").
CONFIRM_MARGIN = 0.9


@dataclass(frozen=True)
class ValidationScores:
    """Every score the screen's rule reads, one per validation row."""

    probability: np.ndarray  # the crisis classifier's (linear and encoder averaged)
    distress: np.ndarray
    confirm: np.ndarray
    detector: np.ndarray  # the strongest detector finding


def validation_scores(bundle: dict, rows: list[Example], embedder: Embedder) -> ValidationScores:
    classifier = SemanticCrisisClassifier(bundle)
    scored = [classifier.score(f.text, f.embedding, f.window_texts, f.window_embeddings, f.hidden)
              for f in extract([r.text for r in rows], embedder)]
    return ValidationScores(
        np.array([s.probability for s in scored], dtype=float),
        np.array([s.distress if s.distress is not None else 0.0 for s in scored], dtype=float),
        np.array([s.confirm if s.confirm is not None else 1.0 for s in scored], dtype=float),
        np.array([strongest_score(r.text) for r in rows], dtype=float),
    )


def choose_distress_threshold(bundle: dict, rows: list[Example], scores: ValidationScores) -> dict:
    """Sets bundle["distress_threshold"]; returns what was measured."""
    if not rows:
        bundle["distress_threshold"] = 0.5
        return {"threshold": 0.5, "validation_rows": 0}
    truth = np.array([r.risk_level != "none" for r in rows])
    best, best_score = BOUNDS[0], -1.0
    for threshold in np.round(np.arange(BOUNDS[0], BOUNDS[1] + 1e-9, 0.01), 2):
        flagged = scores.distress >= threshold
        tp = float((flagged & truth).sum())
        precision, recall = tp / max(1.0, float(flagged.sum())), tp / max(1.0, float(truth.sum()))
        score = (1 + BETA**2) * precision * recall / max(1e-9, BETA**2 * precision + recall)
        if score > best_score:
            best, best_score = float(threshold), score
    bundle["distress_threshold"] = best
    flagged = scores.distress >= best
    distress = np.array([r.risk_level == "distress" for r in rows])
    return {"threshold": best, "validation_rows": len(rows),
            "distress_recall": round(float(flagged[distress].mean()), 4) if distress.any() else None,
            "false_distress_on_none": round(float(flagged[~truth].mean()), 4) if (~truth).any() else None}


def choose_confirm_threshold(bundle: dict, rows: list[Example], scores: ValidationScores,
                             bounds: tuple[float, float]) -> dict:
    """Sets bundle["confirm_threshold"] within `bounds` (low, high); returns what was measured."""
    low, high = bounds
    crisis = np.array([r.risk_level == "crisis" for r in rows], dtype=bool)
    # alarms that rest on the classifier alone: the ones the head can turn away
    classifier_only = (scores.detector < DETECTOR_ALONE) & crisis_rule(scores.detector, scores.probability,
                                                                       bundle["threshold"])
    at_stake = crisis & classifier_only
    kept = scores.confirm[at_stake & (scores.confirm >= low)]  # those the lower bound already keeps
    # with no real crisis to read at all, nothing says the head may go higher: the lower bound
    lowest = float(kept.min()) if kept.size else (high if crisis.any() else low)
    ceiling = lowest * CONFIRM_MARGIN if kept.size else lowest
    threshold = float(min(high, max(low, np.floor(ceiling * 1000) / 1000)))
    bundle["confirm_threshold"] = threshold
    turned_away = classifier_only & (scores.confirm < threshold)
    return {"threshold": threshold, "bounds": [low, high], "validation_rows": len(rows),
            "lowest_kept_crisis": round(lowest, 4) if kept.size else None,
            "validation_crises": int(crisis.sum()), "crises_resting_on_the_classifier": int(at_stake.sum()),
            "crises_turned_away": int((turned_away & crisis).sum()),
            "other_alarms_turned_away": int((turned_away & ~crisis).sum()),
            "other_alarms": int((classifier_only & ~crisis).sum())}
