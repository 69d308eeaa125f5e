"""Erasure: staff delete one conversation from the interaction log for a person who asks, by the
reference the chat showed them (core.privacy.retention.erase_conversation: its turns, consent
answers, feedback and labels, audited; the pseudonym is kept so no later dataset version brings it
back). Admins only, checked in core again before anything is deleted."""

import pandas as pd
import streamlit as st

from core.auth.users import authorize
from core.errors import CareOpsError
from core.privacy.retention import erase_conversation
from core.store.interactions import recent_erasures
from pages._ui import gate

admin = gate("log.erase", "erasure")
st.title("Erase a conversation")
st.markdown("A person can delete their conversation from the chat while it is open. After that, they can "
            "ask the team: the chat showed them a **conversation reference** (`c-` and 32 characters). "
            "Erasing deletes the conversation's logged turns, consent answers, feedback and labels, and "
            "leaves it out of every later dataset version.")
if notice := st.session_state.pop("erasure_notice", None):
    st.success(notice)

with st.form("erase", clear_on_submit=True):
    reference = st.text_input("Conversation reference", placeholder="c-…")
    confirmed = st.checkbox("The request comes from the person the conversation belongs to")
    if st.form_submit_button("Erase the conversation", type="primary"):
        reference = reference.strip()
        if not confirmed:
            st.error("Confirm that the request comes from the person before erasing: nothing was deleted.")
        else:
            try:
                authorize(admin["username"], "log.erase", target=reference)
                turns = erase_conversation(reference, by=admin["username"])
            except CareOpsError as exc:
                st.error(f"{exc.message}. Nothing was deleted.")
            else:
                st.session_state["erasure_notice"] = (f"Erased {reference}: {turns} logged turn(s) deleted. "
                                                      "It is left out of every later dataset version.")
                st.rerun()

st.subheader("Recent erasures")
rows = [{"when": e.at, "conversation": e.conversation, "by": e.by, "turns deleted": e.turns} for e in recent_erasures()]
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)
else:
    st.caption("No conversation has been erased yet.")
