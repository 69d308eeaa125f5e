"""Models: what serves now, every registered version (gates, alias, status, data, commit, approvals),
its safety card, two versions compared, approval, rollback and retirement, and training with its
progress. Reading is for every role that may view models; acting is for the roles core allows
(core.mlops.approval checks the role again, from the database)."""

import pandas as pd
import plotly.express as px
import streamlit as st

from core.auth.permissions import allowed
from core.config import get_settings
from core.errors import CareOpsError
from core.mlops import approval, catalog, dataset_versions
from core.mlops.status import component_rows, model_status
from core.mlops.training_job import current_training, start_training
from core.nlu.model_files import MODEL_KINDS, registry_in_use
from core.store import registry
from core.taxonomy import TRAINABLE_ALONE
from pages._ui import assistant, gate

KIND_TITLES = {"intent": "Intent model (care-intent)", "crisis": "Crisis screen (care-crisis)"}
GATE_BADGES = {"passed": "✅ passed", "failed": "❌ failed", "not evaluated": "⏳ not evaluated"}

user = gate("models.view", "models")
settings = get_settings()
may_act = allowed(user["role"], approval.PERMISSION)
st.title("Models")
if notice := st.session_state.pop("models_notice", None):
    st.success(notice)


def serving() -> None:
    """What answers now, and every alert: a model not serving, or a champion that was refused."""
    served = assistant()
    if served.watcher is not None:
        served.watcher.poke()  # the page shows what serves; a check due now runs in the background
    rows = component_rows(served.health)
    for row in rows:
        if row["state"] == "failed":
            st.error(f"The {row['component']} model is not serving: {row['detail']}. The crisis detectors still answer.",
                     icon=":material/error:")
        elif row["state"] != "ok":
            st.warning(f"The {row['component']} model: {row['detail']}", icon=":material/warning:")
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)
    watcher = served.watcher
    if watcher is not None and watcher.last_checked is not None:
        st.caption(f"Champions last checked {watcher.last_checked:%H:%M:%S} UTC ({watcher.checks} checks, "
                   f"{watcher.swaps} swapped in since start).")


def training_progress() -> None:
    job = current_training()
    if job is None:
        return
    progress = job.progress()
    st.progress(progress.fraction, text=f"{progress.stage} · {progress.elapsed_seconds:.0f} s · "
                                        f"started by {progress.started_by}")
    if not progress.running:
        (st.success if progress.succeeded else st.error)(
            "Training finished: the new versions are challengers, waiting for review." if progress.succeeded
            else f"Training failed (exit code {progress.returncode}); the last lines say why.")
    with st.expander("Training output"):
        st.code("\n".join(progress.lines[-40:]) or "(no output yet)")


def training() -> None:
    st.subheader("Training")
    job = current_training()
    running = job is not None and job.progress().running
    if may_act and not running:
        versions = [v.version for v in reversed(dataset_versions.list_versions(settings))]  # newest first
        dataset = st.selectbox("Training data", [None, *versions], key="train_dataset",
                               format_func=lambda v: "The committed data only" if v is None
                               else f"The committed data and dataset version {v}",
                               help="A dataset version adds the labelled log turns it holds (python -m core data cut).")
        which = st.radio("Models", ["both", *TRAINABLE_ALONE], key="train_only", horizontal=True,
                         format_func=lambda v: "Both models" if v == "both" else f"The {v} model only",
                         help="The intent model alone trains in minutes (what a new topic needs); the crisis "
                              "screen stays as it is.")
        if st.button("Train new versions", icon=":material/model_training:"):
            try:
                start_training(actor=user["username"], settings=settings, dataset=dataset,
                               only=None if which == "both" else which)
            except CareOpsError as exc:
                st.error(exc.message)
            else:
                st.rerun()
    st.fragment(run_every=2 if running else None)(training_progress)()


def badge_rows(kind: str) -> list[dict]:
    return [{**row, "gates": GATE_BADGES.get(row["gates"], row["gates"])} for row in catalog.version_rows(settings, kind)]


def act(action, *args) -> None:
    """Run a core action; its refusal is shown, never half-done."""
    try:
        result = action(settings, user["username"], *args)
    except CareOpsError as exc:
        st.error(exc.message)
        for detail in exc.details:
            st.markdown(f"- {detail}")
    else:
        st.session_state["models_notice"] = describe(action, args, result)
        st.rerun()


def describe(action, args, result) -> str:
    kind, version = args[0], args[1]
    name = registry.model_name(kind)
    if action is approval.approve:
        return (f"{name} version {version} approved: it is the champion now; the assistant swaps it in at its next check."
                if result.promoted else f"{name} version {version} approved ({result.approvals} of {result.required}).")
    verbs = {approval.reject: "rejected", approval.rollback: "is the champion again (rolled back)",
             approval.retire: "retired (archived)"}
    return f"{name} version {version} {verbs[action]}."


