"""Building an Assistant from Settings: scenarios, the champion models, and the session store.

Each model loads on its own: a failure of one never removes another. The embedding feeds both
models, so without it neither can run, but the explicit crisis detectors always answer. Every
failure is logged by name and kept in `Assistant.health`, which the Model status page shows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from core.config import Settings, get_settings
from core.content.scenarios import load_scenarios
from core.dialogue.assistant import Assistant
from core.dialogue.sessions import make_session_store
from core.errors import CareOpsError, ModelUnavailable
from core.nlu.embeddings import get_embedder
from core.nlu.intent import IntentModel
from core.nlu.model_files import load_model
from core.safety.screen import CrisisScreen
from core.safety.semantic import SemanticCrisisClassifier

log = logging.getLogger(__name__)
T = TypeVar("T")

COMPONENTS = ("embedding", "intent", "crisis")


@dataclass(frozen=True)
class ComponentHealth:
    """One model's state: `ok`, `degraded` (serving, but not as intended) or `failed` (not serving)."""

    name: str
    state: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def _load(name: str, build: Callable[[], T]) -> tuple[T | None, ComponentHealth]:
    try:
        return build(), ComponentHealth(name, "ok")
    except Exception as exc:  # any failure (corrupt file, ONNX error, missing package) leaves this one out
        detail = exc.message if isinstance(exc, CareOpsError) else f"{type(exc).__name__}: {exc}"
        log.error("the %s model is not available: %s", name, detail)
        return None, ComponentHealth(name, "failed", detail)


def load_components(settings: Settings) -> tuple[dict, dict[str, ComponentHealth]]:
    """(models by component name, health by component name); a model that failed is None."""
    embedder, embedding_health = _load("embedding", lambda: get_embedder(settings.models_dir))
    if embedder is not None and embedder.fallback_reason:
        embedding_health = ComponentHealth("embedding", "degraded", f"served by PyTorch: {embedder.fallback_reason}")
    intent, intent_health = _load("intent", lambda: IntentModel(load_model("intent", settings)))
    semantic, crisis_health = _load("crisis", lambda: SemanticCrisisClassifier(load_model("crisis", settings)))
    if embedder is None:  # loaded, but nothing can feed them: the detectors answer crises alone
        intent_health, crisis_health = (h if not h.ok else ComponentHealth(h.name, "failed", "the embedding model did not load")
                                        for h in (intent_health, crisis_health))
    models = {"embedding": embedder, "intent": intent, "crisis": semantic}
    return models, {"embedding": embedding_health, "intent": intent_health, "crisis": crisis_health}


def build_assistant(settings: Settings | None = None, *, require_models: bool = False) -> Assistant:
    """Models that fail to load are logged and left out (the detectors still answer), unless
    `require_models` is set, as the CLI does for evaluation."""
    settings = settings or get_settings()
    scenarios = load_scenarios(settings.scenarios_dir)
    models, health = load_components(settings)
    failed = [h for h in health.values() if h.state == "failed"]
    if require_models and failed:
        raise ModelUnavailable("; ".join(f"{h.name}: {h.detail}" for h in failed))
    store = make_session_store(settings.redis_url, settings.session_ttl_seconds)
    assistant = Assistant(scenarios, store, embedder=models["embedding"], intent_model=models["intent"],
                          screen=CrisisScreen(models["crisis"]))
    assistant.health = health
    return assistant
