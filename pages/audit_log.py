"""The audit log, newest first, with a check of its hash chain."""

import pandas as pd
import streamlit as st

from core import audit
from pages._ui import gate

admin = gate("audit.view", "audit_log")
st.title("Audit log")
action = st.text_input("Filter by action (e.g. signin.failed, page.forbidden, scenario.saved)").strip() or None
events = audit.recent(500, action=action)
st.dataframe(pd.DataFrame([{"when": e.at, "actor": e.actor, "action": e.action, "target": e.target,
                            "details": e.details} for e in events]), hide_index=True, use_container_width=True)
if st.button("Verify the hash chain"):
    broken = audit.verify_chain()
    if broken is None:
        st.success("The chain is intact: no event was changed or removed.")
    else:
        st.error(f"The chain breaks at event {broken}: it was changed, or an event before it was removed.")
