"""After a training: register both models as new registry versions, assess them, and make them the
`challenger` (never the `champion`: only an approval serves a version, core/mlops/approval.py).

The trainer calls `register_trained(settings, metadata, say)` once both model files are written.
Each model gets one MLflow run: the pinned hyperparameters, the data fingerprint (content SHA-256
and row count of every training, golden, validation and red-team file, and of the scenarios), the
git commit, the cross-validation metrics, the training time, and the model files; then its gates
are evaluated and tagged (core/mlops/assessment.py)."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from core.config import PROJECT_ROOT, Settings
from core.mlops.approval import bootstrap_champion
from core.mlops.assessment import assess_versions
from core.nlu.embeddings import export_manifest, get_embedder
from core.nlu.model_files import MODEL_KINDS, load_model_file, model_path
from core.store import registry
from core.store.registry import CHALLENGER, VersionRecord

DATA_FOLDERS = ("training", "intent", "golden", "public", "real", "risk", "redteam")


def _rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def data_fingerprint(settings: Settings) -> dict:
    """`{"sha256": <of all below>, "files": {"golden/crisis.csv": {"sha256", "rows"}, ...}}`: what a
    version was trained and measured on, file by file (scenario files count no rows)."""
    files: dict[str, dict] = {}
    for folder in DATA_FOLDERS:
        for path in sorted((settings.data_dir / folder).glob("*.csv")):
            files[f"{folder}/{path.name}"] = {"sha256": registry.file_sha256(path), "rows": _rows(path)}
    for path in sorted(settings.scenarios_dir.glob("*.yaml")):
        files[f"scenarios/{path.name}"] = {"sha256": registry.file_sha256(path), "rows": None}
    combined = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    return {"sha256": combined, "files": files}


def git_commit(root: Path = PROJECT_ROOT) -> str:
    """The checked-out commit (with `-dirty` when tracked files were changed), or "unknown"."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True,
                               text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}-dirty" if commit and dirty else (commit or "unknown")


def _flatten(prefix: str, values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        out |= _flatten(f"{name}.", value) if isinstance(value, Mapping) else {name: value}
    return out


def run_contents(kind: str, metadata: Mapping, bundle: Mapping) -> tuple[dict, dict]:
    """The params (pinned hyperparameters) and metrics (cross-validation, training time) of one run."""
    metrics: dict[str, float | None] = {"training_seconds": metadata.get("seconds")}
    if kind == "intent":
        params = _flatten("hp.", metadata.get("intent_hyperparameters") or bundle.get("hyperparameters") or {})
        cv = metadata.get("intent_cv", {})
        metrics |= {"cv_accuracy": cv.get("accuracy"), "cv_macro_f1": cv.get("macro avg", {}).get("f1-score"),
                    "cv_weighted_f1": cv.get("weighted avg", {}).get("f1-score")}
        metrics |= {f"cv_recall.{name}": m.get("recall") for name, m in metadata.get("intent_cv_per_class", {}).items()}
    else:
        params = _flatten("hp.", bundle.get("hyperparameters") or {}) | _flatten(
            "encoder.", bundle.get("encoder_hyperparameters") or {})
        params["threshold"] = bundle.get("threshold")
        params["distress_threshold"] = bundle.get("distress_threshold")
        report = _flatten("cv.", metadata.get("crisis_classifier") or {})
        metrics |= {k: v for k, v in report.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    return params, metrics


def register_trained(settings: Settings, metadata: Mapping, say: Callable[[str], None] = print,
                     kinds: tuple[str, ...] = MODEL_KINDS) -> dict[str, VersionRecord]:
    """Register the model files of `kinds` that training just wrote as new versions, assess them
    (gates, red team, safety card) and point `challenger` at them. `champion` is never touched."""
    fingerprint = data_fingerprint(settings)
    tags = {"git.commit": git_commit(), "data.sha256": fingerprint["sha256"],
            "trained_at": str(metadata.get("trained_at", "")), "trained_on": str(metadata.get("data_fingerprint", "")),
            "dataset.version": str(metadata.get("dataset_version", "") or "committed data only")}
    embedding = export_manifest(get_embedder(settings.models_dir).model_dir, settings.models_dir)
    versions: dict[str, VersionRecord] = {}
    for kind in kinds:
        manifest = model_path(kind, settings)
        params, metrics = run_contents(kind, metadata, load_model_file(manifest))
        record = registry.register_version(kind, manifest, params=params, metrics=metrics, tags=tags,
                                           embedding=embedding if kind == "crisis" and embedding.exists() else None,
                                           settings=settings)
        registry.log_json(kind, record.version, "data_fingerprint.json", fingerprint, settings)
        registry.log_json(kind, record.version, "training.json", dict(metadata), settings)
        say(f"registered {record.name} version {record.version}")
        versions[kind] = record
    assess_versions(settings, versions, say)
    for kind, record in versions.items():
        registry.set_alias(kind, CHALLENGER, record.version, settings)
    return {kind: registry.get_version(kind, record.version, settings) for kind, record in versions.items()}


def bootstrap_if_first(settings: Settings, versions: Mapping[str, VersionRecord],
                       say: Callable[[str], None] = print) -> dict[str, bool]:
    """The first run: each kind with no champion at all gets this version as champion, approved as
    "bootstrap (system)", if it passed every gate (the only automatic approval). Returns, per kind,
    whether it was made champion."""
    made: dict[str, bool] = {}
    for kind, record in versions.items():
        current = registry.get_version(kind, record.version, settings)
        made[kind] = registry.champion(kind, settings) is None and current.gates_passed is True
        if made[kind]:
            bootstrap_champion(settings, kind, current.version)
            say(f"{current.name} version {current.version} is champion (bootstrap: first to pass every gate)")
        elif registry.champion(kind, settings) is None:
            say(f"{current.name} version {current.version} failed a gate: no champion yet; the detectors answer crises")
    return made
