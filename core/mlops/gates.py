"""The quality bars of core/mlops/gates.yaml, checked against evaluation reports.

One definition of every bar: the command line's `evaluate` exit code and the registry's gate tags
read the same file. A bar whose metric is missing from its report fails (a gate that cannot
be measured is not passed). Sets that were not evaluated are left out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from core.errors import InvalidInput

GATES_FILE = Path(__file__).with_name("gates.yaml")


class Bar(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    set: str
    metric: str
    min: float | None = None
    max: float | None = None

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

    @property
    def passed(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.bar.min if self.bar.min is not None else self.value <= self.bar.max

    def line(self) -> str:
        shown = "not measured" if self.value is None else f"{self.value:.4f}"
        verdict = "pass" if self.passed else "FAIL"
        return f"{verdict}  {self.bar.set}: {self.bar.metric} = {shown} (bar {self.bar.describe()})"


def load_bars(path: Path = GATES_FILE) -> list[Bar]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return [Bar.model_validate(item) for item in raw.get("bars", [])]
    except (OSError, yaml.YAMLError, ValidationError, AttributeError, TypeError) as exc:
        raise InvalidInput(f"{path}: not a valid gates file ({exc})") from exc


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
