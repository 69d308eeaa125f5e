"""Datasets: the authored training rows, scenario examples, derived public text, and the golden set.

Layout under DATA_DIR: training/*.csv (text,intent,language,crisis_type,source), golden/*.csv
(text,intent,language,crisis_type,category), public/*.csv (text,intent,language,source,split).
Public rows with split=holdout are never trained on; they measure false alarms on real questions.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from core.config import Settings
from core.content.scenarios import load_scenarios
from core.errors import InvalidInput
from core.taxonomy import LANGUAGES

TRAIN_COLUMNS = ("text", "intent", "language", "crisis_type", "source")
GOLDEN_COLUMNS = ("text", "intent", "language", "crisis_type", "category")
PUBLIC_COLUMNS = ("text", "intent", "language", "source", "split")
REAL_COLUMNS = ("text", "risk", "crisis_type", "intent", "language", "source", "split")
PUBLIC_PER_INTENT = 30  # real questions added per intent and public file, so authored text stays the core
SEED = 20261124


class DataValidationError(InvalidInput):
    """The data broke a rule; `details` name the rows (file:line)."""


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str
    crisis_type: str
    source: str
    origin: str  # "path:line", for messages that name the row
    split: str = ""  # public rows: train or holdout; real rows: train or validation
    risk: str = ""  # none, distress or crisis where the file says; see risk_level

    @property
    def risk_level(self) -> str:
        """A crisis row is a crisis; otherwise the row's own risk label, and `none` where it has none."""
        return "crisis" if self.intent == "crisis" or self.risk == "crisis" else (self.risk or "none")


def read_csv(path: Path, columns: tuple[str, ...], root: Path) -> list[Example]:
    """Read one CSV; a missing column is a validation error naming the file."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise DataValidationError(f"{_rel(path, root)}: missing column(s) {', '.join(missing)}",
                                      details=[f"{_rel(path, root)}:1: header lacks {', '.join(missing)}"])
        out = []
        for line, row in enumerate(reader, start=2):
            out.append(Example(
                text=(row.get("text") or "").strip(), intent=(row.get("intent") or "").strip(),
                language=(row.get("language") or "").strip(), crisis_type=(row.get("crisis_type") or "").strip(),
                source=(row.get("source") or row.get("category") or "").strip(), origin=f"{_rel(path, root)}:{line}",
                split=(row.get("split") or "").strip(), risk=(row.get("risk") or "").strip(),
            ))
        return out


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def load_authored(settings: Settings) -> list[Example]:
    root = settings.data_dir
    rows = [r for path in sorted((root / "training").glob("*.csv")) for r in read_csv(path, TRAIN_COLUMNS, root)]
    for intent, scenario in sorted(load_scenarios(settings.scenarios_dir).items()):
        for language in LANGUAGES:
            for i, text in enumerate(getattr(scenario.examples, language)):
                rows.append(Example(text, intent, language, "", "scenario", f"scenarios/{intent}.yaml:examples.{language}[{i}]"))
    return rows


def _load_folder(settings: Settings, folder: str, columns: tuple[str, ...], split: str | None = None) -> list[Example]:
    """Every CSV of one data folder, in file order; only the rows of `split` when it is given."""
    root = settings.data_dir
    rows = [r for path in sorted((root / folder).glob("*.csv")) for r in read_csv(path, columns, root)]
    return rows if split is None else [r for r in rows if r.split == split]


def load_public(settings: Settings, split: str) -> list[Example]:
    return _load_folder(settings, "public", PUBLIC_COLUMNS, split)


def load_risk(settings: Settings) -> list[Example]:
    """Authored rows for the graded screen's distress head (data/risk/): ordinary distress, and long
    crisis posts. Kept apart from training/ so that the crisis classifier and the intent model train
    on the data their figures were measured on, until a screen trained with these meets its bars."""
    return _load_folder(settings, "risk", TRAIN_COLUMNS)


def load_intent_only(settings: Settings) -> list[Example]:
    """Authored rows for the intent model alone (data/intent/): questions of a kind the crisis screen
    already has plenty of as negatives, kept out of its training so that they do not move its
    threshold (chosen out of fold: easy negatives moved it from 0.56 to 0.47; see README); and the
    twins of the long crisis stories (the same story with its danger taken out, under its care topic),
    which the screen did not learn better from (README, "Twins of the crisis stories")."""
    return _load_folder(settings, "intent", TRAIN_COLUMNS)


def load_real(settings: Settings, split: str) -> list[Example]:
    """Real public text with risk labels (data/real/); `validation` rows are never trained on."""
    return _load_folder(settings, "real", REAL_COLUMNS, split)


def load_golden(settings: Settings) -> list[Example]:
    root = settings.data_dir
    return [r for path in sorted((root / "golden").glob("*.csv")) for r in read_csv(path, GOLDEN_COLUMNS, root)]


def public_for_intents(rows: list[Example]) -> list[Example]:
    """A capped, seeded sample of labelled public questions per intent and file."""
    rng = random.Random(SEED)
    groups: dict[tuple[str, str], list[Example]] = {}
    for row in rows:
        if row.intent:
            groups.setdefault((row.intent, row.origin.split(":")[0]), []).append(row)
    picked = []
    for key in sorted(groups):
        group = groups[key]
        picked += rng.sample(group, min(PUBLIC_PER_INTENT, len(group)))
    return picked
