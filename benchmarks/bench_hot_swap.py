"""Benchmark: what the champion watcher costs a turn (issue 17). Same run, same assistant, with and
without it.

The turns of bench_reply.py (fixed seed) are answered in interleaved blocks under three conditions,
round robin, so that the machine's drift over the run falls on all three alike:

  off        no watcher (Assistant.watcher = None)
  checking   the watcher on, asking the registry every --check-seconds, champions unchanged: the
             cost of the version check itself (at 30x the default rate)
  swapping   the watcher on, and both champions re-pointed to the other registered version at the
             start of the block: the next check loads, smoke-tests and swaps in both models while
             the turns go on. The block lasts until both swaps are done, so every moment of the
             swap work falls on timed turns (a swap per block: far more often than approvals come)

The registry is a temporary MLflow store holding two versions of each model (the served model files,
registered twice). Writes benchmarks/results/hot_swap.json: p50/p95/p99 per condition, the p95
differences from `off`, the noise (the spread of p95 between the `off` blocks), the time of each
check, and how many checks and swaps happened.

    python benchmarks/bench_hot_swap.py [--turns 6000] [--out benchmarks/results/hot_swap.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from bench_reply import CONTROL, corpus, timed

from core.config import Settings, get_settings
from core.dialogue.champions import ChampionWatcher
from core.dialogue.factory import build_assistant
from core.nlu.model_files import MODEL_KINDS, model_path
from core.store import registry

CONDITIONS = ("off", "checking", "swapping")
MAX_BLOCK_STRETCH = 50  # a swapping block ends after this many blocks' worth of turns even if a swap hangs


def _registry(settings: Settings) -> None:
    """Two versions of each model, champion on the first."""
    embedding = next(settings.models_dir.glob("all-MiniLM-L6-v2-*.json"))
    for kind in MODEL_KINDS:
        for _ in range(2):
            registry.register_version(kind, model_path(kind, settings), settings=settings,
                                      embedding=embedding if kind == "crisis" else None)
        registry.set_alias(kind, registry.CHAMPION, 1, settings)


def _flip(settings: Settings) -> None:
    """Both champions to the other version."""
    for kind in MODEL_KINDS:
        current = registry.champion(kind, settings)
        registry.set_alias(kind, registry.CHAMPION, 3 - current.version, settings)


def percentiles(values: list[float]) -> dict:
    a = np.array(values) * 1000
    return {f"p{q}": round(float(np.percentile(a, q)), 3) for q in (50, 95, 99)} | {
        "mean": round(float(a.mean()), 3), "max": round(float(a.max()), 3), "n": len(values)}


def run(turns: int, seed: int, block: int, check_seconds: float) -> dict:
    base = get_settings()
    with tempfile.TemporaryDirectory(prefix="careops-hot-swap-") as tmp:
        settings = Settings(data_dir=Path(tmp), models_dir=base.models_dir, scenarios_dir=base.scenarios_dir,
                            reports_dir=Path(tmp) / "reports", mlflow_uri=f"sqlite:///{tmp}/mlflow.db",
                            champion_check_seconds=0)
        _registry(settings)
        assistant = build_assistant(settings, require_models=True)
        watcher = ChampionWatcher(assistant, settings, interval_seconds=check_seconds)
        check_times: list[float] = []
        watcher.check = timed(watcher.check, check_times)  # version checks, on the watcher's thread, with or without a swap
        rng = random.Random(seed)
        texts = corpus(seed)
        for warm in texts[:50]:
            assistant.reply("warmup", warm)
        times: dict[str, list[float]] = {c: [] for c in CONDITIONS}
        off_blocks: list[float] = []
        i = blocks = 0
        while i < turns:
            condition = CONDITIONS[blocks % len(CONDITIONS)]
            assistant.watcher = None if condition == "off" else watcher
            swapped_by = watcher.swaps + len(MODEL_KINDS)
            if condition == "swapping":
                _flip(settings)
            n = 0
            while i < turns and (n < block or (condition == "swapping" and watcher.swaps < swapped_by
                                               and not watcher.refused and n < block * MAX_BLOCK_STRETCH)):
                text = rng.choice(CONTROL) if rng.random() < 0.2 else texts[i % len(texts)]
                started = time.perf_counter()
                assistant.reply(f"bench-{i // 10}", text)
                times[condition].append(time.perf_counter() - started)
                i, n = i + 1, n + 1
            watcher.wait()  # untimed: nothing of this block's checks reaches the next block
            if condition == "off":
                off_blocks.append(float(np.percentile(times["off"][-n:], 95)) * 1000)
            blocks += 1
        result = {c: percentiles(v) for c, v in times.items() if v}
        return {
            "turns": turns, "seed": seed, "block": block, "check_seconds": check_seconds,
            "latency_ms": result,
            "p95_difference_from_off_ms": {c: round(result[c]["p95"] - result["off"]["p95"], 3)
                                           for c in CONDITIONS[1:] if c in result},
            "noise_p95_spread_between_off_blocks_ms": round(max(off_blocks) - min(off_blocks), 3) if off_blocks else None,
            "check_ms": percentiles(check_times) if check_times else None,
            "checks": watcher.checks, "swaps": watcher.swaps,
            "refused": {f"{k}:{v}": why for (k, v), why in watcher.refused.items()},
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--block", type=int, default=200)
    parser.add_argument("--check-seconds", type=float, default=1.0)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "hot_swap.json"))
    args = parser.parse_args()
    result = run(args.turns, args.seed, args.block, args.check_seconds)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
