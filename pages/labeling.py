"""Labeling: clinical reviewers label what people asked, keyboard first.

Keys: 1-9 pick an intent (the model's prediction is 1), N / D / X the risk (none, distress, crisis;
Streamlit reserves C), S skips, Enter confirms. The queue, its order, validation, double labeling,
kappa and adjudication are core/mlops/labeling.py and agreement.py; this page only draws them."""

import pandas as pd
import streamlit as st

from core.config import get_settings
from core.content.scenarios import load_scenario
from core.errors import CareOpsError
from core.mlops import agreement, labeling
from core.taxonomy import CRISIS_TYPES, INTENTS, RISK_LEVELS
from pages._ui import gate

RISK_KEYS = tuple(zip(RISK_LEVELS, ("N", "D", "X"), strict=True))  # none, distress, crisis
QUEUE_BATCH = 25

user = gate("labeling", "labeling")
reviewer = user["username"]
settings = get_settings()
ss = st.session_state
filters = ss.get("labeling_filter") or {}
st.title("Labeling")


def load_queue() -> list:
    """Built once per batch (a build decrypts, and audits, the turns it considers), not on every key."""
    try:
        return labeling.queue(reviewer, filters=filters, limit=QUEUE_BATCH, settings=settings)
    except CareOpsError as exc:
        st.error(exc.message, icon=":material/error:")
        return []


if ss.get("labeling_queue_for") != (reviewer, repr(filters)) or not ss.get("labeling_queue"):
    ss["labeling_queue"], ss["labeling_queue_for"] = load_queue(), (reviewer, repr(filters))
items = ss["labeling_queue"]


def choose(**picked) -> None:
    ss["labeling_choice"] = {**ss.get("labeling_choice", {}), **picked}


def done(item, action, saved: str) -> None:
    """Save (or skip), then move on; a refusal leaves the item where it is, with the message."""
    try:
        action()
    except CareOpsError as exc:
        ss["labeling_message"] = ("error", exc.message)
        return
    ss["labeling_message"] = ("success", saved)
    ss["labeling_queue"] = [i for i in ss["labeling_queue"] if i.turn_id != item.turn_id]
    ss.pop("labeling_choice", None)


def guidelines(intent: str) -> None:
    path = settings.scenarios_dir / f"{intent}.yaml"
    scenario = load_scenario(path) if intent in INTENTS and path.is_file() else None
    with st.expander(f"Guidelines: {scenario.title.en if scenario else intent}", expanded=True):
        if scenario is None:
            st.caption("No scenario for this intent: crisis is any danger to someone (label its type); "
                       "out_of_scope is anything the assistant does not cover; a new topic is new:<name>.")
            return
        st.markdown("\n".join(f"- {example}" for example in scenario.examples.en[:4]))
        if scenario.when_to_call_doctor.en:
            st.caption("When to call a doctor: " + "; ".join(scenario.when_to_call_doctor.en[:3]))


