"""The distress check-in across turns: when it is due, and what the answer to it was.

Asked once when distress first shows, then not again for a while, so a person who keeps venting is
not asked the same question every turn. A "yes" (or any crisis signal, which the screen catches on
every turn anyway) makes the next reply a crisis reply; a "no" is thanked and the conversation goes
on; anything else closes the question and is answered as usual."""

from __future__ import annotations

import re

from core.nlu.normalize import match_form

ASK_AGAIN_AFTER_TURNS = 8

_YES = re.compile(
    r"^(?:yes|yeah|yea|yep|yup|i do|i have|i am|sometimes|kind of|kinda|a little|maybe|honestly yes|"
    r"si|sii+|a veces|un poco|tal vez|quizas|la verdad si|he pensado|lo he pensado|creo que si|pues si)\b"
)
_NO = re.compile(
    r"^(?:no|nope|nah|not really|never|not at all|im not|i am not|i dont|i have not|i havent|no way|"
    r"para nada|nunca|no no|claro que no|no tengo)\b(?!.*\b(?:but|pero|aunque|sometimes|a veces)\b)"
)


def due(checkin_turn: int, turns: int) -> bool:
    return checkin_turn < 0 or turns - checkin_turn >= ASK_AGAIN_AFTER_TURNS


def answer(text: str) -> str | None:
    """'yes', 'no', or None when the message does not answer the question."""
    folded = match_form(text).strip(" .!,")
    if _YES.search(folded):
        return "yes"
    if _NO.search(folded):
        return "no"
    return None
