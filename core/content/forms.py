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


def _mid_sentence(title: str) -> str:
    """"Hearing aids" reads "hearing aids" inside a sentence; "CPAP machines" stays as it is."""
    return title[0].lower() + title[1:] if len(title) > 1 and title[1].islower() else title


def starter_scenario(topic_id: str, title_en: str, title_es: str) -> str:
    """YAML text of the smallest valid scenario for a new topic, for a reviewer to write over: every
    required field in both languages, worded so that it is a safe, honest answer if it were ever
    served unedited (no advice; it says the guidance is being written and who to ask meanwhile).
    The examples are short on purpose: they name the topic, and the reviewer adds real ones."""
    en, es = _mid_sentence(title_en.strip()), _mid_sentence(title_es.strip())
    wait_en = f"Thank you for asking about {en}. Our reviewed guidance on this topic is still being written."
    wait_es = f"Gracias por preguntar sobre {es}. Nuestra guía revisada sobre este tema todavía se está escribiendo."
    ask_en = {"caregiver": "For now, the doctor, nurse or pharmacist who knows the person you care for is the best person to ask.",
              "senior": "For now, your doctor, nurse or pharmacist is the best person to ask.",
              "patient": "For now, your doctor, nurse or pharmacist is the best person to ask.",
              "healthcare_worker": "For now, follow your organisation's protocols and ask the person's care team."}
    ask_es = {"caregiver": "Por ahora, el médico, la enfermera o el farmacéutico que conoce a la persona que cuida es quien mejor puede responder.",
              "senior": "Por ahora, su médico, enfermera o farmacéutico es quien mejor puede responder.",
              "patient": "Por ahora, su médico, enfermera o farmacéutico es quien mejor puede responder.",
              "healthcare_worker": "Por ahora, siga los protocolos de su organización y consulte al equipo que atiende a la persona."}
    data = {
        "version": 1,
        "intent": topic_id,
        "title": {"en": title_en.strip(), "es": title_es.strip()},
        "examples": {"en": [en, f"questions about {en}", f"help with {en}"], "es": [es, f"preguntas sobre {es}"]},
        "responses": {role: {"en": f"{wait_en} {ask_en[role]}", "es": f"{wait_es} {ask_es[role]}"} for role in SPEAKER_ROLES},
        "follow_ups": [{"id": "more", "keywords": {"en": ["more", "tell me more"], "es": ["más", "cuéntame más"]},
                        "text": {"en": f"There is no more on {en} here yet. Your doctor, nurse or pharmacist can help with your questions.",
                                 "es": f"Todavía no hay más sobre {es} aquí. Su médico, enfermera o farmacéutico puede ayudarle con sus preguntas."}}],
        "suggestions": {"en": [], "es": []},
        "when_to_call_doctor": {"en": ["Call the doctor if something is new, getting worse or worrying you."],
                                "es": ["Llame al médico si algo es nuevo, empeora o le preocupa."]},
        "sources": [],
    }
    return dump_yaml(data)
