"""Turning scenarios into answer text, per role and language; and the assistant's own small lines."""

from __future__ import annotations

import re

from core.content.schema import FollowUp, Scenario
from core.nlu.normalize import match_form
from core.taxonomy import LANGUAGES

_LINES: dict[str, dict[str, str]] = {
    "call_doctor": {"en": "**Call the doctor if:**", "es": "**Llame al médico si:**"},
    "back_to": {"en": "Back to {title}.", "es": "Volvamos a: {title}."},
    "clarify": {
        "en": "I want to be sure I point you to the right guidance. Is this mostly about **{a}** or **{b}**? "
        "You can also tell me a little more about what's happening.",
        "es": "Quiero asegurarme de darle la orientación correcta. ¿Se trata más de **{a}** o de **{b}**? "
        "También puede contarme un poco más de lo que está pasando.",
    },
    "exhausted": {
        "en": "That's the main guidance I have on {title}. I can give you a summary of what we covered, or we can "
        "look at another topic.",
        "es": "Esa es la orientación principal que tengo sobre {title}. Puedo darle un resumen de lo que vimos, o "
        "podemos ver otro tema.",
    },
    "reset": {
        "en": "All right, let's start fresh. What would you like to talk about?",
        "es": "De acuerdo, empecemos de nuevo. ¿De qué le gustaría hablar?",
    },
    "summary_none": {
        "en": "We haven't covered any care topics yet. What would you like to start with?",
        "es": "Todavía no hemos visto ningún tema de cuidado. ¿Por cuál le gustaría empezar?",
    },
    "summary": {"en": "Here's what we've talked about so far:", "es": "Esto es lo que hemos hablado hasta ahora:"},
    "summary_topic": {"en": "- **{title}**{more}", "es": "- **{title}**{more}"},
    "summary_more": {"en": " (also: {items})", "es": " (también: {items})"},
    "summary_crisis": {
        "en": "Earlier you mentioned something serious. 988 (call or text) and 911 are there any time you need them.",
        "es": "Antes mencionó algo serio. El 988 (llamada o texto) y el 911 están disponibles siempre que los necesite.",
    },
    "summary_current": {"en": "We're on **{title}** now.", "es": "Ahora estamos en **{title}**."},
    "unavailable": {
        "en": "I'm sorry, I can't look up topic guidance right now. If this is urgent, please call your doctor, or 911 in "
        "an emergency. You can also call or text 988 any time you're struggling.",
        "es": "Lo siento, ahora mismo no puedo consultar la orientación por temas. Si es urgente, llame a su médico, o al "
        "911 en una emergencia. También puede llamar o escribir al 988 siempre que lo esté pasando mal.",
    },
    "summarise": {"en": "Summarise", "es": "Resumen"},
    "start_over": {"en": "Start over", "es": "Empezar de nuevo"},
}

STARTER_TOPICS = ("dementia_senior_care", "caregiver_wellbeing", "medication_side_effects", "home_safety")


def line(key: str, language: str, **values: str) -> str:
    return _LINES[key][language].format(**values)


def title(scenario: Scenario, language: str) -> str:
    return getattr(scenario.title, language)


def topic_answer(scenario: Scenario, role: str, language: str, *, first_time: bool, returning: bool) -> str:
    parts = []
    if returning:
        parts.append(line("back_to", language, title=title(scenario, language)))
    parts.append(scenario.response(role, language).strip())
    signs = getattr(scenario.when_to_call_doctor, language)
    if first_time and signs:
        parts.append(line("call_doctor", language) + "\n" + "\n".join(f"- {s}" for s in signs))
    return "\n\n".join(parts)


def follow_up_answer(item: FollowUp, language: str) -> str:
    return getattr(item.text, language).strip()


def summary(scenarios: dict[str, Scenario], topics: list[str], shown: dict[str, list[str]], current: str | None,
            had_crisis: bool, language: str) -> str:
    known = [t for t in topics if t in scenarios]
    if not known and not had_crisis:
        return line("summary_none", language)
    parts = [line("summary", language)]
    rows = []
    for intent in known:
        items = ", ".join(s.replace("_", " ") for s in shown.get(intent, []))
        more = line("summary_more", language, items=items) if items else ""
        rows.append(line("summary_topic", language, title=title(scenarios[intent], language), more=more))
    if rows:
        parts.append("\n".join(rows))
    if current in scenarios:
        parts.append(line("summary_current", language, title=title(scenarios[current], language)))
    if had_crisis:
        parts.append(line("summary_crisis", language))
    return "\n\n".join(parts)


def starter_suggestions(scenarios: dict[str, Scenario], language: str) -> list[str]:
    return [title(scenarios[t], language) for t in STARTER_TOPICS if t in scenarios]


def _title_key(text: str) -> str:
    return re.sub(r"^[\W_]+", "", match_form(text)).strip().rstrip("?!. ")


def title_index(scenarios: dict[str, Scenario]) -> dict[str, str]:
    """Folded scenario title (both languages) -> intent: a suggestion chip sends a title, and a title
    always reaches its own scenario."""
    return {_title_key(getattr(s.title, lang)): intent for intent, s in scenarios.items() for lang in LANGUAGES}


def match_title(text: str, index: dict[str, str]) -> str | None:
    return index.get(_title_key(text))
