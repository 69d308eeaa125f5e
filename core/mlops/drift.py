"""Drift reports: does what people ask now still look like what the models were trained on, or like
an earlier window of the log? (`python -m core drift`, the Drift page.)

The reference is the champion's training data by default (the authored training rows run through the
served models, cached under REPORTS_DIR/drift/reference/ by model versions and data fingerprint), or
a past window of the log; the current window is a window of the log (the last 7 days by default).
The signals, their Evidently methods and thresholds are in drift.yaml (core/mlops/drift_metrics.py).
The messages themselves are compared by their sentence embeddings, which needs their text: the log's
text is decrypted for that, in memory only, and that staff read is audited like any other.

Each run saves report.html and report.json under REPORTS_DIR/drift/<id>/ and a DriftReport row,
together or not at all."""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from sqlmodel import col, select

from core import audit
from core.auth.users import authorize
from core.config import Settings, get_settings
from core.errors import InvalidInput, ModelUnavailable
from core.mlops import drift_metrics
from core.mlops.dataset import load_authored
from core.nlu.embeddings import DIMENSIONS, get_embedder
from core.nlu.features import extract
from core.nlu.model_files import current_version, load_model
from core.privacy.crypto import decrypt
from core.store import interactions
from core.store.engine import read_scope, session_scope
from core.store.tables import DriftReport
from core.taxonomy import MODEL_KINDS

CHAMPION = "champion"
CURRENT_DAYS = 7
MAX_ROWS = 500_000
EXTRACT_BATCH = 64  # messages per extract() call (the embedder batches by length inside it)
EMBEDDING_KIND = "message"  # in the reference cache's name: embeddings from extract(), not encode() of the whole text
SYSTEM_ACTOR = "drift (system)"
# which labeling-queue filter answers which drifted signal, most urgent first
FILTER_ORDER = ("crisis", "distress", "language", "out_of_scope", "intent", "messages", "words", "confidence")
Say = Callable[[str], None]


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime  # exclusive

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d}:{(self.end - timedelta(microseconds=1)):%Y-%m-%d}"


@dataclass(frozen=True)
class DriftRun:
    report_id: str
    reference: str
    current: Window
    reference_rows: int
    current_rows: int
    scores: dict[str, dict]
    alert: bool
    html_path: Path
    json_path: Path


def parse_window(text: str) -> Window:
    """`YYYY-MM-DD:YYYY-MM-DD`, both days included, in UTC."""
    try:
        first, last = (datetime.strptime(part.strip(), "%Y-%m-%d").date() for part in text.split(":"))
    except ValueError:
        raise InvalidInput(f"a window is YYYY-MM-DD:YYYY-MM-DD (got {text!r})") from None
    if last < first:
        raise InvalidInput(f"a window ends after it starts (got {text!r})")
    return Window(datetime.combine(first, time(), UTC), datetime.combine(last + timedelta(days=1), time(), UTC))


def last_days(days: int, now: datetime | None = None) -> Window:
    now = now or datetime.now(UTC)
    return Window(now - timedelta(days=days), now)


def signal_frame(records: list[dict]) -> pd.DataFrame:
    """One row per message, one column per signal of drift.yaml (rates as yes/no categories)."""
    frame = pd.DataFrame(records, columns=["words", "language", "intent", "confidence", "risk"])
    yes_no = {True: "yes", False: "no"}
    return pd.DataFrame({
        "words": frame["words"].astype(int), "language": frame["language"].astype(str),
        "intent": frame["intent"].astype(str), "confidence": frame["confidence"].astype(float),
        "out_of_scope": (frame["intent"] == "out_of_scope").map(yes_no),
        "distress": (frame["risk"] == "distress").map(yes_no), "crisis": (frame["risk"] == "crisis").map(yes_no),
    })


def log_window(window: Window, *, reader: str, settings: Settings) -> tuple[pd.DataFrame, list[str]]:
    """A window of the log as signals, and its redacted texts (decrypted in memory: an audited read)."""
    rows = interactions.list_turns(since=window.start, until=window.end, limit=MAX_ROWS, settings=settings)
    audit.record("log.read", actor=reader, target=window.label, details={"rows": len(rows), "purpose": "drift"},
                 settings=settings)
    texts = [decrypt(r.text_encrypted, settings) for r in rows]
    return signal_frame([{"words": r.words, "language": r.language, "intent": r.intent,
                          "confidence": r.confidence, "risk": r.risk} for r in rows]), texts


