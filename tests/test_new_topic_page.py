"""The scenario editor's New topic form through Streamlit's AppTest, on a real SQLite file and a copy
of the scenarios in tmp_path: a good id creates the file and its version 1; a bad one changes nothing;
only roles that edit scenarios see it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from core import audit
from core.auth.users import create_user
from core.config import PROJECT_ROOT, Settings, get_settings
from core.content.scenarios import load_scenario
from core.content.versions import history

PASSWORD = "a-long-test-password-1"
STAFF = {"rev": "reviewer", "ana": "analyst"}


@pytest.fixture
def editor(tmp_path, monkeypatch) -> Settings:
    shutil.copytree(PROJECT_ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.setenv("CAREOPS_DATA_DIR", str(tmp_path / "data"))  # what the page's get_settings() reads
    monkeypatch.setenv("CAREOPS_SCENARIOS_DIR", str(tmp_path / "scenarios"))
    get_settings.cache_clear()
    settings = get_settings()
    for name, role in STAFF.items():
        create_user(name, PASSWORD, role, actor="test", settings=settings)
    return settings


def page(username: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "scenarios.py"), default_timeout=60)
    at.session_state["user"] = {"username": username, "role": STAFF[username], "last_active": datetime.now(UTC)}
    at.run()
    assert not at.exception, at.exception
    return at


def create(at: AppTest, topic_id: str, title_en: str = "Hearing aids", title_es: str = "Audífonos") -> AppTest:
    at.text_input(key="new_topic_id").input(topic_id)
    at.text_input(key="new_topic_title_en").input(title_en)
    at.text_input(key="new_topic_title_es").input(title_es)
    next(b for b in at.button if b.label == "Create topic").click().run()
    assert not at.exception, at.exception
    return at


def test_a_new_topic_creates_its_scenario_and_version_one_and_opens_it(editor):
    at = create(page("rev"), "hearing_aids")
    scenario = load_scenario(editor.scenarios_dir / "hearing_aids.yaml")
    assert (scenario.intent, scenario.version, scenario.title.es) == ("hearing_aids", 1, "Audífonos")
    assert [(v.version, v.author) for v in history("hearing_aids", editor)] == [(1, "rev")]
    assert any("Created the topic hearing_aids as version 1" in s.value for s in at.success)
    assert next(s for s in at.selectbox if s.label == "Scenario to edit").value == "hearing_aids"
    assert any("Retrain needed" in w.value for w in at.warning)


@pytest.mark.parametrize(("topic_id", "message"), [
    ("diabetes", "built-in intent"),
    ("crisis", "reserved for the crisis screen"),
    ("Hearing Aids", "not a topic id"),
    ("new:hearing_aids", "without 'new:'"),
])
def test_a_bad_topic_id_is_refused_and_changes_nothing(editor, topic_id, message):
    before = {p.name: p.read_bytes() for p in editor.scenarios_dir.iterdir()}
    at = create(page("rev"), topic_id)
    errors = "\n".join(e.value for e in at.error)
    assert "Not created" in errors and message in errors
    assert {p.name: p.read_bytes() for p in editor.scenarios_dir.iterdir()} == before
    assert history(topic_id, editor) == [] and audit.recent(action="scenario.saved", settings=editor) == []


def test_a_topic_that_exists_is_refused(editor):
    create(page("rev"), "hearing_aids")
    text = (editor.scenarios_dir / "hearing_aids.yaml").read_text(encoding="utf-8")
    at = create(page("rev"), "hearing_aids", "Hearing aids, again")
    assert any("exists already" in e.value for e in at.error)
    assert (editor.scenarios_dir / "hearing_aids.yaml").read_text(encoding="utf-8") == text
    assert len(history("hearing_aids", editor)) == 1


def test_a_role_that_does_not_edit_scenarios_has_no_new_topic_form(editor):
    at = page("ana")
    assert any("Not permitted" in e.value or "not permitted" in e.value for e in at.error)
    assert not [t for t in at.text_input if t.key == "new_topic_id"]
