"""Shared by the registry, approval and `models` command tests: small but real registry versions.

A version here is a real skops model file published as training publishes it, registered in a real
MLflow store in tmp_path, and gated by the project's own gate code on a small report, so approval
sees exactly the tags an assessed version carries (gate results and a safety-card checksum)."""

from __future__ import annotations

from core.config import Settings
from core.mlops.gates import Bar, check_model, gate_tags
from core.nlu.model_files import model_path, save_model
from core.store import registry
from core.store.registry import VersionRecord

_counter = iter(range(1_000_000))


def tiny_version(settings: Settings, kind: str, *, passes: bool = True) -> VersionRecord:
    """A registered version of `kind` whose one gate (golden accuracy >= 0.9) passed or failed."""
    save_model({"kind": kind, "n": next(_counter)}, model_path(kind, settings))
    record = registry.register_version(kind, model_path(kind, settings), settings=settings)
    bar = Bar(set="golden", metric="accuracy", min=0.9, model=kind, name="intent_accuracy")
    results = check_model(kind, {"golden": {"accuracy": 0.95 if passes else 0.5}}, [bar])
    registry.set_tags(kind, record.version, gate_tags(results) | {"card.sha256": "c" * 64}, settings)
    return registry.get_version(kind, record.version, settings)
