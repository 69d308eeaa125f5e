"""The input guard: every string gets a polite answer, never an exception.

An over-long message is not refused before the safety screen: the guard only marks it, the screen
reads all of it, and the length note is the answer when the screen finds no crisis."""

from __future__ import annotations

from dataclasses import dataclass

from core.nlu.language import LANGUAGES
from core.nlu.normalize import MAX_CHARS, clean

_EMPTY = {
    "en": "I'm here whenever you're ready. What's on your mind about caring for yourself or someone else?",
    "es": "Aquí estoy cuando quiera. ¿Qué le preocupa sobre su cuidado o el de otra persona?",
}
_TOO_LONG = {
    "en": "That message is longer than I can answer at once (the limit is {limit:,} characters; yours has {n:,}). "
    "Could you send the most important part first, in a shorter message?",
    "es": "Ese mensaje es más largo de lo que puedo responder de una vez (el límite es de {limit:,} caracteres; el suyo "
    "tiene {n:,}). ¿Podría enviar primero lo más importante, en un mensaje más corto?",
}
# After a crisis reply to an over-long message: it was read whole; the rest can come later.
_AFTER_CRISIS = {
    "en": "I read your whole message. Whenever you're ready, you can also send the part you'd most like help with "
    "in a shorter message.",
    "es": "Leí todo su mensaje. Cuando quiera, también puede enviarme en un mensaje más corto la parte en la que más "
    "le gustaría recibir ayuda.",
}


@dataclass(frozen=True)
class GuardResult:
    text: str  # cleaned text, whole even when over the limit ("" when empty)
    refusal: str | None  # an empty message's answer: nothing to screen
    too_long: bool = False  # over MAX_CHARS: screened, but not answered as a question
    language: str = "en"

    @property
    def length_note(self) -> str:
        return _TOO_LONG[self.language].format(limit=MAX_CHARS, n=len(self.text))

    @property
    def after_crisis_note(self) -> str:
        return _AFTER_CRISIS[self.language]


def check_input(raw: object, language: str = "en") -> GuardResult:
    language = language if language in LANGUAGES else "en"
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    text = clean(raw)
    if not text:
        return GuardResult("", _EMPTY[language], language=language)
    return GuardResult(text, None, too_long=len(text) > MAX_CHARS, language=language)
