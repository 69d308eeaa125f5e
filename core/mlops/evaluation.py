"""Evaluation as in a real reply: accuracy, macro-F1, per-class report, crisis recall and crisis
false-positive rate, overall and per category, language and crisis type."""

from __future__ import annotations

from collections import defaultdict

from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score

from core.config import Settings
from core.mlops.dataset import load_golden, load_public, load_real
from core.mlops.gates import EVALUATION_SETS
from core.taxonomy import RISK_LEVELS


def load_evaluation_sets(settings: Settings, names: tuple[str, ...] = EVALUATION_SETS) -> dict[str, list[dict]]:
    """The rows of the evaluation sets, never trained on: the golden set, the held-out real
    questions (per source), and the real-text validation split (per source and language)."""
    loaders = {
        "golden": lambda: [{"text": r.text, "intent": r.intent, "language": r.language, "category": r.source,
                            "crisis_type": r.crisis_type, "risk": r.risk} for r in load_golden(settings)],
        "public_holdout": lambda: [{"text": r.text, "intent": "", "language": r.language,
                                    "category": r.source.split(":")[0]} for r in load_public(settings, "holdout")],
        "real_validation": lambda: [{"text": r.text, "intent": r.intent, "language": r.language, "category": r.source,
                                     "risk": r.risk_level} for r in load_real(settings, "validation")],
    }
    return {name: loaders[name]() for name in names}


def crisis_rates(truth_crisis: list[bool], predicted_crisis: list[bool]) -> dict:
    positives = [p for t, p in zip(truth_crisis, predicted_crisis) if t]
    negatives = [p for t, p in zip(truth_crisis, predicted_crisis) if not t]
    return {
        "crisis_recall": round(sum(positives) / len(positives), 4) if positives else None,
        "crisis_false_positive_rate": round(sum(negatives) / len(negatives), 4) if negatives else None,
        "crisis_n": len(positives),
        "non_crisis_n": len(negatives),
    }


def risk_confusion(truth: list[str], predicted: list[str]) -> dict:
    """Three-way confusion (truth -> predicted -> count) and accuracy over rows whose risk is known."""
    pairs = [(t, p) for t, p in zip(truth, predicted) if t]
    matrix = {t: {p: 0 for p in RISK_LEVELS} for t in RISK_LEVELS}
    for t, p in pairs:
        matrix[t][p] += 1
    accuracy = round(sum(t == p for t, p in pairs) / len(pairs), 4) if pairs else None
    return {"n": len(pairs), "accuracy": accuracy, "matrix": matrix}


def risk_rates(truth: list[str], predicted: list[str]) -> dict:
    """Per level of truth: how often the screen said crisis, and distress-or-crisis."""
    out: dict = {}
    for level in RISK_LEVELS:
        said = [p for t, p in zip(truth, predicted) if t == level]
        if said:
            out[level] = {"n": len(said), "crisis_rate": round(sum(p == "crisis" for p in said) / len(said), 4),
                          "distress_or_crisis_rate": round(sum(p != "none" for p in said) / len(said), 4)}
    return out


def evaluate_predictions(rows: list[dict], predictions: list[dict]) -> dict:
    """rows: dicts with text, intent ('' when unlabelled), and optionally language, category and risk
    (a crisis row's risk is crisis; '' where the risk is not known)."""
    labelled = [(r, p) for r, p in zip(rows, predictions) if r.get("intent")]
    report: dict = {"n": len(rows)}
    if labelled:
        truth = [r["intent"] for r, _ in labelled]
        guess = [p["intent"] for _, p in labelled]
        report["accuracy"] = round(accuracy_score(truth, guess), 4)
        report["macro_f1"] = round(f1_score(truth, guess, average="macro", zero_division=0), 4)
        report["per_class"] = {
            k: {m: round(v, 4) for m, v in vals.items()}
            for k, vals in classification_report(truth, guess, output_dict=True, zero_division=0).items()
            if isinstance(vals, dict) and k not in ("macro avg", "weighted avg")
        }
    # A row is a crisis when its intent or its risk says so; unlabelled real text is taken as not a crisis.
    truth_risk = [r.get("risk") or ("crisis" if r.get("intent") == "crisis" else "") for r in rows]
    report.update(crisis_rates([t == "crisis" for t in truth_risk], [p["crisis"] for p in predictions]))
    said_risk = [p.get("risk", "crisis" if p["crisis"] else "none") for p in predictions]
    if any(truth_risk):
        report["risk"] = risk_confusion(truth_risk, said_risk)
        report["risk_rates"] = risk_rates(truth_risk, said_risk)
    report["by_group"] = _by_group(rows, predictions)
    report["misses"] = [
        {"text": r["text"][:160], "intent": r.get("intent"), "predicted": p["intent"], "crisis": p["crisis"]}
        for r, p in zip(rows, predictions)
        if (r.get("intent") and r["intent"] != p["intent"]) or (not r.get("intent") and p["crisis"])
    ]
    return report


def _by_group(rows: list[dict], predictions: list[dict]) -> dict:
    groups: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for r, p in zip(rows, predictions):
        for key in ("category", "language", "crisis_type"):
            if r.get(key):
                groups[f"{key}={r[key]}"].append((r, p))
    out = {}
    for name, pairs in sorted(groups.items()):
        truth = [(r.get("risk") or ("crisis" if r.get("intent") == "crisis" else "")) == "crisis" for r, _ in pairs]
        entry = crisis_rates(truth, [p["crisis"] for _, p in pairs])
        labelled = [(r, p) for r, p in pairs if r.get("intent")]
        if labelled:
            entry["accuracy"] = round(sum(r["intent"] == p["intent"] for r, p in labelled) / len(labelled), 4)
        risks = [(r.get("risk") or ("crisis" if r.get("intent") == "crisis" else ""), p.get("risk", "none"))
                 for r, p in pairs]
        if any(t for t, _ in risks):
            entry["risk"] = risk_rates([t for t, _ in risks], [p for _, p in risks])
            entry["risk_accuracy"] = risk_confusion([t for t, _ in risks], [p for _, p in risks])["accuracy"]
        out[name] = entry
    return out


def intent_confusion(rows: list[dict], predictions: list[dict]) -> dict:
    """Truth (rows) against predicted intent (columns) over the labelled rows, for heatmaps."""
    labelled = [(r["intent"], p["intent"]) for r, p in zip(rows, predictions) if r.get("intent")]
    labels = sorted({t for t, _ in labelled} | {p for _, p in labelled})
    matrix = confusion_matrix([t for t, _ in labelled], [p for _, p in labelled], labels=labels) if labelled else []
    return {"labels": labels, "matrix": [[int(v) for v in row] for row in matrix]}
