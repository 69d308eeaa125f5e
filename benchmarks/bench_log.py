"""Benchmark: what the interaction log costs a turn (issue 18: at most 1 ms on the turn's p95).
Same run, same assistant, with and without it.

The turns of bench_reply.py (fixed seed) are answered in blocks, and every block is answered three
times, once under each condition (the same messages in the same order, on conversations of each
condition's own; which condition goes first rotates), so that the three see the same messages and
the machine's drift over the run falls on all three alike:

  off         no hook (Assistant.hooks empty)
  counters    the log attached, no conversation consented: every turn adds to the anonymous counters
  consented   the log attached and every conversation consented: every turn is also redacted,
              encrypted and written, on the writer thread, while the next turns are answered

Between blocks the writer is flushed (untimed), so each block starts with an empty queue and its own
writes fall on its own turns. The database is a SQLite file in a temporary directory. Writes
benchmarks/results/log.json: p50/p95/p99 per condition, the p95 differences from `off`, the noise
(the spread of p95 between the `off` blocks), and how many turns were written. Exits 1 when a
difference is over the bar (--bar-ms, default 1.0).

    python benchmarks/bench_log.py [--turns 2000] [--out benchmarks/results/log.json]
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
from bench_hot_swap import percentiles
from bench_reply import CONTROL, corpus

from core.config import Settings, get_settings
from core.dialogue.factory import build_assistant
from core.dialogue.interaction_log import InteractionLog
from core.store import interactions

CONDITIONS = ("off", "counters", "consented")


def run(turns: int, seed: int, block: int) -> dict:
    base = get_settings()
    with tempfile.TemporaryDirectory(prefix="careops-log-bench-") as tmp:
        settings = Settings(data_dir=Path(tmp), models_dir=base.models_dir, scenarios_dir=base.scenarios_dir,
                            reports_dir=Path(tmp) / "reports", champion_check_seconds=0, log_turns=False)
        assistant = build_assistant(settings, require_models=True)
        log = InteractionLog(settings)
        rng = random.Random(seed)
        texts = corpus(seed)
        for warm in texts[:50]:
            assistant.reply("warmup", warm)
        assistant.hooks = [log.hook]  # the writer process starts (imports, database) before any timed turn
        assistant.reply("warmup", texts[0])
        log.flush(timeout=120)
        times: dict[str, list[float]] = {c: [] for c in CONDITIONS}
        off_blocks: list[float] = []
        for start in range(0, turns, block):
            chosen = [rng.choice(CONTROL) if rng.random() < 0.2 else texts[i % len(texts)]
                      for i in range(start, min(turns, start + block))]
            shift = (start // block) % len(CONDITIONS)
            for condition in CONDITIONS[shift:] + CONDITIONS[:shift]:  # each goes first in turn
                assistant.hooks = [] if condition == "off" else [log.hook]
                for n, text in enumerate(chosen):
                    session = f"bench-{condition}-{(start + n) // 10}"
                    if condition == "consented" and (start + n) % 10 == 0:
                        log.record_consent(session, True, "en")  # untimed: the person's click, not a turn
                    started = time.perf_counter()
                    assistant.reply(session, text)
                    times[condition].append(time.perf_counter() - started)
                log.flush(timeout=120)  # untimed: nothing of this block's writes reaches the next block
                if condition == "off":
                    off_blocks.append(float(np.percentile(times["off"][-len(chosen):], 95)) * 1000)
        result = {c: percentiles(v) for c, v in times.items() if v}
        written = len(interactions.list_turns(limit=10 * turns, settings=settings))
        counted = sum(c.turns for c in interactions.usage_counts(settings))
        return {
            "turns": turns, "seed": seed, "block": block,
            "latency_ms": result,
            "p95_difference_from_off_ms": {c: round(result[c]["p95"] - result["off"]["p95"], 3)
                                           for c in CONDITIONS[1:] if c in result},
            "noise_p95_spread_between_off_blocks_ms": round(max(off_blocks) - min(off_blocks), 3) if off_blocks else None,
            "turns_written": written, "turns_counted": counted, "dropped": log.dropped,
            "failed_batches": log.failed_batches,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=2000, help="messages, each answered under every condition")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--block", type=int, default=200)
    parser.add_argument("--bar-ms", type=float, default=1.0, help="the largest p95 difference from `off` allowed")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "log.json"))
    args = parser.parse_args()
    result = run(args.turns, args.seed, args.block)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    over = {c: d for c, d in result["p95_difference_from_off_ms"].items() if d > args.bar_ms}
    if over:
        print(f"over the bar of {args.bar_ms} ms: {over}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
