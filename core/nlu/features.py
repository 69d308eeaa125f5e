"""What the models read about one message: its language and ONE embedding, computed once and
shared by the safety screen and the intent model (plus window embeddings for long messages)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.nlu.embeddings import Embedder, windows
from core.nlu.language import Language, detect_language


@dataclass
class MessageFeatures:
    text: str
    language: Language
    embedding: np.ndarray
    window_texts: list[str]
    window_embeddings: np.ndarray
    # Hidden states after the encoder's lower layers, one array per read (the whole text, or each
    # window of a long one), for the fine-tuned crisis encoder.
    hidden: list[np.ndarray] = field(default_factory=list)


def extract(texts: list[str], embedder: Embedder, default_language: Language = "en") -> list[MessageFeatures]:
    """Batch extraction: every short text and every window of a long one go through the embedder in
    one pass. A long message's embedding is the normalised mean of its windows, so its words are
    read once (the model would truncate the whole text at 256 word pieces anyway)."""
    spans: list[tuple[int, int]] = []
    flat: list[str] = []
    for text in texts:
        parts = windows(text) or [text]
        spans.append((len(flat), len(flat) + len(parts)))
        flat.extend(parts)
    vectors, hidden = embedder.encode_with_hidden(flat)
    out = []
    for text, (start, end) in zip(texts, spans):
        whole = end - start == 1
        embedding = vectors[start] if whole else _mean(vectors[start:end])
        out.append(MessageFeatures(
            text=text,
            language=detect_language(text, default_language),
            embedding=embedding,
            window_texts=[] if whole else flat[start:end],
            window_embeddings=vectors[start:start] if whole else vectors[start:end],
            hidden=hidden[start:end],
        ))
    return out


def _mean(rows: np.ndarray) -> np.ndarray:
    mean = rows.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm else mean).astype(np.float32)
