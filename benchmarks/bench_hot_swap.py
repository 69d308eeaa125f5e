"""Benchmark: what the champion watcher costs a turn (issue 17). Same run, same assistant, with and
without it.

The turns of bench_reply.py (fixed seed) are answered in interleaved blocks under three conditions,
round robin, so that the machine's drift over the run falls on all three alike:

  off        no watcher (Assistant.watcher = None)
  checking   the watcher on, checking the registry every --check-seconds, champions unchanged:
             the cost of the version check itself
  swapping   the watcher on, and the champions of both models re-pointed between two registered
             versions every --swap-seconds: each check loads, smoke-tests and swaps in a model while
             the turns go on (far more often than approvals ever happen)

The registry is a temporary MLflow store holding two versions of each model (the served model files,
registered twice). Writes benchmarks/results/hot_swap.json: p50/p95/p99 per condition, the p95
differences from `off`, the noise (the spread of p95 between the `off` blocks), and how many checks
and swaps happened.

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
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from bench_reply import CONTROL, corpus

from core.config import Settings, get_settings
from core.dialogue.champions import ChampionWatcher
from core.dialogue.factory import build_assistant
from core.nlu.model_files import MODEL_KINDS, model_path
from core.store import registry

CONDITIONS = ("off", "checking", "swapping")


def _registry(settings: Settings) -> None:
    """Two versions of each model, champion on the first."""
    embedding = next(settings.models_dir.glob("all-MiniLM-L6-v2-*.json"))
    for kind in MODEL_KINDS:
        for _ in range(2):
            registry.register_version(kind, model_path(kind, settings), settings=settings,
                                      embedding=embedding if kind == "crisis" else None)
        registry.set_alias(kind, registry.CHAMPION, 1, settings)


class Flipper:
    """Re-points both champions between versions 1 and 2 every `seconds`, while switched on."""

    def __init__(self, settings: Settings, seconds: float) -> None:
        self.settings, self.seconds = settings, seconds
        self.on = threading.Event()
        self.stop = threading.Event()
        self.flips = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        version = 1
        while not self.stop.wait(self.seconds):
            if self.on.is_set():
                version = 3 - version
                for kind in MODEL_KINDS:
                    registry.set_alias(kind, registry.CHAMPION, version, self.settings)
                self.flips += 1


def _pct(values: list[float]) -> dict:
    a = np.array(values) * 1000
    return {f"p{q}": round(float(np.percentile(a, q)), 3) for q in (50, 95, 99)} | {"mean": round(float(a.mean()), 3),
                                                                                   "turns": len(values)}


def run(turns: int, seed: int, block: int, check_seconds: float, swap_seconds: float) -> dict:
    base = get_settings()
    with tempfile.TemporaryDirectory(prefix="careops-hot-swap-") as tmp:
        settings = Settings(data_dir=Path(tmp), models_dir=base.models_dir, scenarios_dir=base.scenarios_dir,
                            reports_dir=Path(tmp) / "reports", mlflow_uri=f"sqlite:///{tmp}/mlflow.db",
                            champion_check_seconds=0)
        _registry(settings)
        assistant = build_assistant(settings, require_models=True)
        watcher = ChampionWatcher(assistant, settings, interval_seconds=check_seconds)
        flipper = Flipper(settings, swap_seconds)
        rng = random.Random(seed)
        texts = corpus(seed)
        for warm in texts[:50]:
            assistant.reply("warmup", warm)
        times: dict[str, list[float]] = {c: [] for c in CONDITIONS}
        off_blocks: list[float] = []
        for i in range(turns):
            condition = CONDITIONS[(i // block) % len(CONDITIONS)]
            if i % block == 0:
                assistant.watcher = None if condition == "off" else watcher
                (flipper.on.set if condition == "swapping" else flipper.on.clear)()
                if condition == "off" and i:
                    watcher.wait()  # a check begun in the last block finishes before `off` is timed
            text = rng.choice(CONTROL) if rng.random() < 0.2 else texts[i % len(texts)]
            started = time.perf_counter()
            assistant.reply(f"bench-{i // 10}", text)
            times[condition].append(time.perf_counter() - started)
            if condition == "off" and (i + 1) % block == 0:
                off_blocks.append(float(np.percentile(times["off"][-block:], 95)) * 1000)
        flipper.stop.set()
        watcher.wait()
        result = {c: _pct(v) for c, v in times.items()}
        return {
            "turns": turns, "seed": seed, "block": block, "check_seconds": check_seconds, "swap_seconds": swap_seconds,
            "latency_ms": result,
            "p95_difference_from_off_ms": {c: round(result[c]["p95"] - result["off"]["p95"], 3) for c in CONDITIONS[1:]},
            "noise_p95_spread_between_off_blocks_ms": round(max(off_blocks) - min(off_blocks), 3) if off_blocks else None,
            "checks": watcher.checks, "swaps": watcher.swaps, "champion_flips": flipper.flips,
            "refused": {f"{k}:{v}": why for (k, v), why in watcher.refused.items()},
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--block", type=int, default=200)
    parser.add_argument("--check-seconds", type=float, default=1.0)
    parser.add_argument("--swap-seconds", type=float, default=5.0)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "hot_swap.json"))
    args = parser.parse_args()
    result = run(args.turns, args.seed, args.block, args.check_seconds, args.swap_seconds)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
