"""After a training, `register_trained` registers both models in a real MLflow store (tmp_path) with
their params, metrics, tags and artifacts, assesses them against every gate of their model, and
makes them the challenger, never the champion. A second registration is compared with the champion."""

from __future__ import annotations

import json

import pytest
from conftest import copy_project_data

from core.mlops.gates import load_bars
from core.mlops.lifecycle import data_fingerprint, register_trained
from core.nlu.embeddings import export_manifest, get_embedder
from core.store import registry


@pytest.fixture(scope="module")
def registered(trained, tmp_path_factory):
    settings = copy_project_data(tmp_path_factory.mktemp("lifecycle")).model_copy(
        update={"models_dir": trained.models_dir})
    metadata = json.loads((trained.models_dir / "metadata.json").read_text())
    said: list[str] = []
    versions = register_trained(settings, metadata, say=said.append)
    return settings, versions, said, metadata


def _artifact(settings, kind, version, name):
    path = registry.read_artifact(kind, version, name, settings)
    assert path is not None, f"{name} missing from care-{kind} version {version}"
    return path.read_text(encoding="utf-8")


def test_both_models_are_registered_as_challenger_never_champion(registered):
    settings, versions, said, _ = registered
    for kind, record in versions.items():
        assert record.version == 1 and record.aliases == ("challenger",) and record.status == "candidate"
        assert registry.champion(kind, settings) is None
        assert f"registered care-{kind} version 1" in said
    assert any(line.startswith("care-crisis version 1: ") for line in said)


def test_runs_hold_params_metrics_fingerprint_commit_and_the_model_files(registered):
    settings, versions, _, metadata = registered
    intent = registry.run_record("intent", versions["intent"].version, settings)
    assert intent.params["hp.svm_C"] == str(metadata["intent_hyperparameters"]["svm_C"])
    assert intent.metrics["cv_accuracy"] == pytest.approx(metadata["intent_cv"]["accuracy"])
    assert intent.metrics["training_seconds"] == pytest.approx(metadata["seconds"])
    crisis = registry.run_record("crisis", versions["crisis"].version, settings)
    assert float(crisis.params["threshold"]) == pytest.approx(metadata["crisis_classifier"]["threshold"])
    assert crisis.metrics["cv.oof_screen_recall"] == pytest.approx(metadata["crisis_classifier"]["oof_screen_recall"])
    fingerprint = data_fingerprint(settings)
    for kind, record in versions.items():
        assert record.tags["data.sha256"] == fingerprint["sha256"] and record.tags["git.commit"]
        stored = json.loads(_artifact(settings, kind, record.version, "data_fingerprint.json"))
        assert stored["files"]["golden/crisis.csv"]["rows"] == 203 and "redteam/redteam.csv" in stored["files"]
        assert registry.fetch(kind, record.version, settings).exists()  # the model files, checksums verified
    embedding = export_manifest(get_embedder(settings.models_dir).model_dir, settings.models_dir)
    assert versions["crisis"].tags["embedding.manifest"] == embedding.name
    assert "embedding.manifest" not in versions["intent"].tags


def test_every_gate_of_its_model_is_tagged_with_value_and_bar(registered):
    _, versions, _, _ = registered
    for kind, record in versions.items():
        names = {b.key for b in load_bars() if b.model == kind}
        tagged = {k.removeprefix("gate.") for k in record.tags if k.startswith("gate.") and k.count(".") == 1}
        assert tagged == names
        for name in names:
            assert record.tags[f"gate.{name}"] in ("passed", "failed")
            assert record.tags[f"gate.{name}.bar"].startswith((">=", "<="))
        assert record.tags[f"gate.{kind}_recall_drop.value"] == "n/a (no champion to compare with)"
        assert record.tags["gates"] == ("passed" if all(record.tags[f"gate.{n}"] == "passed" for n in names) else "failed")


def test_the_run_holds_the_evaluation_and_the_safety_card(registered):
    settings, versions, _, _ = registered
    record = versions["crisis"]
    evaluation = json.loads(_artifact(settings, "crisis", record.version, "evaluation.json"))
    assert {"golden", "public_holdout", "real_validation", "redteam", "latency"} <= set(evaluation)
    assert len(evaluation["redteam"]["items"]) >= 80 and evaluation["latency"]["n"] > 0
    card_text = _artifact(settings, "crisis", record.version, "safety_card.json")
    card = json.loads(card_text)
    assert set(card["crisis_recall"]["by_type"]) >= {"suicide", "medical_emergency"}
    assert card["changes"]["baseline"] is None
    from core.mlops.safety_card import card_sha256

    assert record.tags["card.sha256"] == card_sha256(card)
    page = _artifact(settings, "crisis", record.version, "safety_card.html")
    assert page.startswith("<!doctype html>") and "Red team" in page and "rt-001" in page


def test_a_second_registration_is_compared_with_the_champion(registered):
    settings, versions, _, metadata = registered
    for kind, record in versions.items():
        registry.set_alias(kind, "champion", record.version, settings)
    again = register_trained(settings, metadata, say=lambda _: None)
    for kind, record in again.items():
        assert record.version == 2 and registry.champion(kind, settings).version == 1
        # the same model files: no class lost recall, and no message changed its decision
        assert record.tags[f"gate.{kind}_recall_drop.value"] == "0.0000"
        card = json.loads(_artifact(settings, kind, record.version, "safety_card.json"))
        assert card["changes"]["baseline"] == "champion"
        assert card["changes"]["counts"] == {"crisis_lost": 0, "crisis_gained": 0, "risk_changed": 0, "intent_changed": 0}
