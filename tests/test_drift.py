"""Drift reports (core/mlops/drift.py) on simulated traffic: one log holds four 3-day segments,
two unshifted, one Spanish shift, one new-topic shift (hearing aids). A shift is found on its own
signal; two unshifted windows raise no alert. The files and the row exist together; the command
line's exit codes; the Drift page for an analyst and refused for a caregiver. No trained models:
the assistant answers from its detectors, and the embeddings are the packaged sentence model's."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, time, timedelta

import pytest
from conftest import copy_project_data, run_cli
from streamlit.testing.v1 import AppTest

from core import audit
from core.auth.users import create_user, list_users
from core.config import PROJECT_ROOT, get_settings
from core.errors import InvalidInput
from core.mlops import drift_metrics
from core.mlops.drift import labeling_filter, list_reports, run_drift
from core.mlops.simulate import simulate

MIDNIGHT = datetime.combine(datetime.now(UTC).date(), time(), UTC)
PER_DAY = 50
SEGMENTS = (("unshifted-1", None), ("unshifted-2", None), ("spanish", "spanish"), ("new-topic", "new-topic"))


def window(segment: str) -> str:
    """The dates of a segment: segment i covers the 3 days that end 3 * (3 - i) days before today."""
    index = [name for name, _ in SEGMENTS].index(segment)
    end = MIDNIGHT - timedelta(days=3 * (len(SEGMENTS) - 1 - index))
    return f"{end - timedelta(days=3):%Y-%m-%d}:{end - timedelta(days=1):%Y-%m-%d}"


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    settings = copy_project_data(tmp_path_factory.mktemp("drift"))
    shutil.copytree(PROJECT_ROOT / "data" / "simulate", settings.data_dir / "simulate")
    for i, (_name, shift) in enumerate(SEGMENTS):
        simulate(days=3, per_day=PER_DAY, shift=shift, shift_days=3, seed=i, settings=settings,
                 now=MIDNIGHT - timedelta(days=3 * (len(SEGMENTS) - 1 - i)))
    return settings


@pytest.fixture(scope="module")
def unshifted(log):
    return run_drift(reference=window("unshifted-1"), current=window("unshifted-2"), settings=log)


def drifted(run) -> set[str]:
    return {name for name, s in run.scores.items() if s["drifted"]}


def test_two_unshifted_windows_raise_no_alert(unshifted):
    assert unshifted.reference_rows == unshifted.current_rows == 3 * PER_DAY
    assert not unshifted.alert, unshifted.scores
    assert set(unshifted.scores) == set(drift_metrics.load_signals())


def test_a_spanish_shift_is_found_on_the_language_mix(log):
    run = run_drift(reference=window("unshifted-1"), current=window("spanish"), settings=log)
    assert run.alert and "language" in drifted(run)
    assert run.scores["language"]["rising"] == "es"
    assert labeling_filter(run.scores) == {"language": "es"}


def test_a_new_topic_is_found_in_the_messages_themselves(log, unshifted):
    run = run_drift(reference=window("unshifted-1"), current=window("new-topic"), settings=log)
    assert "messages" in drifted(run)
    assert "language" not in drifted(run)
    assert run.scores["messages"]["score"] > unshifted.scores["messages"]["score"]


def test_a_report_is_saved_with_its_row_and_listed_with_its_windows(log, unshifted):
    listed = {r["report_id"]: r for r in list_reports(log)}[unshifted.report_id]
    assert listed["current"] == window("unshifted-2") and listed["reference"] == window("unshifted-1")
    assert listed["html_path"] == unshifted.html_path and unshifted.html_path.is_file()
    saved = json.loads(unshifted.json_path.read_text(encoding="utf-8"))
    assert saved["scores"] == listed["scores"] == json.loads(json.dumps(unshifted.scores))
    assert "<html" in unshifted.html_path.read_text(encoding="utf-8")[:2000].lower()


def test_a_failed_save_leaves_neither_files_nor_row(log, monkeypatch):
    before = {r["report_id"] for r in list_reports(log)}
    folders = set((log.reports_dir / "drift").iterdir())

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        run_drift(reference=window("unshifted-1"), current=window("unshifted-2"), settings=log)
    assert {r["report_id"] for r in list_reports(log)} == before
    assert set((log.reports_dir / "drift").iterdir()) == folders


@pytest.mark.parametrize("reference, current", [("champion", "2026-13-01:2026-13-02"), ("last week", None),
                                                ("champion", "2026-02-10:2026-02-01")])
def test_a_malformed_window_is_refused(log, reference, current):
    with pytest.raises(InvalidInput):
        run_drift(reference=reference, current=current, settings=log)


def test_an_empty_window_is_a_clear_message_and_saves_nothing(log):
    before = len(list_reports(log))
    with pytest.raises(InvalidInput, match="no logged turns"):
        run_drift(reference=window("unshifted-1"), current="2001-01-01:2001-01-07", settings=log)
    assert len(list_reports(log)) == before


def test_evidently_answers_one_value_per_metric_in_order():
    """compare() reads the snapshot's values by position: pinned on a tiny known frame."""
    import numpy as np
    import pandas as pd

    signals = drift_metrics.load_signals()
    rows = {"words": [3, 4, 5, 6] * 10, "language": ["en"] * 40, "intent": ["adl"] * 40, "confidence": [0.9] * 40,
            "out_of_scope": ["no"] * 40, "distress": ["no"] * 40, "crisis": ["no"] * 40}
    same = pd.DataFrame(rows)
    moved = same.assign(language=["es"] * 40)
    comparison = drift_metrics.compare(same, moved, reference_embeddings=None, current_embeddings=None, signals=signals)
    assert comparison.scores["language"]["drifted"] and comparison.scores["language"]["score"] > 0.5
    assert not any(s["drifted"] for name, s in comparison.scores.items() if name != "language")
    assert "messages" not in comparison.scores  # no embeddings given
    vectors = np.random.default_rng(0).normal(size=(40, 8))
    embedded = drift_metrics.compare(same, same, reference_embeddings=vectors, current_embeddings=vectors + 3.0)
    assert embedded.scores["messages"]["drifted"]


