"""A conversation as the person saw it, for export: Markdown and JSON, with timestamps and the
disclaimers. Built by the front end from its own turns; nothing here is stored."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime


@dataclass
class Turn:
    who: str  # "user" or "assistant"
    text: str
    at: datetime
    disclaimer: str | None = None
    sources: list[dict] = field(default_factory=list)
    resources: list[dict] = field(default_factory=list)
    crisis: bool = False
    turn_id: str = ""
    intent: str = ""


HEADER = {
    "en": "# CareOps conversation\n\nGeneral information, not medical advice. In an emergency call 911. "
    "988 Suicide & Crisis Lifeline: call or text 988.",
    "es": "# Conversación de CareOps\n\nInformación general, no un consejo médico. En una emergencia llame al 911. "
    "Línea 988: llame o envíe un texto al 988.",
}


def to_markdown(turns: list[Turn], language: str = "en") -> str:
    parts = [HEADER.get(language, HEADER["en"])]
    for turn in turns:
        who = ("You" if language == "en" else "Usted") if turn.who == "user" else "CareOps"
        block = [f"**{who}** ({turn.at.strftime('%Y-%m-%d %H:%M')})", "", turn.text]
        if turn.crisis and turn.resources:
            block += ["", *[f"- {r['name']}: {r['detail']}" for r in turn.resources]]
        if turn.sources:
            block += ["", "Sources: " + "; ".join(f"[{s['name']}]({s['url']})" for s in turn.sources)]
        if turn.disclaimer:
            block += ["", f"_{turn.disclaimer}_"]
        parts.append("\n".join(block))
    return "\n\n---\n\n".join(parts) + "\n"


def to_json(turns: list[Turn], language: str = "en") -> str:
    return json.dumps(
        {"language": language, "notice": HEADER.get(language, HEADER["en"]).split("\n\n", 1)[1],
         "turns": [asdict(t) | {"at": t.at.isoformat(timespec="seconds")} for t in turns]},
        ensure_ascii=False, indent=2,
    )
