"""Serving the champion: a running Assistant follows the registry's champion without a restart, and
a version that does not load or fails the smoke prediction is never served (the last good model keeps
answering and the health says why). Against a real MLflow store in tmp_path and the trained models."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np

from core.config import Settings
from core.dialogue.champions import ChampionWatcher, SwapOutcome
from core.dialogue.factory import build_assistant
from core.nlu.model_files import load_model, save_model
from core.store import registry

TOPIC = "how do i help my mom in the bath"
CRISIS_LINES = ("i want to kill myself", "quiero matarme, ya no puedo más")


def _copy_model(source: Path, target: Path, kind: str) -> None:
    manifest = source / f"{kind}.json"
    shutil.copy2(source / json.loads(manifest.read_text())["file"], target)
    shutil.copy2(manifest, target)


def _embedding_manifest(models: Path) -> Path:
    return next(models.glob("all-MiniLM-L6-v2-*.json"))


def _settings(trained: Settings, tmp_path: Path, *, local: tuple[str, ...], check_seconds: int = 3600) -> Settings:
    """Models dir with the embedding export and the `local` model kinds; a registry of this test's own."""
    models = tmp_path / "models"
    models.mkdir()
    embedding = _embedding_manifest(trained.models_dir)
    shutil.copy2(embedding, models)
    shutil.copy2(trained.models_dir / json.loads(embedding.read_text())["file"], models)
    for kind in local:
        _copy_model(trained.models_dir, models, kind)
    return Settings(data_dir=tmp_path / "data", models_dir=models, scenarios_dir=trained.scenarios_dir,
                    reports_dir=tmp_path / "reports", mlflow_uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
                    champion_check_seconds=check_seconds)


def _register(kind: str, manifest: Path, settings: Settings, *, champion: bool = True) -> registry.VersionRecord:
    embedding = _embedding_manifest(settings.models_dir) if kind == "crisis" else None
    record = registry.register_version(kind, manifest, embedding=embedding, settings=settings)
    if champion:
        registry.set_alias(kind, registry.CHAMPION, record.version, settings)
    return record


def _chat(assistant, text: str):
    return assistant.reply(f"s-{time.monotonic_ns()}", text)


def _answers_topics(assistant) -> bool:
    return _chat(assistant, TOPIC).kind in ("answer", "clarify")


def _stored_artifact(settings: Settings, record: registry.VersionRecord) -> Path:
    return next((settings.data_dir / "mlruns").rglob(f"{record.run_id}/artifacts/model/{record.file}"))


def test_the_factory_serves_the_registry_champion_over_the_local_files(trained, tmp_path):
    settings = _settings(trained, tmp_path, local=("intent", "crisis"))
    _register("intent", trained.models_dir / "intent.json", settings)
    assistant = build_assistant(settings)
    assert assistant.health["intent"].version == "1" and assistant.health["intent"].ok
    assert assistant.health["crisis"].version.startswith("local-"), "no crisis champion: the local files serve"
    assert _answers_topics(assistant)


def test_a_running_assistant_picks_up_a_new_champion_without_a_restart(trained, tmp_path):
    settings = _settings(trained, tmp_path, local=("crisis",), check_seconds=1)
    assistant = build_assistant(settings)
    assert assistant.intent_model is None and assistant.health["intent"].state == "failed"
    assert _chat(assistant, TOPIC).kind == "unavailable"
    _register("intent", trained.models_dir / "intent.json", settings)
    time.sleep(1.1)  # the check interval passes; the next reply starts the check on another thread
    _chat(assistant, "hello")
    assistant.watcher.wait(timeout=300)
    assert assistant.health["intent"].ok and assistant.health["intent"].version == "1"
    assert _answers_topics(assistant), "the same assistant object now answers topics"


def test_a_corrupt_champion_artifact_is_not_served_and_the_previous_model_keeps_answering(trained, tmp_path):
    settings = _settings(trained, tmp_path, local=("crisis",))
    _register("intent", trained.models_dir / "intent.json", settings)
    assistant = build_assistant(settings)
    serving = assistant.intent_model
    second = _register("intent", trained.models_dir / "intent.json", settings, champion=False)
    stored = _stored_artifact(settings, second)
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    registry.set_alias("intent", registry.CHAMPION, second.version, settings)

    outcomes = assistant.watcher.check()
    assert [(o.kind, o.version, o.swapped) for o in outcomes] == [("intent", "2", False)]
    assert "checksum" in outcomes[0].reason
    assert assistant.intent_model is serving, "the previous model keeps answering"
    health = assistant.health["intent"]
    assert health.state == "degraded" and health.version == "1"
    assert "serving version 1" in health.detail and "version 2" in health.detail and "checksum" in health.detail
    assert _answers_topics(assistant)
    assert assistant.watcher.check() == [], "a refused version is not loaded again at every check"


