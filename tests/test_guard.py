"""The input guard: any string in, a Reply out; empty and oversized messages answered politely."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dialogue.guard import check_input
from core.dialogue.reply import Reply
from core.nlu.normalize import MAX_CHARS


def test_empty_message_gets_a_gentle_prompt():
    assert check_input("   \n\t ").refusal.startswith("I'm here")


def test_oversized_message_is_kept_whole_for_the_screen_and_its_note_names_the_limit():
    result = check_input("a" * (MAX_CHARS + 1))
    assert result.text == "a" * (MAX_CHARS + 1) and result.refusal is None and result.too_long
    assert "2,000" in result.length_note and "2,001" in result.length_note
    assert not check_input("a" * MAX_CHARS).too_long


def test_control_characters_are_stripped():
    assert check_input("my mom\x00 keeps\x07 falling\u200b").text == "my mom keeps falling"


def test_spanish_length_note_when_the_session_is_spanish():
    assert "límite" in check_input("x" * 3000, "es").length_note


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=2500))
def test_any_string_gets_a_reply(assistant, text):
    reply = assistant.reply(uuid.uuid4().hex, text)
    assert isinstance(reply, Reply)
    assert reply.text.strip()


@pytest.mark.slow
@pytest.mark.parametrize("text", ["", "\x00\x01\x02", "😀" * 10, "a" * 2001, "ä" * 2000, "\u202e\u202d", "DROP TABLE users;"])
def test_edge_inputs_get_a_reply(assistant, text):
    reply = assistant.reply(uuid.uuid4().hex, text)
    assert reply.text.strip()
