"""Evaluation as in a real reply: accuracy, macro-F1, per-class report, crisis recall and crisis
false-positive rate, overall and per category and language."""

from __future__ import annotations

from collections import defaultdict

from sklearn.metrics import accuracy_score, classification_report, f1_score


def crisis_rates(truth_crisis: list[bool], predicted_crisis: list[bool]) -> dict:
    positives = [p for t, p in zip(truth_crisis, predicted_crisis) if t]
    negatives = [p for t, p in zip(truth_crisis, predicted_crisis) if not t]
    return {
        "crisis_recall": round(sum(positives) / len(positives), 4) if positives else None,
        "crisis_false_positive_rate": round(sum(negatives) / len(negatives), 4) if negatives else None,
        "crisis_n": len(positives),
        "non_crisis_n": len(negatives),
    }


def evaluate_predictions(rows: list[dict], predictions: list[dict]) -> dict:
    """rows: dicts with text, intent ('' when unlabelled), and optionally language and category."""
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
        truth_crisis = [r["intent"] == "crisis" for r, _ in labelled]
        report.update(crisis_rates(truth_crisis, [p["crisis"] for _, p in labelled]))
    else:  # unlabelled real text: every row is taken as not a crisis
        report.update(crisis_rates([False] * len(rows), [p["crisis"] for p in predictions]))
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
        for key in ("category", "language"):
            if r.get(key):
                groups[f"{key}={r[key]}"].append((r, p))
    out = {}
    for name, pairs in sorted(groups.items()):
        truth = [(r.get("intent") or "") == "crisis" for r, _ in pairs]
        entry = crisis_rates(truth, [p["crisis"] for _, p in pairs])
        labelled = [(r, p) for r, p in pairs if r.get("intent")]
        if labelled:
            entry["accuracy"] = round(sum(r["intent"] == p["intent"] for r, p in labelled) / len(labelled), 4)
        out[name] = entry
    return out
