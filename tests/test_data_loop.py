"""The data loop end to end, on real components only (a SQLite file, an MLflow store and model files
in tmp_path, the trained models, the real assistant): caregivers start asking about something the
assistant has no topic for (hearing aids), the drift report notices, a clinical reviewer labels what
was asked from the labeling queue, writes the new topic's scenario, cuts a dataset version, trains
the intent model on it, reads the gates and approves the new version, and the assistant that was
already running swaps it in and answers the new topic, without a restart.

The expensive part (the simulation, one registration of the current models, one training of the
intent model and its assessment: about ten minutes) runs once, in the module fixture; each test reads
one step of it."""

from __future__ import annotations

import csv
import json
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
from conftest import copy_project_data

from core.auth.users import create_user
from core.config import PROJECT_ROOT, Settings
from core.content.versions import create_topic
from core.dialogue.factory import build_assistant
from core.errors import NotPermitted
from core.mlops import approval, dataset_versions, labeling
from core.mlops.drift import DriftRun, labeling_filter, run_drift
from core.mlops.lifecycle import bootstrap_if_first, register_trained
from core.mlops.simulate import read_new_topic, simulate
from core.mlops.training import train
from core.store import registry

pytestmark = pytest.mark.slow

PASSWORD = "a long test password 1"
REVIEWER, CAREGIVER = "rev1", "carla"
MIDNIGHT = datetime.combine(datetime.now(UTC).date(), clock(), UTC)
DAYS, SHIFT_DAYS, PER_DAY = 30, 10, 120
# Questions about the new topic that are not in data/simulate/hearing_aids.csv: written for this test.
NEW_QUESTIONS = [
    ("my father's hearing aid whistles whenever he hugs someone, how do we stop the feedback", "en"),
    ("how often should mom's hearing aid domes be replaced", "en"),
    ("el audífono de mi papá pita todo el tiempo, qué hacemos", "es"),
    ("cada cuánto se cambian las pilas del audífono de mi abuela", "es"),
]


# The loop's own bars (CAREOPS_GATES_FILE). Today's intent model meets none of the shipped bars'
# golden accuracy and macro-F1 (issues 16 and 17), so with core/mlops/gates.yaml the loop stops at
# approval, as it should; these bars let the test go on to the approval and the swap while still
# refusing a version that loses more than one golden row of any class's recall against the champion:
# the smallest topic classes hold 28-31 golden rows, so one row is 0.032-0.036, over the shipped 0.03
# (measured 2026-12-01: adding the hearing-aids topic moved one disability_support row, "I'm deaf and
# my hearing mother is now sick...", to caregiver_wellbeing: 0.0322).
LOOP_GATES = """
bars:
  - {name: intent_accuracy, model: intent, set: golden, metric: accuracy, min: 0.78}
  - {name: intent_recall_drop, model: intent, set: comparison, metric: intent_max_recall_drop, max: 0.036}
  - {name: latency_p95_intent, model: intent, set: latency, metric: p95_ms, max: 500}
"""


@dataclass
class Loop:
    settings: Settings
    assistant: object
    before: dict = field(default_factory=dict)  # the new questions' intents before the new version
    drift: DriftRun | None = None
    queue_filter: dict | None = None
    first_queue: list = field(default_factory=list)
    labelled: int = 0
    cut: dataset_versions.CutResult | None = None
    metadata: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    trained_models: Path | None = None  # the session's trained models the loop started from


def _days(first: int, last: int) -> str:
    """A window of whole days counted back from today: days `first` to `last` before today."""
    return f"{MIDNIGHT - timedelta(days=first):%Y-%m-%d}:{MIDNIGHT - timedelta(days=last):%Y-%m-%d}"


def _intent(assistant, text: str, language: str) -> str:
    return assistant.reply(f"s-{time.monotonic_ns()}", text, language=language).intent


def _label_new_topic(loop: Loop, items, texts: set[str], seen: set[str]) -> None:
    for item in items:
        if item.text in texts and item.text not in seen:
            labeling.label(REVIEWER, item, "new:hearing_aids", "none", settings=loop.settings)
            seen.add(item.text)
            loop.labelled += 1
        else:  # other traffic, or a question already labelled once: not needed twice in a dataset
            labeling.skip(REVIEWER, item, settings=loop.settings)


