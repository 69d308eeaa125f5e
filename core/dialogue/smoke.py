"""The smoke prediction: known crisis lines must be caught, known safe lines must not, before a model
is served.

A model version can pass its gates at training and still arrive broken: a truncated download, the
wrong file under the right name, a bundle from another version of the code. The hot swap
(core/dialogue/champions.py) runs these lines through the same decision a reply makes, with the
candidate in place of the served model, and serves it only when every line comes out right. The
lines are defined once, in smoke.yaml beside this module. A safe line's expected intent is one of
the known intents of the scenarios directory the caller names (core/content/topics.known_intents),
the built-in ones when it names none.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.content.topics import known_intents
from core.errors import InvalidInput
from core.nlu.embeddings import Embedder
from core.nlu.features import MessageFeatures, extract
from core.nlu.intent import IntentModel
from core.safety.screen import CrisisScreen, decide
from core.safety.semantic import SemanticCrisisClassifier
from core.taxonomy import LANGUAGES

SMOKE_FILE = Path(__file__).with_name("smoke.yaml")


class SmokeLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    language: str
    intent: str | None = None  # a safe line's expected intent; crisis lines have none

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        return value


class SmokeFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    crisis: list[SmokeLine] = Field(min_length=1)
    safe: list[SmokeLine] = Field(min_length=1)


@dataclass(frozen=True)
class SmokeLines:
    crisis: tuple[SmokeLine, ...]
    safe: tuple[SmokeLine, ...]


@lru_cache(maxsize=4)
def load_smoke_lines(path: Path = SMOKE_FILE, scenarios_dir: Path | None = None) -> SmokeLines:
    """The lines of a smoke file; a broken file is refused with its name and the problem. A safe
    line's intent must be a known intent of `scenarios_dir` (the built-in ones without it)."""
    try:
        parsed = SmokeFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise InvalidInput(f"{path}: not a valid smoke file ({exc})") from exc
    intents = known_intents(scenarios_dir)
    for line in [*parsed.crisis, *parsed.safe]:
        if line.intent is not None and line.intent not in intents:
            raise InvalidInput(f"{path}: unknown intent {line.intent!r} in the line {line.text!r}")
    for line in parsed.safe:
        if line.intent is None or line.intent == "crisis":
            raise InvalidInput(f"{path}: the safe line {line.text!r} needs its expected intent (not crisis)")
    return SmokeLines(tuple(parsed.crisis), tuple(parsed.safe))


def smoke_failures(embedder: Embedder | None, intent_model: IntentModel | None,
                   semantic: SemanticCrisisClassifier | None, lines: SmokeLines | None = None,
                   scenarios_dir: Path | None = None) -> list[str]:
    """What went wrong on the smoke lines, one message per wrong line (empty: the models pass).

    The decision is a reply's: the screen (detectors, then `semantic`), then the intent model where
    the screen found no crisis. A crisis line must be a crisis and, with a semantic classifier, be
    caught by that classifier alone too; a safe line must not be a crisis and, with an intent
    model, must reach its expected intent."""
    if embedder is None and (intent_model is not None or semantic is not None):
        return ["the embedding model is not loaded, so no model can be checked"]
    lines = lines or load_smoke_lines(SMOKE_FILE, scenarios_dir)
    every = [*lines.crisis, *lines.safe]
    features = _features(embedder, every)
    screen = CrisisScreen(semantic)
    failures = []
    for line, f in zip(every, features):
        expect_crisis = line.intent is None
        screened = screen.screen(line.text, *_screen_inputs(f))
        ranking = []
        if intent_model is not None and f is not None and not screened.crisis:
            ranking = intent_model.predict([line.text], f.embedding.reshape(1, -1))[0].ranking
        intent, _, decided = decide(screened, ranking or [("out_of_scope", 0.0)])
        if expect_crisis:
            failures += _crisis_line_failures(line, decided.crisis, semantic, f)
        elif decided.crisis:
            failures.append(f"safe line {line.text!r} was taken for a crisis ({'; '.join(decided.explain())})")
        elif intent_model is not None and intent != line.intent:
            failures.append(f"safe line {line.text!r} reached {intent}, expected {line.intent}")
    return failures


def _features(embedder: Embedder | None, every: list[SmokeLine]) -> list[MessageFeatures | None]:
    """Each line read in its own language, as a conversation in that language reads it."""
    if embedder is None:
        return [None] * len(every)
    return [extract([line.text], embedder, line.language)[0] for line in every]


def _screen_inputs(f: MessageFeatures | None) -> tuple:
    if f is None:
        return (None, None, None, None)
    return f.embedding, f.window_texts, f.window_embeddings, f.hidden


def _crisis_line_failures(line: SmokeLine, caught: bool, semantic: SemanticCrisisClassifier | None,
                          f: MessageFeatures | None) -> list[str]:
    if not caught:
        return [f"crisis line {line.text!r} was not caught"]
    if semantic is None or f is None:
        return []
    scored = semantic.score(line.text, *_screen_inputs(f))
    if scored.probability < semantic.threshold:
        return [f"crisis line {line.text!r} was missed by the crisis classifier itself "
                f"(p={scored.probability:.2f}, threshold {semantic.threshold:.2f})"]
    return []
