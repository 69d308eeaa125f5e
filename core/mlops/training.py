"""Training: validate the data, cross-validate, fit on everything, write both model files.

The intent model and the semantic crisis classifier are trained from the same validated rows but
saved, versioned and gated apart: safety never depends on the intent model."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from sklearn.metrics import classification_report
from sklearn.model_selection import StratifiedKFold

from core.config import Settings
from core.content.versions import clear_retrain_needed_if_current, examples_fingerprint
from core.errors import InvalidInput
from core.mlops.dataset import DataValidationError, Example, load_intent_only, load_real, load_risk
from core.mlops.intent_data import intent_rows
from core.mlops.lifecycle import bootstrap_if_first, register_trained
from core.mlops.thresholds import choose_confirm_threshold, choose_distress_threshold, validation_scores
from core.mlops.validation import drop_colliding, validate_training
from core.nlu.embeddings import DIMENSIONS, Embedder, get_embedder
from core.nlu.features import extract
from core.nlu.intent import HYPERPARAMETERS, IntentModel, fit_intent
from core.nlu.model_files import MODEL_KINDS, model_path, save_model
from core.safety.detectors import strongest_score
from core.safety.semantic import NONE, fit_confirm, fit_distress, fit_quick_semantic, fit_semantic
from core.taxonomy import CRISIS_TYPES, RISK_LEVELS, TRAINABLE_ALONE

TARGET_SPANISH_SHARE = 0.3
FOLDS = 5
# The intent model also learns from the real train split (data/real/): everyday comments, subtitles
# and tweets as out_of_scope, health-forum posts under their care topic. The health forums' many
# out-of-scope questions (medicine outside the care topics) count a tenth each: at full weight they
# pull real side-effect and pregnancy posts to out_of_scope (chosen on the real validation split; see
# README, "Routing real text").
HEALTH_FORUMS = frozenset({"icliniq", "ehealthforum", "questiondoctors"})
HEALTH_FORUM_OUT_OF_SCOPE_WEIGHT = 0.1
# And from the authored distress posts (data/risk/distress.csv), each labelled with the care topic it is
# about: without them the only long emotional paragraphs it saw were CounselChat's (out_of_scope), and a
# caregiver's exhausted paragraph about mom's dementia went to out_of_scope instead of to the guidance
# that fits (README, "Routing real text"). Not emotional_short.csv (short lines with no topic: the
# distress head's) nor crisis_long.csv (the screen's).
INTENT_RISK_FILES = frozenset({"risk/distress.csv"})


@dataclass
class TrainingData:
    train: list[Example]  # labelled rows for the intent model (authored + curated public)
    negatives: list[Example]  # further real public text, "not a crisis", for the crisis classifier only
    report: dict
    # For the distress and confirming heads only (the crisis classifier and the intent model train on
    # the rows above, the data their figures were measured on): authored distress and long crisis rows
    # (data/risk/) and real text with risk labels (data/real/, train split).
    risk: list[Example] = field(default_factory=list)
    real_train: list[Example] = field(default_factory=list)  # the real train split: the first rows of `risk`
    real_validation: list[Example] = field(default_factory=list)  # never trained on; chooses the distress threshold
    # Rows of new topics still under the per-class minimums (their scenario's examples among them):
    # not trained on, but part of the scenario examples a model is current with.
    held_back: list[Example] = field(default_factory=list)
    intent_only: list[Example] = field(default_factory=list)  # data/intent/: the intent model's alone


def assemble(settings: Settings, dataset: str | None = None) -> TrainingData:
    """The committed data, and with `dataset` the rows of that dataset version (labelled log turns:
    topic and crisis rows join the training rows, distress rows the risk heads' rows)."""
    logged: list[Example] = []
    logged_risk: list[Example] = []
    if dataset:
        from core.mlops.dataset_versions import training_examples

        logged, logged_risk = training_examples(dataset, settings)
    rows = intent_rows(settings, logged)
    train, golden, holdout = rows.train, rows.golden, rows.holdout
    report = validate_training(train, golden, holdout, rows.intents)
    report["new_topics_waiting"] = rows.waiting
    used = {r.origin for r in rows.labelled}
    negatives = drop_colliding([r for r in rows.public_train if r.origin not in used], train + golden + holdout)
    report["crisis_negatives"] = len(negatives)
    real_validation = load_real(settings, "validation")
    real_train = drop_colliding(load_real(settings, "train"), train + negatives + golden + holdout + real_validation)
    risk = list(real_train)
    risk += drop_colliding(load_risk(settings), train + negatives + golden + holdout + real_validation + risk)
    risk += drop_colliding(logged_risk, train + negatives + golden + holdout + real_validation + risk)
    problems = [f"{r.origin}: risk {r.risk!r} with crisis_type {r.crisis_type!r}" for r in risk
                if r.risk not in RISK_LEVELS or (r.risk == "crisis") != bool(r.crisis_type in CRISIS_TYPES)]
    if problems:
        raise DataValidationError(f"real text: {len(problems)} bad risk label(s)", details=problems[:20])
    report["risk_rows"] = dict(Counter(r.risk_level for r in risk))
    intent_only = drop_colliding(load_intent_only(settings), train + negatives + golden + holdout + real_validation + risk)
    unknown = [f"{r.origin}: intent {r.intent!r}" for r in intent_only if r.intent not in rows.intents or r.intent == "crisis"]
    if unknown:
        raise DataValidationError(f"data/intent: {len(unknown)} row(s) without a known topic", details=unknown[:20])
    report["intent_only_rows"] = len(intent_only)
    report["dataset_version"] = dataset or ""
    return TrainingData(train, negatives, report, risk, real_train, real_validation, rows.held_back, intent_only)


def intent_training(data: TrainingData) -> tuple[list[Example], np.ndarray]:
    """The intent model's rows (the labelled rows, then those of `risk` that it learns from: see
    intent_risk_indices, then its own rows of data/intent/) and their weights: every class the same
    Spanish share, the health forums' out-of-scope rows at HEALTH_FORUM_OUT_OF_SCOPE_WEIGHT."""
    rows = data.train + [data.risk[i] for i in intent_risk_indices(data)] + data.intent_only
    weights = language_weights([r.intent for r in rows], [r.language for r in rows])
    weights *= np.array([HEALTH_FORUM_OUT_OF_SCOPE_WEIGHT if n >= len(data.train) and r.source in HEALTH_FORUMS
                         and r.intent == "out_of_scope" else 1.0 for n, r in enumerate(rows)])
    return rows, weights / weights.mean()


def intent_risk_indices(data: TrainingData) -> list[int]:
    """Which rows of `risk` the intent model learns from: the real train split's rows that carry an
    intent (`risk` begins with that split) and the authored rows of INTENT_RISK_FILES."""
    return [i for i, r in enumerate(data.risk)
            if r.intent and (i < len(data.real_train) or r.origin.split(":")[0] in INTENT_RISK_FILES)]


def say_data(data: TrainingData, say: Callable[[str], None]) -> None:
    say(f"data valid: {data.report['rows']} training rows, {data.report['crisis_negatives']} extra real negatives, "
        f"Spanish share {data.report['spanish_share']:.0%}")
    for topic, c in data.report["new_topics_waiting"].items():
        say(f"new topic {topic} not trained yet ({c['total']} rows, {c['es']} Spanish): " + "; ".join(c["problems"]))


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


def train_quick(settings: Settings, say: Callable[[str], None] = print) -> dict:
    """The first-run models, in seconds: both linear models on word and character n-grams of the same
    validated rows (no sentence embeddings, no fine-tuned encoder, no cross-validation, no distress
    or confirming head: the screen's plain distress words stand in). Written as model files, never
    registered: they serve on a machine with no champion until the full training replaces them."""
    started = time.perf_counter()
    data = assemble(settings)
    say_data(data, say)
    texts = [r.text for r in data.train]
    labels = [r.intent for r in data.train]
    intent_bundle = fit_intent(texts, np.zeros((len(texts), DIMENSIONS), dtype=np.float32), labels,
                               sample_weight=language_weights(labels, [r.language for r in data.train]))
    intent_bundle["trained_on"] = _data_fingerprint(data.train)
    intent_bundle["quick"] = True
    save_model(intent_bundle, model_path("intent", settings))
    rows = data.train + data.negatives
    crisis_labels = [r.crisis_type if r.risk_level == "crisis" else NONE for r in rows]
    weights = language_weights(["crisis" if c != NONE else NONE for c in crisis_labels], [r.language for r in rows])
    detector_scores = np.array([strongest_score(r.text) for r in rows])
    crisis_bundle, report = fit_quick_semantic([r.text for r in rows], crisis_labels, weights, detector_scores, DIMENSIONS)
    crisis_bundle["trained_on"] = intent_bundle["trained_on"]
    save_model(crisis_bundle, model_path("crisis", settings))
    seconds = round(time.perf_counter() - started, 1)
    say(f"quick models written to {settings.models_dir} in {seconds}s (the full training replaces them)")
    return {"quick": True, "crisis_classifier": report, "seconds": seconds, "data": data.report}


def train(settings: Settings, say: Callable[[str], None] = print, register: bool = True,
          dataset: str | None = None, kinds: tuple[str, ...] = MODEL_KINDS) -> dict:
    """Write the model files of `kinds` (both by default); with `register`, also register them in the
    model registry as new versions (challenger: assessed against every gate, never served until
    approved; the first version of a model that passes every gate becomes champion as "bootstrap
    (system)").

    `kinds=("intent",)` retrains the intent model alone, in minutes instead of the screen's quarter
    of an hour: what a new topic needs. The crisis screen is left as it is and is assessed beside the
    new intent version as it is served; rows a dataset version labels crisis or distress reach the
    screen only at its next training."""
    unknown = sorted(set(kinds) - set(MODEL_KINDS))
    if unknown or not kinds:
        raise InvalidInput(f"unknown model kind(s) {', '.join(unknown) or '(none given)'}: "
                           f"choose from {', '.join(MODEL_KINDS)}")
    if set(kinds) != set(MODEL_KINDS) and not (len(kinds) == 1 and kinds[0] in TRAINABLE_ALONE):
        raise InvalidInput(f"{' and '.join(kinds)} cannot be trained alone: train both models, or "
                           f"{' or '.join(TRAINABLE_ALONE)} alone")
    started = time.perf_counter()
    data = assemble(settings, dataset)
    say_data(data, say)
    embedder = get_embedder(settings.models_dir)
    features = extract([r.text for r in data.train], embedder)  # shared with the crisis screen
    risk_features = extract([r.text for r in data.risk], embedder)  # and with its distress heads
    rows, weights = intent_training(data)
    texts, labels = [r.text for r in rows], [r.intent for r in rows]
    own = extract([r.text for r in data.intent_only], embedder)
    embeddings = np.vstack([f.embedding for f in features + [risk_features[i] for i in intent_risk_indices(data)] + own])
    say(f"{FOLDS}-fold cross-validation of the intent model on {len(rows)} rows "
        f"({len(rows) - len(data.train)} of them real text, authored distress posts and data/intent/) ...")
    cv = cross_validate_intent(texts, embeddings, labels, weights)
    intent_bundle = fit_intent(texts, embeddings, labels, sample_weight=weights)
    intent_bundle["trained_on"] = _data_fingerprint(data.train + data.risk + data.intent_only)
    save_model(intent_bundle, model_path("intent", settings))

    metadata = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": data.report,
        "data_fingerprint": intent_bundle["trained_on"],
        "dataset_version": dataset or "",
        "kinds": list(kinds),
        "intent_cv": {k: v for k, v in cv.items() if k in ("accuracy", "macro avg", "weighted avg")},
        "intent_cv_per_class": {k: v for k, v in cv.items() if k not in ("accuracy", "macro avg", "weighted avg")},
        "intent_hyperparameters": intent_bundle["hyperparameters"],
    }
    path = settings.models_dir / "metadata.json"
    if "crisis" in kinds:
        metadata["crisis_classifier"] = _train_screen(settings, data, features, risk_features, embedder,
                                                      intent_bundle["trained_on"], say)
    elif path.is_file():  # the screen is served as it was: keep the record of its training
        previous = json.loads(path.read_text())
        if "crisis_classifier" in previous:
            metadata["crisis_classifier"] = previous["crisis_classifier"]
            metadata["crisis_trained_at"] = previous.get("crisis_trained_at") or previous.get("trained_at")
    metadata["seconds"] = round(time.perf_counter() - started, 1)
    path.write_text(json.dumps(metadata, indent=2, default=str))
    scenario_rows = ((r.intent, r.language, r.text) for r in data.train + data.held_back if r.source == "scenario")
    clear_retrain_needed_if_current(examples_fingerprint(scenario_rows), settings)  # kept if edited meanwhile
    if register:
        versions = register_trained(settings, metadata, say, kinds)
        bootstrap_if_first(settings, versions, say)
        metadata["registered"] = {kind: record.version for kind, record in versions.items()}
    return metadata


