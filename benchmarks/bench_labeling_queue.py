"""Benchmark: how long a reviewer waits for a labeling batch (issue 18).

A temporary SQLite database gets --turns logged turns (redacted and encrypted as the interaction log
writes them; risk, intent, confidence and feedback drawn with a fixed seed), then the queue is built
--repeat times for one reviewer: every build decrypts every open turn (the audited read), scores its
reasons against the training vocabulary (cached after the first build) and ranks the shortlist of the
batch. Writes benchmarks/results/labeling_queue.json: the vocabulary's first build and the queue's
median and worst build.

    python benchmarks/bench_labeling_queue.py [--turns 5000] [--repeat 5] [--out benchmarks/results/labeling_queue.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.auth.users import create_user
from core.config import PROJECT_ROOT, Settings
from core.mlops import labeling
from core.mlops.vocabulary import training_vocabulary
from core.privacy.crypto import encrypt
from core.privacy.redaction import redact
from core.store import interactions
from core.store.tables import Interaction
from core.taxonomy import CRISIS_TYPES, TOPIC_INTENTS

TEXTS = ("my mom keeps forgetting her insulin and her sugar was 300", "how do I help dad bathe safely",
         "i am so tired of all this, nobody helps me", "does medicare pay for hearing aids",
         "mi papá no quiere comer nada desde la operación", "i don't want to be here anymore")


def fill(settings: Settings, turns: int, rng: random.Random) -> None:
    rows = []
    for i in range(turns):
        risk = rng.choices(("none", "distress", "crisis"), weights=(85, 12, 3))[0]
        rows.append(Interaction(
            at=datetime.now(UTC), conversation=f"c-{i:032x}", turn_id=f"bench-{i}",
            text_encrypted=encrypt(redact(rng.choice(TEXTS)), settings), words=8, language="en",
            intent="crisis" if risk == "crisis" else rng.choice(TOPIC_INTENTS), confidence=rng.random(), risk=risk,
            crisis_type=rng.choice(CRISIS_TYPES) if risk == "crisis" else None, kind="answer", latency_ms=5.0,
            feedback=rng.choice((None, None, None, 1, -1)), consent_version="bench"))
    interactions.write_turns(rows, Counter(), settings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "benchmarks" / "results" / "labeling_queue.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", scenarios_dir=PROJECT_ROOT / "scenarios")
        shutil.copytree(PROJECT_ROOT / "data" / "training", settings.data_dir / "training")  # the shipped vocabulary
        create_user("bench-reviewer", "a-long-benchmark-password", "reviewer", actor="benchmark", settings=settings)
        fill(settings, args.turns, random.Random(18))
        started = time.perf_counter()
        training_vocabulary(settings)
        vocabulary_s = time.perf_counter() - started
        builds = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            batch = labeling.queue("bench-reviewer", limit=25, settings=settings)
            builds.append(time.perf_counter() - started)
    result = {"turns": args.turns, "repeat": args.repeat, "batch": len(batch),
              "vocabulary_first_build_s": round(vocabulary_s, 3),
              "queue_build_median_s": round(statistics.median(builds), 3), "queue_build_max_s": round(max(builds), 3),
              "machine": platform.machine(), "python": platform.python_version(),
              "at": datetime.now(UTC).isoformat(timespec="seconds")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
