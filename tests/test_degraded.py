"""When models are missing or something breaks mid-turn, the explicit detectors still answer."""

from __future__ import annotations

import logging

from core.config import PROJECT_ROOT
from core.content.scenarios import load_scenarios
from core.dialogue.assistant import Assistant
from core.dialogue.sessions import MemorySessionStore
from core.safety.screen import CrisisScreen


def _bare() -> Assistant:
    return Assistant(load_scenarios(PROJECT_ROOT / "scenarios"), MemorySessionStore(), embedder=None,
                     intent_model=None, screen=CrisisScreen(None))


def test_without_models_a_crisis_is_still_answered():
    reply = _bare().reply("s", "i want to kill myself")
    assert reply.crisis and reply.crisis_type == "suicide" and "988" in reply.text


def test_without_models_a_topic_question_gets_an_honest_answer():
    reply = _bare().reply("s", "how do i help my mom in the bath")
    assert reply.kind == "unavailable" and "911" in reply.text


class _BrokenEmbedder:
    def encode_with_hidden(self, texts, batch_size=8):
        raise RuntimeError("simulated failure quoting: i want to die")

    encode = encode_with_hidden


def test_a_failure_mid_turn_falls_back_to_the_detectors_and_logs_no_text(caplog):
    assistant = _bare()
    assistant.embedder = _BrokenEmbedder()
    with caplog.at_level(logging.ERROR):
        reply = assistant.reply("s", "no aguanto más, quiero morirme")
    assert reply.crisis and reply.language == "es"
    assert "RuntimeError" in caplog.text and "morirme" not in caplog.text and "want to die" not in caplog.text
    assert assistant.reply("s2", "hello").kind == "unavailable"
