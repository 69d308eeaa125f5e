"""Scenario editor: list and search, a new topic, edit as a form or raw YAML, history with diff and
rollback, and "Try it". Validation, versions and the stale-model mark are core.content.versions' job."""

import pandas as pd
import streamlit as st

from core.config import get_settings
from core.content.forms import from_form, to_form
from core.content.scenarios import load_scenarios, parse_scenario
from core.content.versions import create_topic, current_text, history, rollback, save_scenario
from core.errors import CareOpsError
from core.store.state import RETRAIN_NEEDED, get_state
from core.taxonomy import LANGUAGES, SPEAKER_ROLES
from pages._ui import assistant, gate

user = gate("scenarios.edit", "scenarios")
settings = get_settings()
st.title("Scenarios")
if stale := get_state(RETRAIN_NEEDED):
    st.warning(f"Retrain needed: {stale}. The model still answers from the examples it was trained on.",
               icon=":material/model_training:")

with st.expander("New topic"), st.form("new_topic", clear_on_submit=False):
    st.caption("Starts a scenario with every required field in English and Spanish, for you to edit. The assistant "
               "answers the topic once a model trained on enough labelled examples of it is approved.")
    topic_id = st.text_input("Topic id (snake_case, e.g. hearing_aids)", key="new_topic_id")
    title_en = st.text_input("Title (en)", key="new_topic_title_en")
    title_es = st.text_input("Title (es)", key="new_topic_title_es")
    if st.form_submit_button("Create topic"):
        try:
            created = create_topic(topic_id, title_en, title_es, author=user["username"])
        except CareOpsError as exc:
            st.error(f"Not created: {exc.message}")
        else:
            st.session_state["scenario_intent"] = created.scenario.intent
            st.session_state["saved_notice"] = (f"Created the topic {created.scenario.intent} as version "
                                                f"{created.version}: edit its examples, answers and sources below.")
            st.rerun()

scenarios = load_scenarios(settings.scenarios_dir)
query = st.text_input("Search scenarios", placeholder="title, intent or example words").strip().lower()
rows = [{"intent": s.intent, "title": s.title.en, "version": s.version, "examples": len(s.examples.en) + len(s.examples.es)}
        for s in scenarios.values()
        if not query or query in f"{s.intent} {s.title.en} {s.title.es} {' '.join(s.examples.en + s.examples.es)}".lower()]
st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)
if not rows:
    st.info("No scenario matches that search.")
    st.stop()
if st.session_state.get("scenario_intent") not in {r["intent"] for r in rows}:
    st.session_state.pop("scenario_intent", None)  # a search that hides the chosen scenario: the first one
intent = st.selectbox("Scenario to edit", [r["intent"] for r in rows], format_func=lambda i: scenarios[i].title.en,
                      key="scenario_intent")
scenario = scenarios[intent]


def report(exc: CareOpsError) -> None:
    st.error(f"Not saved: {exc.message}")
    for detail in exc.details:
        st.markdown(f"- `{detail}`")


def save(text: str, reason: str) -> None:
    try:
        result = save_scenario(text, intent=intent, base_version=scenario.version, author=user["username"], reason=reason)
    except CareOpsError as exc:
        report(exc)
    else:
        assistant().use_scenarios(load_scenarios(settings.scenarios_dir))
        st.session_state["saved_notice"] = (f"Saved {intent} as version {result.version}."
                                            + (" Examples changed: retrain needed." if result.examples_changed else ""))
        st.rerun()


if notice := st.session_state.pop("saved_notice", None):
    st.success(notice)

