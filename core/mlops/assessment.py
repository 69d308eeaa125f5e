"""Assessing registry versions: evaluate them as served, check every gate of their model, and log the
evidence in their runs (evaluation, decisions, safety card) with the gate results as version tags.

The intent model and the crisis screen decide a reply together (the screen first; the intent
model's own crisis class can add a crisis), so the two versions of one training are evaluated
together, from the registry's own verified copies, through the same prediction path as `predict`.
Each version is then held to the bars of its own model and compared with its own champion."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping

import numpy as np

from core.config import Settings
from core.errors import InvalidInput, ModelUnavailable
from core.mlops import comparison, safety_card
from core.mlops.dataset import SEED, load_authored, load_public
from core.mlops.evaluation import evaluate_predictions, intent_confusion, load_evaluation_sets
from core.mlops.gates import BarResult, bars_file, check_model, gate_tags, load_bars
from core.mlops.prediction import Predictor
from core.mlops.redteam import redteam_file, run_redteam
from core.nlu.model_files import MODEL_KINDS, load_model, load_model_file
from core.store import registry
from core.store.registry import VersionRecord

STANDARD_TURNS = 200  # messages timed one at a time for the latency gate
WARM_UP = 10
NO_CHAMPION = "no champion to compare with"


def standard_turns(settings: Settings, n: int = STANDARD_TURNS) -> list[str]:
    """The benchmark's corpus (authored rows and held-out real questions, shuffled with the project
    seed), first n: short and long questions in both languages, crisis messages among them."""
    texts = [r.text for r in load_authored(settings)] + [r.text for r in load_public(settings, "holdout")]
    random.Random(SEED).shuffle(texts)
    return texts[:n]


def measure_latency(predictor: Predictor, texts: list[str]) -> dict:
    """p50/p95 of one message at a time (embedding, screen, intent), after a short warm-up."""
    for text in texts[:WARM_UP]:
        list(predictor.predict([text]))
    times = []
    for text in texts:
        started = time.perf_counter()
        list(predictor.predict([text]))
        times.append((time.perf_counter() - started) * 1000)
    return {"n": len(times), "p50_ms": round(float(np.percentile(times, 50)), 3),
            "p95_ms": round(float(np.percentile(times, 95)), 3)} if times else {"n": 0}


def evaluate_bundles(settings: Settings, bundles: Mapping[str, dict | None], say: Callable[[str], None] = print) -> dict:
    """Every report the gates read (evaluation sets, red team, latency) and the per-message decisions."""
    predictor = Predictor(settings, models=bundles)
    sets = load_evaluation_sets(settings)
    predictions = {}
    for name, rows in sets.items():
        say(f"assessing: {name} ({len(rows)} messages) ...")
        predictions[name] = list(predictor.predict(row["text"] for row in rows))
    reports = {name: evaluate_predictions(rows, predictions[name]) for name, rows in sets.items()}
    reports["golden"]["intent_confusion"] = intent_confusion(sets["golden"], predictions["golden"])
    say("assessing: red team and latency ...")
    reports["redteam"] = run_redteam(predictor, redteam_file(settings))
    reports["latency"] = measure_latency(predictor, standard_turns(settings))
    decisions = comparison.decisions_of(sets, predictions)
    decisions["redteam"] = {comparison.text_key(i["text"]): {
        "text": i["text"][:comparison.TEXT_SHOWN], "truth": i["expected"], "risk": i["said_risk"],
        "crisis_type": i["said_crisis_type"], "intent": ""} for i in reports["redteam"]["items"]}
    return {"reports": reports, "decisions": decisions, "golden": (sets["golden"], predictions["golden"])}


def served_bundle(kind: str, settings: Settings) -> dict | None:
    """What serves `kind` now (the champion, or the local model files; core/nlu/model_files.load_model),
    or None when nothing can: the detectors answer alone, no topic is ranked."""
    try:
        return load_model(kind, settings)
    except ModelUnavailable:
        return None


def _champion_evidence(kind: str, candidate: int, settings: Settings) -> tuple[dict | None, dict | None, str | None]:
    """The champion's evaluation and decisions, or why there is nothing to compare with."""
    current = registry.champion(kind, settings)
    if current is None or current.version == candidate:
        return None, None, NO_CHAMPION
    read = {}
    for name in ("evaluation.json", "decisions.json"):
        path = registry.read_artifact(kind, current.version, name, settings)
        read[name] = json.loads(path.read_text(encoding="utf-8")) if path else None
    return read["evaluation.json"], read["decisions.json"], None


def assess_versions(settings: Settings, versions: Mapping[str, VersionRecord],
                    say: Callable[[str], None] = print) -> dict[str, list[BarResult]]:
    """Evaluate the versions of one training together and tag each with its gates; returns the
    results per kind. A missing champion waives only the comparison gates; a champion without a
    stored evaluation fails them (not measured)."""
    gates = bars_file(settings)
    bars = load_bars(gates)  # a broken gates file is refused before anything is evaluated
    unguarded = [kind for kind in versions if not any(bar.model == kind for bar in bars)]
    if unguarded:  # no bar would mean every gate passed: a version must be held to something
        raise InvalidInput(f"{gates}: no bar for the {', '.join(unguarded)} model; a version cannot be assessed")
    applied = {"gates.file": gates.name, "gates.sha256": registry.file_sha256(gates)}  # which bars, on every version
    bundles = {kind: load_model_file(registry.fetch(kind, record.version, settings))
               for kind, record in versions.items()}
    for kind in MODEL_KINDS:  # a kind not retrained is assessed beside the new one as it is served
        if kind not in bundles:
            bundles[kind] = served_bundle(kind, settings)
    evidence = evaluate_bundles(settings, bundles, say)
    reports, decisions = evidence["reports"], evidence["decisions"]
    results: dict[str, list[BarResult]] = {}
    for kind, record in versions.items():
        baseline, baseline_decisions, waived = _champion_evidence(kind, record.version, settings)
        compared = comparison.recall_drops(reports, baseline) if baseline else {}
        results[kind] = check_model(kind, {**reports, "comparison": compared}, bars,
                                    waived={"comparison": waived} if waived else None)
        card = safety_card.build_card(
            {"name": record.name, "version": str(record.version), "run_id": record.run_id, "sha256": record.sha256,
             "data_fingerprint": record.tags.get("data.sha256", ""), "git_commit": record.tags.get("git.commit", "")},
            reports, results[kind], evidence["golden"], comparison.changed_decisions(decisions, baseline_decisions))
        registry.log_json(kind, record.version, "evaluation.json", {**reports, "comparison": compared}, settings)
        registry.log_json(kind, record.version, "decisions.json", decisions, settings)
        registry.log_json(kind, record.version, "safety_card.json", card, settings)
        registry.log_text(kind, record.version, "safety_card.html", safety_card.render_html(card), settings)
        registry.set_tags(kind, record.version,
                          gate_tags(results[kind]) | applied | {"card.sha256": safety_card.card_sha256(card)}, settings)
        failed = [r for r in results[kind] if not r.passed]
        say(f"{record.name} version {record.version}: "
            + ("every gate passed" if not failed else f"{len(failed)} gate(s) failed: "
               + "; ".join(f"{r.bar.key} {r.shown} (bar {r.bar.describe()})" for r in failed)))
    return results
