"""What the models read about one message: its language and ONE embedding, computed once and
shared by the safety screen and the intent model (plus window embeddings for long messages)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.nlu.embeddings import DIMENSIONS, Embedder, windows
from core.nlu.language import Language, detect_language


@dataclass
class MessageFeatures:
    text: str
    language: Language
    embedding: np.ndarray
    window_embeddings: np.ndarray


def extract(texts: list[str], embedder: Embedder, default_language: Language = "en") -> list[MessageFeatures]:
    """Batch extraction: every text and every window go through the embedder in one pass."""
    spans: list[tuple[int, int]] = []
    flat: list[str] = list(texts)
    for text in texts:
        parts = windows(text)
        spans.append((len(flat), len(flat) + len(parts)))
        flat.extend(parts)
    vectors = embedder.encode(flat) if flat else np.zeros((0, DIMENSIONS), dtype=np.float32)
    return [
        MessageFeatures(
            text=text,
            language=detect_language(text, default_language),
            embedding=vectors[i],
            window_embeddings=vectors[start:end],
        )
        for i, (text, (start, end)) in enumerate(zip(texts, spans))
    ]
