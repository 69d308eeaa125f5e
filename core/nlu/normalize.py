"""Text normalisation shared by every model and detector, so training and serving see the same text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The longest message answered as a question. A longer one is still read whole by the crisis screen
# (a crisis in it gets the crisis reply); only the topic answer is refused, politely.
MAX_CHARS = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def clean(text: str) -> str:
    """Strip control and zero-width characters, normalise Unicode, collapse runs of spaces."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=2048)
def fold(text: str) -> str:
    """Lowercase and strip accents: what pattern matching and TF-IDF see ("Mamá" -> "mama").
    Cached: one message is folded by the detectors, language detection and policy alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def match_form(text: str) -> str:
    """The form patterns are matched against (detectors, policy, roles): folded, apostrophes
    dropped (typographic ones too: the detectors are also called on text that never went through
    `clean`), runs of space collapsed ("Don't  STOP" -> "dont stop", "can’t" -> "cant")."""
    return re.sub(r"\s+", " ", fold(text).translate(_APOSTROPHES).replace("'", ""))


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9ñ']+", fold(text))


_SENTENCE_END = re.compile(r"(?<=[.!?¡¿;])\s+|\n+")


def sentences(text: str) -> list[str]:
    """Split into sentences; long unpunctuated runs are cut every ~40 words so windows stay small."""
    out: list[str] = []
    for part in _SENTENCE_END.split(text):
        words = part.split()
        for start in range(0, len(words), 40):
            chunk = " ".join(words[start : start + 40])
            if chunk:
                out.append(chunk)
    return out
