"""How urgent a crisis is: `now` (acting, a plan with means or a time, an emergency happening) or
`concern` (thoughts, worry, danger without an immediate plan). A `now` reply leads with 911 and
acting-now wording; a `concern` reply leads with 988.

Patterns run on the folded text (core.nlu.normalize.match_form), in both languages."""

from __future__ import annotations

import re

from core.nlu.normalize import match_form

# Emergencies and overdoses are always acted on now.
ALWAYS_NOW = frozenset({"medical_emergency"})
_NOW = re.compile(
    r"\b(?:tonight|right now|today|this (?:morning|afternoon|evening|weekend)|in (?:an|a few|\d+) (?:hours?|minutes?)|"
    r"after (?:everyone|they|she|he) (?:goes|go|leaves?) to (?:bed|sleep)|about to|going to (?:do it|end|kill|take|jump|hang|"
    r"shoot|cut|hurt)|gonna (?:do it|end|kill|take|jump)|i ?a?m (?:doing|ending) it|have (?:the|a) (?:gun|rope|pills|knife) "
    r"(?:ready|here|with me|in (?:my|front))|(?:pills|gun|rope|knife) (?:are |is )?(?:ready|in front of me|in my hand|right here)|"
    r"(?:already|just) (?:took|swallowed|cut|taken)|took (?:all|the whole|a bottle|a handful)|wrote (?:the|my|a) (?:note|letters?)|"
    r"said (?:my )?goodbyes?|(?:he|she|they) (?:is|are) (?:hitting|beating|choking) |not breathing|unconscious|unresponsive|"
    r"esta noche|ahora mismo|hoy (?:mismo|me voy)|en (?:unas|un par de|\d+) (?:horas?|minutos?)|a punto de|voy a (?:hacerlo|"
    r"matarme|quitarme|tomarme|tirarme|colgarme|cortarme)|ya (?:tome|me tome|me corte)|me tome (?:todas|el frasco|un punado)|"
    r"tengo (?:la|el|las) (?:pistola|cuerda|pastillas|cuchillo) (?:lista|listo|listas|aqui|conmigo)|escribi (?:la|mi|una) "
    r"(?:carta|nota) de despedida|no respira|inconsciente|no reacciona)\b"
)


def urgency_of(text: str, crisis_type: str | None) -> str:
    if crisis_type in ALWAYS_NOW or _NOW.search(match_form(text)):
        return "now"
    return "concern"
