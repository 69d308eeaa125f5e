"""Building an Assistant from Settings: scenarios, the champion models, and the session store."""

from __future__ import annotations

import logging

from core.config import Settings, get_settings
from core.content.scenarios import load_scenarios
from core.dialogue.assistant import Assistant
from core.dialogue.sessions import make_session_store
from core.errors import ModelUnavailable
from core.nlu.embeddings import get_embedder
from core.nlu.intent import IntentModel
from core.nlu.model_files import load_model
from core.safety.screen import CrisisScreen
from core.safety.semantic import SemanticCrisisClassifier

log = logging.getLogger(__name__)


def build_assistant(settings: Settings | None = None, *, require_models: bool = False) -> Assistant:
    """Models that fail to load are logged and left out (the detectors still answer), unless
    `require_models` is set, as the CLI does for evaluation."""
    settings = settings or get_settings()
    scenarios = load_scenarios(settings.scenarios_dir)
    embedder = intent_model = semantic = None
    try:
        embedder = get_embedder(settings.models_dir)
        intent_model = IntentModel(load_model("intent", settings))
        semantic = SemanticCrisisClassifier(load_model("crisis", settings))
    except ModelUnavailable as exc:
        if require_models:
            raise
        log.warning("running without a model: %s", exc.message)
    store = make_session_store(settings.redis_url, settings.session_ttl_seconds)
    return Assistant(scenarios, store, embedder=embedder, intent_model=intent_model, screen=CrisisScreen(semantic))