def _served_models(settings: Settings) -> dict[str, dict | None]:
    """The served bundles; a kind that does not load is absent (the detectors answer alone), as in a reply."""
    out: dict[str, dict | None] = {}
    for kind in MODEL_KINDS:
        try:
            out[kind] = load_model(kind, settings)
        except (ModelUnavailable, OSError, ValueError):
            out[kind] = None
    return out


def champion_reference(settings: Settings, say: Say) -> tuple[str, pd.DataFrame, np.ndarray]:
    """The champion's training data as the served models read it; cached by versions and data."""
    from core.mlops.prediction import Predictor  # imports the model libraries: only when needed

    rows = [r for r in load_authored(settings) if r.text]
    texts = [r.text for r in rows]
    versions = f"intent-{current_version('intent', settings)}_crisis-{current_version('crisis', settings)}"
    fingerprint = hashlib.sha256("\n".join(f"{r.text}\t{r.intent}" for r in rows).encode()).hexdigest()[:12]
    cache = settings.reports_dir / "drift" / "reference" / f"{versions}_{fingerprint}_{EMBEDDING_KIND}"
    label = f"{CHAMPION} {versions}"
    if (cache / "signals.parquet").is_file() and (cache / "embeddings.npy").is_file():
        return label, pd.read_parquet(cache / "signals.parquet"), np.load(cache / "embeddings.npy")
    say(f"reference: predicting {len(texts)} training rows with the served models (cached afterwards)")
    predictor = Predictor(settings, models=_served_models(settings))
    predicted = list(predictor.predict(texts, keep_embeddings=True))  # one pass: signals and embeddings
    embeddings = np.vstack([p.pop("embedding") for p in predicted]).astype(np.float32)
    frame = signal_frame([{**p, "words": len(t.split())} for p, t in zip(predicted, texts)])
    cache.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(cache / "signals.parquet")
    np.save(cache / "embeddings.npy", embeddings)
    return label, frame, embeddings


def message_embeddings(texts: list[str], embedder) -> np.ndarray:
    """Each message's sentence embedding as a reply computes it (core/nlu/features.extract: a long
    message is the mean of its windows), the same on both sides of every comparison."""
    out = [np.zeros((0, DIMENSIONS), dtype=np.float32)]
    for start in range(0, len(texts), EXTRACT_BATCH):
        out.append(np.vstack([f.embedding for f in extract(texts[start:start + EXTRACT_BATCH], embedder)]))
    return np.vstack(out).astype(np.float32)


def _rising(reference: pd.Series, current: pd.Series) -> str | None:
    """The category whose share grew the most from reference to current."""
    grown = current.value_counts(normalize=True).sub(reference.value_counts(normalize=True), fill_value=0)
    return str(grown.idxmax()) if len(grown) and grown.max() > 0 else None


def run_drift(*, reference: str = CHAMPION, current: str | None = None, user: str | None = None,
              settings: Settings | None = None, now: datetime | None = None, say: Say | None = None) -> DriftRun:
    """One report. Bad windows and empty windows are InvalidInput, and nothing is saved."""
    settings = settings or get_settings()
    say = say or (lambda _message: None)
    if user:
        authorize(user, "drift.view", target="drift", settings=settings)
    actor = user or SYSTEM_ACTOR
    current_window = parse_window(current) if current else last_days(CURRENT_DAYS, now)
    reference_window = None if reference == CHAMPION else parse_window(reference)
    say(f"current window {current_window.label}: reading the log")
    current_frame, current_texts = log_window(current_window, reader=actor, settings=settings)
    if current_frame.empty:
        raise InvalidInput(f"the current window {current_window.label} has no logged turns: nothing to compare")
    embedder = get_embedder(settings.models_dir)
    if reference_window is None:
        reference_label, reference_frame, reference_embeddings = champion_reference(settings, say)
    else:
        reference_label = reference_window.label
        reference_frame, reference_texts = log_window(reference_window, reader=actor, settings=settings)
        if reference_frame.empty:
            raise InvalidInput(f"the reference window {reference_label} has no logged turns: nothing to compare")
        say(f"reference window {reference_label}: embedding {len(reference_texts)} messages")
        reference_embeddings = message_embeddings(reference_texts, embedder)
    say(f"embedding {len(current_texts)} current messages")
    current_embeddings = message_embeddings(current_texts, embedder)
    say("comparing with Evidently")
    comparison = drift_metrics.compare(reference_frame, current_frame, reference_embeddings=reference_embeddings,
                                       current_embeddings=current_embeddings)
    scores = comparison.scores
    for name in ("language", "intent"):
        scores[name]["rising"] = _rising(reference_frame[name], current_frame[name])
    return save_report(comparison, scores, reference=reference_label, current=current_window,
                       rows=(len(reference_frame), len(current_frame)), actor=actor, settings=settings)


