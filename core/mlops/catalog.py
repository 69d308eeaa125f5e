"""What the console's Models page and `python -m core models` show about registry versions: one row
per version, one version in detail, two versions side by side. Read-only; built from the registry
(tags, runs, artifacts) and the approvals in the database."""

from __future__ import annotations

import json

from core.config import Settings
from core.mlops import comparison
from core.mlops.approval import decisions
from core.mlops.gates import failed_gates
from core.store import registry
from core.store.registry import VersionRecord

GATE_FIELDS = (".metric", ".value", ".bar")


def gate_list(record: VersionRecord) -> list[dict]:
    """The version's gate results from its tags: name, metric, value, bar, passed."""
    tags = record.tags
    names = sorted(k[len("gate."):-len(".metric")] for k in tags if k.startswith("gate.") and k.endswith(".metric"))
    return [{"name": n, "metric": tags[f"gate.{n}.metric"], "value": tags.get(f"gate.{n}.value", ""),
             "bar": tags.get(f"gate.{n}.bar", ""), "passed": tags.get(f"gate.{n}") == "passed"} for n in names]


def version_row(record: VersionRecord, approved_by: list[str]) -> dict:
    gates = gate_list(record)
    return {
        "version": record.version, "aliases": ", ".join(record.aliases), "status": record.status,
        "gates": {True: "passed", False: "failed", None: "not evaluated"}[record.gates_passed],
        "failed_gates": sum(not g["passed"] for g in gates),
        "created": record.created_at.isoformat(timespec="seconds") if record.created_at else "",
        "commit": record.tags.get("git.commit", "")[:12], "data": record.tags.get("data.sha256", "")[:12],
        "approved_by": ", ".join(approved_by), "sha256": record.sha256[:12],
    }


def version_rows(settings: Settings, kind: str) -> list[dict]:
    rows = []
    for record in registry.list_versions(kind, settings):
        signed = [d.reviewer for d in decisions(settings, kind, record.version) if d.decision != "rejected"]
        rows.append(version_row(record, signed))
    return rows


def version_detail(settings: Settings, kind: str, version: int) -> dict:
    record = registry.get_version(kind, version, settings)
    run = registry.run_record(kind, record.version, settings)
    signatures = decisions(settings, kind, record.version)
    return {
        "row": version_row(record, [d.reviewer for d in signatures if d.decision != "rejected"]),
        "gates": gate_list(record),
        "failed": failed_gates(record.tags) if record.gates_passed is not True else [],
        "decisions": [{"reviewer": d.reviewer, "decision": d.decision, "at": d.at.isoformat(timespec="seconds"),
                       "note": d.note} for d in signatures],
        "params": run.params, "metrics": run.metrics,
        "tags": {k: v for k, v in record.tags.items() if not k.startswith(("gate.", "approval.", "sha256."))},
        "lineage": lineage(settings, record, run.run_id, signatures),
    }


def lineage(settings: Settings, record: VersionRecord, run_id: str, signatures: list) -> list[dict]:
    """dataset version -> labels -> run -> model version -> approval, one step per entry."""
    from core.errors import NotFound
    from core.mlops.dataset_versions import get_version

    name = record.tags.get("dataset.version", "")
    steps = []
    if name.startswith("ds-"):
        try:
            cut = get_version(name, settings)
            steps.append({"step": "dataset", "what": f"{cut.version} (parent {cut.parent or 'none'}), {cut.rows} rows, "
                          f"cut by {cut.created_by}"})
            steps.append({"step": "labels", "what": f"{len(json.loads(cut.label_ids))} label(s) added by "
                          f"{', '.join(json.loads(cut.labelers)) or 'nobody'}"})
        except NotFound:
            steps.append({"step": "dataset", "what": f"{name} (not in this database)"})
    else:
        steps.append({"step": "dataset", "what": "the committed data only"})
    steps.append({"step": "run", "what": f"MLflow run {run_id}, data {record.tags.get('data.sha256', '')[:12]}, "
                  f"commit {record.tags.get('git.commit', '')[:12]}"})
    steps.append({"step": "model", "what": f"{record.name} version {record.version}"})
    steps.append({"step": "approval", "what": ", ".join(f"{d.decision} by {d.reviewer}" for d in signatures) or "not yet"})
    return steps


def _artifact(settings: Settings, kind: str, version: int, name: str) -> dict | None:
    path = registry.read_artifact(kind, version, name, settings)
    return json.loads(path.read_text(encoding="utf-8")) if path else None


def compare_versions(settings: Settings, kind: str, a: int, b: int) -> dict:
    """b against a: metric deltas of their stored evaluations, per-class recall deltas, confusion
    matrices, and the messages whose decision changed (crisis lost and gained first)."""
    first, second = registry.get_version(kind, a, settings), registry.get_version(kind, b, settings)
    evaluation_a = _artifact(settings, kind, first.version, "evaluation.json") or {}
    evaluation_b = _artifact(settings, kind, second.version, "evaluation.json") or {}
    drops = comparison.recall_drops(evaluation_b, evaluation_a) if evaluation_a and evaluation_b else {}
    changed = comparison.changed_decisions(_artifact(settings, kind, second.version, "decisions.json") or {},
                                           _artifact(settings, kind, first.version, "decisions.json"))
    return {
        "a": version_row(first, []), "b": version_row(second, []),
        "metrics": comparison.compare_reports(evaluation_a, evaluation_b),
        "recall_drops": drops.get(f"{kind}_recall_drops", {}),
        "confusion": {v: {name: report["risk"]["matrix"] for name, report in ev.items()
                          if isinstance(report, dict) and "risk" in report}
                      for v, ev in ((first.version, evaluation_a), (second.version, evaluation_b))},
        "intent_confusion": {v: ev.get("golden", {}).get("intent_confusion")
                             for v, ev in ((first.version, evaluation_a), (second.version, evaluation_b))},
        "changes": changed,
        "measured": bool(evaluation_a and evaluation_b),
    }