def _train_screen(settings: Settings, data: TrainingData, features: list, risk_features: list, embedder: Embedder,
                  trained_on: str, say: Callable[[str], None]) -> dict:
    """The crisis screen (classifier, fine-tuned encoder, distress and confirming heads) written to its
    model file; returns what was measured. `features` are those of data.train and `risk_features` those of
    data.risk, each computed once."""
    screen_rows = data.train + data.negatives
    crisis_features = features + extract([r.text for r in data.negatives], embedder)
    crisis_labels = [r.crisis_type if r.risk_level == "crisis" else NONE for r in screen_rows]
    crisis_langs = [r.language for r in screen_rows]
    crisis_weights = language_weights(["crisis" if c != NONE else NONE for c in crisis_labels], crisis_langs)
    detector_scores = np.array([strongest_score(x.text) for x in crisis_features])
    say("crisis screen: linear model (5 folds) and fine-tuned encoder (3 folds) out of fold, then both on all data ...")
    crisis_bundle, crisis_report = fit_semantic(crisis_features, crisis_labels, crisis_weights, detector_scores)
    distress_rows = screen_rows + data.risk
    distress_features = crisis_features + risk_features
    say(f"distress head on {len(distress_rows)} rows ...")
    distressed = np.array([r.risk_level != "none" for r in distress_rows], dtype=int)
    fit_distress(crisis_bundle, distress_features, distressed,
                 language_weights(list(map(str, distressed)), [r.language for r in distress_rows]))
    say("confirming head (5 folds) on the same rows ...")
    is_crisis = np.array([r.risk_level == "crisis" for r in distress_rows], dtype=int)
    crisis_report["confirm"] = fit_confirm(crisis_bundle, distress_features, is_crisis,
                                           language_weights(list(map(str, is_crisis)), [r.language for r in distress_rows]))
    say(f"distress and confirming thresholds on the {len(data.real_validation)} real validation rows ...")
    scores = validation_scores(crisis_bundle, data.real_validation, embedder)
    crisis_report["distress"] = choose_distress_threshold(crisis_bundle, data.real_validation, scores)
    crisis_report["confirm"]["validation"] = choose_confirm_threshold(
        crisis_bundle, data.real_validation, scores, tuple(crisis_report["confirm"]["bounds"]))
    crisis_report["confirm"]["threshold"] = crisis_bundle["confirm_threshold"]
    crisis_bundle["trained_on"] = trained_on
    save_model(crisis_bundle, model_path("crisis", settings))
    return crisis_report
