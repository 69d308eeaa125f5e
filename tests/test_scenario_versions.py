"""Scenario saves (issue 15): the edited scenario is the one written, a save over a newer version is
refused, the version row and the file change together or not at all, (intent, version) is unique,
and "retrain needed" clears only when a model was trained on the current examples."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from database_fixtures import fresh_postgres, race
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from core import audit
from core.config import PROJECT_ROOT, Settings
from core.content import scenarios
from core.content.scenarios import load_scenario, load_scenarios
from core.content.topics import topic_intents
from core.content.versions import (
    clear_retrain_needed_if_current,
    create_topic,
    current_examples_fingerprint,
    examples_fingerprint,
    history,
    rollback,
    save_scenario,
    scenario_examples,
)
from core.errors import CareOpsError, InvalidInput
from core.store.engine import get_engine, session_scope
from core.store.state import RETRAIN_NEEDED, get_state
from core.store.tables import ScenarioVersion


@pytest.fixture
def settings(tmp_path) -> Settings:
    shutil.copytree(PROJECT_ROOT / "scenarios", tmp_path / "scenarios")
    return Settings(data_dir=tmp_path / "data", scenarios_dir=tmp_path / "scenarios", reports_dir=tmp_path)


def _text(settings: Settings, intent: str) -> str:
    return (settings.scenarios_dir / f"{intent}.yaml").read_text(encoding="utf-8")


def _with_example(text: str, example: str) -> str:
    return text.replace("examples:\n  en:\n", f"examples:\n  en:\n    - {example}\n", 1)


def _save(settings: Settings, intent: str, text: str, base: int = 1, reason: str = "test edit"):
    return save_scenario(text, intent=intent, base_version=base, author="tester", reason=reason, settings=settings)


def _saved_events(settings: Settings) -> list:
    return audit.recent(action="scenario.saved", settings=settings)


def test_raw_yaml_with_another_intent_is_refused_and_no_file_changes(settings):
    before = {i: _text(settings, i) for i in ("nutrition", "diabetes")}
    other = before["diabetes"]  # a reviewer pasted the diabetes scenario into the nutrition editor
    with pytest.raises(InvalidInput, match="intent") as caught:
        _save(settings, "nutrition", _with_example(other, "what should he eat"))
    assert "nutrition" in caught.value.message and "diabetes" in caught.value.message
    assert {i: _text(settings, i) for i in before} == before
    assert history("nutrition", settings) == history("diabetes", settings) == []


def test_the_edited_scenario_is_the_file_written(settings):
    result = _save(settings, "nutrition", _with_example(_text(settings, "nutrition"), "my dad barely eats"))
    assert result.scenario.intent == "nutrition" and result.version == 2
    assert "my dad barely eats" in _text(settings, "nutrition")
    assert [v.version for v in history("nutrition", settings)] == [2, 1]


def test_a_save_over_a_newer_version_is_refused_and_writes_nothing(settings):
    opened = _text(settings, "nutrition")  # two reviewers open version 1
    _save(settings, "nutrition", _with_example(opened, "first reviewer's example"))
    after_first = _text(settings, "nutrition")
    with pytest.raises(InvalidInput, match="version 2") as caught:
        _save(settings, "nutrition", _with_example(opened, "second reviewer's example"), base=1)
    assert "you started from version 1" in caught.value.message
    assert _text(settings, "nutrition") == after_first
    assert [v.version for v in history("nutrition", settings)] == [2, 1]
    assert len(_saved_events(settings)) == 1


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_database(request, settings, tmp_path):
    if request.param == "sqlite":
        yield settings
        return
    with fresh_postgres(tmp_path) as pg:
        yield settings.model_copy(update={"database_url": pg.database_url})


def test_processes_saving_from_the_same_version_one_wins_and_file_matches_database(any_database):
    settings = any_database
    get_engine(settings)
    setup = ("from core.config import get_settings\nfrom core.content.versions import save_scenario\n"
             "from core.errors import InvalidInput\nfrom core.store.engine import get_engine\nget_engine()\n"
             f"text = open({str(settings.scenarios_dir / 'nutrition.yaml')!r}, encoding='utf-8').read()\n"
             "text = text.replace('examples:\\n  en:\\n', f'examples:\\n  en:\\n    - example from writer {WORKER}\\n', 1)")
    body = ("try:\n    save_scenario(text, intent='nutrition', base_version=1, author=f'w{WORKER}', reason='race')\n"
            "    print('saved')\nexcept InvalidInput as exc:\n    print('refused:', exc.message)")
    results = race(setup, body, 3, settings)
    assert all(code == 0 for code, _, _ in results), [err[-400:] for _, _, err in results]
    outcomes = sorted(out.split(":")[0].strip() for _, out, _ in results)
    assert outcomes == ["refused", "refused", "saved"]
    latest = history("nutrition", settings)[0]
    assert latest.version == 2 and latest.yaml_text == _text(settings, "nutrition")


def _break_version_inserts(settings: Settings) -> None:
    """A real database failure: the version insert aborts, as a full disk or a lost connection would."""
    get_engine(settings)
    with sqlite3.connect(settings.data_dir / "careops.db") as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON scenarioversion BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")


def test_a_database_failure_leaves_the_file_and_the_database_as_they_were(settings):
    _save(settings, "nutrition", _with_example(_text(settings, "nutrition"), "saved before the trouble"))
    state, events = get_state(RETRAIN_NEEDED, settings), len(_saved_events(settings))
    _break_version_inserts(settings)
    before = _text(settings, "nutrition")
    with pytest.raises(Exception, match="disk trouble"):
        _save(settings, "nutrition", _with_example(before, "never saved"), base=2)
    assert _text(settings, "nutrition") == before
    assert get_state(RETRAIN_NEEDED, settings) == state and len(_saved_events(settings)) == events
    assert not list(settings.scenarios_dir.glob("*.tmp"))


def test_a_file_failure_leaves_the_database_as_it_was(settings, monkeypatch):
    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scenarios, "_replace_file", full_disk)  # a full disk is the one failure we cannot cause here
    before = _text(settings, "nutrition")
    with pytest.raises(CareOpsError, match="No space left") as caught:
        _save(settings, "nutrition", _with_example(before, "never saved"))
    assert "nothing was saved" in caught.value.message
    assert _text(settings, "nutrition") == before
    assert history("nutrition", settings) == []
    assert get_state(RETRAIN_NEEDED, settings) == "" and _saved_events(settings) == []
    assert not list(settings.scenarios_dir.glob("*.tmp"))


def test_intent_and_version_are_unique(settings):
    row = {"intent": "nutrition", "version": 5, "author": "a", "reason": "r", "yaml_text": "x"}
    with session_scope(settings) as session:
        session.add(ScenarioVersion(**row))
    with pytest.raises(IntegrityError), session_scope(settings) as session:
        session.add(ScenarioVersion(**row))
    with session_scope(settings) as session:
        assert len(list(session.exec(select(ScenarioVersion)))) == 1


def test_rollback_saves_the_old_content_as_a_new_version(settings):
    original = _text(settings, "goodbye")
    _save(settings, "goodbye", _with_example(original, "ok im off now"))
    result = rollback("goodbye", 1, author="tester", settings=settings)
    assert result.version == 3
    assert _text(settings, "goodbye").split("\n", 1)[1] == original.split("\n", 1)[1]


def test_retrain_needed_clears_when_a_model_is_trained_on_the_current_examples(settings):
    _save(settings, "nutrition", _with_example(_text(settings, "nutrition"), "my dad barely eats"))
    assert "nutrition" in get_state(RETRAIN_NEEDED, settings)
    trained_on = examples_fingerprint(scenario_examples(load_scenarios(settings.scenarios_dir)))
    assert clear_retrain_needed_if_current(trained_on, settings) is True
    assert get_state(RETRAIN_NEEDED, settings) == ""


def test_an_edit_made_during_training_keeps_retrain_needed(settings):
    _save(settings, "nutrition", _with_example(_text(settings, "nutrition"), "my dad barely eats"))
    trained_on = current_examples_fingerprint(settings)  # training reads the examples ...
    _save(settings, "diabetes", _with_example(_text(settings, "diabetes"), "is 180 after lunch high"))  # ... an edit lands
    assert clear_retrain_needed_if_current(trained_on, settings) is False
    assert "diabetes" in get_state(RETRAIN_NEEDED, settings)


def test_the_fingerprint_ignores_order_but_not_content(settings):
    examples = scenario_examples(load_scenarios(settings.scenarios_dir))
    assert examples_fingerprint(reversed(examples)) == examples_fingerprint(examples)
    changed = [*examples[:-1], (examples[-1][0], examples[-1][1], examples[-1][2] + " now")]
    assert examples_fingerprint(changed) != examples_fingerprint(examples)


def test_the_training_rows_give_the_same_fingerprint_as_the_scenario_files(settings):
    """The call training makes after a successful train: its scenario rows must fingerprint alike."""
    from core.mlops.dataset import load_authored

    rows = [(r.intent, r.language, r.text) for r in load_authored(settings) if r.source == "scenario"]
    assert examples_fingerprint(rows) == current_examples_fingerprint(settings)


# ---- a new topic ----------------------------------------------------------------------------------
def test_a_new_topic_is_a_valid_bilingual_scenario_saved_as_version_one(settings):
    result = create_topic("hearing_aids", "Hearing aids", "Audífonos", author="tester", settings=settings)
    scenario = load_scenario(settings.scenarios_dir / "hearing_aids.yaml")
    assert result.version == 1 and scenario == result.scenario and scenario.intent == "hearing_aids"
    assert (scenario.title.en, scenario.title.es) == ("Hearing aids", "Audífonos")
    assert len(scenario.examples.en) >= 3 and len(scenario.examples.es) >= 2 and scenario.follow_ups
    assert all(scenario.response(role, lang) for role in ("caregiver", "senior", "patient", "healthcare_worker")
               for lang in ("en", "es"))
    assert "hearing_aids" in topic_intents(settings.scenarios_dir)
    assert [(v.version, v.author) for v in history("hearing_aids", settings)] == [(1, "tester")]
    assert [e.target for e in _saved_events(settings)] == ["hearing_aids"]
    assert "hearing_aids" in get_state(RETRAIN_NEEDED, settings)


@pytest.mark.parametrize(("topic_id", "problem"), [
    ("nutrition", "built-in intent"),
    ("greeting", "built-in intent"),
    ("crisis", "reserved for the crisis screen"),
    ("overdose_risk", "reserved for the crisis screen"),
    ("Hearing Aids", "not a topic id"),
    ("new:hearing_aids", "without 'new:'"),
    ("", "required"),
])
def test_a_bad_topic_id_is_refused_and_writes_nothing(settings, topic_id, problem):
    before = sorted(p.name for p in settings.scenarios_dir.iterdir())
    with pytest.raises(InvalidInput, match=problem):
        create_topic(topic_id, "Hearing aids", "Audífonos", author="tester", settings=settings)
    assert sorted(p.name for p in settings.scenarios_dir.iterdir()) == before
    assert history(topic_id, settings) == [] and _saved_events(settings) == []


def test_a_topic_that_exists_or_lacks_a_title_is_refused(settings):
    create_topic("hearing_aids", "Hearing aids", "Audífonos", author="tester", settings=settings)
    text = _text(settings, "hearing_aids")
    with pytest.raises(InvalidInput, match="exists already"):
        create_topic("hearing_aids", "Hearing aids again", "Audífonos", author="other", settings=settings)
    with pytest.raises(InvalidInput, match=r"title \(es\): required"):
        create_topic("wheelchairs", "Wheelchairs", " ", author="tester", settings=settings)
    assert _text(settings, "hearing_aids") == text and not (settings.scenarios_dir / "wheelchairs.yaml").exists()
    assert len(history("hearing_aids", settings)) == 1 and history("wheelchairs", settings) == []
