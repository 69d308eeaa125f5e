"""The wording of graded replies, in English and Spanish: a warm opener for distress that names what
the person is going through, the direct check-in question (asking about thoughts of self-harm does
not plant them; it is what crisis lines and clinicians do), the note that 988 is also for emotional
distress, the acting-now lead of an urgent crisis reply, and tap-to-call links that travel inside
the reply itself (on a phone the banner above has scrolled away by the time the reply arrives)."""

from __future__ import annotations

import re

from core.nlu.normalize import match_form
from core.safety.resources import Resource, phone_label

# A distress message with no care topic of its own (a reply of small talk, out of scope, or no intent
# model) is answered with this topic's guidance, with the opener, the 988 note and the check-in.
DISTRESS_TOPIC = "caregiver_wellbeing"


def answers_distress_with_wellbeing(kind: str) -> bool:
    """Whether a distress reply of this kind is answered with the DISTRESS_TOPIC guidance instead."""
    return kind in ("smalltalk", "unavailable")


# What the distress seems to be about, read off plain words (first match wins); the opener says so.
_FEELINGS: tuple[tuple[str, re.Pattern], ...] = (
    ("grief", re.compile(r"\b(?:passed away|died|death of|lost (?:my|her|his|our)|funeral|grief|grieving|miss (?:her|him) so|"
                         r"fallecio|murio|muri[oó]|perdi a|funeral|duelo|la extrano|lo extrano)\b")),
    ("fear", re.compile(r"\b(?:anxious|anxiety|scared|afraid|terrified|panic|worried sick|so worried|fear|"
                        r"ansiedad|miedo|asustad[oa]|panico|preocupad[oa]|nervios[oa])\b")),
    ("lonely", re.compile(r"\b(?:lonely|alone|no one|nobody|isolated|sol[oa]|nadie|aislad[oa])\b")),
    ("anger", re.compile(r"\b(?:angry|furious|so mad|rage|resent|fed up|hate (?:this|it)|enojad[oa]|furios[oa]|rabia|"
                         r"harta?o?|coraje)\b")),
)
_OPENERS: dict[str, dict[str, str]] = {
    "grief": {
        "en": "I'm so sorry. Grief can be exhausting, and it often arrives in the middle of everything else you're "
        "carrying. What you're feeling makes sense.",
        "es": "Lo siento mucho. El duelo agota, y muchas veces llega en medio de todo lo demás que usted está cargando. "
        "Lo que siente tiene sentido.",
    },
    "fear": {
        "en": "That sounds frightening, and it makes sense that you're worried. Let's take this one piece at a time.",
        "es": "Eso suena muy angustiante, y es comprensible que esté preocupado o preocupada. Vayamos paso a paso.",
    },
    "lonely": {
        "en": "Feeling alone with all of this is hard. I'm glad you wrote, and you don't have to sort it out by yourself.",
        "es": "Sentirse solo o sola con todo esto es muy duro. Me alegra que me haya escrito; no tiene que resolverlo "
        "sin ayuda.",
    },
    "anger": {
        "en": "It's understandable to feel angry and fed up. Frustration like this usually means you've been carrying "
        "too much for too long.",
        "es": "Es comprensible sentirse enojado o harto. Una frustración así suele significar que ha cargado con "
        "demasiado durante demasiado tiempo.",
    },
    "tired": {
        "en": "That sounds like a lot to carry, and it's understandable to feel worn down. Thank you for telling me "
        "how things really are.",
        "es": "Parece mucho para cargar, y es comprensible sentirse agotado o agotada. Gracias por contarme cómo están "
        "las cosas de verdad.",
    },
}
_LINES: dict[str, dict[str, str]] = {
    "check_in": {
        "en": "Can I ask you something directly, because I care about how you're doing: sometimes when people feel "
        "this worn down, they have thoughts of hurting themselves or of not wanting to be here. Are you having "
        "thoughts like that?",
        "es": "¿Puedo preguntarle algo directamente, porque me importa cómo está? A veces, cuando alguien se siente así "
        "de agotado, tiene pensamientos de hacerse daño o de no querer estar aquí. ¿Está teniendo pensamientos así?",
    },
    "also_988": {
        "en": "You don't have to be in a crisis to reach out: the 988 Lifeline also takes calls and texts when you're "
        "feeling overwhelmed or stressed (call or text 988).",
        "es": "No hace falta estar en crisis para pedir apoyo: la Línea 988 también atiende llamadas y mensajes cuando "
        "uno se siente abrumado o estresado (llame o escriba al 988; para español marque 2 o envíe AYUDA).",
    },
    "check_in_no": {
        "en": "Thank you for telling me, and for answering honestly. Let's keep going: what would help most right now?",
        "es": "Gracias por decírmelo y por responder con sinceridad. Sigamos: ¿qué le ayudaría más en este momento?",
    },
    "safe_now": {
        "en": "I'm glad you're safe. I'm here, and we can keep talking about whatever would help. 988 is there any "
        "time you need it.",
        "es": "Me alegra que esté a salvo. Aquí sigo, y podemos seguir hablando de lo que le ayude. El 988 está "
        "disponible siempre que lo necesite.",
    },
    "act_now": {
        "en": "**If you might act on this now, or someone is in danger, call 911 now** (or ask someone near you to call).",
        "es": "**Si podría actuar ahora, o alguien está en peligro, llame al 911 ahora** (o pida a alguien cercano que "
        "llame).",
    },
    "talk_now": {"en": "Talk to someone now", "es": "Hablar con alguien ahora"},
    "keep_talking": {"en": "I'm safe, let's keep talking", "es": "Estoy a salvo, sigamos hablando"},
    "call": {"en": "Call", "es": "Llamar al"},
    "text": {"en": "Text", "es": "Enviar texto al"},
}


def line(key: str, language: str) -> str:
    by_language = _LINES[key]
    return by_language.get(language, by_language["en"])


def distress_opener(text: str, language: str) -> str:
    folded = match_form(text)
    feeling = next((name for name, pattern in _FEELINGS if pattern.search(folded)), "tired")
    return _OPENERS[feeling].get(language, _OPENERS[feeling]["en"])


def tap_links(resources: list[Resource] | list[dict], language: str) -> str:
    """One line of tel:/sms: links, for the reply itself."""
    parts = []
    for r in resources:
        r = r if isinstance(r, dict) else r.to_dict()
        if r.get("phone"):
            parts.append(f"[{line('call', language)} {phone_label(r['phone'])}](tel:{r['phone']})")
        if r.get("sms"):
            body = f"?body={r['sms_body']}" if r.get("sms_body") else ""
            parts.append(f"[{line('text', language)} {r['sms']}](sms:{r['sms']}{body})")
    return " · ".join(parts)


def crisis_suggestions(language: str) -> list[str]:
    """After a crisis reply: no topic chips, only these two."""
    return [line("talk_now", language), line("keep_talking", language)]


def is_chip(text: str, key: str) -> bool:
    target = {match_form(v).strip(" .!") for v in _LINES[key].values()}
    return match_form(text).strip(" .!") in target
