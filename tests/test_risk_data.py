"""The risk-labelled authored files (issue 16) agree with their intent labels: a row is a crisis
exactly when its risk says so, so the graded screen and the intent model never learn opposite
things from the same row; and long crisis rows really are long, or they cannot teach the screen
that length alone does not mean crisis."""

from __future__ import annotations

import csv

import pytest
from conftest import copy_project_data

from core.safety.decision import DETECTOR_ALONE
from core.safety.detectors import strongest_score

RISKS = ("none", "distress", "crisis")


@pytest.fixture(scope="module")
def risk_files(tmp_path_factory):
    data = copy_project_data(tmp_path_factory.mktemp("risk")).data_dir
    files = {}
    for path in sorted([*data.glob("training/*.csv"), *data.glob("risk/*.csv"), *data.glob("intent/*.csv"), *data.glob("golden/*.csv")]):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if "risk" in (reader.fieldnames or []):
                files[f"{path.parent.name}/{path.name}"] = list(reader)
    return files


def test_the_authored_risk_files_are_present(risk_files):
    assert {"risk/distress.csv", "risk/crisis_long.csv", "risk/emotional_short.csv", "intent/distress_twins.csv",
            "golden/distress.csv"} <= set(risk_files)


def test_risk_agrees_with_intent_and_crisis_type(risk_files):
    wrong = [
        f"{name}:{line}" for name, rows in risk_files.items() for line, row in enumerate(rows, start=2)
        if row["risk"] not in RISKS
        or (row["risk"] == "crisis") != (row["intent"] == "crisis")
        or (row["risk"] == "crisis") != bool(row["crisis_type"])
    ]
    assert not wrong, wrong[:10]


def test_distress_training_rows_carry_no_crisis(risk_files):
    assert {row["risk"] for row in risk_files["risk/distress.csv"]} == {"distress"}
    assert {row["risk"] for row in risk_files["risk/emotional_short.csv"]} == {"distress", "none"}


def test_short_emotional_rows_are_short_and_no_detector_calls_them_a_crisis(risk_files):
    """They teach the distress head what a few words of ordinary distress sound like; a row that a
    detector calls a crisis on its own would teach the heads the opposite of what the screen says."""
    rows = risk_files["risk/emotional_short.csv"]
    assert {row["language"] for row in rows} == {"en", "es"}
    long = [line for line, row in enumerate(rows, start=2) if len(row["text"].split()) > 20]
    crisis = [line for line, row in enumerate(rows, start=2)
              if strongest_score(row["text"]) >= DETECTOR_ALONE]
    assert not long and not crisis, (long[:10], crisis[:10])


def test_each_twin_retells_one_crisis_row_without_its_danger(risk_files):
    """A twin is a long crisis story of the training rows told again in the same voice, language and about
    the same length with every sign of danger taken out (the intent model learns the care topic of such a
    story from it; README, "Twins of the crisis stories"). One twin per long crisis row; none is a crisis
    to the detectors, nor even a finding that would support the classifier."""
    from core.config import PROJECT_ROOT
    from core.safety.decision import DETECTOR_SUPPORT

    twins = risk_files["intent/distress_twins.csv"]
    originals = {}
    for name in ("training/crisis.csv", "training/crisis_more.csv", "risk/crisis_long.csv"):
        with open(PROJECT_ROOT / "data" / name, newline="", encoding="utf-8") as handle:
            originals[name] = list(csv.DictReader(handle))
    wrong, seen = [], set()
    for line, twin in enumerate(twins, start=2):
        name, _, at = twin["twin_of"].partition(":")
        original = originals[name][int(at) - 2]
        seen.add(twin["twin_of"])
        if original.get("risk", "crisis") != "crisis" or not original["crisis_type"] \
                or twin["risk"] != "distress" or twin["crisis_type"] or twin["language"] != original["language"] \
                or not 0.75 <= len(twin["text"]) / len(original["text"]) <= 1.25 \
                or strongest_score(twin["text"]) >= DETECTOR_SUPPORT:
            wrong.append(f"distress_twins.csv:{line}")
    assert not wrong, wrong[:10]
    long_crisis = {f"{name}:{line}" for name, rows in originals.items()
                   for line, row in enumerate(rows, start=2) if len(row["text"]) >= 120}
    assert seen == long_crisis and len(twins) == len(long_crisis)


def test_long_crisis_rows_are_long(risk_files):
    short = [line for line, row in enumerate(risk_files["risk/crisis_long.csv"], start=2)
             if not 400 <= len(row["text"]) <= 1500]
    assert not short, short


def test_no_training_or_intent_row_that_is_not_a_crisis_is_a_crisis_on_the_detectors_alone():
    """A topic question or hard negative that a detector calls a crisis on its own would be answered as
    a crisis whatever the classifier learned from it ("soaking a pad in two hours" over months of heavy
    periods, "no entiende por qué no responde" of a thyroid pill were reworded when they were written)."""
    from core.config import PROJECT_ROOT
    from core.nlu.normalize import clean

    alarms = []
    for path in sorted([*(PROJECT_ROOT / "data" / "training").glob("*.csv"), *(PROJECT_ROOT / "data" / "intent").glob("*.csv")]):
        with path.open(newline="", encoding="utf-8") as handle:
            alarms += [f"{path.name}:{line}" for line, row in enumerate(csv.DictReader(handle), start=2)
                       if row["intent"] != "crisis" and strongest_score(clean(row["text"])) >= DETECTOR_ALONE]
    assert not alarms, alarms[:10]
