"""The input guard: every string gets a polite answer, never an exception."""

from __future__ import annotations

from dataclasses import dataclass

from core.nlu.normalize import clean

MAX_CHARS = 2000

_EMPTY = {
    "en": "I'm here whenever you're ready. What's on your mind about caring for yourself or someone else?",
    "es": "Aquí estoy cuando quiera. ¿Qué le preocupa sobre su cuidado o el de otra persona?",
}
_TOO_LONG = {
    "en": "That message is longer than I can read at once (the limit is {limit:,} characters; yours has {n:,}). "
    "Could you send the most important part first, in a shorter message?",
    "es": "Ese mensaje es más largo de lo que puedo leer de una vez (el límite es de {limit:,} caracteres; el suyo tiene {n:,}). "
    "¿Podría enviar primero lo más importante, en un mensaje más corto?",
}


@dataclass(frozen=True)
class GuardResult:
    text: str  # cleaned text ("" when refused)
    refusal: str | None  # message to send back instead of answering, or None


def check_input(raw: object, language: str = "en") -> GuardResult:
    language = language if language in ("en", "es") else "en"
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    text = clean(raw)
    if not text:
        return GuardResult("", _EMPTY[language])
    if len(text) > MAX_CHARS:
        return GuardResult("", _TOO_LONG[language].format(limit=MAX_CHARS, n=len(text)))
    return GuardResult(text, None)
