"""The one module that imports Evidently: the drift signals (thresholds in drift.yaml), and the
Evidently 0.7 report that scores them between a reference and a current frame.

Evidently sends anonymous usage telemetry unless DO_NOT_TRACK is set (evidently/telemetry.py reads
that variable, through iterative-telemetry); it is set here before the import, so no import path of
the project can switch it on. Nothing leaves the machine from a drift run."""

from __future__ import annotations

import os

os.environ.setdefault("DO_NOT_TRACK", "1")  # before `import evidently`: Evidently's telemetry off

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from evidently import DataDefinition, Dataset, Report
from evidently.metrics import ValueDrift
from evidently.metrics.embeddings import DistanceDriftMethod, ModelDriftMethod

THRESHOLDS_FILE = Path(__file__).with_name("drift.yaml")
KINDS = ("numerical", "categorical", "embeddings")


@dataclass(frozen=True)
class Signal:
    name: str
    column: str
    kind: str  # numerical | categorical | embeddings
    method: str  # Evidently's method name
    threshold: float
    what: str


@dataclass(frozen=True)
class Comparison:
    scores: dict[str, dict]  # signal -> {score, threshold, drifted, method, what}
    html: str
    json_text: str


def load_signals(path: Path = THRESHOLDS_FILE) -> dict[str, Signal]:
    """The signals and their thresholds, in the file's order; a malformed file is a clear error."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = {}
    for name, spec in (raw.get("signals") or {}).items():
        try:
            signal = Signal(name, str(spec["column"]), str(spec["kind"]), str(spec["method"]),
                            float(spec["threshold"]), str(spec.get("what", name)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name}: signal {name!r} needs column, kind, method and a numeric threshold") from exc
        if signal.kind not in KINDS:
            raise ValueError(f"{path.name}: signal {name!r} has unknown kind {signal.kind!r} (one of {', '.join(KINDS)})")
        out[name] = signal
    return out


CLOSENESS = "closeness_to_reference"  # shown in the HTML only: see _embedding_drift


def _dataset(frame: pd.DataFrame, signals: dict[str, Signal], extra_numerical: list[str]) -> Dataset:
    columns = [s.column for s in signals.values() if s.kind != "embeddings"]
    definition = DataDefinition(
        numerical_columns=[s.column for s in signals.values() if s.kind == "numerical"] + extra_numerical,
        categorical_columns=[s.column for s in signals.values() if s.kind == "categorical"],
    )
    return Dataset.from_pandas(frame[columns + extra_numerical].reset_index(drop=True), data_definition=definition)


def _embedding_drift(signal: Signal, reference: np.ndarray, current: np.ndarray) -> float:
    """Evidently's embedding drift (drift.yaml: `distance` between the windows' mean embeddings, or
    `model`, a classifier's ROC AUC at telling them apart), called as its DriftMethod rather than through the EmbeddingsDrift metric: that metric also draws
    a t-SNE map of up to thousands of points for the HTML, which took 24 s for 360 messages here and
    would take minutes for a week of traffic. The HTML shows instead each message's cosine
    closeness to the reference messages' mean (ValueDrift), a one-dimensional view of the same drift."""
    names = [f"m{i}" for i in range(reference.shape[1])]
    kind = {"distance": DistanceDriftMethod, "model": ModelDriftMethod}.get(signal.method)
    if kind is None:
        raise ValueError(f"drift.yaml: embedding drift method {signal.method!r} is not one of distance, model")
    method = kind(threshold=signal.threshold, bootstrap=False)
    score, _drifted, _name = method(pd.DataFrame(current, columns=names), pd.DataFrame(reference, columns=names))
    return float(score)


def _closeness(embeddings: np.ndarray, centre: np.ndarray) -> np.ndarray:
    return embeddings @ centre / max(float(np.linalg.norm(centre)), 1e-9)


def compare(reference: pd.DataFrame, current: pd.DataFrame, *, reference_embeddings: np.ndarray | None,
            current_embeddings: np.ndarray | None, signals: dict[str, Signal] | None = None) -> Comparison:
    """Score every signal; embedding drift only when both windows have embeddings."""
    signals = signals or load_signals()
    columns = {name: s for name, s in signals.items() if s.kind != "embeddings"}
    embedded = reference_embeddings is not None and current_embeddings is not None
    extra = []
    if embedded:
        centre = reference_embeddings.mean(axis=0)
        reference = reference.assign(**{CLOSENESS: _closeness(reference_embeddings, centre)})
        current = current.assign(**{CLOSENESS: _closeness(current_embeddings, centre)})
        extra = [CLOSENESS]
    metrics = [ValueDrift(column=s.column, method=s.method, threshold=s.threshold) for s in columns.values()]
    metrics += [ValueDrift(column=CLOSENESS, method="wasserstein")] if embedded else []
    snapshot = Report(metrics).run(current_data=_dataset(current, columns, extra),
                                   reference_data=_dataset(reference, columns, extra))
    values = [m["value"] for m in snapshot.dict()["metrics"]]
    if len(values) != len(metrics):  # one value per metric, in the order given (pinned by a test)
        raise RuntimeError(f"Evidently returned {len(values)} values for {len(metrics)} metrics")
    raw = dict(zip(columns, values))
    for name, signal in signals.items():
        if signal.kind == "embeddings" and embedded:
            raw[name] = _embedding_drift(signal, reference_embeddings, current_embeddings)
    scores = {}
    for name, value in raw.items():
        signal = signals[name]
        score = 0.0 if value is None or np.isnan(float(value)) else round(float(value), 4)  # nan: constant in both
        scores[name] = {"score": score, "threshold": signal.threshold, "drifted": score >= signal.threshold,
                        "method": signal.method, "what": signal.what}
    return Comparison(scores, snapshot.get_html_str(as_iframe=False), snapshot.json())
