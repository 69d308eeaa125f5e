"""Turn policy: what kind of turn this is (reset, summary, go back, follow-up, switch, clarify).

Pure functions over the text and the session state, so each rule is tested on its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.content.schema import FollowUp, Scenario
from core.nlu.intent import CLARIFY_BELOW  # noqa: F401  (policy.CLARIFY_BELOW: defined with the intent model)
from core.nlu.normalize import match_form

SWITCH_ABOVE = 0.60  # a follow-up-looking message switches topic only when this sure of another topic

# Reset and summary are commands: the WHOLE message must be the command, optionally wrapped in politeness
# ("please start over", "can we start again?", "hazme un resumen, por favor"). A word search would take
# "restart her insulin after the surgery?" for "start over" and "resume driving after knee surgery" for a
# summary request, and answer a health question with a reset.
_POLITE_LEAD = (
    r"(?:(?:ok|okay|hey|hi|so|well|um|vale|bueno|oye|hola|pues) )*"
    r"(?:(?:please|por favor|just|solo) )?"
    r"(?:(?:can|could|would|will|may|shall) (?:you|we|i)(?: please)? |(?:lets|let us) |"
    r"i (?:want|would like|d like|need) (?:you )?to |id like (?:you )?to |"
    r"(?:me |nos )?(?:puede|puedes|podria|podrias|podemos|quiero|quisiera|me gustaria|vamos a) (?:por favor )?)?"
    r"(?:(?:please|por favor|just|solo) )?"
)
_POLITE_TAIL = r"(?: (?:please|por favor|thanks|thank you|gracias|now|ahora))*"
_RESET_COMMAND = (
    r"(?:start (?:over|again|fresh|from scratch)|start (?:a )?(?:new|fresh) (?:conversation|chat)|begin again|"
    r"(?:reset|restart)(?: (?:the|this|our|my) (?:conversation|chat))?|(?:clear|wipe) (?:the|this|our|my) (?:conversation|chat)|"
    r"reset everything|clear everything|forget everything|new (?:conversation|chat)|"
    r"(?:empezar|empecemos|comenzar|comencemos) (?:de nuevo|otra vez|de cero|desde cero)|volver a empezar|"
    r"(?:reiniciar|reinicia|reinicie)(?: (?:la|esta|nuestra) conversacion| el chat)?|"
    r"(?:borrar|borra|borre) (?:la conversacion|esta conversacion|el chat|todo)|"
    r"(?:una )?nueva conversacion|(?:un )?nuevo chat)"
)
_ABOUT_CHAT = (
    r"(?: (?:of |about )?(?:what we(?: have|ve)? (?:talked|discussed|covered)(?: about)?(?: so far)?|"
    r"(?:the|this|our) (?:conversation|chat|discussion)(?: so far)?|everything(?: so far)?|so far|it(?: up)?|that|this))?"
)
_SUMMARY_COMMAND = (
    r"(?:(?:summari[sz]e|sum up|sum it up|recap)" + _ABOUT_CHAT + r"|"
    r"(?:give me |get |have )?(?:a |the )?(?:summary|recap)" + _ABOUT_CHAT + r"|"
    r"what (?:have we|did we) (?:talked|talk|discussed|discuss|covered|cover)(?: about)?(?: so far)?|"
    r"(?:(?:hazme|hagame|hacer|hacerme|dame|deme|darme|quiero|necesito) )?(?:un |el )?"
    r"(?:resumen|resumir|resume|resumeme|resumalo|resumelo)"
    r"(?: (?:de )?(?:lo que (?:hemos )?(?:hablado|hablamos|vimos|visto)(?: hasta ahora)?|"
    r"(?:la|esta|nuestra) conversacion|todo|hasta ahora))?|"
    r"de que hemos hablado(?: hasta ahora)?)"
)
_RESET = re.compile(_POLITE_LEAD + _RESET_COMMAND + _POLITE_TAIL)
_SUMMARY = re.compile(_POLITE_LEAD + _SUMMARY_COMMAND + _POLITE_TAIL)
_GO_BACK = re.compile(
    r"\b(?:go(?:ing)? back to|back to (?:the )?(?:previous|other|last|earlier)|previous topic|what we (?:were )?(?:talking|talked) about before|"
    r"volv(?:er|amos) (?:al|a lo) (?:tema )?anterior|regres(?:ar|emos) al tema|lo de antes)\b"
)
_FOLLOW_UP = re.compile(
    r"^(?:and |but |so |ok |okay |y |pero |vale |ok y )?(?:what about|how about|what if|and (?:at|in|during|if|when|for|what)|"
    r"tell me more|more(?: please| info| information| details| tips)?$|what else|anything else|go on|continue|keep going|"
    r"elaborate|can you elaborate|explain more|more about that|"
    r"y (?:si|por|en|cuando|para|de|que|con|sobre|durante|a)\b|que mas|cuentame mas|dime mas|mas (?:informacion|info|detalles|consejos)|"
    r"mas$|sigue|continua|y que hay de|y sobre|y en cuanto a)"
)
_GENERIC_MORE = re.compile(
    r"^(?:and |ok |okay |y |vale )?(?:tell me more|more(?: please| info| information| details| tips)?|what else|anything else|go on|"
    r"continue|keep going|elaborate|can you elaborate|explain more|more about that|que mas|cuentame mas|dime mas|"
    r"mas(?: informacion| info| detalles| consejos)?|sigue|continua)\W*$"
)


@lru_cache(maxsize=1024)
def folded(text: str) -> str:
    """Cached: one turn asks several of the questions below about the same text."""
    return re.sub(r"^[\W_]+", "", match_form(text)).strip()


def _command_text(text: str) -> str:
    """The message as a command reads it: words only, so "Please, start over!" reads "please start over"."""
    return " ".join(re.findall(r"\w+", folded(text)))


def is_reset(text: str) -> bool:
    """True only when the whole message asks to start over, never for a question that mentions restarting."""
    return bool(_RESET.fullmatch(_command_text(text)))


def is_summary(text: str) -> bool:
    """True only when the whole message asks for a summary, never for "resume driving" or "resumen de medicamentos"."""
    return bool(_SUMMARY.fullmatch(_command_text(text)))


def is_go_back(text: str) -> bool:
    return bool(_GO_BACK.search(folded(text)))


def is_follow_up(text: str) -> bool:
    return bool(_FOLLOW_UP.search(folded(text)))


def is_generic_more(text: str) -> bool:
    return bool(_GENERIC_MORE.search(folded(text)))


@dataclass(frozen=True)
class FollowUpChoice:
    follow_up: FollowUp | None
    matched: bool  # True when the user's words picked it, False when it is simply the next unseen one


@lru_cache(maxsize=512)
def _keyword_patterns(keywords: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(rf"\b{re.escape(match_form(k))}") for k in keywords if match_form(k).strip())


def choose_follow_up(scenario: Scenario, text: str, shown: list[str]) -> FollowUpChoice:
    """Pick the follow-up whose keywords the text names; else the next one not yet shown."""
    words = folded(text)
    best, best_hits = None, 0
    for item in scenario.follow_ups:
        patterns = _keyword_patterns(tuple(item.keywords.en + item.keywords.es))
        hits = sum(1 for p in patterns if p.search(words))
        if hits > best_hits:
            best, best_hits = item, hits
    if best is not None:
        return FollowUpChoice(best, True)
    unseen = [item for item in scenario.follow_ups if item.id not in shown]
    return FollowUpChoice(unseen[0] if unseen else None, False)


def names_follow_up(scenario: Scenario, text: str) -> bool:
    return choose_follow_up(scenario, text, []).matched