def labeling_view() -> None:
    if filters:
        st.caption("Filtered from the Drift page: " + ", ".join(f"{k}: {v}" for k, v in filters.items()))
    if message := ss.pop("labeling_message", None):
        getattr(st, message[0])(message[1])
    if not items:
        st.info("Nothing to label: the queue is empty for you.")
        return
    item = items[0]
    choice = ss.get("labeling_choice", {}) if ss.get("labeling_choice", {}).get("turn_id") == item.turn_id else {}
    choice.setdefault("turn_id", item.turn_id)
    ss["labeling_choice"] = choice
    st.caption(f"{len(items)} in this batch · you give the {item.kind} label · {item.language} · {item.at:%Y-%m-%d %H:%M} UTC")
    st.markdown(f"> {item.text}")
    st.write(f"Model: **{item.intent}** (confidence {item.confidence:.2f}), risk **{item.risk}**"
             + (f" ({item.crisis_type})" if item.crisis_type else ""))
    if item.reasons:
        st.caption("In the queue because: " + "; ".join(item.reasons))
    st.subheader("Intent")
    columns = st.columns(3)
    for n, intent in enumerate(item.shortlist, start=1):
        columns[(n - 1) % 3].button(f"{n} · {intent}", key=f"intent_{n}", shortcut=str(n), width="stretch",
                                    type="primary" if choice.get("intent") == intent else "secondary",
                                    on_click=choose, kwargs={"intent": intent})
    topic_key = f"new_topic_{item.turn_id}"
    st.text_input("Or a new topic (snake_case name)", key=topic_key,
                  on_change=lambda: choose(intent=f"new:{ss[topic_key].strip()}") if ss[topic_key].strip() else None)
    st.subheader("Risk")
    columns = st.columns(3)
    for column, (risk, key) in zip(columns, RISK_KEYS):
        column.button(f"{key} · {risk}", key=f"risk_{risk}", shortcut=key, width="stretch",
                      type="primary" if choice.get("risk") == risk else "secondary", on_click=choose, kwargs={"risk": risk})
    crisis_type = None
    if choice.get("risk") == "crisis":
        default = CRISIS_TYPES.index(item.crisis_type) if item.crisis_type in CRISIS_TYPES else 0
        crisis_type = st.selectbox("Crisis type", CRISIS_TYPES, index=default, key=f"crisis_type_{item.turn_id}")
    comment = st.text_input("Comment (optional; redacted and encrypted)", key=f"comment_{item.turn_id}")
    st.write(f"Your label: **{choice.get('intent', '—')}**, risk **{choice.get('risk', '—')}**")

    def save_item():
        labeling.label(reviewer, item, choice.get("intent", ""), choice.get("risk", ""), crisis_type, comment,
                       settings=settings)

    def skip_item():
        labeling.skip(reviewer, item, comment, settings=settings)

    left, right = st.columns(2)
    left.button("Confirm (Enter)", key="confirm", shortcut="Enter", type="primary", on_click=done, args=(item, save_item, "Saved."))
    right.button("Skip (S)", key="skip", shortcut="S", on_click=done, args=(item, skip_item, "Skipped."))
    guidelines(choice.get("intent") or item.shortlist[0])


def agreement_view() -> None:
    try:
        result = agreement.agreement(reviewer, settings=settings)
    except CareOpsError as exc:
        st.error(exc.message)
        return
    st.caption(f"{result.items} double-labeled item(s) · {result.disagreements} waiting for adjudication · "
               f"{result.adjudicated} adjudicated")
    rows = [result.risk, *result.intents]
    st.dataframe(pd.DataFrame([{"label": k.name, "kappa": k.kappa, "items": k.items, "labels naming it": k.positives}
                               for k in rows]), hide_index=True, width="stretch")
    st.subheader("Adjudication")
    if not st.toggle("Show the disagreements (reads logged text; audited)", key="show_disagreements"):
        return
    for case in agreement.disagreements(reviewer, settings=settings):
        with st.container(border=True):
            st.markdown(f"> {case.text}")
            st.caption(f"Model: {case.model_intent}, risk {case.model_risk}")
            for view in (case.first, case.second):
                st.write(f"{view.reviewer}: **{view.intent}**, risk **{view.risk}**"
                         + (f" ({view.crisis_type})" if view.crisis_type else "") + (f" — {view.comment}" if view.comment else ""))
            options = sorted({case.first.intent, case.second.intent})
            intent = st.selectbox("Final intent", options, key=f"adj_intent_{case.turn_id}")
            risk = st.selectbox("Final risk", RISK_LEVELS, key=f"adj_risk_{case.turn_id}")
            kind = st.selectbox("Crisis type", CRISIS_TYPES, key=f"adj_type_{case.turn_id}") if risk == "crisis" else None
            if st.button("Record the final label", key=f"adj_{case.turn_id}"):
                try:
                    agreement.adjudicate(reviewer, case, intent, risk, kind, settings=settings)
                    st.rerun()
                except CareOpsError as exc:
                    st.error(exc.message)


queue_tab, agreement_tab = st.tabs(["Queue", "Agreement and adjudication"])
with queue_tab:
    labeling_view()
with agreement_tab:
    agreement_view()
