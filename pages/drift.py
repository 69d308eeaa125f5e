"""Drift: compare a window of the interaction log with the champion's training data or an earlier
window (core/mlops/drift.py), read the saved Evidently report, and follow each signal over time.
A drift over its threshold links to the labeling queue, filtered to what drifted."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import plotly.express as px
import streamlit as st
import streamlit.components.v1 as components
from streamlit.errors import StreamlitAPIException

from core.errors import CareOpsError
from core.mlops.drift import CHAMPION, CURRENT_DAYS, labeling_filter, list_reports, run_drift, score_history
from pages._ui import gate

user = gate("drift.view", "drift")
st.title("Drift")
today = datetime.now(UTC).date()


def _window(days) -> str | None:
    return f"{days[0]:%Y-%m-%d}:{days[-1]:%Y-%m-%d}" if days else None


with st.form("drift-run"):
    source = st.radio("Reference", ["The champion's training data", "A past window of the log"], horizontal=True)
    reference_days = st.date_input("Reference window (a past window of the log)",
                                   value=(today - timedelta(days=37), today - timedelta(days=CURRENT_DAYS + 1)))
    current_days = st.date_input("Current window", value=(today - timedelta(days=CURRENT_DAYS - 1), today))
    submitted = st.form_submit_button("Run a drift report", type="primary")
if submitted:
    reference = CHAMPION if source.startswith("The champion") else _window(reference_days)
    with st.status("Running the drift report…", expanded=True) as status:
        try:
            run = run_drift(reference=reference or "", current=_window(current_days), user=user["username"],
                            say=status.write)
            status.update(label=f"Report {run.report_id} saved", state="complete", expanded=False)
        except CareOpsError as exc:
            status.update(label="The report was not run", state="error")
            st.error(exc.message)

reports = list_reports()
if not reports:
    st.info("No drift report yet. Run one above, or from a terminal: `python -m core drift`.")
    st.stop()
chosen = st.selectbox("Report", reports, format_func=lambda r: f"{r['at']:%Y-%m-%d %H:%M} · {r['reference']} "
                      f"({r['reference_rows']}) vs {r['current']} ({r['current_rows']}){' · ALERT' if r['alert'] else ''}")
drifted = [f"{s['what']} ({s['score']:.3f} ≥ {s['threshold']})" for s in chosen["scores"].values() if s["drifted"]]
if drifted:
    st.error("Drift over its threshold: " + "; ".join(drifted), icon=":material/warning:")
    wanted = labeling_filter(chosen["scores"])
    if wanted:
        st.session_state["labeling_filter"] = wanted
        label = ", ".join(f"{k} = {v}" for k, v in wanted.items())
        try:
            st.page_link("pages/labeling.py", label=f"Label what drifted: the queue filtered to {label}",
                         icon=":material/label:")
        except StreamlitAPIException:
            st.caption(f"The labeling queue is not available here; its filter is set to {label}.")
else:
    st.success("No signal over its threshold.")
st.dataframe(pd.DataFrame(chosen["scores"]).T[["what", "score", "threshold", "drifted", "method"]],
             use_container_width=True)

st.subheader("Drift scores over time")
history = pd.DataFrame(score_history(reports))
figure = px.line(history, x="at", y="ratio", color="signal", markers=True, hover_data=["score", "threshold", "report"],
                 labels={"ratio": "score / threshold", "at": "report"})
figure.add_hline(y=1.0, line_dash="dash", annotation_text="threshold")
st.plotly_chart(figure, use_container_width=True)

st.subheader("The Evidently report")
st.caption(f"{chosen['html_path']} · {chosen['json_path']}")
if chosen["html_path"].is_file():
    components.html(chosen["html_path"].read_text(encoding="utf-8"), height=900, scrolling=True)
else:
    st.warning("This report's HTML file is missing from the reports directory.")
