"""The Models page through Streamlit's AppTest, on a real MLflow store and database in tmp_path:
versions with gate badges, alias, status and approver; the safety card; approve / reject with a
required note, rollback and retire only for the roles core allows; two versions compared with
confusion heatmaps; training progress. No real training runs: a small script stands in for it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest
from model_versions import tiny_version
from streamlit.testing.v1 import AppTest

from core import audit
from core.auth.users import create_user, list_users
from core.config import PROJECT_ROOT, get_settings
from core.mlops import approval
from core.mlops.training_job import current_training, start_training
from core.store import registry

PASSWORD = "a-long-test-password-1"
PAGE = "pages/models.py"
CARD_TEXT = "Safety card of the page test"


@pytest.fixture
def console(trained, tmp_path, monkeypatch):
    """The trained models serve; the registry, database and reports are this test's own."""
    monkeypatch.setenv("CAREOPS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CAREOPS_MODELS_DIR", str(trained.models_dir))
    monkeypatch.setenv("CAREOPS_SCENARIOS_DIR", str(trained.scenarios_dir))
    monkeypatch.setenv("CAREOPS_DATABASE_URL", f"sqlite:///{tmp_path / 'console.db'}")
    get_settings.cache_clear()
    return get_settings()


def _version(console, kind: str, tmp_path, *, passes: bool = True, accuracy: float = 0.96) -> registry.VersionRecord:
    """A real registered version with its gate tags, evaluation and safety card, made with a
    private models dir (so the served model files are never touched)."""
    private = console.model_copy(update={"models_dir": tmp_path / "private-models"})
    record = tiny_version(private, kind, passes=passes)
    matrix = {"none": {"none": 90, "distress": 8, "crisis": 2}, "distress": {"none": 5, "distress": 40, "crisis": 5},
              "crisis": {"none": 1, "distress": 2, "crisis": 97}}
    intents = {"labels": ["adl", "diabetes"], "matrix": [[19, 1], [2, 18]]}
    evaluation = {"golden": {"accuracy": accuracy, "macro_f1": accuracy - 0.02, "risk": {"matrix": matrix},
                             "per_class": {"adl": {"recall": accuracy}, "diabetes": {"recall": 0.9}},
                             "intent_confusion": intents}}
    registry.log_json(kind, record.version, "evaluation.json", evaluation, console)
    registry.log_text(kind, record.version, "safety_card.html",
                      f"<html><body><h1>{CARD_TEXT} {record.version}</h1></body></html>", console)
    return record


def app(role: str) -> AppTest:
    username = f"test-{role}"
    if username not in {u.username for u in list_users()}:
        create_user(username, PASSWORD, role, actor="test")
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=180)
    at.session_state["user"] = {"username": username, "role": role, "last_active": datetime.now(UTC)}
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [s.value for s in at.success] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_without_a_registry_the_page_says_how_versions_come(console):
    at = app("analyst")
    assert "No model version is registered yet" in texts(at)
    assert not (console.data_dir / "mlflow.db").exists(), "opening the page creates no registry"


def test_an_analyst_reads_versions_with_gates_alias_and_approver_but_cannot_act(console, tmp_path):
    first = _version(console, "intent", tmp_path)
    _version(console, "intent", tmp_path, passes=False)
    create_user("rita", PASSWORD, "reviewer", actor="test")
    approval.approve(console, "rita", "intent", first.version, "card read, gates passed")
    at = app("analyst")
    rows = table(at, "approved_by").set_index("version")
    assert rows.loc[1, "gates"] == "✅ passed" and rows.loc[2, "gates"] == "❌ failed"
    assert rows.loc[1, "aliases"] == "champion" and rows.loc[1, "approved_by"] == "rita"
    assert {"status", "commit", "data"} <= set(rows.columns)
    assert not [b for b in at.button if b.label in ("Approve", "Reject", "Train new versions")]
    assert any(CARD_TEXT in str(h.value) for h in at.get("html")), "the safety card is embedded"


