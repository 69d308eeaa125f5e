"""What people said about the answers. Comments are decrypted for staff, and every read is audited."""

import pandas as pd
import streamlit as st

from core.dialogue.feedback import read_feedback
from pages._ui import gate

user = gate("feedback.read", "feedback")
st.title("Feedback")
rows = read_feedback(reader=user["username"])
if not rows:
    st.info("No feedback yet.")
    st.stop()
frame = pd.DataFrame(rows)
summary = frame.groupby("intent")["rating"].agg(helpful=lambda r: int((r > 0).sum()), not_helpful=lambda r: int((r < 0).sum()))
st.subheader("By topic")
st.dataframe(summary, use_container_width=True)
st.subheader("Latest")
st.dataframe(frame, hide_index=True, use_container_width=True)
st.caption("Comments were redacted before they were stored; they are kept encrypted.")
