"""Caregiver chat. Thin: widgets in, core.dialogue out."""

import uuid
from datetime import UTC, datetime

import streamlit as st

from core.config import get_settings
from core.content.render import starter_suggestions
from core.dialogue.feedback import record_feedback
from core.dialogue.transcript import Turn, to_json, to_markdown
from core.errors import InvalidInput
from core.privacy import consent
from core.safety.resources import phone_label
from core.taxonomy import LANGUAGE_NAMES, LANGUAGES, SPEAKER_LABELS, SPEAKER_ROLES
from pages._ui import assistant, gate, wait_for_assistant

user = gate("chat", "chat")
wait_for_assistant("CareOps assistant")  # a loading state, not a blank page, while the models load
ss = st.session_state
LABELS = {
    "en": {"input": "Type your question and press Enter", "start": "Start over", "md": "Download (Markdown)",
           "json": "Download (JSON)", "sources": "Sources", "try": "Try asking about"},
    "es": {"input": "Escriba su pregunta y pulse Intro", "start": "Empezar de nuevo", "md": "Descargar (Markdown)",
           "json": "Descargar (JSON)", "sources": "Fuentes", "try": "Puede preguntar sobre"},
}


def reset_conversation() -> None:
    if "session_id" in ss:
        assistant().reset(ss.session_id)
    ss.session_id, ss.turns, ss.crisis_resources, ss.suggestions = uuid.uuid4().hex, [], [], []
    ss.pop("consent", None)  # asked once per conversation


def ask_consent(log, language: str) -> None:
    """Once per conversation, in the person's language; the chat works the same before and without
    an answer (nothing is kept until they say yes)."""
    with st.container(border=True, key="consent"):
        st.markdown(consent.question(language, get_settings().retention_days))
        yes, no = st.columns(2)
        answers = consent.ANSWERS[language]
        for column, allowed in ((yes, True), (no, False)):
            if column.button(answers["yes" if allowed else "no"], key=f"consent_{allowed}", use_container_width=True):
                log.record_consent(ss.session_id, allowed, language)
                ss.consent = allowed
                st.toast(consent.CONFIRMATION[language][allowed])
                st.rerun()


def erase_conversation(log, language: str) -> None:
    log.erase(ss.session_id)
    reset_conversation()
    st.toast(consent.DELETE[language]["done"])


if "session_id" not in ss:
    reset_conversation()

st.title("CareOps assistant")
left, right = st.columns(2)
speaker = left.selectbox("I am…", SPEAKER_ROLES, format_func=SPEAKER_LABELS.get, key="speaker",
                         help="Answers and disclaimers are worded for who is asking")
language = right.selectbox("Language / Idioma", LANGUAGES, format_func=LANGUAGE_NAMES.get,
                           key="language")
text = LABELS[language]


def crisis_banner(resources: list[dict]) -> None:
    links = []
    for r in resources:
        parts = [f"**{r['name']}**"]
        if r.get("phone"):
            parts.append(f"[Call {phone_label(r['phone'])}](tel:{r['phone']})")
        if r.get("sms"):
            body = f"?body={r['sms_body']}" if r.get("sms_body") else ""
            parts.append(f"[Text {r['sms']}](sms:{r['sms']}{body})")
        links.append(" · ".join(parts) + f"  \n{r['detail']}")
    st.error("**If you or someone else is in danger, help is available now.**\n\n" + "\n\n".join(links),
             icon=":material/emergency:")


if ss.crisis_resources:
    crisis_banner(ss.crisis_resources)
if assistant().log is not None and "consent" not in ss:
    ask_consent(assistant().log, language)


def show_turn(turn: Turn, index: int) -> None:
    with st.chat_message(turn.who, avatar=":material/person:" if turn.who == "user" else ":material/support_agent:"):
        st.caption(turn.at.astimezone().strftime("%H:%M"))
        st.markdown(turn.text)
        if turn.who == "assistant":
            extras(turn, index)


def extras(turn: Turn, index: int) -> None:
    if turn.sources:
        st.markdown(f"{text['sources']}: " + " · ".join(f"[{s['name']}]({s['url']})" for s in turn.sources))
    if turn.disclaimer:
        st.caption(turn.disclaimer)
    if not turn.turn_id:
        return
    saved = ss.get(f"saved_{turn.turn_id}")
    rating = st.feedback("thumbs", key=f"rating_{turn.turn_id}")
    if rating is not None and not saved:
        comment = st.text_input("Comment about this answer (optional)", key=f"comment_{turn.turn_id}",
                                max_chars=1000)
        if st.button("Send feedback", key=f"send_{turn.turn_id}"):
            try:
                record_feedback(session_id=ss.session_id, turn_id=turn.turn_id, intent=turn.intent,
                                rating=1 if rating == 1 else -1, comment=comment)
                ss[f"saved_{turn.turn_id}"] = True
                st.rerun()
            except InvalidInput as exc:
                st.error(exc.message)
    elif saved:
        st.caption("Thank you for your feedback.")


for i, turn in enumerate(ss.turns):
    show_turn(turn, i)


def words(reply_text: str):
    for word in reply_text.split(" "):
        yield word + " "


def ask(message: str) -> None:
    now = datetime.now(UTC)
    ss.turns.append(Turn("user", message, now))
    show_turn(ss.turns[-1], len(ss.turns) - 1)
    reply = assistant().reply(ss.session_id, message, role=speaker, language=language)
    if reply.crisis:
        ss.crisis_resources = reply.resources
        crisis_banner(reply.resources)
    turn = Turn("assistant", reply.text, datetime.now(UTC), reply.disclaimer, reply.sources, reply.resources,
                reply.crisis, reply.turn_id, reply.intent)
    with st.chat_message("assistant", avatar=":material/support_agent:"):
        st.caption(turn.at.astimezone().strftime("%H:%M"))
        st.write_stream(words(reply.text))
    ss.turns.append(turn)
    ss.suggestions = reply.suggestions
    st.rerun()


chips = ss.suggestions or starter_suggestions(assistant().scenarios, language)
st.caption(text["try"])
columns = st.columns(len(chips) or 1)
for column, chip in zip(columns, chips, strict=False):
    if column.button(chip, key=f"chip_{len(ss.turns)}_{chip}", use_container_width=True):
        ss.pending = chip

if message := st.chat_input(text["input"]):
    ss.pending = message
if pending := ss.pop("pending", None):
    ask(pending)

if ss.turns:
    a, b, c, d = st.columns(4)
    a.download_button(text["md"], to_markdown(ss.turns, language), "careops-conversation.md", "text/markdown")
    b.download_button(text["json"], to_json(ss.turns, language), "careops-conversation.json", "application/json")
    if c.button(text["start"], icon=":material/restart_alt:"):
        reset_conversation()
        st.rerun()
    if assistant().log is not None and d.button(consent.DELETE[language]["button"], icon=":material/delete:"):
        erase_conversation(assistant().log, language)
        st.rerun()
    if ss.get("consent"):
        st.caption(consent.REFERENCE[language].format(reference=consent.pseudonym(ss.session_id)))
