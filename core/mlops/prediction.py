"""Batch prediction exactly as a real reply decides: an empty message is not a question; every other
message, whatever its length, is read whole by the crisis screen first; an over-long message is not
answered as a topic; a scenario title reaches its scenario; otherwise the intent model ranks, and
the same `decide` the Assistant uses combines the two. A test holds `predict` and `reply` to the same
decisions on the same texts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from core.config import Settings
from core.content.render import match_title, title_index
from core.content.scenarios import load_scenarios
from core.nlu.embeddings import DIMENSIONS, get_embedder
from core.nlu.features import extract
from core.nlu.intent import IntentModel, intent_reply_kind
from core.nlu.model_files import load_model
from core.nlu.normalize import MAX_CHARS, clean
from core.safety import support
from core.safety.screen import CrisisScreen, decide
from core.safety.semantic import SemanticCrisisClassifier
from core.taxonomy import MODEL_KINDS

BATCH_SIZE = 64


class Predictor:
    """`models` gives the bundles to use instead of the served ones (a registry version under
    evaluation); a kind given as None is absent: without a crisis model the detectors answer alone,
    without an intent model no topic is ranked."""

    def __init__(self, settings: Settings, models: Mapping[str, dict | None] | None = None) -> None:
        self.embedder = get_embedder(settings.models_dir)
        bundles = {kind: load_model(kind, settings) for kind in MODEL_KINDS} if models is None else models
        self.intent = IntentModel(bundles["intent"]) if bundles.get("intent") is not None else None
        crisis = bundles.get("crisis")
        self.screen = CrisisScreen(SemanticCrisisClassifier(crisis) if crisis is not None else None)
        scenarios = load_scenarios(settings.scenarios_dir)
        self.titles = title_index(scenarios)
        self.distress_topic = support.DISTRESS_TOPIC if support.DISTRESS_TOPIC in scenarios else None

    def predict(self, texts: Iterable[str], progress: Callable[[int], None] | None = None, *,
                keep_embeddings: bool = False) -> Iterable[dict]:
        """Yields one result per text, in order, working in batches. With `keep_embeddings`, each
        result also holds "embedding": the message's sentence embedding as a reply computes it (zeros
        for an empty text), so a caller that needs both never embeds the texts a second time."""
        batch: list[str] = []
        for text in texts:
            batch.append(clean(text if isinstance(text, str) else ""))
            if len(batch) == BATCH_SIZE:
                yield from self._batch(batch, keep_embeddings)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            yield from self._batch(batch, keep_embeddings)
            if progress:
                progress(len(batch))

    def _batch(self, texts: list[str], keep_embeddings: bool = False) -> list[dict]:
        present = [i for i, t in enumerate(texts) if t]
        features = dict(zip(present, extract([texts[i] for i in present], self.embedder)))
        answerable = [i for i in present if len(texts[i]) <= MAX_CHARS and not match_title(texts[i], self.titles)]
        rankings: dict[int, list[tuple[str, float]]] = {}
        if answerable and self.intent is not None:
            stacked = np.vstack([features[i].embedding for i in answerable])
            predicted = self.intent.predict([texts[i] for i in answerable], stacked)
            rankings = {i: p.ranking for i, p in zip(answerable, predicted)}
        out = []
        for i, text in enumerate(texts):
            if i not in features:  # empty: the guard's gentle prompt, nothing to screen
                out.append({"intent": "out_of_scope", "confidence": 0.0, "crisis": False, "crisis_type": None,
                            "risk": "none", "urgency": None, "language": "en"})
                continue
            f = features[i]
            screened = self.screen.screen(text, f.embedding, f.window_texts, f.window_embeddings, f.hidden)
            titled = match_title(text, self.titles) if len(text) <= MAX_CHARS else None
            # as in a reply: the intent model is not consulted once the screen found a crisis
            ranking = [] if screened.crisis else [(titled, 1.0)] if titled else rankings.get(i, [])
            intent, confidence, screened = decide(screened, ranking)
            if screened.risk == "distress" and len(text) <= MAX_CHARS and self.distress_topic:
                # as a first turn is answered: distress that would get small talk gets the wellbeing guidance
                kind = intent_reply_kind(intent, confidence) if ranking else "unavailable"
                if support.answers_distress_with_wellbeing(kind):
                    intent = self.distress_topic
            out.append({
                "intent": intent, "confidence": round(float(confidence), 4), "crisis": screened.crisis,
                "crisis_type": screened.crisis_type, "risk": screened.risk, "urgency": screened.urgency,
                "language": f.language,
            })
        if keep_embeddings:
            for i, result in enumerate(out):
                result["embedding"] = features[i].embedding if i in features else np.zeros(DIMENSIONS, np.float32)
        return out
