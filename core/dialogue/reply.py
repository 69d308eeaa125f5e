"""What one turn returns to any front end (console, CLI, API)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Reply:
    text: str
    intent: str
    confidence: float
    crisis: bool
    crisis_type: str | None
    resources: list[dict]
    language: str
    suggestions: list[str]
    kind: str = "answer"  # answer, follow_up, clarify, crisis, smalltalk, summary, reset, guard, unavailable
    risk: str = "none"  # none | distress | crisis; crisis is always risk == "crisis"; a distress reply is any kind
    urgency: str | None = None  # now | concern, on a crisis reply
    risk_margin: float | None = None  # the screen's closeness to a threshold (ScreenResult.margin)
    role: str = "caregiver"
    topic: str | None = None
    disclaimer: str | None = None
    sources: list[dict] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    session_id: str = ""
    turn_id: str = ""

    def __post_init__(self) -> None:
        if self.crisis:
            self.risk = "crisis"
        elif self.risk == "crisis":
            raise ValueError("risk is crisis only on a crisis reply")

    def to_dict(self) -> dict:
        return asdict(self)

    def to_markdown(self) -> str:
        parts = [self.text]
        if self.crisis and self.resources:
            parts.append("\n".join(f"- **{r['name']}**: {r['detail']}" for r in self.resources))
        if self.sources:
            label = "Fuentes" if self.language == "es" else "Sources"
            parts.append(f"{label}: " + "; ".join(f"[{s['name']}]({s['url']})" for s in self.sources))
        if self.disclaimer:
            parts.append(f"_{self.disclaimer}_")
        return "\n\n".join(parts)
