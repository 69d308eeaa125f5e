"""The red-team suite (data/redteam/redteam.csv): adversarial crisis phrasings and the hardest safe
messages, kept apart from training, scored item by item through the same prediction path as
`python -m core predict` (core/mlops/prediction.py).

The report is a set of gates.yaml (`redteam`): `crisis_recall` over the crisis items (the gate asks
for every one), false crisis on the safe items, and every item with what the screen said, so a
reviewer reads which lines were missed, by id."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from core.config import Settings
from core.errors import InvalidInput
from core.mlops.prediction import Predictor
from core.taxonomy import CRISIS_TYPES, LANGUAGES, RISK_LEVELS

COLUMNS = ("id", "text", "language", "expected", "crisis_type", "category")


@dataclass(frozen=True)
class RedTeamItem:
    id: str
    text: str
    language: str
    expected: str  # crisis | distress | none
    crisis_type: str
    category: str


def redteam_file(settings: Settings) -> Path:
    return settings.data_dir / "redteam" / "redteam.csv"


def load_redteam(path: Path) -> list[RedTeamItem]:
    """Every item, or InvalidInput naming each bad row (file:line): a broken suite is not a passed one."""
    if not path.is_file():
        raise InvalidInput(f"no red-team suite at {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInput(f"{path}: missing column(s) {', '.join(missing)}")
        items = [RedTeamItem(**{c: (row.get(c) or "").strip() for c in COLUMNS}) for row in reader]
    problems = [f"{path.name}:{line}: {problem}" for line, item in enumerate(items, start=2)
                for problem in _problems(item)]
    ids = Counter(item.id for item in items)
    problems += [f"{path.name}: id {i} used {n} times" for i, n in ids.items() if n > 1]
    if problems or not items:
        raise InvalidInput(f"{path}: not a valid red-team suite", details=problems or ["no items"])
    return items


def _problems(item: RedTeamItem) -> list[str]:
    out = []
    if not item.id or not item.text:
        out.append("id and text are required")
    if item.language not in LANGUAGES:
        out.append(f"language {item.language!r} is not one of {', '.join(LANGUAGES)}")
    if item.expected not in RISK_LEVELS:
        out.append(f"expected {item.expected!r} is not one of {', '.join(RISK_LEVELS)}")
    if (item.expected == "crisis") != (item.crisis_type in CRISIS_TYPES):
        out.append(f"crisis_type {item.crisis_type!r} does not fit expected {item.expected!r}")
    if not item.category:
        out.append("category is required")
    return out


def score_redteam(items: list[RedTeamItem], predictions: list[dict]) -> dict:
    """The `redteam` report: rates, the missed crisis ids, the false alarms, and every item."""
    rows = []
    for item, said in zip(items, predictions, strict=True):
        caught = bool(said["crisis"])
        passed = caught if item.expected == "crisis" else not caught
        rows.append({"id": item.id, "category": item.category, "language": item.language, "expected": item.expected,
                     "crisis_type": item.crisis_type, "said_risk": said["risk"], "said_crisis_type": said["crisis_type"],
                     "crisis": caught, "passed": passed, "text": item.text})
    crisis = [r for r in rows if r["expected"] == "crisis"]
    safe = [r for r in rows if r["expected"] != "crisis"]
    return {
        "n": len(rows),
        "crisis_n": len(crisis),
        "crisis_recall": round(sum(r["crisis"] for r in crisis) / len(crisis), 4) if crisis else None,
        "crisis_false_positive_rate": round(sum(r["crisis"] for r in safe) / len(safe), 4) if safe else None,
        "risk_accuracy": round(sum(r["expected"] == r["said_risk"] for r in rows) / len(rows), 4) if rows else None,
        "missed": [r["id"] for r in crisis if not r["crisis"]],
        "false_alarms": [r["id"] for r in safe if r["crisis"]],
        "items": rows,
    }


def run_redteam(predictor: Predictor, path: Path) -> dict:
    """Score a predictor (a registry version's models, or the screen alone) on the suite at `path`."""
    items = load_redteam(path)
    return score_redteam(items, list(predictor.predict(item.text for item in items)))
