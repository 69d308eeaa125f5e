"""The quality bars of core/mlops/gates.yaml, checked against evaluation reports.

One definition of every bar: the command line's `evaluate` exit code and the registry's gate tags
read the same file. A bar whose metric is missing from its report fails (a gate that cannot
be measured is not passed). For `evaluate`, sets that were not evaluated are left out; for a
registry version (`check_model`) every bar of its model counts, and a set that was not measured
fails, except a comparison with a champion that does not exist yet (waived, and said so).

Each bar names the model it gates (crisis or intent); a bar without one (a custom file given to
`evaluate --gates`) gates the decision of both."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.config import Settings
from core.errors import InvalidInput

GATES_FILE = Path(__file__).with_name("gates.yaml")
# The evaluation sets (core/mlops/evaluation.py loads them); the other sets of gates.yaml are
# measured for registry versions only (redteam, comparison, latency).
EVALUATION_SETS = ("golden", "public_holdout", "real_validation")


class Bar(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    set: str
    metric: str
    min: float | None = None
    max: float | None = None
    model: Literal["crisis", "intent"] | None = None
    name: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,60}$")

    @property
    def key(self) -> str:
        """The bar's stable name (its tag on a registry version)."""
        return self.name or f"{self.set}.{self.metric}"

    @model_validator(mode="after")
    def _one_bound(self) -> Bar:
        if (self.min is None) == (self.max is None):
            raise ValueError("a bar has exactly one of min or max")
        return self

    def describe(self) -> str:
        return f">= {self.min}" if self.min is not None else f"<= {self.max}"


@dataclass(frozen=True)
class BarResult:
    bar: Bar
    value: float | None
    waived: str | None = None  # why a bar that could not apply was passed (e.g. no champion to compare with)

    @property
    def passed(self) -> bool:
        if self.waived:
            return True
        if self.value is None:
            return False
        return self.value >= self.bar.min if self.bar.min is not None else self.value <= self.bar.max

    @property
    def shown(self) -> str:
        if self.waived:
            return f"n/a ({self.waived})"
        return "not measured" if self.value is None else f"{self.value:.4f}"

    def line(self) -> str:
        verdict = "pass" if self.passed else "FAIL"
        return f"{verdict}  {self.bar.set}: {self.bar.metric} = {self.shown} (bar {self.bar.describe()})"


def bars_file(settings: Settings) -> Path:
    """The gates file new versions are held to: CAREOPS_GATES_FILE, or the shipped one. Which file
    (and its SHA-256) is tagged on every assessed version and shown on its safety card."""
    return settings.gates_file or GATES_FILE


def load_bars(path: Path = GATES_FILE) -> list[Bar]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        bars = [Bar.model_validate(item) for item in raw.get("bars", [])]
    except (OSError, yaml.YAMLError, ValidationError, AttributeError, TypeError) as exc:
        raise InvalidInput(f"{path}: not a valid gates file ({exc})") from exc
    seen = [b.key for b in bars]
    twice = sorted({k for k in seen if seen.count(k) > 1})
    if twice:
        raise InvalidInput(f"{path}: not a valid gates file (bar names used twice: {', '.join(twice)})")
    return bars


def _lookup(report: dict, dotted: str) -> float | None:
    node: object = report
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, int | float) else None


def check_bars(reports: dict[str, dict], bars: list[Bar] | None = None) -> list[BarResult]:
    """Every bar whose set is among `reports`, with its measured value."""
    bars = load_bars() if bars is None else bars
    return [BarResult(bar, _lookup(reports[bar.set], bar.metric)) for bar in bars if bar.set in reports]


def check_model(model: str, reports: Mapping[str, dict], bars: list[Bar] | None = None,
                waived: Mapping[str, str] | None = None) -> list[BarResult]:
    """Every bar of `model` (a registry version's gates). A set missing from `reports` fails as not
    measured, unless `waived` names it with the reason (the comparison with no champion yet)."""
    bars = load_bars() if bars is None else bars
    waived = waived or {}
    return [BarResult(bar, None, waived[bar.set]) if bar.set in waived
            else BarResult(bar, _lookup(reports[bar.set], bar.metric) if bar.set in reports else None)
            for bar in bars if bar.model in (model, None)]


def gate_tags(results: list[BarResult]) -> dict[str, str]:
    """Registry tags: `gates` passed|failed, and per bar `gate.<name>` with its metric, value and bar."""
    tags = {"gates": "passed" if results and all(r.passed for r in results) else "failed"}
    for r in results:
        key = f"gate.{r.bar.key}"
        tags |= {key: "passed" if r.passed else "failed", f"{key}.metric": f"{r.bar.set}: {r.bar.metric}",
                 f"{key}.value": r.shown, f"{key}.bar": r.bar.describe()}
    return tags


def failed_gates(tags: Mapping[str, str]) -> list[str]:
    """What a version's tags say failed, one line per gate naming metric, value and bar; a version
    never evaluated says so."""
    if "gates" not in tags:
        return ["gates: not evaluated on this version"]
    names = sorted(k[len("gate."):-len(".metric")] for k in tags if k.startswith("gate.") and k.endswith(".metric"))
    names = [n for n in names if tags.get(f"gate.{n}") == "failed"]
    return [f"{name}: {tags.get(f'gate.{name}.metric', '?')} = {tags.get(f'gate.{name}.value', '?')} "
            f"(bar {tags.get(f'gate.{name}.bar', '?')})" for name in names]
