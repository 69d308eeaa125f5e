"""The topic intents: the built-in ones (core/taxonomy.py) and every new topic that has a scenario.

A reviewer can label a logged message as a new topic (`new:<id>`, core/mlops/labeling.py); it
becomes a topic the assistant can answer when scenarios/<id>.yaml exists. A scenario file's name
is its intent (core/content/scenarios.load_scenario refuses any other), so the file names are
enough to know the topics: nothing is parsed here, and every caller reads the same set."""

from __future__ import annotations

import re
from pathlib import Path

from core.taxonomy import CRISIS_TYPES, INTENTS, SMALLTALK_INTENTS, TOPIC_INTENTS

TOPIC_ID = re.compile(r"^[a-z][a-z0-9_]{2,40}$")
NEW_PREFIX = "new:"
NEW_TOPIC_LABEL = re.compile(r"^new:([a-z][a-z0-9_]{2,40})$")  # a reviewer's label for a topic with no scenario yet
NOT_TOPICS: tuple[str, ...] = ("crisis", *SMALLTALK_INTENTS, "out_of_scope")


def new_topic_problem(topic_id: str) -> str | None:
    """Why `topic_id` cannot be the id of a new topic, or None when it can."""
    if topic_id.startswith(NEW_PREFIX):
        return (f"{topic_id!r}: write the topic id without {NEW_PREFIX!r} "
                f"(that prefix only marks a label whose topic has no scenario yet)")
    if topic_id == "crisis" or topic_id in CRISIS_TYPES:
        return f"{topic_id!r} is reserved for the crisis screen: crises are never a topic"
    if topic_id in INTENTS:
        return f"{topic_id!r} is a built-in intent, not a new topic"
    if not TOPIC_ID.match(topic_id):
        return (f"{topic_id!r} is not a topic id: 3 to 41 characters, lower-case letters, digits and "
                f"underscores, starting with a letter (snake_case, e.g. hearing_aids)")
    return None


def is_topic(intent: str) -> bool:
    """A built-in topic, or an id a new topic may have (whether or not its scenario exists)."""
    return intent in TOPIC_INTENTS or new_topic_problem(intent) is None


def new_topics(scenarios_dir: Path | None) -> tuple[str, ...]:
    """The new topics: scenario files whose name is a valid new-topic id, sorted."""
    if scenarios_dir is None:
        return ()
    return tuple(sorted(p.stem for p in Path(scenarios_dir).glob("*.yaml") if new_topic_problem(p.stem) is None))


def topic_intents(scenarios_dir: Path | None) -> tuple[str, ...]:
    """The built-in topics, then the new topics that have a scenario in `scenarios_dir`."""
    return (*TOPIC_INTENTS, *new_topics(scenarios_dir))


def known_intents(scenarios_dir: Path | None) -> tuple[str, ...]:
    """Every intent: taxonomy.INTENTS, with the new topics after the built-in topics."""
    return (*topic_intents(scenarios_dir), *NOT_TOPICS)
