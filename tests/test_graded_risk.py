"""The graded screen in conversation: crisis (with urgency), distress (warm answer, 988 note, one
direct check-in remembered across turns), none. These run on the detectors and the plain-word
distress fallback (no model needed); tests/test_graded_risk_models.py runs the trained screen."""

from __future__ import annotations

import pytest

from core.config import PROJECT_ROOT
from core.content.scenarios import load_scenarios
from core.dialogue import checkin
from core.dialogue.assistant import Assistant
from core.dialogue.sessions import MemorySessionStore
from core.safety import support
from core.safety.screen import CrisisScreen
from core.safety.urgency import urgency_of

SCENARIOS = load_scenarios(PROJECT_ROOT / "scenarios")
DISTRESS = {"en": "i'm so exhausted and overwhelmed, mom needs me every hour and i can't cope",
            "es": "estoy agotada y abrumada, mi mamá me necesita a cada hora y no puedo más"}


@pytest.fixture
def bare() -> Assistant:
    return Assistant(SCENARIOS, MemorySessionStore(), embedder=None, intent_model=None, screen=CrisisScreen(None))


@pytest.mark.parametrize("language", ["en", "es"])
def test_distress_gets_a_warm_answer_the_988_note_and_the_check_in(bare, language):
    reply = bare.reply("s", DISTRESS[language], language=language)
    assert reply.risk == "distress" and reply.kind == "answer" and reply.topic == "caregiver_wellbeing" and not reply.crisis
    assert not reply.resources, "no crisis banner for distress"
    assert support.line("check_in", language) in reply.text
    assert support.line("also_988", language) in reply.text
    assert reply.disclaimer, "it answers with the caregiver-wellbeing guidance and its disclaimer"


@pytest.mark.parametrize(("language", "yes"), [("en", "yes"), ("en", "sometimes, yeah"), ("es", "sí"), ("es", "a veces")])
def test_yes_to_the_check_in_becomes_a_crisis_reply(bare, language, yes):
    bare.reply("s", DISTRESS[language], language=language)
    reply = bare.reply("s", yes, language=language)
    assert reply.crisis and reply.risk == "crisis" and reply.crisis_type == "suicide"
    assert any("check-in" in f for f in reply.findings)
    assert "tel:988" in reply.text and "sms:988" in reply.text, "tap-to-call links travel in the reply itself"
    assert reply.suggestions == support.crisis_suggestions(language), "no topic chips after a crisis reply"


@pytest.mark.parametrize(("language", "no"), [("en", "no"), ("en", "no, not at all"), ("es", "no"), ("es", "para nada")])
def test_no_to_the_check_in_is_thanked_and_the_conversation_goes_on(bare, language, no):
    bare.reply("s", DISTRESS[language], language=language)
    reply = bare.reply("s", no, language=language)
    assert not reply.crisis and support.line("check_in_no", language) in reply.text
    assert not bare.store.load("s").checkin_open


def test_a_no_with_a_but_is_not_taken_as_no():
    assert checkin.answer("no, but sometimes i wish i would not wake up") is None
    assert checkin.answer("No.") == "no" and checkin.answer("Yes!") == "yes"
    assert checkin.answer("how do i get respite care") is None


def test_an_ignored_check_in_is_closed_and_the_message_answered(bare):
    bare.reply("s", DISTRESS["en"])
    reply = bare.reply("s", "how do i find respite care near me")
    assert not reply.crisis and reply.risk == "none"
    assert not bare.store.load("s").checkin_open


def test_repeated_distress_does_not_repeat_the_question_every_turn(bare):
    first = bare.reply("s", DISTRESS["en"])
    second = bare.reply("s", "honestly i'm so tired and lonely, nobody helps")
    assert support.line("check_in", "en") in first.text
    assert second.risk == "distress" and support.line("check_in", "en") not in second.text
    assert support.line("also_988", "en") in second.text


def test_a_crisis_signal_after_the_check_in_is_a_crisis(bare):
    bare.reply("s", DISTRESS["en"])
    assert bare.reply("s", "i want to kill myself").crisis


@pytest.mark.parametrize(("text", "urgency"), [
    ("i am going to kill myself tonight", "now"),
    ("i want to end my life, the pills are in front of me", "now"),
    ("voy a quitarme la vida esta noche", "now"),
    ("i want to die", "concern"),
    ("a veces quiero morirme", "concern"),
])
def test_urgency(bare, text, urgency):
    reply = bare.reply("s", text)
    assert reply.crisis and reply.urgency == urgency
    acting_now = support.line("act_now", reply.language)
    assert (reply.text.startswith(acting_now)) == (urgency == "now")


def test_a_medical_emergency_is_always_urgent_and_leads_with_911():
    assert urgency_of("my dad is slurring his words and his face is drooping", "medical_emergency") == "now"


@pytest.mark.parametrize("language", ["en", "es"])
def test_crisis_chips_lead_to_help_or_back_to_the_conversation(bare, language):
    bare.reply("s", "quiero morirme" if language == "es" else "i want to die", language=language)
    talk = bare.reply("s", support.line("talk_now", language), language=language)
    assert talk.crisis and "tel:988" in talk.text
    safe = bare.reply("s", support.line("keep_talking", language), language=language)
    assert not safe.crisis and safe.text == support.line("safe_now", language)


@pytest.mark.parametrize("text", ["me muero de risa", "i could die of embarrassment", "how do i kill the weeds in mom's garden",
                                  "this job is killing me, what shoes help on 12 hour shifts"])
def test_figures_of_speech_are_not_a_crisis(bare, text):
    reply = bare.reply("s", text)
    assert not reply.crisis and reply.risk != "crisis"
