"""What the training data has seen: its words (a logged turn with words it has never seen goes up the
labeling queue), and per intent how often each word occurs, which ranks the likeliest intents for
the reviewer's number keys when no model is loaded (the labeling page must not wait for models).

Built from the authored training rows and the scenario examples (core/mlops/dataset.load_authored)
and cached until one of those files changes. Its intents are the known ones of the scenarios
directory it was built from (core/content/topics.known_intents): a new topic's scenario adds one."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from core.config import Settings
from core.content.topics import known_intents
from core.mlops.dataset import load_authored
from core.nlu.normalize import tokens
from core.taxonomy import INTENTS

PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")  # what redaction put in place of a name, a phone...


def words_of(text: str) -> list[str]:
    """The words that count: redaction placeholders, numbers and single letters are not vocabulary."""
    return [w for w in tokens(PLACEHOLDER.sub(" ", text)) if len(w) > 1 and not w.isdigit()]


@dataclass(frozen=True)
class Vocabulary:
    words: frozenset[str]
    by_intent: dict[str, Counter] = field(default_factory=dict)
    intents: tuple[str, ...] = INTENTS

    def unseen(self, text: str) -> list[str]:
        """Words of `text` the training data never had, in order, once each."""
        return list(dict.fromkeys(w for w in words_of(text) if w not in self.words))

    def likeliest(self, text: str) -> list[str]:
        """Every intent, likeliest first: a naive-Bayes word score with add-one smoothing. Only a
        reviewer's shortlist, never a prediction that is served or stored."""
        size = len(self.words) + 1
        words = words_of(text)
        scores = {}
        for intent in self.intents:
            counts = self.by_intent.get(intent, Counter())
            total = counts.total() + size
            scores[intent] = sum(math.log((counts[w] + 1) / total) for w in words)
        return sorted(self.intents, key=lambda i: (-scores[i], self.intents.index(i)))


def _signature(settings: Settings) -> tuple:
    files = [*sorted((settings.data_dir / "training").glob("*.csv")), *sorted(Path(settings.scenarios_dir).glob("*.yaml"))]
    return tuple((str(p), p.stat().st_mtime_ns) for p in files)


_CACHE: dict[tuple, Vocabulary] = {}
_CACHE_LOCK = threading.Lock()


def training_vocabulary(settings: Settings) -> Vocabulary:
    """Cached by the files it reads (their paths and modification times): a changed training file or
    scenario builds it again; the same files read from anywhere are read once."""
    signature = _signature(settings)
    with _CACHE_LOCK:
        if signature not in _CACHE:
            by_intent: dict[str, Counter] = {}
            for row in load_authored(settings):
                by_intent.setdefault(row.intent, Counter()).update(words_of(row.text))
            if len(_CACHE) >= 4:
                _CACHE.clear()
            _CACHE[signature] = Vocabulary(frozenset(w for counts in by_intent.values() for w in counts), by_intent,
                                           known_intents(settings.scenarios_dir))
        return _CACHE[signature]