def _permuted_intent(trained: Settings, tmp_path: Path) -> Path:
    """A real intent bundle whose class labels were shifted by one: it loads, and answers wrongly
    (what a bundle from another version of the code or the wrong file under the right name does)."""
    bundle = load_model("intent", trained)
    bundle["classifier"].classes_ = np.roll(bundle["classifier"].classes_, 1)
    manifest = tmp_path / "wrong" / "intent.json"
    save_model(bundle, manifest)
    return manifest


def test_an_intent_champion_that_fails_the_smoke_prediction_is_not_served(trained, tmp_path):
    settings = _settings(trained, tmp_path, local=("intent", "crisis"))
    assistant = build_assistant(settings)
    serving = assistant.intent_model
    _register("intent", _permuted_intent(trained, tmp_path), settings)
    [outcome] = assistant.watcher.check()
    assert outcome == SwapOutcome("intent", "1", False, outcome.reason)
    assert "failed the smoke prediction" in outcome.reason and "expected" in outcome.reason
    assert assistant.intent_model is serving
    assert "version 1 failed the smoke prediction" in assistant.health["intent"].detail
    assert _answers_topics(assistant)


def test_a_crisis_champion_that_never_fires_is_not_served(trained, tmp_path):
    """The explicit detectors would still catch the smoke lines; the classifier itself must too."""
    settings = _settings(trained, tmp_path, local=("intent", "crisis"))
    assistant = build_assistant(settings)
    serving = assistant.screen
    bundle = load_model("crisis", trained)
    bundle["threshold"] = 1.01
    manifest = tmp_path / "silent" / "crisis.json"
    save_model(bundle, manifest)
    _register("crisis", manifest, settings)
    [outcome] = assistant.watcher.check()
    assert not outcome.swapped and "missed by the crisis classifier itself" in outcome.reason
    assert assistant.screen is serving and assistant.health["crisis"].state == "degraded"
    assert _chat(assistant, CRISIS_LINES[0]).crisis


def test_a_crisis_champion_swaps_in_and_a_rollback_swaps_back(trained, tmp_path):
    settings = _settings(trained, tmp_path, local=("intent",))
    first = _register("crisis", trained.models_dir / "crisis.json", settings)
    assistant = build_assistant(settings)
    assert assistant.health["crisis"].version == "1"
    second = _register("crisis", trained.models_dir / "crisis.json", settings)
    assert [o.swapped for o in assistant.watcher.check()] == [True]
    assert assistant.health["crisis"].version == str(second.version)
    registry.set_alias("crisis", registry.CHAMPION, first.version, settings)
    assert [(o.version, o.swapped) for o in assistant.watcher.check()] == [("1", True)]
    assert all(_chat(assistant, line).crisis for line in CRISIS_LINES)


def test_with_no_champion_and_no_model_files_the_detectors_answer_and_topics_are_honest(trained, tmp_path):
    settings = _settings(trained, tmp_path, local=())
    assistant = build_assistant(settings)
    assert assistant.health["intent"].state == "failed" and assistant.health["crisis"].state == "failed"
    for line in CRISIS_LINES:
        reply = _chat(assistant, line)
        assert reply.crisis and "988" in reply.text
    assert _chat(assistant, TOPIC).kind == "unavailable"
    outcomes = assistant.watcher.check()
    assert {o.kind for o in outcomes} == {"intent", "crisis"} and not any(o.swapped for o in outcomes)
    assert not (tmp_path / "mlflow.db").exists(), "asking for a champion never creates an empty registry"
    _copy_model(trained.models_dir, settings.models_dir, "intent")  # a first training publishes local files
    assert [(o.kind, o.swapped) for o in assistant.watcher.check()] == [("intent", True)]
    assert _answers_topics(assistant)


def test_a_watcher_checks_at_most_once_per_interval(trained, tmp_path):
    settings = _settings(trained, tmp_path, local=(), check_seconds=3600)
    assistant = build_assistant(settings)
    assert isinstance(assistant.watcher, ChampionWatcher)
    _copy_model(trained.models_dir, settings.models_dir, "intent")  # would be swapped in by any check
    for _ in range(20):
        _chat(assistant, "hello")
    assistant.watcher.wait(timeout=60)
    assert assistant.intent_model is None and assistant.watcher.checks == 0, "within the interval nothing was asked"


def test_zero_seconds_turns_the_watcher_off(trained, tmp_path):
    settings = _settings(trained, tmp_path, local=(), check_seconds=0)
    assert build_assistant(settings).watcher is None
