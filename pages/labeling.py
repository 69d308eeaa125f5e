"""Labeling: clinical reviewers label what people asked, keyboard first.

Keys: 1-9 pick an intent (the model's prediction is 1), N / D / X the risk (none, distress, crisis;
Streamlit reserves C), S skips, Enter confirms. The queue, its order, validation, double labeling,
kappa and adjudication are core/mlops/labeling.py and agreement.py; this page only draws them."""

import pandas as pd
import streamlit as st

from core.config import get_settings
from core.content.scenarios import load_scenario
from core.content.topics import NEW_PREFIX, known_intents
from core.errors import CareOpsError, InvalidInput
from core.mlops import agreement, labeling
from core.taxonomy import CRISIS_TYPES, RISK_LEVELS
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


def confirm(item, skipped: bool) -> None:
    """Enter or S: read what is chosen now (widget values are in session state before a callback
    runs), save or skip, and move on. An invalid label leaves the item where it is, with the message."""
    choice, comment = ss.get("labeling_choice", {}), ss.get(f"comment_{item.turn_id}", "")
    crisis_type = ss.get(f"crisis_type_{item.turn_id}") if choice.get("risk") == "crisis" else None
    try:
        if skipped:
            labeling.skip(reviewer, item, comment, settings=settings)
        else:
            labeling.label(reviewer, item, choice.get("intent", ""), choice.get("risk", ""), crisis_type, comment,
                           settings=settings)
    except InvalidInput as exc:  # the label needs fixing: the item stays
        ss["labeling_message"] = ("error", exc.message)
        return
    except CareOpsError as exc:  # labeled by someone else meanwhile, or erased: the item goes
        ss["labeling_message"] = ("warning", exc.message)
    else:
        ss["labeling_message"] = ("success", "Skipped." if skipped else "Saved.")
    ss["labeling_queue"] = [i for i in ss["labeling_queue"] if i.turn_id != item.turn_id]
    ss.pop("labeling_choice", None)


def guidelines(intent: str) -> None:
    """The scenario's examples; a new:<id> label shows <id>'s scenario once it has one."""
    intent = intent.removeprefix(NEW_PREFIX)
    path = settings.scenarios_dir / f"{intent}.yaml"
    scenario = load_scenario(path) if intent in known_intents(settings.scenarios_dir) and path.is_file() else None
    with st.expander(f"Guidelines: {scenario.title.en if scenario else intent}", expanded=True):
        if scenario is None:
            st.caption("No scenario for this intent: crisis is any danger to someone (label its type); "
                       "out_of_scope is anything the assistant does not cover; a new topic is new:<name>.")
            return
        st.markdown("\n".join(f"- {example}" for example in scenario.examples.en[:4]))
        if scenario.when_to_call_doctor.en:
            st.caption("When to call a doctor: " + "; ".join(scenario.when_to_call_doctor.en[:3]))


def show_item(item) -> None:
    st.caption(f"{len(items)} in this batch · you give the {item.kind} label · {item.language} · "
               f"{item.at:%Y-%m-%d %H:%M} UTC")
    st.markdown(f"> {item.text}")
    st.write(f"Model: **{item.intent}** (confidence {item.confidence:.2f}), risk **{item.risk}**"
             + (f" ({item.crisis_type})" if item.crisis_type else ""))
    if item.reasons:
        st.caption("In the queue because: " + "; ".join(item.reasons))


def key_buttons(item, choice: dict) -> None:
    """1-9 for the shortlist, N / D / X for the risk; the chosen ones are drawn as primary."""
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
    for column, (risk, key) in zip(st.columns(3), RISK_KEYS):
        column.button(f"{key} · {risk}", key=f"risk_{risk}", shortcut=key, width="stretch",
                      type="primary" if choice.get("risk") == risk else "secondary", on_click=choose, kwargs={"risk": risk})
    if choice.get("risk") == "crisis":
        default = CRISIS_TYPES.index(item.crisis_type) if item.crisis_type in CRISIS_TYPES else 0
        st.selectbox("Crisis type", CRISIS_TYPES, index=default, key=f"crisis_type_{item.turn_id}")


def labeling_view() -> None:
    if filters:
        st.caption("Filtered from the Drift page: " + ", ".join(f"{k}: {v}" for k, v in filters.items()))
        if st.button("Clear the filter", key="clear_filter"):
            ss.pop("labeling_filter", None)
            st.rerun()
    if message := ss.pop("labeling_message", None):
        getattr(st, message[0])(message[1])
    if not items:
        st.info("Nothing to label: the queue is empty for you.")
        return
    if st.button("Refresh the queue", key="refresh", help="Builds the batch again (an audited read of logged text)."):
        ss.pop("labeling_queue", None)
        st.rerun()
    item = items[0]
    if ss.get("labeling_choice", {}).get("turn_id") != item.turn_id:
        ss["labeling_choice"] = {"turn_id": item.turn_id}
    choice = ss["labeling_choice"]
    show_item(item)
    key_buttons(item, choice)
    st.text_input("Comment (optional; redacted and encrypted)", key=f"comment_{item.turn_id}")
    st.write(f"Your label: **{choice.get('intent', '—')}**, risk **{choice.get('risk', '—')}**")
    left, right = st.columns(2)
    left.button("Confirm (Enter)", key="confirm", shortcut="Enter", type="primary", on_click=confirm, args=(item, False))
    right.button("Skip (S)", key="skip", shortcut="S", on_click=confirm, args=(item, True))
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
