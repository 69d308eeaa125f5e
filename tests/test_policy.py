"""Turn policy: reset and summary are whole-message commands, never a word inside a care question."""

from __future__ import annotations

import uuid

import pytest

from core.content import render
from core.dialogue import policy
from core.nlu.intent import intent_reply_kind
from core.safety import support

REAL_RESETS = [
    "start over",
    "please start over",
    "Start over!",
    "Please, start over.",
    "can we start again?",
    "Could we start over please?",
    "let's start fresh",
    "I'd like to start a new conversation",
    "new conversation",
    "reset the conversation",
    "restart",
    "empezar de nuevo",
    "¿Podemos empezar de nuevo?",
    "Empecemos de nuevo, por favor",
    "Nueva conversación",
    "volver a empezar",
    "reiniciar la conversación",
    "borrar todo",
]

REAL_SUMMARIES = [
    "summarise",
    "summary",
    "can you summarize",
    "can you summarize what we talked about?",
    "Could you sum up our conversation?",
    "give me a recap",
    "Please give me a summary of what we've discussed so far",
    "what have we talked about so far?",
    "hazme un resumen",
    "Hazme un resumen, por favor.",
    "¿Me puedes hacer un resumen?",
    "dame un resumen de lo que hablamos",
    "resumen",
    "Resúmeme la conversación",
]

# Questions a caregiver really asks that mention restarting or resuming something: they need an answer.
CARE_QUESTIONS_NOT_RESET = [
    "restart her insulin after the surgery?",
    "Can she restart her insulin after the surgery?",
    "When can my dad restart his blood thinner?",
    "Should mom start over with physical therapy after the fall?",
    "how do I reset the alarm on his pill organizer?",
    "new conversation with her doctor about pain meds, what should I ask?",
    "reiniciar la insulina después de la cirugía",
    "¿Cuándo puede reiniciar la insulina después de la cirugía?",
    "¿Puede empezar de nuevo con la fisioterapia?",
    "¿Cómo borrar todo el historial de su tableta?",
]

CARE_QUESTIONS_NOT_SUMMARY = [
    "resume driving after knee surgery",
    "When can he resume driving after knee surgery?",
    "Can she resume her walks after the fall?",
    "Can you summarize her discharge instructions?",
    "summary of her medication list",
    "recap of the discharge plan from the hospital",
    "resumen de medicamentos que toma mi madre: metformina y losartán, ¿es normal?",
    "¿Resumen de los efectos secundarios del donepezilo?",
    "resume la medicación después de la cirugía",
]


@pytest.mark.parametrize("text", REAL_RESETS)
def test_a_start_over_command_resets(text):
    assert policy.is_reset(text)
    assert not policy.is_summary(text)


@pytest.mark.parametrize("text", REAL_SUMMARIES)
def test_a_summary_command_asks_for_the_summary(text):
    assert policy.is_summary(text)
    assert not policy.is_reset(text)


@pytest.mark.parametrize("text", CARE_QUESTIONS_NOT_RESET + CARE_QUESTIONS_NOT_SUMMARY)
def test_a_care_question_that_mentions_restarting_or_resuming_is_no_command(text):
    assert not policy.is_reset(text)
    assert not policy.is_summary(text)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_suggestion_chips_the_assistant_offers_still_work(language):
    """The reply offers "Start over" / "Summarise" as chips; clicking one sends exactly that text."""
    assert policy.is_reset(render.line("start_over", language))
    assert policy.is_summary(render.line("summarise", language))


@pytest.mark.parametrize("command", ["start over", "restart", "start again", "empezar de nuevo", "reiniciar"])
@pytest.mark.parametrize("rest", [" her insulin after the surgery", " with the new walker", " la insulina mañana"])
def test_a_reset_word_followed_by_more_of_a_question_is_no_reset(command, rest):
    assert policy.is_reset(command)
    assert not policy.is_reset(command + rest)


@pytest.mark.parametrize("command", ["summarise", "summary", "recap", "resume", "resumen"])
@pytest.mark.parametrize("rest", [" driving after knee surgery", " of her lab results", " de sus medicamentos"])
def test_a_summary_word_followed_by_more_of_a_question_is_no_summary(command, rest):
    assert policy.is_summary(command)
    assert not policy.is_summary(command + rest)


@pytest.mark.slow
@pytest.mark.parametrize("text", ["restart her insulin after the surgery?", "resume driving after knee surgery",
                                  "reiniciar la insulina después de la cirugía"])
def test_the_assistant_answers_a_care_question_mid_conversation_instead_of_resetting(assistant, text):
    session = uuid.uuid4().hex
    assistant.reply(session, "my dad has type 2 diabetes, how do I keep his blood sugar steady?")
    reply = assistant.reply(session, text)
    assert reply.kind not in ("reset", "summary")
    summary = assistant.reply(session, "can you summarize what we talked about?")
    assert summary.kind == "summary" and "Diabetes" in summary.text
    assert assistant.reply(session, "please start over").kind == "reset"


@pytest.mark.parametrize(("intent", "confidence", "kind"), [
    ("greeting", 0.9, "smalltalk"), ("thanks", 0.40, "smalltalk"), ("out_of_scope", 0.7, "smalltalk"),
    ("out_of_scope", 0.39, "clarify"), ("thanks", 0.2, "clarify"), ("dementia_senior_care", 0.39, "clarify"),
    ("dementia_senior_care", 0.8, "answer"), ("caregiver_wellbeing", 0.40, "answer"),
])
def test_the_kind_of_reply_follows_the_intent_models_top_intent(intent, confidence, kind):
    assert intent_reply_kind(intent, confidence) == kind


def test_only_a_reply_without_a_care_topic_of_its_own_is_given_the_wellbeing_guidance_for_distress():
    assert support.answers_distress_with_wellbeing("smalltalk") and support.answers_distress_with_wellbeing("unavailable")
    for kind in ("answer", "clarify", "follow_up", "crisis", "guard", "reset", "summary"):
        assert not support.answers_distress_with_wellbeing(kind), kind
