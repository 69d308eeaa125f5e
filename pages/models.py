"""Model status, read-only: what the current models were trained on and how they scored."""

import pandas as pd
import streamlit as st

from core.mlops.status import component_rows, model_status, per_class_rows
from pages._ui import assistant, gate

gate("models.view", "models")
st.title("Model status")
status = model_status()
rows = component_rows(assistant().health)
for row in rows:
    if row["state"] == "failed":
        st.error(f"The {row['component']} model is not serving: {row['detail']}. The crisis detectors still answer.",
                 icon=":material/error:")
    elif row["state"] != "ok":
        st.warning(f"The {row['component']} model is degraded: {row['detail']}", icon=":material/warning:")
st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)
if status["retrain_needed"]:
    st.warning(f"Retrain needed: {status['retrain_needed']}", icon=":material/model_training:")
meta = status["metadata"]
if meta is None:
    st.info("No model has been trained yet. Run `python -m core train`.")
    st.stop()
cv, crisis = meta["intent_cv"], meta["crisis_classifier"]
a, b, c = st.columns(3)
a.metric("Intent accuracy (5-fold)", f"{cv['accuracy']:.3f}")
b.metric("Intent macro-F1 (5-fold)", f"{cv['macro avg']['f1-score']:.3f}")
c.metric("Crisis screen recall (out-of-fold)", f"{crisis['oof_screen_recall']:.3f}")
st.caption(f"Trained {meta['trained_at']} on {meta['data']['rows']} rows (data fingerprint {meta['data_fingerprint']}); "
           f"crisis classifier threshold {crisis['threshold']}.")
st.subheader("Per intent (cross-validated)")
st.dataframe(pd.DataFrame(per_class_rows(meta)), hide_index=True, use_container_width=True)