def actions(kind: str, version: int) -> None:
    if not may_act:
        return
    with st.form(f"decide_{kind}_{version}", clear_on_submit=True):
        note = st.text_area("Note (required to approve or reject)", max_chars=approval.MAX_NOTE)
        approve_col, reject_col, rollback_col, retire_col = st.columns(4)
        chosen = {approval.approve: approve_col.form_submit_button("Approve", type="primary"),
                  approval.reject: reject_col.form_submit_button("Reject"),
                  approval.rollback: rollback_col.form_submit_button("Roll back to this"),
                  approval.retire: retire_col.form_submit_button("Retire")}
    for action, clicked in chosen.items():
        if clicked:
            act(action, kind, version, note)


def detail(kind: str, version: int) -> None:
    shown = catalog.version_detail(settings, kind, version)
    for failure in shown["failed"]:
        st.error(f"Gate failed: {failure}", icon=":material/block:")
    st.dataframe(pd.DataFrame(shown["gates"]), hide_index=True, use_container_width=True)
    st.caption("Lineage: " + " → ".join(f"**{s['step']}** {s['what']}" for s in shown["lineage"]))
    if shown["decisions"]:
        st.markdown("**Decisions**")
        st.dataframe(pd.DataFrame(shown["decisions"]), hide_index=True, use_container_width=True)
    actions(kind, version)
    card = registry.read_artifact(kind, version, "safety_card.html", settings)
    with st.expander("Safety card", expanded=True):
        if card is None:
            st.info("This version has no safety card yet: it cannot be approved until it is assessed.")
        else:
            st.html(card.read_text(encoding="utf-8"))


def heatmap(title: str, labels: list[str], grid: list[list[int]]) -> None:
    figure = px.imshow(grid, x=labels, y=labels, text_auto=True, color_continuous_scale="Blues",
                       labels={"x": "said", "y": "truth", "color": "messages"}, title=title)
    st.plotly_chart(figure, use_container_width=True)


def compare(kind: str, versions: list[int]) -> None:
    if len(versions) < 2:
        st.caption("Two versions are needed for a comparison.")
        return
    left, right = st.columns(2)
    a = left.selectbox("Compare version", versions, index=1, key=f"cmp_a_{kind}")
    b = right.selectbox("with version", versions, index=0, key=f"cmp_b_{kind}")
    result = catalog.compare_versions(settings, kind, a, b)
    if not result["measured"]:
        st.info("One of the two versions has no stored evaluation yet; only what is stored is compared.")
    st.markdown(f"**Metric deltas** (version {b} − version {a})")
    st.dataframe(pd.DataFrame(result["metrics"]), hide_index=True, use_container_width=True)
    if result["recall_drops"]:
        st.markdown(f"**Per-class recall change** (version {b} − version {a})")
        recall = [{"class": name, "recall change": -drop} for name, drop in result["recall_drops"].items()]
        st.dataframe(pd.DataFrame(recall), hide_index=True, use_container_width=True)
    for version, sets in result["confusion"].items():
        for name, matrix in sets.items():
            labels = list(matrix)
            heatmap(f"Version {version}: risk on {name} (truth → said)", labels,
                    [[matrix[truth].get(said, 0) for said in labels] for truth in labels])
    for version, confusion in result.get("intent_confusion", {}).items():
        if confusion and confusion["labels"]:
            heatmap(f"Version {version}: intents on golden (truth → said)", confusion["labels"], confusion["matrix"])
    changes = [{"change": change, **entry} for change in ("crisis_lost", "crisis_gained", "risk_changed", "intent_changed")
               for entry in result["changes"].get(change, [])]
    st.markdown(f"**Messages whose decision changed**: {len(changes)}")
    if changes:
        st.dataframe(pd.DataFrame(changes), hide_index=True, use_container_width=True)


def versions(kind: str) -> None:
    rows = badge_rows(kind)
    if not rows:
        st.info("No version registered yet.")
        return
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)
    numbers = [row["version"] for row in rows]
    chosen = st.selectbox("Version", numbers, key=f"version_{kind}",
                          format_func=lambda v: f"{v} ({next(r['status'] for r in rows if r['version'] == v)})")
    detail(kind, chosen)
    st.markdown("#### Compare two versions")
    compare(kind, numbers)


st.subheader("Serving now")
serving()
if stale := model_status(settings)["retrain_needed"]:
    st.warning(f"Retrain needed: {stale}", icon=":material/model_training:")
training()
st.subheader("Versions")
if not registry_in_use(settings):
    st.info("No model version is registered yet. Train to create the first; the first version that passes "
            "every gate becomes the champion automatically.")
    st.stop()
try:
    for kind, tab in zip(MODEL_KINDS, st.tabs([KIND_TITLES[k] for k in MODEL_KINDS])):
        with tab:
            versions(kind)
except CareOpsError as exc:
    st.error(f"The model registry could not be read: {exc.message}", icon=":material/error:")
