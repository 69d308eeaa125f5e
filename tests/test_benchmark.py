"""The benchmark runs end to end on the trained models and writes the figures the README quotes."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import settings_env

from core.config import PROJECT_ROOT


def test_benchmark_writes_latency_parts_and_memory(trained, tmp_path):
    out = tmp_path / "reply.json"
    result = subprocess.run(
        [sys.executable, "benchmarks/bench_reply.py", "--turns", "300", "--out", str(out)],
        cwd=PROJECT_ROOT, env=settings_env(trained), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text())
    assert figures["turns"] == 300
    parts = ("latency_ms", "embedding_ms", "crisis_encoder_ms", "everything_but_encoders_ms",
             "everything_but_embedding_ms")
    for part in parts:
        p = figures[part]
        assert 0 <= p["p50"] <= p["p95"] <= p["p99"], part
    # Every turn reads one embedding pass and, with the trained crisis model, its encoder.
    assert figures["embedding_ms"]["p50"] > 0 and figures["crisis_encoder_ms"]["p50"] > 0
    assert figures["everything_but_encoders_ms"]["mean"] < figures["everything_but_embedding_ms"]["mean"]
    assert figures["everything_but_embedding_ms"]["mean"] < figures["latency_ms"]["mean"]
    assert 0 < figures["peak_memory_mb"] < 4096


def test_hot_swap_benchmark_measures_the_watcher_with_and_without_in_one_run(trained, tmp_path):
    out = tmp_path / "hot_swap.json"
    result = subprocess.run(
        [sys.executable, "benchmarks/bench_hot_swap.py", "--turns", "600", "--block", "100", "--check-seconds", "0.2",
         "--out", str(out)],
        cwd=PROJECT_ROOT, env=settings_env(trained), capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text())
    latency = figures["latency_ms"]
    assert set(latency) == {"off", "checking", "swapping"} and sum(c["n"] for c in latency.values()) == 600
    assert set(figures["p95_difference_from_off_ms"]) == {"checking", "swapping"}
    assert figures["checks"] > 0 and figures["swaps"] >= 2, "the watcher checked and swapped both models"
    assert figures["refused"] == {}, "every version it swapped in passed the smoke prediction"


def test_log_benchmark_measures_the_hook_with_and_without_in_one_run(trained, tmp_path):
    out = tmp_path / "log.json"
    result = subprocess.run(
        [sys.executable, "benchmarks/bench_log.py", "--turns", "200", "--block", "100", "--bar-ms", "1000",
         "--out", str(out)],
        cwd=PROJECT_ROOT, env=settings_env(trained), capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text())
    latency = figures["latency_ms"]
    assert {c: latency[c]["n"] for c in latency} == {"off": 200, "counters": 200, "consented": 200}, \
        "every message answered once under each condition"
    assert set(figures["p95_difference_from_off_ms"]) == {"counters", "consented"}
    assert figures["turns_written"] == latency["consented"]["n"], "every consented turn was written, no other"
    assert figures["turns_counted"] == latency["counters"]["n"] + latency["consented"]["n"] + 1  # and the warm-up turn
    assert figures["dropped"] == 0 and figures["failed_batches"] == 0
