"""The intent model's rows, defined once for training and for a dataset version's notes: the authored
rows and scenario examples, the rows a dataset version adds, and the curated public questions; the
rows of a new topic whose class cannot be trained yet wait (validation.hold_back_new_topics, the one
per-class rule), so a dataset version says "trains as <topic>" exactly when training would."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.config import Settings
from core.content.topics import known_intents
from core.mlops.dataset import Example, load_authored, load_golden, load_public, public_for_intents
from core.mlops.validation import drop_colliding, hold_back_new_topics


@dataclass
class IntentRows:
    train: list[Example]  # what the intent model trains on
    held_back: list[Example]  # rows of new topics that wait (their scenario's examples among them)
    waiting: dict[str, dict]  # per waiting topic: its counts and why it waits
    intents: tuple[str, ...]  # the known intents (built-in ones and new topics with a scenario)
    golden: list[Example]
    holdout: list[Example]
    public_train: list[Example]
    labelled: list[Example]  # the curated public questions among the training rows


def intent_rows(settings: Settings, extra: Sequence[Example] = ()) -> IntentRows:
    """The committed rows plus `extra` (a dataset version's topic and crisis rows)."""
    authored = load_authored(settings) + list(extra)
    golden, holdout = load_golden(settings), load_public(settings, "holdout")
    public_train = load_public(settings, "train")
    labelled = drop_colliding(public_for_intents(public_train), authored + golden + holdout)
    intents = tuple(known_intents(settings.scenarios_dir))
    train, held_back, waiting = hold_back_new_topics(authored + labelled, intents)
    return IntentRows(train, held_back, waiting, intents, golden, holdout, public_train, labelled)