form_tab, raw_tab, history_tab, try_tab = st.tabs(["Edit", "Raw YAML", "History", "Try it"])
with form_tab, st.form(f"form_{intent}_{scenario.version}"):
    data = to_form(scenario)
    for lang in LANGUAGES:
        data["title"][lang] = st.text_input(f"Title ({lang})", data["title"][lang])
        data["examples"][lang] = st.text_area(f"Example messages ({lang}), one per line", data["examples"][lang], height=150)
    for role in SPEAKER_ROLES:
        with st.expander(f"Response for {role.replace('_', ' ')}"):
            for lang in LANGUAGES:
                data["responses"][role][lang] = st.text_area(f"{role} response ({lang})", data["responses"][role][lang],
                                                             height=220, key=f"{intent}_{role}_{lang}")
    for i, follow in enumerate(data["follow_ups"]):
        with st.expander(f"Follow-up: {follow['id']}"):
            follow["id"] = st.text_input("Follow-up id", follow["id"], key=f"{intent}_fid_{i}")
            for lang in LANGUAGES:
                follow["keywords"][lang] = st.text_input(f"Keywords ({lang}), comma-separated", follow["keywords"][lang],
                                                         key=f"{intent}_fk_{i}_{lang}")
                follow["text"][lang] = st.text_area(f"Text ({lang})", follow["text"][lang], key=f"{intent}_ft_{i}_{lang}")
    for lang in LANGUAGES:
        data["suggestions"][lang] = st.text_area(f"Suggestion chips ({lang}), one per line", data["suggestions"][lang])
        data["when_to_call_doctor"][lang] = st.text_area(f"When to call the doctor ({lang}), one per line",
                                                         data["when_to_call_doctor"][lang])
    sources = st.data_editor(pd.DataFrame(data["sources"] or [{"name": "", "url": ""}]), num_rows="dynamic",
                             key=f"{intent}_sources", use_container_width=True)
    data["sources"] = sources.fillna("").to_dict("records")
    reason = st.text_input("Why this change (required)", key=f"{intent}_reason_form")
    if st.form_submit_button("Save new version", type="primary"):
        save(from_form(data), reason)

with raw_tab:
    raw = st.text_area("Scenario YAML", current_text(intent), height=500, key=f"raw_{intent}_{scenario.version}")
    raw_reason = st.text_input("Why this change (required)", key=f"{intent}_reason_raw")
    if st.button("Validate and save", key=f"save_raw_{intent}"):
        save(raw, raw_reason)

with history_tab:
    versions = history(intent)
    if not versions:
        st.info("No versions saved from the console yet; the file in scenarios/ is the current version.")
    else:
        st.dataframe(pd.DataFrame([{"version": v.version, "author": v.author, "when": v.at, "why": v.reason} for v in versions]),
                     hide_index=True, use_container_width=True)
        chosen = st.selectbox("Version", [v.version for v in versions], key=f"hist_{intent}")
        picked = next(v for v in versions if v.version == chosen)
        st.code(picked.diff or "(first recorded version)", language="diff")
        if st.button(f"Roll back to version {chosen}", key=f"rollback_{intent}"):
            try:
                result = rollback(intent, chosen, author=user["username"])
            except CareOpsError as exc:
                report(exc)
            else:
                assistant().use_scenarios(load_scenarios(settings.scenarios_dir))
                st.session_state["saved_notice"] = f"Rolled back: version {chosen} is now version {result.version}."
                st.rerun()

with try_tab:
    message = st.text_input("Message to try", key=f"try_{intent}")
    left, right = st.columns(2)
    role = left.selectbox("As", list(SPEAKER_ROLES), key=f"try_role_{intent}")
    language = right.selectbox("Language", list(LANGUAGES), key=f"try_lang_{intent}")
    use_draft = st.checkbox("Use the unsaved Raw YAML draft", key=f"try_draft_{intent}")
    if message:
        draft = None
        if use_draft:
            try:
                draft = parse_scenario(st.session_state.get(f"raw_{intent}_{scenario.version}", ""), "draft")
            except CareOpsError as exc:
                report(exc)
        reply = assistant().preview(message, role=role, language=language, draft=draft)
        st.markdown(f"Reaches **{reply.intent}** ({reply.kind}) with confidence **{reply.confidence:.2f}**"
                    + (f" — crisis: {reply.crisis_type}" if reply.crisis else ""))
        st.markdown(reply.text)
