"""The disclaimer every health answer carries, worded for who is reading it."""

from __future__ import annotations

from core.taxonomy import DEFAULT_SPEAKER_ROLE

_DISCLAIMERS: dict[str, dict[str, str]] = {
    "caregiver": {
        "en": "This is general information to support you as a caregiver, not medical advice. Check with the person's doctor, "
        "nurse or pharmacist about their situation. In an emergency call 911.",
        "es": "Esta es información general para apoyarle como cuidador o cuidadora, no un consejo médico. Consulte con el médico, "
        "la enfermera o el farmacéutico de la persona sobre su situación. En una emergencia llame al 911.",
    },
    "senior": {
        "en": "This is general information, not medical advice. Please talk with your doctor or pharmacist about what is right "
        "for you. In an emergency call 911.",
        "es": "Esta es información general, no un consejo médico. Hable con su médico o farmacéutico sobre lo que es mejor "
        "para usted. En una emergencia llame al 911.",
    },
    "patient": {
        "en": "This is general information, not a diagnosis or medical advice. Your own care team knows your situation best: "
        "ask them before changing anything. In an emergency call 911.",
        "es": "Esta es información general, no un diagnóstico ni un consejo médico. Su equipo de salud conoce mejor su "
        "situación: consúltelo antes de cambiar algo. En una emergencia llame al 911.",
    },
    "healthcare_worker": {
        "en": "General educational information; it does not replace clinical judgement, your facility's protocols or the "
        "care plan. Escalate concerns to the supervising clinician.",
        "es": "Información educativa general; no sustituye el juicio clínico, los protocolos de su institución ni el plan de "
        "cuidados. Comunique cualquier preocupación al profesional clínico responsable.",
    },
}



def disclaimer_for(role: str | None, language: str) -> str:
    by_language = _DISCLAIMERS.get(role or DEFAULT_SPEAKER_ROLE, _DISCLAIMERS[DEFAULT_SPEAKER_ROLE])
    return by_language.get(language, by_language["en"])
