"""The model registry (core/store/registry.py) against a real MLflow store in tmp_path: versions
carry their files, checksums and tags; aliases are the only pointers; a tampered artifact is never
handed out; nothing is deleted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import get_settings
from core.errors import InvalidInput, ModelUnavailable, NotFound
from core.nlu.model_files import load_model_file, model_path, save_model
from core.store import registry


def _tiny(kind: str, payload: list[int]) -> Path:
    """A real skops model file and manifest, written the way training writes them."""
    manifest = model_path(kind, get_settings())
    save_model({"payload": payload, "kind": kind}, manifest)
    return manifest


def test_default_store_is_sqlite_under_the_data_dir():
    settings = get_settings()
    assert registry.tracking_uri(settings) == f"sqlite:///{settings.data_dir / 'mlflow.db'}"
    assert registry.tracking_uri(settings.model_copy(update={"mlflow_uri": "http://127.0.0.1:5000"})) == \
        "http://127.0.0.1:5000"


def test_register_logs_files_checksums_params_metrics_and_tags():
    manifest = _tiny("intent", [1, 2, 3])
    record = registry.register_version("intent", manifest, params={"C": 0.5}, metrics={"cv_accuracy": 0.9, "none": None},
                                       tags={"git.commit": "abc123"})
    content = json.loads(manifest.read_text())
    assert record.version == 1 and record.name == "care-intent" and record.status == "candidate"
    assert record.sha256 == content["sha256"] and record.file == content["file"]
    assert record.tags[f"sha256.{content['file']}"] == content["sha256"]
    assert record.tags["sha256.intent.json"] == registry.file_sha256(manifest)
    run = registry.run_record("intent", 1)
    assert run.params["C"] == "0.5" and run.metrics == {"cv_accuracy": 0.9} and run.tags["git.commit"] == "abc123"
    assert record.aliases == () and registry.champion("intent") is None  # registering never serves


def test_crisis_version_records_the_embedding_export_it_pairs_with(tmp_path):
    export = tmp_path / "all-MiniLM-L6-v2-abc.json"
    export.write_text(json.dumps({"file": "x.onnx", "sha256": "f" * 64}))
    record = registry.register_version("crisis", _tiny("crisis", [4]), embedding=export)
    assert record.tags["embedding.manifest"] == export.name and record.tags["embedding.sha256"] == "f" * 64
    registry.check_pairing(record, export)
    with pytest.raises(ModelUnavailable, match="trained with the embedding export"):
        registry.check_pairing(record, tmp_path / "all-MiniLM-L6-v2-other.json")


def test_a_corrupt_model_file_is_never_registered():
    manifest = _tiny("intent", [1])
    (manifest.parent / json.loads(manifest.read_text())["file"]).write_bytes(b"tampered")
    with pytest.raises(ModelUnavailable, match="does not match its manifest"):
        registry.register_version("intent", manifest)
    assert registry.list_versions("intent") == []


def test_champion_follows_the_alias_and_fetch_gives_the_verified_model():
    first = registry.register_version("intent", _tiny("intent", [1]))
    second = registry.register_version("intent", _tiny("intent", [2]))
    registry.set_alias("intent", "champion", first.version)
    registry.set_alias("intent", "challenger", second.version)
    assert registry.champion("intent").version == 1
    assert registry.alias_version("intent", "challenger").version == 2
    assert load_model_file(registry.fetch("intent", 1))["payload"] == [1]
    assert load_model_file(registry.fetch("intent", 2))["payload"] == [2]
    registry.set_alias("intent", "champion", second.version)
    assert registry.champion("intent").version == 2 and registry.champion("crisis") is None
    listed = registry.list_versions("intent")
    assert [r.version for r in listed] == [2, 1] and set(listed[0].aliases) == {"champion", "challenger"}
    registry.clear_alias("intent", "challenger")
    assert registry.alias_version("intent", "challenger") is None


def test_a_tampered_artifact_in_the_store_is_not_served(tmp_path):
    record = registry.register_version("intent", _tiny("intent", [1]))
    stored = next((get_settings().data_dir / "mlruns").rglob(record.file))
    stored.write_bytes(b"not the model")
    with pytest.raises(ModelUnavailable, match="failed its checksum"):
        registry.fetch("intent", record.version)
    assert not (get_settings().data_dir / "registry-cache" / "intent" / "1").exists()


def test_a_tampered_cached_copy_is_downloaded_again():
    record = registry.register_version("intent", _tiny("intent", [7]))
    manifest = registry.fetch("intent", record.version)
    (manifest.parent / record.file).write_bytes(b"changed on disk")
    assert load_model_file(registry.fetch("intent", record.version))["payload"] == [7]


def test_tags_untags_and_archive_never_delete():
    record = registry.register_version("crisis", _tiny("crisis", [1]))
    registry.set_tags("crisis", record.version, {"gate.redteam": "failed"})
    assert registry.get_version("crisis", 1).tags["gate.redteam"] == "failed"
    registry.remove_tags("crisis", 1, ["gate.redteam", "not-there"])
    assert "gate.redteam" not in registry.get_version("crisis", 1).tags
    registry.set_alias("crisis", "challenger", 1)
    registry.archive("crisis", 1, by="ana")
    archived = registry.get_version("crisis", 1)
    assert archived.status == "archived" and archived.tags["archived.by"] == "ana" and archived.aliases == ()
    assert [r.version for r in registry.list_versions("crisis")] == [1]


def test_artifacts_of_a_version_run_can_be_written_and_read():
    registry.register_version("intent", _tiny("intent", [1]))
    registry.log_json("intent", 1, "evaluation.json", {"golden": {"accuracy": 0.97}})
    registry.log_text("intent", 1, "card.html", "<p>ok</p>")
    assert json.loads(registry.read_artifact("intent", 1, "evaluation.json").read_text())["golden"]["accuracy"] == 0.97
    assert registry.read_artifact("intent", 1, "card.html").read_text() == "<p>ok</p>"
    assert registry.read_artifact("intent", 1, "absent.json") is None


def test_bad_names_are_clear_errors():
    with pytest.raises(InvalidInput, match="unknown model kind"):
        registry.champion("sentiment")
    with pytest.raises(NotFound, match="care-crisis has no version 3"):
        registry.get_version("crisis", 3)
    with pytest.raises(InvalidInput, match="a version is a number"):
        registry.get_version("crisis", "latest")
    registry.register_version("intent", _tiny("intent", [1]))
    with pytest.raises(InvalidInput, match="unknown alias"):
        registry.set_alias("intent", "production", 1)