@pytest.fixture(scope="module")
def loop(trained, tmp_path_factory) -> Loop:
    root = tmp_path_factory.mktemp("loop")
    gates = root / "loop_gates.yaml"
    gates.write_text(LOOP_GATES, encoding="utf-8")
    settings = copy_project_data(root).model_copy(update={
        "models_dir": root / "models", "double_label_share": 0.0, "champion_check_seconds": 3600,
        "gates_file": gates})
    shutil.copytree(trained.models_dir, settings.models_dir)
    shutil.copytree(PROJECT_ROOT / "data" / "simulate", settings.data_dir / "simulate")
    for name, role in ((REVIEWER, "reviewer"), (CAREGIVER, "caregiver")):
        create_user(name, PASSWORD, role, actor="test", settings=settings)
    timings = {}

    started = time.perf_counter()  # today's models become the served champion (bootstrap: they pass their gates)
    metadata = json.loads((trained.models_dir / "metadata.json").read_text())
    bootstrap_if_first(settings, register_trained(settings, metadata, lambda _m: None, ("intent",)))
    timings["register today's intent model"] = time.perf_counter() - started

    assistant = build_assistant(settings, require_models=True)
    loop = Loop(settings, assistant, trained_models=trained.models_dir)
    loop.before = {text: _intent(assistant, text, language) for text, language in NEW_QUESTIONS}

    started = time.perf_counter()  # 20 days of ordinary traffic, then 10 in which hearing aids come up
    simulate(days=DAYS, per_day=PER_DAY, shift="new-topic", shift_days=SHIFT_DAYS, seed=7, settings=settings,
             now=MIDNIGHT)
    timings["simulate"] = time.perf_counter() - started
    loop.drift = run_drift(reference=_days(DAYS, SHIFT_DAYS + 1), current=_days(SHIFT_DAYS, 1), settings=settings)
    loop.queue_filter = labeling_filter(loop.drift.scores)

    texts, seen = {text for text, _ in read_new_topic(settings)}, set()
    loop.first_queue = labeling.queue(REVIEWER, filters=loop.queue_filter, limit=500, settings=settings)
    _label_new_topic(loop, loop.first_queue, texts, seen)
    while rest := labeling.queue(REVIEWER, limit=500, settings=settings):
        _label_new_topic(loop, rest, texts, seen)
    create_topic("hearing_aids", "Hearing aids", "Audífonos", author=REVIEWER, settings=settings)
    loop.cut = dataset_versions.cut_version(dataset_versions.labeled_turns(reader=REVIEWER, settings=settings),
                                            actor=REVIEWER, settings=settings)

    started = time.perf_counter()
    loop.metadata = train(settings, say=lambda _m: None, dataset=loop.cut.version.version, kinds=("intent",))
    timings["train the intent model and assess it"] = time.perf_counter() - started
    loop.seconds = timings
    print("data loop timings (s):", {k: round(v, 1) for k, v in timings.items()})
    return loop


def test_the_drift_report_notices_the_new_topic_and_points_the_queue_at_it(loop):
    assert loop.drift.alert and loop.drift.scores["messages"]["drifted"], loop.drift.scores
    assert loop.queue_filter is not None
    new_topic = {text for text, _ in read_new_topic(loop.settings)}
    shown = [item for item in loop.first_queue if item.text in new_topic]
    assert len(shown) >= 0.5 * len(loop.first_queue), "the filtered queue is mostly the new questions"


def test_the_reviewer_labels_enough_for_a_topic_and_the_cut_says_it_trains(loop):
    assert loop.labelled >= 100
    version = loop.cut.version
    assert any(note.startswith("new:hearing_aids:") and note.endswith("trains as hearing_aids") for note in loop.cut.notes)
    rows = dataset_versions.read_rows(version.version, loop.settings)
    assert {r.intent for r in rows} == {"new:hearing_aids"} and len(rows) == loop.labelled
    assert (loop.settings.scenarios_dir / "hearing_aids.yaml").is_file()


def test_the_new_intent_version_records_its_dataset_and_passes_its_gates(loop):
    version = loop.metadata["registered"]["intent"]
    record = registry.get_version("intent", version, loop.settings)
    assert record.tags["dataset.version"] == loop.cut.version.version
    assert record.gates_passed is True, {k: v for k, v in record.tags.items() if k.startswith("gate.")}
    assert record.tags["gates.file"] == "loop_gates.yaml"
    assert record.tags["gates.sha256"] == registry.file_sha256(loop.settings.gates_file)
    assert record.tags["gate.intent_recall_drop"] == "passed" and "n/a" not in record.tags["gate.intent_recall_drop.value"]
    assert registry.champion("intent", loop.settings).version == version - 1, "training never changes what is served"
    assert "hearing_aids" in loop.metadata["data"]["classes"]
    assert "crisis" not in loop.metadata["registered"], "the crisis screen was not retrained"
    written = json.loads((loop.settings.models_dir / "metadata.json").read_text())
    before = json.loads((loop.trained_models / "metadata.json").read_text())
    assert written["crisis_classifier"] == before["crisis_classifier"], "the served screen's training record is kept"
    screen_trained = before.get("crisis_trained_at") or before["trained_at"]  # the models may come from an --only run
    assert written["crisis_trained_at"] == screen_trained and written["trained_at"] != before["trained_at"]


def test_a_caregiver_cannot_approve_and_a_reviewer_makes_it_champion(loop):
    version = loop.metadata["registered"]["intent"]
    with pytest.raises(NotPermitted):
        approval.approve(loop.settings, CAREGIVER, "intent", version, "looks fine to me")
    outcome = approval.approve(loop.settings, REVIEWER, "intent", version,
                               "hearing aids questions answered from the new scenario; gates passed")
    assert outcome.promoted and registry.champion("intent", loop.settings).version == version


def test_the_running_assistant_swaps_the_new_version_in_and_answers_the_new_topic(loop):
    assistant = loop.assistant
    version = loop.metadata["registered"]["intent"]
    if registry.champion("intent", loop.settings).version != version:
        pytest.fail("run the whole module: the approval test makes the new version champion")
    assert all(intent != "hearing_aids" for intent in loop.before.values())
    outcomes = assistant.watcher.check()
    assert [(o.kind, o.version, o.swapped) for o in outcomes] == [("intent", str(version), True)]
    routed = {text: _intent(assistant, text, language) for text, language in NEW_QUESTIONS}
    assert sum(intent == "hearing_aids" for intent in routed.values()) >= 3, routed
    for text, language in NEW_QUESTIONS[:1]:
        reply = assistant.reply("loop-session", text, language=language)
        assert reply.intent == "hearing_aids" and "hearing aids" in reply.text


def test_the_new_topic_rows_never_came_from_held_out_text(loop):
    rows = dataset_versions.read_rows(loop.cut.version.version, loop.settings)
    held_out = set()
    for folder in ("golden", "real", "redteam"):
        for path in (loop.settings.data_dir / folder).glob("*.csv"):
            with path.open(newline="", encoding="utf-8") as handle:
                held_out |= {row["text"] for row in csv.DictReader(handle)}
    assert not {r.text for r in rows} & held_out
