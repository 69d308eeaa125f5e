"""Simulated traffic: days of consented conversations, so that a new machine has a log to show and
drift can be demonstrated end to end (`python -m core simulate`).

Messages come from the project's own authored data only: the training CSVs and the scenarios'
examples (core/mlops/dataset.load_authored), and for the new-topic shift the hearing-aid questions
of data/simulate/hearing_aids.csv. The golden set, the real-text validation split and the red-team
set are never read here, so no dataset cut from the log can leak them. Every message is answered by
the real assistant, so intent, confidence and risk are real predictions, and every row is built by
the interaction log's own `logged_turn` (redacted, then encrypted), only its time is in the past.

A shift changes the last SHIFT_DAYS days: `new-topic` mixes in questions about hearing aids,
`spanish` moves the language mix to mostly Spanish, `crisis-wave` raises the share of crisis messages."""

from __future__ import annotations

import csv
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.config import Settings, get_settings
from core.dialogue.factory import build_assistant
from core.dialogue.interaction_log import counter_key, logged_turn
from core.errors import InvalidInput
from core.mlops.dataset import load_authored
from core.privacy.consent import CONSENT_VERSION, pseudonym
from core.store import interactions
from core.store.tables import ConsentRecord
from core.taxonomy import MODEL_KINDS

SHIFTS = ("new-topic", "spanish", "crisis-wave")
SHIFT_DAYS = 7
NEW_TOPIC_SHARE = 0.35  # of a shifted day's messages are about hearing aids
SPANISH_SHARE = 0.8  # of a shifted day's messages are Spanish (the authored data is about a third)
CRISIS_SHARE = 0.4  # of a shifted day's messages come from the crisis rows (the authored data: about a fifth)
TURNS_PER_CONVERSATION = (1, 4)
WRITE_BATCH = 500
Message = tuple[str, str]  # text, language


@dataclass(frozen=True)
class Simulation:
    turns: int
    conversations: int
    days: int
    shift: str | None
    seconds: float
    reply_ms_mean: float


class Traffic:
    """The pools messages are drawn from, and how a day draws one."""

    def __init__(self, settings: Settings, rng: random.Random) -> None:
        rows = [r for r in load_authored(settings) if r.text]
        self.rng = rng
        self.all: list[Message] = [(r.text, r.language) for r in rows]
        self.spanish = [m for m in self.all if m[1] == "es"]
        self.english = [m for m in self.all if m[1] != "es"]
        self.crisis = [(r.text, r.language) for r in rows if r.intent == "crisis"]
        self.hearing_aids = read_new_topic(settings)

    def draw(self, shift: str | None) -> Message:
        rng = self.rng
        if shift == "new-topic" and rng.random() < NEW_TOPIC_SHARE:
            return rng.choice(self.hearing_aids)
        if shift == "spanish":
            return rng.choice(self.spanish if rng.random() < SPANISH_SHARE else self.english)
        if shift == "crisis-wave" and rng.random() < CRISIS_SHARE:
            return rng.choice(self.crisis)
        return rng.choice(self.all)


def read_new_topic(settings: Settings) -> list[Message]:
    path = settings.data_dir / "simulate" / "hearing_aids.csv"
    if not path.is_file():
        raise InvalidInput(f"the new-topic questions are missing: {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["text"], row["language"]) for row in csv.DictReader(handle) if row.get("text")]


def check_request(days: int, per_day: int, shift: str | None) -> None:
    if days < 1 or per_day < 1:
        raise InvalidInput(f"--days and --per-day must be at least 1 (got {days} and {per_day})")
    if shift is not None and shift not in SHIFTS:
        raise InvalidInput(f"unknown shift {shift!r}: one of {', '.join(SHIFTS)}")


def conversations_of_day(traffic: Traffic, per_day: int, shift: str | None) -> list[list[Message]]:
    """A day's messages grouped into conversations of a few turns each."""
    out: list[list[Message]] = []
    left = per_day
    while left > 0:
        size = min(left, traffic.rng.randint(*TURNS_PER_CONVERSATION))
        out.append([traffic.draw(shift) for _ in range(size)])
        left -= size
    return out


def simulate(*, days: int = 30, per_day: int = 500, shift: str | None = None, seed: int = 0,
             shift_days: int = SHIFT_DAYS, settings: Settings | None = None, now: datetime | None = None,
             progress: Callable[[int, int], None] | None = None) -> Simulation:
    """Answer and log `days * per_day` consented turns, the last day ending now (UTC); a shift
    applies to the last `shift_days` days."""
    check_request(days, per_day, shift)
    settings = settings or get_settings()
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    traffic = Traffic(settings, rng)
    # the simulator writes its own rows (with past times): the live writer and the champion watcher stay off
    assistant = build_assistant(settings.model_copy(update={"log_turns": False, "champion_check_seconds": 0}))
    health = assistant.health or {}
    versions = tuple(getattr(health.get(kind), "version", "") or "" for kind in MODEL_KINDS)
    latency: list[float] = []
    assistant.hooks.append(lambda _session, _text, _reply, ms: latency.append(ms))
    started = time.perf_counter()
    writer = _Writer(settings)
    for day in range(days):
        day_start = now - timedelta(days=days - day)
        day_shift = shift if day >= days - shift_days else None
        for messages in conversations_of_day(traffic, per_day, day_shift):
            session_id = f"sim-{rng.getrandbits(64):016x}"
            conversation = pseudonym(session_id)
            at = day_start + timedelta(seconds=rng.uniform(0, 86_400 - 600))
            writer.consent(conversation, messages[0][1], at)
            for text, language in messages:
                reply = assistant.reply(session_id, text, language=language)
                at += timedelta(seconds=rng.uniform(5, 90))
                writer.turn(logged_turn(conversation, text, reply, latency_ms=latency[-1], at=at, versions=versions,
                                        consent_version=CONSENT_VERSION, settings=settings),
                            counter_key(at, reply, latency[-1]))
            assistant.reset(session_id)
        if progress:
            progress(day + 1, days)
    writer.flush()
    seconds = time.perf_counter() - started
    return Simulation(writer.turns, writer.conversations, days, shift, round(seconds, 1),
                      round(sum(latency) / max(len(latency), 1), 2))


class _Writer:
    """Batches rows: WRITE_BATCH turns and their counters per transaction, consent answers before them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rows: list = []
        self.counts: Counter = Counter()
        self.consents: list[ConsentRecord] = []
        self.turns = 0
        self.conversations = 0

    def consent(self, conversation: str, language: str, at: datetime) -> None:
        self.consents.append(ConsentRecord(at=at, conversation=conversation, allowed=True,
                                           version=CONSENT_VERSION, language=language))
        self.conversations += 1

    def turn(self, row, key) -> None:
        self.rows.append(row)
        self.counts[key] += 1
        if len(self.rows) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.consents:
            interactions.save_consents(self.consents, self.settings)
        if self.rows:
            interactions.write_turns(self.rows, self.counts, self.settings)
        self.turns += len(self.rows)
        self.rows, self.counts, self.consents = [], Counter(), []
