"""The command line end to end, on a private copy of the data (the session fixture ran `train`)."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import run_cli

pytestmark = pytest.mark.slow


def test_train_wrote_verified_models_and_metadata(trained):
    from core.nlu.model_files import load_model

    for kind in ("intent", "crisis"):
        assert load_model(kind, trained)
    meta = json.loads((trained.models_dir / "metadata.json").read_text())
    assert meta["intent_cv"]["accuracy"] > 0.5
    assert "adl" in meta["intent_cv_per_class"]
    crisis = meta["crisis_classifier"]
    assert 0.45 <= crisis["threshold"] <= 0.85
    assert crisis["oof_encoder_alone_at_threshold"]["recall"] > 0.5  # the fine-tuned encoder was trained and scored
    assert len(load_model("crisis", trained)["encoder_onnx"]) > 1_000_000  # and ships inside the crisis model file


def test_evaluate_prints_the_metrics_as_json(trained, tmp_path):
    data = tmp_path / "eval.csv"
    data.write_text(
        "text,intent\n"
        "i want to kill myself,crisis\n"
        "hello there,greeting\n"
        "\"my mom with dementia wanders at night, how do i keep her safe\",dementia_senior_care\n"
        "this paperwork is killing me,caregiver_wellbeing\n",
        encoding="utf-8",
    )
    result = run_cli(trained, "evaluate", "--data", str(data), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ("accuracy", "macro_f1", "per_class", "crisis_recall", "crisis_false_positive_rate"):
        assert key in report
    assert report["crisis_recall"] == 1.0
    assert report["n"] == 4


def test_evaluate_refuses_a_file_without_intent_column(trained, tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text("text\nhello\n", encoding="utf-8")
    result = run_cli(trained, "evaluate", "--data", str(data))
    assert result.returncode == 2
    assert "missing column(s): intent" in result.stderr


def test_predict_writes_one_json_object_per_row_in_order(trained, tmp_path):
    data = tmp_path / "in.csv"
    long_post = ("Work has been awful and I barely sleep. " * 60) + "I don't see the point in going on anymore."
    rows = [("hello", "x"), ("how do i stop my dad from falling in the shower", "y"),
            ("quiero morirme", "z"), (long_post, "w")]
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "note"])
        writer.writerows([(i, text, note) for i, (text, note) in enumerate(rows)])
    result = run_cli(trained, "predict", "--input", str(data))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4
    assert set(lines[0]) == {"intent", "confidence", "crisis", "crisis_type", "risk", "urgency", "language"}
    assert all(line["crisis"] == (line["risk"] == "crisis") for line in lines)
    assert lines[0]["intent"] == "greeting"
    assert lines[2]["crisis"] and lines[2]["language"] == "es"
    assert lines[3]["crisis"], "a long post with the crisis at its end must be caught"
    assert "predicted 4/4" in result.stderr


def test_predict_refuses_a_missing_file(trained, tmp_path):
    result = run_cli(trained, "predict", "--input", str(tmp_path / "nope.csv"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_chat_answers_in_the_terminal(trained):
    result = run_cli(trained, "chat", stdin="hello\nmy dad keeps falling at night\nquit\n")
    assert result.returncode == 0, result.stderr
    assert "you>" in result.stdout
    assert "[greeting" in result.stdout
