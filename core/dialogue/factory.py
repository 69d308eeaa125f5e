"""Building an Assistant from Settings: scenarios, the champion models, and the session store.

Each model loads on its own: a failure of one never removes another. The embedding feeds both
models, so without it neither can run, but the explicit crisis detectors always answer. A model
is served only after it loaded, verified, and passed the smoke prediction (core/dialogue/smoke.py),
here as on every later hot swap (core/dialogue/champions.py, which keeps the assistant on the
registry's champions without a restart). Every failure is logged by name and kept in
`Assistant.health`, which the Models page shows."""

from __future__ import annotations

import logging
from typing import Any

from core.config import Settings, get_settings
from core.content.scenarios import load_scenarios
from core.dialogue.assistant import Assistant
from core.dialogue.champions import ComponentHealth, describe_error, load_checked, watch_champions
from core.dialogue.interaction_log import InteractionLog
from core.dialogue.sessions import make_session_store
from core.errors import ModelUnavailable
from core.nlu.embeddings import get_embedder
from core.nlu.model_files import current_version, local_version
from core.safety.screen import CrisisScreen

log = logging.getLogger(__name__)

COMPONENTS = ("embedding", "intent", "crisis")


def _load_embedder(settings: Settings) -> tuple[Any, ComponentHealth]:
    try:
        embedder = get_embedder(settings.models_dir)
    except Exception as exc:  # any failure (corrupt file, ONNX error, missing package) leaves it out
        log.error("the embedding model is not available: %s", describe_error(exc))
        return None, ComponentHealth("embedding", "failed", describe_error(exc))
    if embedder.fallback_reason:
        return embedder, ComponentHealth("embedding", "degraded", f"served by PyTorch: {embedder.fallback_reason}")
    return embedder, ComponentHealth("embedding", "ok")


def _load_kind(kind: str, settings: Settings, served: dict[str, Any]) -> tuple[Any, ComponentHealth]:
    """The champion of `kind` (or the local model files when the registry has none). An unreadable
    registry falls back to the local files, said in the health."""
    if served["embedding"] is None:  # nothing could feed it: the detectors answer crises alone
        log.error("the %s model is not available: the embedding model did not load", kind)
        return None, ComponentHealth(kind, "failed", "the embedding model did not load")
    note = ""
    try:
        version = current_version(kind, settings)
    except Exception as exc:
        version, note = local_version(kind, settings), f"the registry could not be read ({describe_error(exc)}); "
    model, reason = load_checked(kind, version, settings, served)
    if model is None:
        log.error("the %s model is not available: %s", kind, note + reason)
        return None, ComponentHealth(kind, "failed", note + reason)
    return model, ComponentHealth(kind, "degraded" if note else "ok", note.removesuffix("; "), version)


def load_components(settings: Settings) -> tuple[dict, dict[str, ComponentHealth]]:
    """(models by component name, health by component name); a model that failed is None. The
    crisis model is checked first, and the intent model beside it: what would answer together."""
    embedder, embedding_health = _load_embedder(settings)
    models: dict[str, Any] = {"embedding": embedder, "intent": None, "crisis": None}
    health = {"embedding": embedding_health}
    for kind in ("crisis", "intent"):
        models[kind], health[kind] = _load_kind(kind, settings, models)
    return models, {name: health[name] for name in COMPONENTS}


def build_assistant(settings: Settings | None = None, *, require_models: bool = False) -> Assistant:
    """Models that fail to load are logged and left out (the detectors still answer), unless
    `require_models` is set, as the CLI does for evaluation. The assistant then follows the
    registry's champions (CAREOPS_CHAMPION_CHECK_SECONDS; 0 turns that off)."""
    given, settings = settings, settings or get_settings()
    scenarios = load_scenarios(settings.scenarios_dir)
    models, health = load_components(settings)
    failed = [h for h in health.values() if h.state == "failed"]
    if require_models and failed:
        raise ModelUnavailable("; ".join(f"{h.name}: {h.detail}" for h in failed))
    store = make_session_store(settings.redis_url, settings.session_ttl_seconds)
    assistant = Assistant(scenarios, store, embedder=models["embedding"], intent_model=models["intent"],
                          screen=CrisisScreen(models["crisis"]))
    assistant.health = health
    watch_champions(assistant, settings)
    if settings.log_turns:
        assistant.log = InteractionLog(given).attach(assistant)
    return assistant
