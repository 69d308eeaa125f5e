"""Benchmark of Assistant.reply over mixed turns, in process.

Reproducible: a fixed seed picks 10,000 turns from the shipped data (short and long questions in
both languages, crisis messages, small talk, follow-ups, summaries, resets) spread over sessions.
Writes benchmarks/results/reply.json with p50/p95/p99 latency per turn, the sentence embedding and
the fine-tuned crisis encoder reported apart, and the process's peak memory.

    python benchmarks/bench_reply.py [--turns 10000] [--out benchmarks/results/reply.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from core.config import get_settings
from core.dialogue.factory import build_assistant
from core.mlops.dataset import load_authored, load_public

CONTROL = ["tell me more", "what about at night?", "¿y por la noche?", "summarise", "start over", "thanks", "hola"]


def corpus(seed: int) -> list[str]:
    settings = get_settings()
    texts = [r.text for r in load_authored(settings)] + [r.text for r in load_public(settings, "holdout")]
    random.Random(seed).shuffle(texts)
    return texts


def timed(function, times: list[float]):
    """`function`, appending the seconds of every call to `times`."""
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            times.append(time.perf_counter() - started)
    return wrapper


def run(turns: int, seed: int, turns_per_session: int = 10) -> dict:
    assistant = build_assistant(require_models=True)
    embed_times: list[float] = []
    encoder_times: list[float] = []

    # The sentence embedding (one pass per message) and the fine-tuned crisis encoder's top layers
    # are timed apart; together they are "the encoders".
    assistant.embedder.encode_with_hidden = timed(assistant.embedder.encode_with_hidden, embed_times)
    semantic = assistant.screen.semantic
    if semantic is not None and semantic.encoder is not None:
        semantic.encoder.probabilities = timed(semantic.encoder.probabilities, encoder_times)
    rng = random.Random(seed)
    texts = corpus(seed)
    for warm in texts[:50]:
        assistant.reply("warmup", warm)
    embed_times.clear()
    encoder_times.clear()
    totals, embeds, encoders = [], [], []
    for i in range(turns):
        text = rng.choice(CONTROL) if rng.random() < 0.2 else texts[i % len(texts)]
        before, before_encoder = len(embed_times), len(encoder_times)
        started = time.perf_counter()
        assistant.reply(f"bench-{i // turns_per_session}", text)
        totals.append(time.perf_counter() - started)
        embeds.append(sum(embed_times[before:]))
        encoders.append(sum(encoder_times[before_encoder:]))
    total_ms, embed_ms, encoder_ms = np.array(totals) * 1000, np.array(embeds) * 1000, np.array(encoders) * 1000
    rest_ms = total_ms - embed_ms - encoder_ms

    def pct(a: np.ndarray) -> dict:
        return {f"p{q}": round(float(np.percentile(a, q)), 3) for q in (50, 95, 99)} | {"mean": round(float(a.mean()), 3)}

    return {
        "turns": turns,
        "seed": seed,
        "latency_ms": pct(total_ms),
        "embedding_ms": pct(embed_ms),
        "crisis_encoder_ms": pct(encoder_ms),
        "everything_but_encoders_ms": pct(rest_ms),
        # The "everything but the embedding": the crisis encoder's top layers count here.
        "everything_but_embedding_ms": pct(total_ms - embed_ms),
        "embedding_share_of_total_time": round(float(embed_ms.sum() / total_ms.sum()), 3),
        "crisis_encoder_share_of_total_time": round(float(encoder_ms.sum() / total_ms.sum()), 3),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "targets": {"p95_ms": 15, "everything_but_encoders_p95_ms": 2, "everything_but_embedding_p95_ms": 2,
                    "peak_memory_mb": 1024},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "reply.json"))
    args = parser.parse_args()
    result = run(args.turns, args.seed)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
