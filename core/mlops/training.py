"""Training: validate the data, cross-validate, fit on everything, write both model files.

The intent model and the semantic crisis classifier are trained from the same validated rows but
saved, versioned and gated apart: safety never depends on the intent model."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sklearn.metrics import classification_report
from sklearn.model_selection import StratifiedKFold

from core.config import Settings
from core.content.versions import clear_retrain_needed_if_current, examples_fingerprint
from core.mlops.dataset import Example, load_authored, load_golden, load_public, public_for_intents
from core.mlops.validation import drop_colliding, validate_training
from core.nlu.embeddings import get_embedder
from core.nlu.features import extract
from core.nlu.intent import HYPERPARAMETERS, IntentModel, fit_intent
from core.nlu.model_files import model_path, save_model
from core.safety.detectors import run_detectors
from core.safety.semantic import NONE, fit_semantic

TARGET_SPANISH_SHARE = 0.3
FOLDS = 5


@dataclass
class TrainingData:
    train: list[Example]  # labelled rows for the intent model (authored + curated public)
    negatives: list[Example]  # further real public text, "not a crisis", for the crisis classifier only
    report: dict


def assemble(settings: Settings) -> TrainingData:
    authored = load_authored(settings)
    golden = load_golden(settings)
    holdout = load_public(settings, "holdout")
    public_train = load_public(settings, "train")
    labelled = drop_colliding(public_for_intents(public_train), authored + golden + holdout)
    train = authored + labelled
    report = validate_training(train, golden, holdout)
    used = {r.origin for r in labelled}
    negatives = drop_colliding([r for r in public_train if r.origin not in used], train + golden + holdout)
    report["crisis_negatives"] = len(negatives)
    return TrainingData(train, negatives, report)


def language_weights(labels: list[str], languages: list[str], target: float = TARGET_SPANISH_SHARE) -> np.ndarray:
    """Weights that give every class the same Spanish share, so no model can learn that
    "Spanish means crisis" (or the opposite)."""
    labels_a, langs = np.asarray(labels), np.asarray(languages)
    weights = np.ones(len(labels_a))
    for label in np.unique(labels_a):
        in_class = labels_a == label
        share = float((langs[in_class] == "es").mean())
        if 0 < share < 1:
            weights[in_class & (langs == "es")] = target / share
            weights[in_class & (langs != "es")] = (1 - target) / (1 - share)
    return weights / weights.mean()


def cross_validate_intent(texts: list[str], embeddings: np.ndarray, labels: list[str], weights: np.ndarray) -> dict:
    predicted = np.empty(len(labels), dtype=object)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=HYPERPARAMETERS["random_state"])
    for fit_idx, test_idx in folds.split(texts, labels):
        bundle = fit_intent([texts[i] for i in fit_idx], embeddings[fit_idx], [labels[i] for i in fit_idx],
                            sample_weight=weights[fit_idx])
        model = IntentModel(bundle)
        predicted[test_idx] = [p.intent for p in model.predict([texts[i] for i in test_idx], embeddings[test_idx])]
    return classification_report(labels, list(predicted), output_dict=True, zero_division=0)


def _data_fingerprint(rows: list[Example]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.text}\t{row.intent}\t{row.language}\t{row.crisis_type}\n".encode())
    return digest.hexdigest()[:16]


def train(settings: Settings, say: Callable[[str], None] = print) -> dict:
    started = time.perf_counter()
    data = assemble(settings)
    say(f"data valid: {data.report['rows']} training rows, {data.report['crisis_negatives']} extra real negatives, "
        f"Spanish share {data.report['spanish_share']:.0%}")
    embedder = get_embedder(settings.models_dir)
    texts = [r.text for r in data.train]
    labels = [r.intent for r in data.train]
    languages = [r.language for r in data.train]
    features = extract(texts, embedder)
    embeddings = np.vstack([f.embedding for f in features])
    weights = language_weights(labels, languages)
    say(f"{FOLDS}-fold cross-validation of the intent model ...")
    cv = cross_validate_intent(texts, embeddings, labels, weights)
    intent_bundle = fit_intent(texts, embeddings, labels, sample_weight=weights)
    intent_bundle["trained_on"] = _data_fingerprint(data.train)
    save_model(intent_bundle, model_path("intent", settings))

    crisis_features = features + extract([r.text for r in data.negatives], embedder)
    crisis_labels = [r.crisis_type if r.intent == "crisis" else NONE for r in data.train] + [NONE] * len(data.negatives)
    crisis_langs = languages + [r.language for r in data.negatives]
    crisis_weights = language_weights(["crisis" if c != NONE else NONE for c in crisis_labels], crisis_langs)
    detector_scores = np.array([max((f.score for f in run_detectors(x.text)), default=0.0) for x in crisis_features])
    say("crisis screen: linear model (5 folds) and fine-tuned encoder (3 folds) out of fold, then both on all data ...")
    crisis_bundle, crisis_report = fit_semantic(crisis_features, crisis_labels, crisis_weights, detector_scores)
    crisis_bundle["trained_on"] = intent_bundle["trained_on"]
    save_model(crisis_bundle, model_path("crisis", settings))

    metadata = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": data.report,
        "data_fingerprint": intent_bundle["trained_on"],
        "intent_cv": {k: v for k, v in cv.items() if k in ("accuracy", "macro avg", "weighted avg")},
        "intent_cv_per_class": {k: v for k, v in cv.items() if k not in ("accuracy", "macro avg", "weighted avg")},
        "intent_hyperparameters": intent_bundle["hyperparameters"],
        "crisis_classifier": crisis_report,
        "seconds": round(time.perf_counter() - started, 1),
    }
    (settings.models_dir / "metadata.json").write_text(json.dumps(metadata, indent=2, default=str))
    scenario_rows = ((r.intent, r.language, r.text) for r in data.train if r.source == "scenario")
    clear_retrain_needed_if_current(examples_fingerprint(scenario_rows), settings)  # kept if edited meanwhile
    return metadata