def test_the_command_line_exits_1_on_an_alert_and_2_on_bad_input(log):
    alert = run_cli(log, "drift", "--reference", window("unshifted-1"), "--current", window("spanish"))
    assert alert.returncode == 1, alert.stderr
    assert "language" in alert.stdout and "DRIFT" in alert.stdout and "report.html" in alert.stdout
    bad = run_cli(log, "drift", "--current", "yesterday")
    assert bad.returncode == 2 and "YYYY-MM-DD:YYYY-MM-DD" in bad.stderr
    empty = run_cli(log, "drift", "--reference", window("unshifted-1"), "--current", "2001-01-01:2001-01-07")
    assert empty.returncode == 2 and "no logged turns" in empty.stderr and "Traceback" not in empty.stderr


@pytest.fixture
def console(log, monkeypatch):
    monkeypatch.setenv("CAREOPS_DATA_DIR", str(log.data_dir))
    monkeypatch.setenv("CAREOPS_SCENARIOS_DIR", str(log.scenarios_dir))
    monkeypatch.setenv("CAREOPS_REPORTS_DIR", str(log.reports_dir))
    get_settings.cache_clear()
    return get_settings()


def page(role: str) -> AppTest:
    username = f"drift-{role}"
    if username not in {u.username for u in list_users()}:
        create_user(username, "a-long-test-password-1", role, actor="test")
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "drift.py"), default_timeout=120)
    at.session_state["user"] = {"username": username, "role": role, "last_active": datetime.now(UTC)}
    return at.run()


def test_the_drift_page_shows_reports_history_and_the_alert_to_an_analyst(console, log):
    run_drift(reference=window("unshifted-1"), current=window("spanish"), settings=log)  # the newest: an alert
    at = page("analyst")
    assert not at.exception, at.exception
    assert at.title[0].value == "Drift"
    assert any("Drift over its threshold" in e.value and "language mix" in e.value for e in at.error)
    assert at.session_state["labeling_filter"] == labeling_filter(list_reports(log)[0]["scores"])
    assert [s.value for s in at.subheader] == ["Drift scores over time", "The Evidently report"]


def test_the_drift_page_is_refused_to_a_caregiver(console):
    at = page("caregiver")
    assert not at.exception
    assert at.error and "not permitted" in at.error[0].value.lower()
    assert not at.title


def test_evidently_is_imported_only_where_its_telemetry_is_switched_off():
    import ast
    import os

    importers = []
    for path in [*sorted((PROJECT_ROOT / "core").rglob("*.py")), *sorted((PROJECT_ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] == "evidently" for n in names):
                importers.append(path.relative_to(PROJECT_ROOT).as_posix())
    assert set(importers) == {"core/mlops/drift_metrics.py"}
    assert os.environ.get("DO_NOT_TRACK")  # set by drift_metrics before it imported evidently
    from evidently.telemetry import DO_NOT_TRACK_ENV

    assert DO_NOT_TRACK_ENV == "DO_NOT_TRACK"  # the variable Evidently's telemetry reads


def test_the_champion_reference_embeds_each_text_once_as_a_reply_does(trained):
    """Predictions keep the embedding they computed (drift's reference needed a second pass), and it
    is the embedding drift computes for the log's messages, so both sides compare alike."""
    import numpy as np

    from core.mlops.drift import message_embeddings
    from core.mlops.prediction import Predictor

    long = " ".join(["my mother has dementia and wanders at night, and i have not slept properly in weeks"] * 12)
    texts = ["how do i help my dad bathe safely", long, ""]
    predictor = Predictor(trained)
    kept = list(predictor.predict(texts, keep_embeddings=True))
    plain = list(predictor.predict(texts))
    embeddings = [k.pop("embedding") for k in kept]
    assert kept == plain
    expected = message_embeddings(texts[:2], predictor.embedder)
    assert np.allclose(np.vstack(embeddings[:2]), expected, atol=1e-5)
    assert not embeddings[2].any()  # an empty message has no embedding: zeros
