"""A version against another (usually the champion): per-class recall drops for the gates, the
messages whose decision changed, and the side-by-side view of `models compare` and the Models page.

Decisions are stored per version (`decisions.json` in its run): for every evaluated message, keyed by
set and a hash of its text, the risk, crisis type and intent it got. Comparing two versions is then a
join of two files, not a second evaluation."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from core.taxonomy import CRISIS_TYPES, MODEL_KINDS

TEXT_SHOWN = 300  # characters of a message kept with its decision (dataset text, never a user's)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def decisions_of(sets: Mapping[str, list[dict]], predictions: Mapping[str, list[dict]]) -> dict[str, dict]:
    """`{set: {text key: {text, truth, risk, crisis_type, intent}}}` for every evaluated message."""
    out: dict[str, dict] = {}
    for name, rows in sets.items():
        out[name] = {text_key(row["text"]): {
            "text": row["text"][:TEXT_SHOWN], "truth": row.get("risk") or ("crisis" if row.get("intent") == "crisis" else ""),
            "risk": said["risk"], "crisis_type": said["crisis_type"], "intent": said["intent"]}
            for row, said in zip(rows, predictions[name])}
    return out


def changed_decisions(current: Mapping[str, dict], baseline: Mapping[str, dict] | None) -> dict:
    """Messages decided differently from the baseline, the dangerous change first: crisis lost (the
    baseline said crisis, this version does not), then crisis gained, then other risk changes, then
    intent changes. None of them when there is no baseline."""
    out: dict = {"crisis_lost": [], "crisis_gained": [], "risk_changed": [], "intent_changed": []}
    if not baseline:
        return out | {"baseline": None}
    for name, decisions in current.items():
        before = baseline.get(name, {})
        for key, now in decisions.items():
            then = before.get(key)
            if then is None:
                continue
            entry = {"set": name, "text": now["text"], "truth": now.get("truth", ""), "before": then["risk"],
                     "after": now["risk"], "intent_before": then["intent"], "intent_after": now["intent"]}
            if then["risk"] == "crisis" and now["risk"] != "crisis":
                out["crisis_lost"].append(entry)
            elif now["risk"] == "crisis" and then["risk"] != "crisis":
                out["crisis_gained"].append(entry)
            elif now["risk"] != then["risk"]:
                out["risk_changed"].append(entry)
            elif now["intent"] != then["intent"]:
                out["intent_changed"].append(entry)
    return out | {"baseline": "champion"}


def _recalls(report: Mapping, kind: str) -> dict[str, float]:
    """Per-class recall on the golden set: intents for the intent model, crisis types for the screen."""
    golden = report.get("golden", {})
    if kind == "intent":
        return {k: v["recall"] for k, v in golden.get("per_class", {}).items()}
    groups = golden.get("by_group", {})
    return {t: groups[f"crisis_type={t}"]["crisis_recall"] for t in CRISIS_TYPES
            if groups.get(f"crisis_type={t}", {}).get("crisis_recall") is not None}


def recall_drops(current: Mapping, baseline: Mapping) -> dict:
    """The `comparison` set of gates.yaml: the largest per-class recall drop against the baseline, per
    model, and the drop of every class."""
    out: dict = {}
    for kind in MODEL_KINDS:
        now, then = _recalls(current, kind), _recalls(baseline, kind)
        drops = {k: round(then[k] - now.get(k, 0.0), 4) for k in then}
        out[f"{kind}_recall_drops"] = drops
        out[f"{kind}_max_recall_drop"] = max(drops.values()) if drops else None
    return out


def _flat(report: Mapping, prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in report.items():
        if key in ("misses", "items", "matrix"):
            continue
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out |= _flat(value, f"{name}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[name] = float(value)
    return out


def compare_reports(a: Mapping, b: Mapping) -> list[dict]:
    """Side by side: every metric both evaluations hold, with b - a (a is the older version)."""
    flat_a, flat_b = _flat(a), _flat(b)
    return [{"metric": k, "a": flat_a[k], "b": flat_b[k], "delta": round(flat_b[k] - flat_a[k], 4)}
            for k in sorted(flat_a.keys() & flat_b.keys())]
