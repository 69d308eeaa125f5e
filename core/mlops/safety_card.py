"""The safety card of a registry version: what a clinical reviewer reads before approving it.

JSON (for machines and the Models page) and a plain, self-contained HTML page (no scripts, no
external assets, every value escaped), both logged in the version's run. It shows crisis recall by
type, language and message length; false alarms per validation set; the three-way distress
confusion; the red-team table item by item; the gates; and the messages whose decision changed
against the champion, crisis lost and crisis gained first. A reviewer's signature is added to the
version's tags and the database when they approve (core/mlops/approval.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from html import escape

from core.mlops.gates import BarResult
from core.taxonomy import CRISIS_TYPES, LANGUAGES

LENGTH_BUCKETS = ((0, 15, "short (< 15 words)"), (15, 60, "medium (15-59 words)"), (60, 10**9, "long (60+ words)"))
CHANGES_SHOWN = 50  # per kind of change, on the card (the counts are always complete)


def recall_by_length(rows: list[dict], predictions: list[dict]) -> dict[str, dict]:
    out = {}
    for low, high, label in LENGTH_BUCKETS:
        hits = [p["crisis"] for r, p in zip(rows, predictions)
                if (r.get("risk") == "crisis" or r.get("intent") == "crisis") and low <= len(r["text"].split()) < high]
        out[label] = {"n": len(hits), "crisis_recall": round(sum(hits) / len(hits), 4) if hits else None}
    return out


def build_card(model: Mapping[str, str], reports: Mapping[str, dict], gates: list[BarResult],
               golden: tuple[list[dict], list[dict]], changes: Mapping) -> dict:
    """`model`: name, version, run id, sha256, data fingerprint, commit; `golden`: its rows and the
    version's predictions (for recall by length); `changes`: comparison.changed_decisions."""
    golden_groups = reports["golden"]["by_group"]
    false_alarms = {"golden hard negatives": golden_groups.get("category=hard_negative", {}).get("crisis_false_positive_rate"),
                    "public holdout": reports["public_holdout"]["crisis_false_positive_rate"],
                    "real validation (none rows)": reports["real_validation"].get("risk_rates", {}).get("none", {}).get("crisis_rate"),
                    "red team (safe items)": reports["redteam"]["crisis_false_positive_rate"]}
    for source, entry in reports["public_holdout"]["by_group"].items():
        if source.startswith("category="):
            false_alarms[f"public holdout {source.removeprefix('category=')}"] = entry["crisis_false_positive_rate"]
    return {
        "model": dict(model),
        "gates": [{"name": r.bar.key, "metric": f"{r.bar.set}: {r.bar.metric}", "value": r.shown,
                   "bar": r.bar.describe(), "passed": r.passed} for r in gates],
        "crisis_recall": {
            "overall": reports["golden"]["crisis_recall"],
            "by_type": {t: golden_groups.get(f"crisis_type={t}", {}).get("crisis_recall") for t in CRISIS_TYPES},
            "by_language": {lang: golden_groups.get(f"language={lang}", {}).get("crisis_recall") for lang in LANGUAGES},
            "by_length": recall_by_length(*golden),
            "real_validation": reports["real_validation"].get("risk_rates", {}).get("crisis", {}).get("crisis_rate"),
        },
        "false_alarms": false_alarms,
        "distress_confusion": {name: reports[name]["risk"]["matrix"] for name in ("golden", "real_validation")
                               if "risk" in reports[name]},
        "redteam": {k: reports["redteam"][k] for k in ("n", "crisis_recall", "crisis_false_positive_rate", "missed",
                                                       "false_alarms", "items")},
        "changes": {"baseline": changes.get("baseline"),
                    "counts": {k: len(changes.get(k, [])) for k in ("crisis_lost", "crisis_gained", "risk_changed",
                                                                     "intent_changed")},
                    **{k: list(changes.get(k, []))[:CHANGES_SHOWN] for k in ("crisis_lost", "crisis_gained",
                                                                             "risk_changed", "intent_changed")}},
        "latency": reports.get("latency", {}),
    }


