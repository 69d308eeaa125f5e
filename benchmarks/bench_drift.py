"""Benchmark: how long `python -m core simulate` and one `python -m core drift` take here (issue 18).

On a private copy of the data in a temporary folder: simulate --days D --per-day N with the new-topic
shift (every turn answered by the real assistant, rows written in batches), then one drift report of
the first days against the last 7 (a past window as reference, so the timing is the log's own) and,
with --champion, one against the champion's training data (the first run predicts and embeds the
training rows and caches them; the second run reads the cache). With --models DIR the trained model
files are used (as in production); without, the assistant answers from its detectors.

Writes benchmarks/results/drift.json.

    python benchmarks/bench_drift.py [--days 10] [--per-day 500] [--models /path/to/models] [--champion]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.config import PROJECT_ROOT, Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--models", help="a folder of trained model files to serve")
    parser.add_argument("--champion", action="store_true", help="also time the champion-reference run (twice)")
    parser.add_argument("--out", default=str(PROJECT_ROOT / "benchmarks" / "results" / "drift.json"))
    args = parser.parse_args()
    from core.mlops.drift import run_drift
    from core.mlops.simulate import simulate

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for part in ("training", "simulate"):
            shutil.copytree(PROJECT_ROOT / "data" / part, root / "data" / part)
        shutil.copytree(PROJECT_ROOT / "scenarios", root / "scenarios")
        if args.models:
            shutil.copytree(args.models, root / "data" / "models")
        settings = Settings(data_dir=root / "data", scenarios_dir=root / "scenarios", reports_dir=root / "reports",
                            database_url=None, champion_check_seconds=0)
        result = simulate(days=args.days, per_day=args.per_day, shift="new-topic", settings=settings)
        now = datetime.now(UTC)
        first = f"{now - timedelta(days=args.days):%Y-%m-%d}:{now - timedelta(days=8):%Y-%m-%d}"
        started = time.perf_counter()
        run = run_drift(reference=first, settings=settings)
        timings = {"simulate_seconds": result.seconds, "turns": result.turns,
                   "ms_per_turn": round(1000 * result.seconds / max(result.turns, 1), 2),
                   "reply_ms_mean": result.reply_ms_mean,
                   "drift_window_seconds": round(time.perf_counter() - started, 1),
                   "drift_rows": {"reference": run.reference_rows, "current": run.current_rows},
                   "drift_alert": run.alert, "drifted": sorted(n for n, s in run.scores.items() if s["drifted"])}
        if args.champion:
            for key in ("drift_champion_first_seconds", "drift_champion_cached_seconds"):
                started = time.perf_counter()
                run_drift(settings=settings)
                timings[key] = round(time.perf_counter() - started, 1)
    out = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
           "cpus": os.cpu_count(), "models": bool(args.models), "days": args.days, "per_day": args.per_day, **timings}
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