def save_report(comparison: drift_metrics.Comparison, scores: dict[str, dict], *, reference: str, current: Window,
                rows: tuple[int, int], actor: str, settings: Settings) -> DriftRun:
    """The files and the row together: the files are written aside, and moved into place inside
    the row's transaction; a failure on either side leaves neither."""
    report_id = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    folder = settings.reports_dir / "drift"
    staging, final = folder / f".staging-{report_id}", folder / report_id
    alert = any(s["drifted"] for s in scores.values())
    staging.mkdir(parents=True)
    moved = False
    try:
        (staging / "report.html").write_text(comparison.html, encoding="utf-8")
        summary = {"report_id": report_id, "reference": reference, "current": current.label,
                   "rows": {"reference": rows[0], "current": rows[1]}, "scores": scores, "alert": alert,
                   "evidently": json.loads(comparison.json_text)}
        (staging / "report.json").write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")
        with session_scope(settings) as session:
            session.add(DriftReport(
                report_id=report_id, created_by=actor, reference=reference, reference_rows=rows[0],
                current_start=current.start, current_end=current.end, current_rows=rows[1],
                scores=json.dumps(scores), alert=alert, html_path=f"drift/{report_id}/report.html",
                json_path=f"drift/{report_id}/report.json"))
            audit.record("drift.run", actor=actor, target=report_id, settings=settings, session=session,
                         details={"reference": reference, "current": current.label, "alert": alert,
                                  "drifted": sorted(n for n, s in scores.items() if s["drifted"])})
            session.flush()
            staging.rename(final)
            moved = True
    except BaseException:
        shutil.rmtree(final if moved else staging, ignore_errors=True)
        raise
    return DriftRun(report_id, reference, current, rows[0], rows[1], scores, alert,
                    final / "report.html", final / "report.json")


def list_reports(settings: Settings | None = None, limit: int = 200) -> list[dict]:
    """Past reports, newest first, with their windows, scores and the absolute paths of their files."""
    settings = settings or get_settings()
    with read_scope(settings) as session:
        rows = list(session.exec(select(DriftReport).order_by(col(DriftReport.id).desc()).limit(limit)))
    return [{"report_id": r.report_id, "at": r.at, "created_by": r.created_by, "reference": r.reference,
             "reference_rows": r.reference_rows, "current": Window(r.current_start, r.current_end).label,
             "current_rows": r.current_rows, "scores": json.loads(r.scores), "alert": r.alert,
             "html_path": settings.reports_dir / r.html_path, "json_path": settings.reports_dir / r.json_path}
            for r in rows]


def labeling_filter(scores: dict[str, dict]) -> dict[str, str] | None:
    """What the labeling queue should show first for a drift: the most urgent drifted signal's
    risk level, intent or language (pages/labeling.py reads it from the session)."""
    drifted = [name for name in FILTER_ORDER if scores.get(name, {}).get("drifted")]
    if not drifted:
        return None
    first = drifted[0]
    if first in ("crisis", "distress"):
        return {"risk": first}
    if first == "out_of_scope":
        return {"intent": "out_of_scope"}
    if first == "language" and scores["language"].get("rising"):
        return {"language": scores["language"]["rising"]}
    rising = scores.get("intent", {}).get("rising")
    return {"intent": rising} if rising else None


def score_history(reports: list[dict]) -> list[dict]:
    """One row per report and signal, oldest first: what the Drift page plots over time."""
    return [{"at": r["at"], "signal": name, "score": s["score"], "threshold": s["threshold"],
             "ratio": s["score"] / s["threshold"] if s["threshold"] else 0.0, "report": r["report_id"]}
            for r in reversed(reports) for name, s in r["scores"].items()]