def card_sha256(card: Mapping) -> str:
    return hashlib.sha256(json.dumps(card, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _cell(value) -> str:
    if value is None:
        return "<td class=na>n/a</td>"
    if isinstance(value, bool):
        return f"<td class={'ok' if value else 'bad'}>{'yes' if value else 'NO'}</td>"
    if isinstance(value, float):
        return f"<td>{value:.4f}</td>"
    return f"<td>{escape(str(value))}</td>"


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>" if rows else "<p class=na>none</p>"


STYLE = ("body{font-family:system-ui,sans-serif;max-width:70em;margin:1em auto;padding:0 1em;line-height:1.4}"
         "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.2em .5em;"
         "text-align:left;vertical-align:top}th{background:#eee}.ok{color:#075e07}.bad{color:#a00;font-weight:bold}"
         ".na{color:#777}")


def render_html(card: Mapping) -> str:
    model = card["model"]
    title = f"Safety card: {model.get('name', '')} version {model.get('version', '')}"
    recall = card["crisis_recall"]
    changes = card["changes"]
    parts = [
        f"<h1>{escape(title)}</h1>",
        _table(["field", "value"], [[k, v] for k, v in model.items()]),
        "<h2>Gates</h2>",
        _table(["gate", "metric", "value", "bar", "passed"],
               [[g["name"], g["metric"], g["value"], g["bar"], g["passed"]] for g in card["gates"]]),
        "<h2>Crisis recall (golden set)</h2>",
        _table(["overall", "real validation"], [[recall["overall"], recall["real_validation"]]]),
        _table(["crisis type", "recall"], [[k, v] for k, v in recall["by_type"].items()]),
        _table(["language", "recall"], [[k, v] for k, v in recall["by_language"].items()]),
        _table(["length", "crisis messages", "recall"], [[k, v["n"], v["crisis_recall"]] for k, v in recall["by_length"].items()]),
        "<h2>False alarms (crisis said on messages that are not)</h2>",
        _table(["set", "false crisis rate"], [[k, v] for k, v in card["false_alarms"].items()]),
        "<h2>Distress confusion (truth down, said across)</h2>",
        *[f"<h3>{escape(name)}</h3>" + _table(["truth", *next(iter(m.values())).keys()],
                                              [[t, *said.values()] for t, said in m.items()])
          for name, m in card["distress_confusion"].items()],
        "<h2>Red team</h2>",
        _table(["crisis recall", "false crisis on safe items", "missed", "false alarms"],
               [[card["redteam"]["crisis_recall"], card["redteam"]["crisis_false_positive_rate"],
                 ", ".join(card["redteam"]["missed"]) or "none", ", ".join(card["redteam"]["false_alarms"]) or "none"]]),
        _table(["id", "category", "language", "expected", "said", "crisis type said", "passed", "text"],
               [[i["id"], i["category"], i["language"], i["expected"], i["said_risk"], i["said_crisis_type"], i["passed"],
                 i["text"]] for i in card["redteam"]["items"]]),
        "<h2>Decisions changed against the champion</h2>",
    ]
    if changes["baseline"] is None:
        parts.append("<p>No champion to compare with: this would be the first.</p>")
    else:
        parts.append(_table(["change", "messages"], [[k, v] for k, v in changes["counts"].items()]))
        for kind in ("crisis_lost", "crisis_gained", "risk_changed", "intent_changed"):
            parts.append(f"<h3>{escape(kind.replace('_', ' '))} (first {CHANGES_SHOWN})</h3>")
            parts.append(_table(["set", "truth", "before", "after", "intent before", "intent after", "text"],
                                [[c["set"], c["truth"], c["before"], c["after"], c["intent_before"], c["intent_after"],
                                  c["text"]] for c in changes[kind]]))
    body = "\n".join(parts)
    return (f"<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")
