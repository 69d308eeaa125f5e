"""The scenario editor's form, as plain data: a scenario to form fields and back to YAML text.

Lists are edited one item per line; follow-up keywords as comma-separated words. The YAML written
uses block scalars for multi-line text so that version diffs read line by line."""

from __future__ import annotations

from core.content.scenarios import dump_yaml
from core.content.schema import Scenario
from core.taxonomy import LANGUAGES, SPEAKER_ROLES


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def words(text: str) -> list[str]:
    return [w.strip() for w in (text or "").split(",") if w.strip()]


def to_form(scenario: Scenario) -> dict:
    data = scenario.model_dump(mode="json")
    return {
        "version": data["version"], "intent": data["intent"], "title": data["title"],
        "examples": {lang: "\n".join(data["examples"][lang]) for lang in LANGUAGES},
        "responses": data["responses"],
        "follow_ups": [{"id": f["id"], "keywords": {lang: ", ".join(f["keywords"][lang]) for lang in LANGUAGES},
                        "text": f["text"]} for f in data["follow_ups"]],
        "suggestions": {lang: "\n".join(data["suggestions"][lang]) for lang in LANGUAGES},
        "when_to_call_doctor": {lang: "\n".join(data["when_to_call_doctor"][lang]) for lang in LANGUAGES},
        "sources": data["sources"],
    }


def _block(text: str) -> str:
    text = (text or "").strip()
    return text + "\n" if "\n" in text else text


def from_form(form: dict) -> str:
    """YAML text for a filled-in form; validation happens when it is saved (parse_scenario)."""
    data = {
        "version": form["version"],
        "intent": form["intent"],
        "title": {lang: form["title"][lang].strip() for lang in LANGUAGES},
        "examples": {lang: lines(form["examples"][lang]) for lang in LANGUAGES},
        "responses": {role: {lang: _block(form["responses"][role][lang]) for lang in LANGUAGES} for role in SPEAKER_ROLES},
        "follow_ups": [
            {"id": f["id"].strip(), "keywords": {lang: words(f["keywords"][lang]) for lang in LANGUAGES},
             "text": {lang: _block(f["text"][lang]) for lang in LANGUAGES}}
            for f in form["follow_ups"] if f["id"].strip() or f["text"]["en"].strip()
        ],
        "suggestions": {lang: lines(form["suggestions"][lang]) for lang in LANGUAGES},
        "when_to_call_doctor": {lang: lines(form["when_to_call_doctor"][lang]) for lang in LANGUAGES},
        "sources": [{"name": s["name"].strip(), "url": s["url"].strip()} for s in form["sources"]
                    if (s.get("name") or "").strip() or (s.get("url") or "").strip()],
    }
    return dump_yaml(data)
