"""Turn policy: what kind of turn this is (reset, summary, go back, follow-up, switch, clarify).

Pure functions over the text and the session state, so each rule is tested on its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.content.schema import FollowUp, Scenario
from core.safety.detectors import screen_text

CLARIFY_BELOW = 0.40  # below this confidence the assistant asks instead of guessing
SWITCH_ABOVE = 0.60  # a follow-up-looking message switches topic only when this sure of another topic

_RESET = re.compile(
    r"^(?:please )?(?:start over|start again|reset|restart|new conversation|clear (?:the )?(?:chat|conversation)|"
    r"empezar de nuevo|empecemos de nuevo|volver a empezar|reiniciar|borrar (?:todo|la conversacion)|nueva conversacion)\b"
)
_SUMMARY = re.compile(
    r"^(?:can you |could you |please )?(?:summari[sz]e|sum up|give me a summary|summary|recap|what have we (?:talked|discussed)|"
    r"resume(?:n|me)?|hazme un resumen|dame un resumen|un resumen|resumir)\b"
)
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
    return re.sub(r"^[\W_]+", "", screen_text(text)).strip()


def is_reset(text: str) -> bool:
    return bool(_RESET.search(folded(text)))


def is_summary(text: str) -> bool:
    return bool(_SUMMARY.search(folded(text)))


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
    return tuple(re.compile(rf"\b{re.escape(screen_text(k))}") for k in keywords if screen_text(k).strip())


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