def test_a_reviewer_approves_with_a_note_and_the_version_becomes_champion(console, tmp_path):
    version = _version(console, "intent", tmp_path)
    at = app("reviewer")
    button(at, "Approve").click().run()
    assert "a note is required" in texts(at)
    assert registry.champion("intent", console) is None, "nothing changes without a note"
    at.text_area[0].input("read the card; red team clean")
    button(at, "Approve").click().run()
    assert registry.champion("intent", console).version == version.version
    assert "approved: it is the champion now" in texts(at)
    assert audit.recent(2, action="model.approved")[0].actor == "test-reviewer"


def test_a_version_that_failed_a_gate_is_refused_and_the_page_names_the_gate(console, tmp_path):
    _version(console, "crisis", tmp_path, passes=False)
    at = app("reviewer")
    at.tabs[1].text_area[0].input("looks fine")
    next(b for b in at.tabs[1].button if b.label == "Approve").click().run()
    shown = texts(at)
    assert "did not pass every gate" in shown and "accuracy = 0.5000 (bar >= 0.9)" in shown
    assert registry.champion("crisis", console) is None


def test_rollback_and_retire_from_the_page(console, tmp_path):
    first, second = _version(console, "intent", tmp_path), _version(console, "intent", tmp_path)
    create_user("rita", PASSWORD, "reviewer", actor="test")
    approval.approve(console, "rita", "intent", first.version, "first")
    approval.approve(console, "rita", "intent", second.version, "second")
    at = app("admin")
    at.selectbox(key="version_intent").set_value(first.version).run()
    button(at, "Roll back to this").click().run()
    assert registry.champion("intent", console).version == first.version
    at.selectbox(key="version_intent").set_value(second.version).run()
    button(at, "Retire").click().run()
    assert registry.get_version("intent", second.version, console).status == "archived"
    assert {"model.rolled_back", "model.retired"} <= {e.action for e in audit.recent(5)}


def test_two_versions_compared_with_metric_deltas_recall_changes_and_heatmaps(console, tmp_path):
    _version(console, "intent", tmp_path, accuracy=0.96)
    _version(console, "intent", tmp_path, accuracy=0.94)
    at = app("analyst")
    deltas = table(at, "delta").set_index("metric")
    assert deltas.loc["golden.accuracy", "delta"] == pytest.approx(-0.02)
    recall = table(at, "recall change").set_index("class")
    assert recall.loc["adl", "recall change"] == pytest.approx(-0.02)
    assert len(at.get("plotly_chart")) == 4, "per version: the risk and the intent confusion heatmaps"


def test_training_progress_shows_the_stage_and_who_started_it(console):
    script = ("import sys, time; print('5-fold cross-validation of the intent model ...', file=sys.stderr, "
              "flush=True); time.sleep(30)")
    job = start_training(actor="rita", settings=console, command=[sys.executable, "-c", script])
    try:
        for _ in range(100):
            if job.progress().lines:
                break
            job.wait(timeout=0.1)
        assert "Train new versions" not in [b.label for b in app("reviewer").button], "one training at a time"
        at = app("analyst")
        [bar] = at.get("progress")
        assert "Intent model" in bar.proto.text and "rita" in bar.proto.text
    finally:
        job.cancel("test")
        job.wait(timeout=30)
    assert current_training() is job and not job.progress().running
    assert "Train new versions" in [b.label for b in app("reviewer").button]


def test_a_reviewer_chooses_the_dataset_version_to_train_on(console):
    from core.mlops import dataset_versions as dv
    from core.privacy.consent import pseudonym

    turn = dv.LabeledTurn("t-n", pseudonym("s1"), "my dad keeps skipping lunch since the move, any ideas for small meals",
                          "en", "nutrition", "none", "", (1,), ("rev1",))  # written for this test
    version = dv.cut_version([turn], actor="rev1", settings=console).version.version
    at = app("reviewer")
    choice = next(s for s in at.selectbox if s.label == "Training data")
    assert choice.options == ["The committed data only", f"The committed data and dataset version {version}"]
    assert choice.value is None  # the committed data unless a reviewer picks a version
    assert not [s for s in app("analyst").selectbox if s.label == "Training data"]
    models = next(r for r in at.radio if r.label == "Models")
    assert models.options == ["Both models", "The intent model only"] and models.value == "both"
    assert not [r for r in app("analyst").radio if r.label == "Models"]
