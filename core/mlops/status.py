"""What the console shows about the current models: the training metadata and freshness."""

from __future__ import annotations

import json

from core.config import Settings, get_settings
from core.store.state import RETRAIN_NEEDED, get_state


def model_status(settings: Settings | None = None) -> dict:
    settings = settings or get_settings()
    path = settings.models_dir / "metadata.json"
    meta = json.loads(path.read_text()) if path.exists() else None
    return {"metadata": meta, "retrain_needed": get_state(RETRAIN_NEEDED, settings)}


def per_class_rows(meta: dict) -> list[dict]:
    return [
        {"intent": name, "precision": round(m["precision"], 3), "recall": round(m["recall"], 3),
         "f1": round(m["f1-score"], 3), "support": int(m["support"])}
        for name, m in meta.get("intent_cv_per_class", {}).items()
    ]


def component_rows(health: dict) -> list[dict]:
    """One row per model component (embedding, intent, crisis) for the Model status page: anything
    but `ok` is a degraded state staff must see."""
    return [{"component": name, "version": h.version, "state": h.state,
             "detail": h.detail or "loaded and verified"} for name, h in health.items()]
