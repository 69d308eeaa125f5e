"""Batch prediction exactly as a real reply decides: the crisis screen first, then the intent model,
combined by the same `decide` the Assistant uses."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.config import Settings
from core.nlu.embeddings import get_embedder
from core.nlu.features import extract
from core.nlu.intent import IntentModel
from core.nlu.model_files import load_model
from core.nlu.normalize import clean
from core.safety.screen import CrisisScreen, decide
from core.safety.semantic import SemanticCrisisClassifier

BATCH_SIZE = 64


class Predictor:
    def __init__(self, settings: Settings) -> None:
        self.embedder = get_embedder(settings.models_dir)
        self.intent = IntentModel(load_model("intent", settings))
        self.screen = CrisisScreen(SemanticCrisisClassifier(load_model("crisis", settings)))

    def predict(self, texts: Iterable[str], progress: Callable[[int], None] | None = None) -> Iterable[dict]:
        """Yields one result per text, in order, working in batches."""
        batch: list[str] = []
        for text in texts:
            batch.append(clean(text if isinstance(text, str) else ""))
            if len(batch) == BATCH_SIZE:
                yield from self._batch(batch)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            yield from self._batch(batch)
            if progress:
                progress(len(batch))

    def _batch(self, texts: list[str]) -> list[dict]:
        features = extract(texts, self.embedder)
        rankings = [p.ranking for p in self.intent.predict(texts, _stack(features))]
        out = []
        for feature, ranking in zip(features, rankings):
            screened = self.screen.screen(feature.text, feature.embedding, feature.window_texts, feature.window_embeddings,
                                         feature.hidden)
            intent, confidence, screened = decide(screened, ranking)
            out.append({
                "intent": intent, "confidence": round(float(confidence), 4), "crisis": screened.crisis,
                "crisis_type": screened.crisis_type, "language": feature.language,
            })
        return out


def _stack(features):
    import numpy as np

    return np.vstack([f.embedding for f in features])
